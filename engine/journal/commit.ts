/**
 * @module engine/journal/commit
 * One JetStream journal message = one commit, self-contained so that any subscriber of the
 * subject can read it without headers: `{"s": firstSeq, "e": [[type, v, at, author, key, event], …]}`
 * on `nb.<community>.room.<kind>.<id>.ev` (the subject names the actor).
 * Owns: encoding and decoding commits. Pure.
 */
import type { NewEvent } from './contract.ts';
import type { Entry } from './frame.ts';
import type { JournalRecord } from './record.ts';

export function encodeCommit(firstSeq: number, events: readonly NewEvent[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ s: firstSeq, e: events.map((e): Entry => [e.type, e.v, e.at, e.author, e.key, e.event]) }));
}

/** The records of one commit published on a journal subject; throws on anything else. */
export function decodeCommit(subject: string, data: Uint8Array): JournalRecord[] {
  const [nb, community, room, kind, actorId, ev] = subject.split('.');
  if (nb !== 'nb' || room !== 'room' || ev !== 'ev' || !kind || !actorId) throw new Error(`not a journal subject: ${subject}`);
  const body = JSON.parse(new TextDecoder().decode(data)) as { s?: unknown; e?: unknown };
  if (!Number.isSafeInteger(body.s) || (body.s as number) < 1 || !Array.isArray(body.e)) throw new Error('not a journal commit');
  const first = body.s as number;
  return (body.e as Entry[]).map(([type, v, at, author, key, event], i) => ({ community, kind, actorId, seq: first + i, type, v, at, author, key, event }));
}
