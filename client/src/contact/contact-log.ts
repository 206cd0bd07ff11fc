/**
 * @module client/contact/contact-log
 * The page's inbox (requests addressed to me) and outbox (my requests and their answers), merged
 * from two sources that overlap: the HTTP reads (/api/contact/inbox|outbox) and the live
 * `contact` pushes, which every open room of the account forwards, so one push can arrive
 * several times. Merging is by requestId (and an answer by name, time and text), so order and
 * repetition do not matter.
 * Owns: those merge rules and the bound. Does not: fetch or render.
 * Bound: the newest DEFAULT_CONTACT_LIST_SIZE entries of each list are kept (the server keeps
 * requests for a day; older ones drop off the top here).
 */
import type { ContactNotification, InboxEntry, OutboxAnswer, OutboxEntry } from '../protocol.ts';

export const DEFAULT_CONTACT_LIST_SIZE = 200;

export interface ContactLog {
  readonly inbox: readonly InboxEntry[];
  readonly outbox: readonly OutboxEntry[];
}

export const EMPTY_CONTACT_LOG: ContactLog = { inbox: [], outbox: [] };

const byTime = <T extends { readonly at: number }>(a: T, b: T) => a.at - b.at;
const newest = <T>(xs: T[], limit: number) => (xs.length > limit ? xs.slice(xs.length - limit) : xs);
const answerKey = (a: OutboxAnswer) => `${a.at}\u0000${a.name}\u0000${a.text}`;

function mergeAnswers(a: readonly OutboxAnswer[], b: readonly OutboxAnswer[]): readonly OutboxAnswer[] {
  const all = new Map<string, OutboxAnswer>();
  for (const x of [...a, ...b]) all.set(answerKey(x), x);
  return [...all.values()].sort(byTime);
}

/** Inbox entries by requestId; `answered` is true once either side says so (it never goes back). */
export function mergeInbox(current: readonly InboxEntry[], incoming: readonly InboxEntry[], limit = DEFAULT_CONTACT_LIST_SIZE): readonly InboxEntry[] {
  const all = new Map(current.map((e) => [e.requestId, e]));
  for (const e of incoming) {
    const had = all.get(e.requestId);
    all.set(e.requestId, had ? { ...e, answered: had.answered || e.answered } : e);
  }
  return newest([...all.values()].sort(byTime), limit);
}

/** Outbox entries by requestId, their answers united. */
export function mergeOutbox(current: readonly OutboxEntry[], incoming: readonly OutboxEntry[], limit = DEFAULT_CONTACT_LIST_SIZE): readonly OutboxEntry[] {
  const all = new Map(current.map((e) => [e.requestId, e]));
  for (const e of incoming) {
    const had = all.get(e.requestId);
    all.set(e.requestId, had ? { ...e, answers: mergeAnswers(had.answers, e.answers) } : e);
  }
  return newest([...all.values()].sort(byTime), limit);
}

/**
 * A live push applied to the log. `reload` is true when it names a request this page does not know
 * (asked from another device): the outbox should be read again to show it.
 */
export function applyNotification(log: ContactLog, n: ContactNotification): { readonly log: ContactLog; readonly reload: boolean } {
  switch (n.type) {
    case 'RequestReceived':
      return { log: { ...log, inbox: mergeInbox(log.inbox, [n.entry]) }, reload: false };
    case 'AnswerReceived': {
      const mine = log.outbox.find((e) => e.requestId === n.requestId);
      if (!mine) return { log, reload: true };
      return { log: { ...log, outbox: mergeOutbox(log.outbox, [{ ...mine, answers: [n.answer] }]) }, reload: false };
    }
    default:
      return { log, reload: false };
  }
}

/** My own answer, marked before the server's next read says so. */
export function markAnswered(log: ContactLog, requestId: string): ContactLog {
  return { ...log, inbox: log.inbox.map((e) => (e.requestId === requestId ? { ...e, answered: true } : e)) };
}
