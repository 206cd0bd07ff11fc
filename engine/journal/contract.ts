/**
 * @module engine/journal/contract
 * The event journal every actor writes through: one ordered stream per actor, appended with an
 * expected sequence number so that two copies of one actor can never both write.
 * Owns: the interface only. Implementations: memory.ts now; durable ones plug in here later
 * without touching actors or rooms.
 * Concurrency: append is atomic per stream; a stale expectedSeq rejects with ENGINE_JOURNAL_CONFLICT.
 */
import type { JournalRecord } from './record.ts';

export interface StreamKey {
  readonly community: string;
  readonly kind: string;
  readonly actorId: string;
}

export interface NewEvent {
  readonly type: string;
  readonly at: number;
  readonly event: unknown;
}

export interface Journal {
  readonly kind: string;
  /** Appends events after `expectedSeq` (the last seq the writer saw; 0 for a new stream). */
  append(stream: StreamKey, expectedSeq: number, events: readonly NewEvent[]): Promise<JournalRecord[]>;
  /** Records with seq > afterSeq, in order. */
  read(stream: StreamKey, afterSeq?: number): Promise<JournalRecord[]>;
  lastSeq(stream: StreamKey): Promise<number>;
  close(): Promise<void>;
}

export function streamName(s: StreamKey): string {
  return `${s.community}.${s.kind}.${s.actorId}`;
}
