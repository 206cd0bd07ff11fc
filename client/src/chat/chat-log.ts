/**
 * @module client/chat/chat-log
 * The messages a chat panel shows: merged by `seq` (the room's order, not arrival order), with
 * duplicates dropped (a re-join's `welcome` history overlaps what was already seen).
 * Owns: ordering, de-duplication and the bound. Does not: render or talk to rooms.
 * Bound: the newest DEFAULT_CHAT_LOG_SIZE messages are kept; older ones drop off the top
 * (history stays on the server).
 */
import type { ChatMessage } from '../protocol.ts';

export const DEFAULT_CHAT_LOG_SIZE = 500;

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
