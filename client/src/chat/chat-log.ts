/**
 * @module client/chat/chat-log
 * The messages a chat panel shows, and the rules for the text a resident may send.
 * Within one session the log is merged by `seq` (the room's order, not arrival order), with
 * duplicates dropped. Across sessions it is never merged: a `welcome` (first join or any re-join)
 * replaces the log with its history, the server's own view at that moment.
 * Owns: ordering, de-duplication, the bound, the welcome reset and the client's length rule.
 * Does not: render or talk to rooms.
 * Bound: the newest DEFAULT_CHAT_LOG_SIZE messages are kept; older ones drop off the top
 * (history stays on the server).
 */
import type { ChatMessage } from '../protocol.ts';

export const DEFAULT_CHAT_LOG_SIZE = 500;
/**
 * Longest chat text in Unicode code points: the server's CHAT_MAX_CHARS default. The room does
 * not announce its limit, so a server configured lower still refuses with CHAT_TOO_LONG (and the
 * composer then keeps the text).
 */
export const CHAT_MAX_CHARS = 500;

export function mergeMessages(
  current: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
  limit = DEFAULT_CHAT_LOG_SIZE,
): readonly ChatMessage[] {
  if (incoming.length === 0) return current;
  const last = current[current.length - 1];
  // Fast path: one new live message after everything we have.
  if (incoming.length === 1 && (!last || incoming[0]!.seq > last.seq)) {
    const next = [...current, incoming[0]!];
    return next.length > limit ? next.slice(next.length - limit) : next;
  }
  const bySeq = new Map<number, ChatMessage>();
  for (const m of current) bySeq.set(m.seq, m);
  for (const m of incoming) bySeq.set(m.seq, m);
  const merged = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return merged.length > limit ? merged.slice(merged.length - limit) : merged;
}

export interface WelcomeReset<P extends { readonly key: string }> {
  /** The whole new log: the welcome's history, ordered by seq and bounded. */
  readonly messages: readonly ChatMessage[];
  /** Pending sends whose key is in the history: they did arrive and are settled. */
  readonly arrived: readonly P[];
  /** Pending sends not in the history: still this page's own, to be sent again with their key. */
  readonly stillPending: readonly P[];
}

/**
 * What a `welcome` leaves: exactly its history (the previous log is not an input, so nothing of
 * an earlier session can survive it) plus this page's own sends that are still pending.
 */
export function resetOnWelcome<P extends { readonly key: string }>(
  history: readonly ChatMessage[],
  pending: readonly P[],
  limit = DEFAULT_CHAT_LOG_SIZE,
): WelcomeReset<P> {
  const messages = mergeMessages([], history, limit);
  const keys = new Set(history.map((m) => m.key));
  return {
    messages,
    arrived: pending.filter((p) => keys.has(p.key)),
    stillPending: pending.filter((p) => !keys.has(p.key)),
  };
}

/**
 * The length the server will measure: code points (not UTF-16 units) after it drops control
 * characters other than tab and newline and trims the ends (actors/_kit cleanText).
 */
export function chatLength(text: string): number {
  let n = 0;
  for (const _ of text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '').trim()) n++;
  return n;
}
