/**
 * @module client/chat/chat-panel
 * The neighbour chat: pick one of the account's buildings (or a group), rename oneself, read
 * notices and the message log with sequence numbers and times, and send with Enter. Property
 * staff also get a notice form in building rooms. An account the directory admits to no chat room
 * (guards, merchants) sees only a line saying so.
 * Owns: chat markup and input handling. Does not: hold the room (use-chat-room does) or decide
 * which rooms are offered (auth/access does; the server admits).
 * Errors from the room are shown in the current language and can be dismissed.
 * Composer: the text stays in the input until the room confirms it (so a refusal such as
 * CHAT_TOO_LONG loses nothing); a counter shows its length in code points against CHAT_MAX_CHARS
 * and Send is off over the limit. Name field: capped and cleaned as identity.ts says, then sent
 * as the account's new display name; a refusal (name taken) is shown and the field reverts.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CommunityLayout } from '../../../actors/community/layout.ts';
import type { Access } from '../auth/access.ts';
import { pick, useI18n } from '../i18n.ts';
import { NOTICE_CATEGORIES, timeFormat } from '../labels.ts';
import { noticeText } from './notice-text.ts';
import type { ChatMessage, Failure, MapState, NoticeCategory } from '../protocol.ts';
import { CHAT_MAX_CHARS, chatLength } from './chat-log.ts';
import { capName, cleanName } from './identity.ts';
import type { ChatRoomView } from './use-chat-room.ts';

export interface ChatPanelProps {
  readonly layout: CommunityLayout;
  readonly buildings: MapState['buildings'];
  readonly selected: string | null;
  readonly onSelect: (roomId: string | null) => void;
  readonly access: Access;
  /** The account's display name. */
  readonly name: string;
  /** Renames the account; resolves with the refusal, or null when the server kept the name. */
  readonly onRename: (name: string) => Promise<Failure | null>;
  readonly chat: ChatRoomView;
}

