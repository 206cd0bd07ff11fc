/**
 * @module client/app
 * The resident page: loads the community layout, restores the signed-in session, and shows either
 * the sign-in screen or the community (community.tsx). Holds the language.
 * Owns: page-level state (language, layout load, the session keeper) and their persistence.
 * Does not: draw the map, speak room protocols or call the directory (the panels do).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { fetchCommunity, type CommunityLayout } from './api.ts';
import * as authApi from './auth/auth-api.ts';
import { browserSessionKeeper, type SessionState } from './auth/session.ts';
import { SignIn } from './auth/sign-in.tsx';
import { Community } from './community.tsx';
import { Footer } from './footer.tsx';
import { Header } from './header.tsx';
import { applyLang, I18nContext, initialLang, safeStorage, translator, type I18n, type Lang } from './i18n.ts';

type Load = { readonly kind: 'loading' } | { readonly kind: 'failed'; readonly error: string } | { readonly kind: 'ready'; readonly layout: CommunityLayout };

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

  const keeper = useMemo(() => browserSessionKeeper(storage, { refresh: authApi.refresh, signOut: authApi.signOut }), [storage]);
  const [session, setSession] = useState<SessionState>(keeper.state);
  useEffect(() => {
    const off = keeper.subscribe(setSession);
    const onStorage = (e: StorageEvent) => keeper.onStorage(e.key, e.newValue);
    window.addEventListener('storage', onStorage);
    void keeper.start();
    return () => {
      off();
      window.removeEventListener('storage', onStorage);
      keeper.stop();
    };
  }, [keeper]);

  const layout = load.kind === 'ready' ? load.layout : null;
  let body;
  if (load.kind !== 'ready' || session.kind === 'restoring') {
    body = (
      <main class="splash">
        {load.kind === 'failed' ? (
          <p role="alert">
            {i18n.t('loadFailed', { error: load.error })}{' '}
            <button type="button" onClick={() => setAttempt((n) => n + 1)}>{i18n.t('retry')}</button>
          </p>
        ) : (
          <p>{i18n.t('loading')}</p>
        )}
      </main>
    );
  } else if (session.kind === 'signed-out') {
    body = <SignIn reason={session.reason} onSignedIn={(r) => keeper.adopt(r)} />;
  } else {
    // Keyed by account: another account signing in (in this tab or another) starts a fresh page.
    return (
      <I18nContext.Provider value={i18n}>
        <Community key={session.session.me.accountId} layout={load.layout} me={session.session.me} keeper={keeper} storage={storage} />
      </I18nContext.Provider>
    );
  }
  return (
    <I18nContext.Provider value={i18n}>
      <div class="page">
        <Header layout={layout} links={[]} />
        {body}
        <Footer />
      </div>
    </I18nContext.Provider>
  );
}
