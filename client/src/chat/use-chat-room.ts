/**
 * @module client/chat/use-chat-room
 * Preact hook for one chat room (building or group): joins it through a RoomLink and keeps the
 * log, notices, unacknowledged sends and the last `error`. Owns: the client side of the chat
 * protocol (welcome, chat, ack, error, notice). Does not: render.
 * Sessions: every `welcome` (first join and every re-join) replaces the log with exactly its
 * history; the log is never merged by seq across a welcome. This page's own pending sends survive it.
 * Earlier messages: `loadEarlier()` asks the room for the page before the oldest shown
 * (`history {before}`, served from the server's journal) and merges it in; the log may then grow
 * to DEFAULT_MAX_LOG_SIZE.
 * Idempotency: after a re-join, a pending send whose key is in the welcome history is settled and
 * any other is sent again with its key, so a lost ack never posts a message twice.
 * Ordering: `welcome` is registered first in `attach`, which RoomLink calls synchronously right
 * after the join resolves and before anything else; the server holds `welcome` until the SDK has
 * acknowledged the join, so it cannot arrive before its handler (the SDK drops unhandled types).
 * Bounds: DEFAULT_MAX_PENDING unacknowledged sends (then `send` refuses); a send unconfirmed after
 * DEFAULT_ACK_TIMEOUT_MS of being connected is dropped and reported (rate-limit refusals may come
 * back keyless). A send made while the link is down (re-joining) is kept and goes out on the welcome.
 * Identity: who posts is the signed-in account; `identity` (its display name) re-joins when it
 * changes, because a room keeps the name it admitted the session with. Notices (staff only) are
 * sent with their own key and settle on `ack` or a keyed `error`, one at a time.
 */
import type { Client, Room } from '@colyseus/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import { RoomLink, type LinkAuth, type LinkState } from '../connection.ts';
import type { Ack, AlarmNotification, Author, ChatMessage, ContactNotification, Failure, HistoryPage, JoinOptions, LocalizedText, Notice, NoticeCategory, ParkingNotification, SendChat, SendNotice, Welcome } from '../protocol.ts';
import { DEFAULT_CHAT_LOG_SIZE, mergeMessages, resetOnWelcome } from './chat-log.ts';

export const DEFAULT_MAX_PENDING = 20;
export const DEFAULT_NOTICE_LIST_SIZE = 20;
export const DEFAULT_ACK_TIMEOUT_MS = 15_000;
/** Messages the log holds at most once earlier pages are loaded. */
export const DEFAULT_MAX_LOG_SIZE = 2000;
export const EARLIER_PAGE_SIZE = 50;

/** Loading older messages: possible, under way, or nothing older exists. */
export type EarlierState = 'more' | 'loading' | 'none';

/** Client-side failure for a send the room never confirmed; it never crosses the wire. */
export const NOT_CONFIRMED: Failure = {
  ok: false,
  code: 'CLIENT_NOT_CONFIRMED',
  message: { 'zh-CN': '消息未确认送达，请检查后重试', en: 'The message was not confirmed; check the log and retry' },
  retryable: true,
};

export interface PendingSend {
  readonly key: string;
  readonly text: string;
}

/**
 * What became of a send, by key: still pending, confirmed (ack, its own chat message or found in
 * a welcome history), failed (an error for its key, or no confirmation in time), or unknown (not
 * sent on the current room, e.g. after switching rooms).
 */
export type SendOutcome = 'pending' | 'acked' | 'failed' | 'unknown';

/** Settled outcomes remembered for the composer; older ones are forgotten first. */
export const DEFAULT_OUTCOME_MEMORY = 64;

/** The notice form's send: nothing yet, waiting for the room, confirmed, or refused. */
export type NoticeSend = { readonly state: 'idle' } | { readonly state: 'pending' | 'acked'; readonly key: string } | { readonly state: 'failed'; readonly key: string; readonly failure: Failure };

/** What every room of the page shares: the SDK client, the session, and where `contact` and `alarm` pushes go. */
export interface RoomContext {
  readonly client: Client;
  readonly auth: LinkAuth;
  readonly onContact?: (n: ContactNotification) => void;
  readonly onAlarm?: (n: AlarmNotification) => void;
  readonly onParking?: (n: ParkingNotification) => void;
}