export function ChatPanel({ layout, buildings, selected, onSelect, access, name, onRename, chat }: ChatPanelProps) {
  const { lang, t } = useI18n();
  const homes = layout.buildings.filter((b) => b.residential && access.buildings.has(b.id));
  const groups = access.groups ? layout.groups : [];
  const time = timeFormat(lang);
  const inBuilding = !!selected && homes.some((b) => b.id === selected);

  // An account with no chat room (a guard, a merchant): one clear line, no controls it cannot use.
  if (homes.length === 0 && groups.length === 0) {
    return (
      <section class="panel chat" aria-labelledby="chat-title" data-testid="chat-panel" data-status="none">
        <h2 id="chat-title">{t('chatTitle')}</h2>
        <p class="muted" data-testid="chat-none">{t('chatNone')}</p>
      </section>
    );
  }

  return (
    <section class="panel chat" aria-labelledby="chat-title" data-testid="chat-panel" data-status={chat.status} data-you-name={chat.you?.name ?? ''}>
      <h2 id="chat-title">{t('chatTitle')}</h2>
      <div class="chat-controls">
        <label>
          <span>{t('buildingLabel')}</span>
          <select
            data-testid="building-select"
            value={selected ?? ''}
            onChange={(e) => onSelect(e.currentTarget.value || null)}
          >
            <option value="">{t('buildingPlaceholder')}</option>
            {homes.length > 0 && (
            <optgroup label={t('buildingsGroup')}>
              {homes.map((b) => {
                const online = buildings[b.id]?.online ?? 0;
                return (
                  <option key={b.id} value={b.id}>
                    {pick(b.name, lang)}
                    {online > 0 ? ` · ${t('online', { n: online })}` : ''}
                  </option>
                );
              })}
            </optgroup>
            )}
            {groups.length > 0 && (
              <optgroup label={t('groupsGroup')}>
                {groups.map((g) => (
                  <option key={g.id} value={g.id}>{pick(g.name, lang)}</option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
        <NameField name={name} onRename={onRename} />
      </div>

      {chat.denied && (
        <p class="chat-error" role="alert" data-testid="chat-denied" data-code={chat.denied.code}>
          {pick(chat.denied.message, lang)}
        </p>
      )}

      {chat.notices.length > 0 && (
        <section class="notices" aria-label={t('noticesTitle')}>
          {chat.notices.map((n) => {
            const text = noticeText(n, lang);
            return (
              <article key={n.seq} class="notice" data-testid="notice" data-category={n.category}>
                <span class="tag">{t(`noticeCategory_${n.category ?? 'general'}`)}</span> <strong>{text.title}</strong> <span class="muted">{time.format(n.at)}</span>
                <p>{text.body}</p>
              </article>
            );
          })}
        </section>
      )}

      {chat.error && (
        <p class="chat-error" role="alert" data-testid="chat-error" data-code={chat.error.code}>
          {pick(chat.error.message, lang)}
          <button type="button" class="link" onClick={chat.dismissError}>{t('dismiss')}</button>
        </p>
      )}

      {chat.earlier !== 'none' && (
        <button type="button" class="link earlier" data-testid="chat-earlier" disabled={chat.earlier === 'loading'} onClick={chat.loadEarlier}>
          {chat.earlier === 'loading' ? t('earlierLoading') : t('earlierLoad')}
        </button>
      )}
      <ChatLog
        messages={chat.messages}
        pending={chat.pending}
        youId={chat.you?.id ?? null}
        placeholder={selected ? t('chatEmpty') : t('chatPick')}
        format={(m) => time.format(m.at)}
        youLabel={t('you')}
        sendingLabel={t('sending')}
      />
      <Composer chat={chat} disabled={!selected} />
      {access.staff && inBuilding && <NoticeForm chat={chat} />}
    </section>
  );
}

function NameField({ name, onRename }: { name: string; onRename: (name: string) => Promise<Failure | null> }) {
  const { lang, t } = useI18n();
  const [draft, setDraft] = useState(name);
  const [refusal, setRefusal] = useState<Failure | null>(null);
  const busy = useRef(false);
  useEffect(() => setDraft(name), [name]);
  const commit = async () => {
    const clean = cleanName(draft);
    if (!clean || clean === name) {
      setDraft(name);
      return;
    }
    if (busy.current) return;
    busy.current = true;
    setDraft(clean);
    const failure = await onRename(clean);
    busy.current = false;
    setRefusal(failure);
    if (failure) setDraft(name);
  };
  return (
    <label>
      <span>{t('nameLabel')}</span>
      <input
        data-testid="name-input"
        value={draft}
        autocomplete="nickname"
        onInput={(e) => {
          const el = e.currentTarget;
          const capped = capName(el.value);
          // Written back directly: when the capped value equals the state, Preact would not.
          if (capped !== el.value) el.value = capped;
          setDraft(capped);
        }}
        onBlur={() => void commit()}
        onKeyDown={(e) => e.key === 'Enter' && void commit()}
      />
      {refusal && (
        <span class="field-error" role="alert" data-testid="name-error" data-code={refusal.code}>
          {pick(refusal.message, lang)}
        </span>
      )}
    </label>
  );
}

/** Staff only: a notice for everyone in the building, confirmed by the room before the form clears. */
function NoticeForm({ chat }: { chat: ChatRoomView }) {
  const { lang, t } = useI18n();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [category, setCategory] = useState<NoticeCategory>('general');
  const n = chat.notice;
  useEffect(() => {
    if (n.state === 'acked') {
      setTitle('');
      setBody('');
    }
  }, [n]);
  return (
    <form
      class="notice-form form"
      data-testid="notice-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (title.trim() && body.trim()) chat.sendNotice(title.trim(), body.trim(), category);
      }}
    >
      <h3>{t('noticeFormTitle')}</h3>
      <label>
        <span>{t('noticeTitleLabel')}</span>
        <input data-testid="notice-title" value={title} required onInput={(e) => setTitle(e.currentTarget.value)} />
      </label>
      <label>
        <span>{t('noticeCategoryLabel')}</span>
        <select data-testid="notice-category" value={category} onChange={(e) => setCategory(e.currentTarget.value as NoticeCategory)}>
          {NOTICE_CATEGORIES.map((c) => <option key={c} value={c}>{t(`noticeCategory_${c}`)}</option>)}
        </select>
      </label>
      <label>
        <span>{t('noticeBodyLabel')}</span>
        <textarea data-testid="notice-body" value={body} required rows={3} onInput={(e) => setBody(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" data-testid="notice-send" disabled={n.state === 'pending' || chat.status !== 'connected'}>
        {n.state === 'pending' ? t('sending') : t('noticePost')}
      </button>
      {n.state === 'acked' && <span class="muted" role="status" data-testid="notice-posted">{t('noticePosted')}</span>}
      {n.state === 'failed' && (
        <p class="chat-error" role="alert" data-testid="notice-error" data-code={n.failure.code}>
          {pick(n.failure.message, lang)}
        </p>
      )}
    </form>
  );
}

interface ChatLogProps {
  readonly messages: readonly ChatMessage[];
  readonly pending: ChatRoomView['pending'];
  readonly youId: string | null;
  readonly placeholder: string;
  readonly youLabel: string;
  readonly sendingLabel: string;
  format(m: ChatMessage): string;
}

function ChatLog({ messages, pending, youId, placeholder, youLabel, sendingLabel, format }: ChatLogProps) {
  const list = useRef<HTMLOListElement>(null);
  // Follow new messages only when the reader is already at the bottom.
  const stick = useRef(true);
  useEffect(() => {
    const el = list.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages, pending]);

  return (
    <ol
      class="chat-log"
      data-testid="chat-log"
      ref={list}
      aria-live="polite"
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
    >
      {messages.length === 0 && pending.length === 0 && <li class="muted placeholder">{placeholder}</li>}
      {messages.map((m) => (
        <li key={`${m.seq}:${m.key}`} class={m.author.id === youId ? 'message mine' : 'message'} data-testid="chat-message" data-seq={m.seq} data-key={m.key}>
          <header>
            <span class="author">{m.author.name}{m.author.id === youId ? ` (${youLabel})` : ''}</span>
            <time dateTime={new Date(m.at).toISOString()}>{format(m)}</time>
            <span class="seq">#{m.seq}</span>
          </header>
          <p>{m.text}</p>
        </li>
      ))}
      {pending.map((p) => (
        <li key={p.key} class="message mine pending" data-testid="chat-pending">
          <header><span class="muted">{sendingLabel}</span></header>
          <p>{p.text}</p>
        </li>
      ))}
    </ol>
  );
}

interface InFlight {
  readonly key: string;
  /** The input's text when it was sent (untrimmed), to tell later typing apart. */
  readonly text: string;
}

function Composer({ chat, disabled }: { chat: ChatRoomView; disabled: boolean }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [inFlight, setInFlight] = useState<InFlight | null>(null);
  const [refused, setRefused] = useState(false);
  const chars = chatLength(text);
  const over = chars > CHAT_MAX_CHARS;

  // The "not connected" warning is about the connection: gone once it is back.
  useEffect(() => {
    if (chat.status === 'connected') setRefused(false);
  }, [chat.status]);

  // The sent text leaves the input only when the room confirms it; refused or unconfirmed, it stays.
  useEffect(() => {
    if (!inFlight) return;
    const outcome = chat.outcome(inFlight.key);
    if (outcome === 'pending') return;
    setInFlight(null);
    if (outcome === 'acked') {
      // Anything typed after the sent text is kept.
      setText((current) => (current.startsWith(inFlight.text) ? current.slice(inFlight.text.length).trimStart() : current));
    } else {
      setText((current) => (current.trim() ? current : inFlight.text));
    }
  }, [inFlight, chat.pending]);

  const submit = () => {
    if (inFlight || over || chars === 0) return;
    const key = chat.send(text.trim());
    if (key) {
      setInFlight({ key, text });
      setRefused(false);
    } else {
      setRefused(true);
    }
  };
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <input
        data-testid="chat-input"
        value={text}
        disabled={disabled}
        placeholder={t('chatPlaceholder')}
        aria-label={t('chatPlaceholder')}
        aria-describedby="chat-counter"
        aria-invalid={over}
        enterkeyhint="send"
        onInput={(e) => setText(e.currentTarget.value)}
      />
      <span
        id="chat-counter"
        class={over ? 'counter over' : 'counter'}
        data-testid="chat-counter"
        data-over={over ? 'true' : 'false'}
        title={t('counterTitle', { max: CHAT_MAX_CHARS })}
      >
        {chars}/{CHAT_MAX_CHARS}
      </span>
      <button type="submit" data-testid="chat-send" disabled={disabled || chars === 0 || over || inFlight !== null}>
        {t('send')}
      </button>
      {over && <p class="chat-error" role="status" data-testid="chat-too-long">{t('tooLong', { max: CHAT_MAX_CHARS })}</p>}
      {refused && <p class="chat-error" role="status" data-testid="not-connected">{t('notConnected')}</p>}
    </form>
  );
}
