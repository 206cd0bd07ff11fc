/**
 * @module rooms/_shared/chat-room
 * Chat behaviour shared by building and group rooms: what a PostChat outcome means for the room
 * (broadcast a new message, or only acknowledge the first one again), and history pages older
 * than the messages a room keeps in memory, read from the journal in the server's order.
 * Owns: those two translations. Does not: decide posts (actors/chat) or send anything.
 */
import type { ChatMessage, ChatPosted } from '../../actors/chat/protocol.ts';
import type { Outcome } from '../../engine/actor-host.ts';
import type { Journal, StreamKey } from '../../engine/journal/contract.ts';
import { int, object, oneOf, optional, type Check } from './validate.ts';

export type ChatReply =
  | { readonly kind: 'failed'; readonly code: string; readonly details?: Readonly<Record<string, unknown>> }
  | { readonly kind: 'posted'; readonly message: ChatMessage }
  /** The same (author, key) was posted before: acknowledge its message number, broadcast nothing. */
  | { readonly kind: 'again'; readonly seq: number };

export function toChatMessage(p: ChatPosted): ChatMessage {
  return { seq: p.n, at: p.at, author: { id: p.authorId, name: p.authorName }, text: p.text, key: p.key };
}

export function chatReply(out: Outcome<unknown, string>, previousSeq: () => number | undefined): ChatReply {
  if (!out.ok) return { kind: 'failed', code: out.code, details: out.details };
  const posted = out.events.find((e): e is ChatPosted => (e as ChatPosted).type === 'ChatPosted');
  if (out.duplicate || !posted) return { kind: 'again', seq: posted?.n ?? previousSeq() ?? 0 };
  return { kind: 'posted', message: toChatMessage(posted) };
}

/** `history {kind?, before?, limit?}`: the items numbered below `before` (default: the newest), at most `limit`. */
export type HistoryIn = { kind?: string; before?: number; limit?: number };

export function historyIn(maxLimit: number, kinds: readonly string[]): Check<HistoryIn> {
  return object<HistoryIn>({ kind: optional(oneOf(kinds)), before: optional(int(1, Number.MAX_SAFE_INTEGER)), limit: optional(int(1, maxLimit)) });
}

export interface HistoryPage<T> {
  /** Oldest first. */
  readonly items: readonly T[];
  /** Pass as `before` for the page before this one; null at the first item. */
  readonly before: number | null;
}

const SCAN_PAGE = 500;

/**
 * Items n in [before − limit, before − 1] of one numbered event type (chat messages, notices).
 * An item's journal seq is never below its number (each is one record; other events only add
 * records), so the scan starts at seq `before − limit` and reads forward until it passes
 * item `before − 1`.
 */
export async function numberedHistory<E extends { type: string; n: number }, T>(
  journal: Journal, stream: StreamKey, eventType: E['type'], newest: number, q: HistoryIn, defaultLimit: number,
  toItem: (e: E) => T, upcast: (stored: { type: string; v: number }) => unknown = (e) => e,
): Promise<HistoryPage<T>> {
  const before = Math.min(q.before ?? newest + 1, newest + 1);
  const limit = q.limit ?? defaultLimit;
  const lo = Math.max(1, before - limit);
  const items: T[] = [];
  let after = lo - 1;
  while (before > lo) {
    const page = await journal.read(stream, after, SCAN_PAGE);
    if (page.length === 0) break;
    let passed = false;
    for (const r of page) {
      if (r.type !== eventType) continue;
      const e = upcast(r.event as { type: string; v: number }) as E;
      if (e.n >= before) { passed = true; break; }
      if (e.n >= lo) items.push(toItem(e));
    }
    if (passed) break;
    after = page[page.length - 1].seq;
  }
  return { items, before: lo > 1 ? lo : null };
}

/** Chat messages older than the welcome's, from the journal. */
export function chatHistory(journal: Journal, stream: StreamKey, newest: number, q: HistoryIn, defaultLimit: number): Promise<HistoryPage<ChatMessage>> {
  return numberedHistory<ChatPosted, ChatMessage>(journal, stream, 'ChatPosted', newest, q, defaultLimit, toChatMessage);
}
