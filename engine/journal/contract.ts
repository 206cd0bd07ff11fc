/**
 * @module engine/journal/contract
 * The event journal every actor writes through: one ordered stream per actor, appended with an
 * expected sequence number so that two copies of one actor (in one process or in two) can never
 * both write. One append is one commit: all its events are stored, or none.
 * Owns: the interface only. Implementations: memory.ts (tests), file.ts (embedded, local disk),
 * jetstream.ts (cluster). All pass contract.suite.ts.
 * Concurrency: append is atomic per stream; a stale expectedSeq rejects with
 * ENGINE_JOURNAL_CONFLICT and writes nothing. A store that cannot be reached rejects with
 * ENGINE_JOURNAL_UNAVAILABLE; the caller cannot know whether that commit landed and must re-read
 * (`lastSeq`) before appending again.
 */
import type { JournalRecord } from './record.ts';

export interface StreamKey {
  readonly community: string;
  readonly kind: string;
  readonly actorId: string;
}

export interface NewEvent {
  readonly type: string;
  readonly v: number;
  readonly at: number;
  readonly author: string;
  readonly key: string | null;
  readonly event: unknown;
}

export interface Journal {
  readonly kind: 'memory' | 'file' | 'jetstream';
  /** Appends events after `expectedSeq` (the last seq the writer saw; 0 for a new stream). Resolves once they are durable. */
  append(stream: StreamKey, expectedSeq: number, events: readonly NewEvent[]): Promise<JournalRecord[]>;
  /** Records with seq > afterSeq, in order, at most `limit` of them (all when omitted). */
  read(stream: StreamKey, afterSeq?: number, limit?: number): Promise<JournalRecord[]>;
  /** The seq of the stream's last record; 0 when it has none. Always asks the store. */
  lastSeq(stream: StreamKey): Promise<number>;
  /** The streams of one community that hold at least one record. */
  streams(community: string): Promise<StreamKey[]>;
  close(): Promise<void>;
}

export function streamName(s: StreamKey): string {
  return `${s.community}.${s.kind}.${s.actorId}`;
}

/** Builds the envelopes of one commit; every implementation numbers records the same way. */
export function toRecords(key: StreamKey, expectedSeq: number, events: readonly NewEvent[]): JournalRecord[] {
  return events.map((e, i) => ({
    community: key.community, kind: key.kind, actorId: key.actorId, seq: expectedSeq + i + 1,
    type: e.type, v: e.v, at: e.at, author: e.author, key: e.key, event: e.event,
  }));
}