export interface ChatRoomView {
  readonly status: LinkState;
  readonly title: LocalizedText | null;
  readonly you: Author | null;
  readonly messages: readonly ChatMessage[];
  readonly notices: readonly Notice[];
  readonly pending: readonly PendingSend[];
  readonly error: Failure | null;
  /** Why this account may not be in the room (refused or closed with 4100); the link has stopped. */
  readonly denied: Failure | null;
  readonly notice: NoticeSend;
  /** Sends a notice (staff only); returns its key, or null when there is no session or one is pending. */
  sendNotice(title: string, body: string, category?: NoticeCategory): string | null;
  readonly earlier: EarlierState;
  /** Asks for the page of messages before the oldest shown. */
  loadEarlier(): void;
  /**
   * Returns the send's idempotency key, or null (and sends nothing) when there is no session or
   * too much is pending.
   */
  send(text: string): string | null;
  outcome(key: string): SendOutcome;
  dismissError(): void;
}

const EMPTY: readonly never[] = [];
/** Link states from which the link joins again by itself: a send made then waits for the welcome. */
const WILL_REJOIN: ReadonlySet<LinkState> = new Set(['connecting', 'reconnecting', 'offline']);

/** crypto.randomUUID exists only in secure contexts; a LAN http page falls back to getRandomValues. */
export function idempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function useChatRoom(ctx: RoomContext, roomId: string | null, options: JoinOptions, identity: string): ChatRoomView {
  const [status, setStatus] = useState<LinkState>('idle');
  const [title, setTitle] = useState<LocalizedText | null>(null);
  const [you, setYou] = useState<Author | null>(null);
  const [messages, setMessages] = useState<readonly ChatMessage[]>(EMPTY);
  const [notices, setNotices] = useState<readonly Notice[]>(EMPTY);
  const [pending, setPending] = useState<readonly PendingSend[]>(EMPTY);
  const [error, setError] = useState<Failure | null>(null);
  const [denied, setDenied] = useState<Failure | null>(null);
  const [notice, setNotice] = useState<NoticeSend>({ state: 'idle' });
  const noticeRef = useRef<NoticeSend>(notice);
  const [earlier, setEarlier] = useState<EarlierState>('none');
  const logLimit = useRef(DEFAULT_CHAT_LOG_SIZE);
  const oldest = useRef<number | null>(null);
  const link = useRef<RoomLink | null>(null);
  const contact = useRef(ctx.onContact);
  contact.current = ctx.onContact;
  const alarm = useRef(ctx.onAlarm);
  alarm.current = ctx.onAlarm;
  const parking = useRef(ctx.onParking);
  parking.current = ctx.onParking;
  const pendingRef = useRef<readonly PendingSend[]>(EMPTY);
  const statusRef = useRef<LinkState>('idle');
  // Language is read at join time only; switching it must not re-join.
  const lang = useRef(options.lang);
  lang.current = options.lang;

  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const outcomes = useRef(new Map<string, 'acked' | 'failed'>());

  const updatePending = (next: readonly PendingSend[]) => {
    pendingRef.current = next;
    setPending(next);
  };
  const settle = (key: string, result: 'acked' | 'failed') => {
    if (!pendingRef.current.some((p) => p.key === key)) return;
    clearTimeout(timers.current.get(key));
    timers.current.delete(key);
    const memory = outcomes.current;
    memory.set(key, result);
    if (memory.size > DEFAULT_OUTCOME_MEMORY) memory.delete(memory.keys().next().value!);
    // After recording the outcome: the pending change is what re-renders the composer.
    updatePending(pendingRef.current.filter((p) => p.key !== key));
  };

  const updateNotice = (next: NoticeSend) => {
    noticeRef.current = next;
    setNotice(next);
  };

  useEffect(() => {
    setStatus('idle');
    statusRef.current = 'idle';
    setDenied(null);
    updateNotice({ state: 'idle' });
    setTitle(null);
    setYou(null);
    setMessages(EMPTY);
    setNotices(EMPTY);
    setError(null);
    updatePending(EMPTY);
    outcomes.current.clear();
    if (!roomId) return;

    const attach = (room: Room) => {
      // Registered first: see "Ordering" above.
      room.onMessage('welcome', (w: Welcome) => {
        setTitle(w.name);
        setYou(w.you);
        // A fresh session: the log becomes exactly the history (never merged with the old log by
        // seq); a pending send found in it did arrive, any other is sent again with its key.
        // The room scopes keys per session, so only this history check prevents a duplicate.
        const reset = resetOnWelcome(w.history ?? EMPTY, pendingRef.current);
        logLimit.current = DEFAULT_CHAT_LOG_SIZE;
        oldest.current = reset.messages[0]?.seq ?? null;
        setEarlier(oldest.current !== null && oldest.current > 1 ? 'more' : 'none');
        setMessages(reset.messages);
        setNotices((w.notices ?? EMPTY).slice(-DEFAULT_NOTICE_LIST_SIZE));
        for (const p of reset.arrived) settle(p.key, 'acked');
        for (const p of reset.stillPending) {
          room.send('chat', { text: p.text, key: p.key } satisfies SendChat);
          awaitAck(p.key); // a fresh wait from this send on: the time offline does not count against it
        }
      });
      room.onMessage('chat', (m: ChatMessage) => {
        setMessages((current) => mergeMessages(current, [m], logLimit.current));
        settle(m.key, 'acked');
      });
      room.onMessage('history', (page: HistoryPage<ChatMessage>) => {
        if (page.kind !== 'chat') return;
        logLimit.current = Math.min(DEFAULT_MAX_LOG_SIZE, logLimit.current + page.items.length);
        setMessages((current) => mergeMessages(current, page.items, logLimit.current));
        if (page.items.length > 0) oldest.current = Math.min(oldest.current ?? Infinity, page.items[0]!.seq);
        setEarlier(page.before === null || logLimit.current >= DEFAULT_MAX_LOG_SIZE ? 'none' : 'more');
      });
      room.onMessage('ack', (a: Ack) => {
        settle(a.key, 'acked');
        const n = noticeRef.current;
        if (n.state === 'pending' && n.key === a.key) updateNotice({ state: 'acked', key: a.key });
      });
      room.onMessage('error', (f: Failure) => {
        if (f.key !== undefined) settle(f.key, 'failed');
        const n = noticeRef.current;
        // A refused notice is shown by the notice form, not above the chat.
        if (n.state === 'pending' && n.key === f.key) return updateNotice({ state: 'failed', key: n.key, failure: f });
        setError(f);
      });
      room.onMessage('notice', (n: Notice) =>
        setNotices((current) => [...current.filter((x) => x.seq !== n.seq), n].slice(-DEFAULT_NOTICE_LIST_SIZE)),
      );
    };
    const current = new RoomLink(ctx.client, roomId, ctx.auth, { ...options, lang: lang.current }, {
      attach,
      onState: (state) => { statusRef.current = state; setStatus(state); },
      onDenied: setDenied,
      onContact: (n) => contact.current?.(n),
      onAlarm: (n) => alarm.current?.(n),
      onParking: (n) => parking.current?.(n),
    });
    link.current = current;
    current.start();
    return () => {
      link.current = null;
      for (const timer of timers.current.values()) clearTimeout(timer);
      timers.current.clear();
      void current.close();
    };
  }, [ctx.client, ctx.auth, roomId, identity]);

  /**
   * Waits DEFAULT_ACK_TIMEOUT_MS of being connected for a send's answer, then reports it not
   * confirmed. While the link is down the wait starts over: the send stays pending and goes out
   * again with its key on the next welcome.
   */
  const awaitAck = (key: string) => {
    clearTimeout(timers.current.get(key));
    timers.current.set(
      key,
      setTimeout(() => {
        if (!pendingRef.current.some((p) => p.key === key)) return;
        if (statusRef.current !== 'connected') return awaitAck(key);
        settle(key, 'failed');
        setError({ ...NOT_CONFIRMED, key });
      }, DEFAULT_ACK_TIMEOUT_MS),
    );
  };

  const send = (text: string): string | null => {
    const active = link.current;
    if (!active || pendingRef.current.length >= DEFAULT_MAX_PENDING) return null;
    const key = idempotencyKey();
    // Not connected but on the way back (joining again): kept pending, sent by the next welcome.
    if (!active.send('chat', { text, key } satisfies SendChat) && !WILL_REJOIN.has(active.state)) return null;
    updatePending([...pendingRef.current, { key, text }]);
    awaitAck(key);
    return key;
  };

  const outcome = (key: string): SendOutcome =>
    pendingRef.current.some((p) => p.key === key) ? 'pending' : (outcomes.current.get(key) ?? 'unknown');

  const loadEarlier = () => {
    const active = link.current;
    if (!active || earlier !== 'more' || oldest.current === null) return;
    if (active.send('history', { kind: 'chat', before: oldest.current, limit: EARLIER_PAGE_SIZE })) setEarlier('loading');
  };

  const sendNotice = (title: string, body: string, category?: NoticeCategory): string | null => {
    const active = link.current;
    if (!active || noticeRef.current.state === 'pending') return null;
    const key = idempotencyKey();
    if (!active.send('notice', { title, body, key, ...(category ? { category } : {}) } satisfies SendNotice)) return null;
    updateNotice({ state: 'pending', key });
    timers.current.set(
      key,
      setTimeout(() => {
        const n = noticeRef.current;
        if (n.state === 'pending' && n.key === key) updateNotice({ state: 'failed', key, failure: { ...NOT_CONFIRMED, key } });
      }, DEFAULT_ACK_TIMEOUT_MS),
    );
    return key;
  };

  return { status, title, you, messages, notices, pending, error, denied, notice, sendNotice, earlier, loadEarlier, send, outcome, dismissError: () => setError(null) };
}
