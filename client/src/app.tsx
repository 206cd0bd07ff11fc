/**
 * @module client/app
 * The resident page: header (community, connection, language), live map, parking list, chat,
 * attribution. Wires the community layout, the map room and the chosen chat room together.
 * Owns: page-level state (language, name, selected room) and their persistence.
 * Does not: draw the map or speak the chat protocol (map/ and chat/ do).
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { fetchCommunity, type CommunityLayout } from './api.ts';
import { ChatPanel } from './chat/chat-panel.tsx';
import { loadName, loadResidentId, saveName } from './chat/identity.ts';
import { useChatRoom } from './chat/use-chat-room.ts';
import { createClient, type LinkState } from './connection.ts';
import { Footer } from './footer.tsx';
import { applyLang, I18nContext, initialLang, pick, safeStorage, translator, useI18n, type I18n, type Lang } from './i18n.ts';
import { MapView } from './map/map-view.tsx';
import { useMapRoom } from './map/use-map-room.ts';
import { ParkingPanel } from './parking/parking-panel.tsx';
import { StatusBadge } from './status-badge.tsx';

const ROOM_KEY = 'linli.room';

type Load = { readonly kind: 'loading' } | { readonly kind: 'failed'; readonly error: string } | { readonly kind: 'ready'; readonly layout: CommunityLayout };

function isChatRoom(layout: CommunityLayout, id: string | null): id is string {
  return !!id && (layout.buildings.some((b) => b.id === id && b.residential) || layout.groups.some((g) => g.id === id));
}

export function App() {
  const storage = useMemo(safeStorage, []);
  const [lang, setLang] = useState<Lang>(() => initialLang(storage));
  const i18n = useMemo<I18n>(() => ({ lang, t: translator(lang), setLang }), [lang]);
  useEffect(() => applyLang(lang, storage), [lang, storage]);

  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    setLoad({ kind: 'loading' });
    fetchCommunity(abort.signal)
      .then((layout) => setLoad({ kind: 'ready', layout }))
      .catch((error: unknown) => {
        if (!abort.signal.aborted) setLoad({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
      });
    return () => abort.abort();
  }, [attempt]);

  return (
    <I18nContext.Provider value={i18n}>
      {load.kind === 'ready' ? (
        <Community layout={load.layout} storage={storage} />
      ) : (
        <div class="page">
          <Header title={null} links={[]} />
          <main class="splash">
            {load.kind === 'loading' ? (
              <p>{i18n.t('loading')}</p>
            ) : (
              <p role="alert">
                {i18n.t('loadFailed', { error: load.error })}{' '}
                <button type="button" onClick={() => setAttempt((n) => n + 1)}>{i18n.t('retry')}</button>
              </p>
            )}
          </main>
          <Footer />
        </div>
      )}
    </I18nContext.Provider>
  );
}

function Community({ layout, storage }: { layout: CommunityLayout; storage: Storage | undefined }) {
  const { lang } = useI18n();
  const client = useMemo(() => createClient(), []);
  const residentId = useMemo(() => loadResidentId(storage), [storage]);
  const [name, setName] = useState(() => loadName(storage));
  const [selected, setSelected] = useState<string | null>(() => {
    const stored = storage?.getItem(ROOM_KEY) ?? null;
    return isChatRoom(layout, stored) ? stored : null;
  });

  const select = useCallback(
    (id: string | null) => {
      const next = isChatRoom(layout, id) ? id : null;
      setSelected(next);
      if (next) storage?.setItem(ROOM_KEY, next);
      else storage?.removeItem(ROOM_KEY);
    },
    [layout, storage],
  );
  const rename = (next: string) => {
    setName(next);
    saveName(storage, next);
  };

  const joinOptions = { name, lang, residentId };
  const map = useMapRoom(client, layout.id, joinOptions);
  const chat = useChatRoom(client, selected, joinOptions);

  return (
    <div class="page">
      <Header title={pick(layout.name, lang)} links={selected ? [map.status, chat.status] : [map.status]} />
      <main class="layout">
        <MapView layout={layout} lots={map.state.lots} selected={selected} onSelectBuilding={select} />
        <div class="side">
          <ChatPanel
            layout={layout}
            buildings={map.state.buildings}
            selected={selected}
            onSelect={select}
            name={name}
            onName={rename}
            chat={chat}
          />
          <ParkingPanel layout={layout} lots={map.state.lots} />
        </div>
      </main>
      <Footer />
    </div>
  );
}

function Header({ title, links }: { title: string | null; links: readonly LinkState[] }) {
  const { lang, t, setLang } = useI18n();
  return (
    <header class="topbar">
      <h1>
        <span class="brand">{t('appTitle')}</span>
        {title && <span class="community">{title}</span>}
      </h1>
      <StatusBadge links={links} />
      <button
        type="button"
        class="lang"
        data-testid="lang-switch"
        lang={lang === 'en' ? 'zh-CN' : 'en'}
        title={t('langSwitchTitle')}
        onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
      >
        {t('langSwitch')}
      </button>
    </header>
  );
}
