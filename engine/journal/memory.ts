/**
 * @module engine/journal/memory
 * In-memory journal: the embedded default until a durable journal lands (issue 4).
 * Owns: per-stream arrays of records. Does not: survive a restart.
 * Concurrency: append is synchronous inside a resolved promise, so it is atomic per stream.
 * Overflow: each stream keeps at most `maxRecordsPerStream` records in memory (oldest trimmed,
 * counted); analytics keeps the full history.
 */
import { LinliError, EngineError } from '../errors.ts';
import type { Journal, NewEvent, StreamKey } from './contract.ts';
import { streamName } from './contract.ts';
import type { JournalRecord } from './record.ts';

export const DEFAULT_JOURNAL_MAX_RECORDS_PER_STREAM = 10_000;

interface Stream {
  lastSeq: number;
  records: JournalRecord[];
}

export class MemoryJournal implements Journal {
  readonly kind = 'memory';
  private readonly streams = new Map<string, Stream>();
  trimmed = 0;

  constructor(private readonly maxRecordsPerStream = DEFAULT_JOURNAL_MAX_RECORDS_PER_STREAM) {}

  async append(key: StreamKey, expectedSeq: number, events: readonly NewEvent[]): Promise<JournalRecord[]> {
    const name = streamName(key);
    let s = this.streams.get(name);
    if (!s) {
      s = { lastSeq: 0, records: [] };
      this.streams.set(name, s);
    }
    if (s.lastSeq !== expectedSeq) {
      throw new LinliError(EngineError.JOURNAL_CONFLICT, { stream: name, expectedSeq, lastSeq: s.lastSeq });
    }
    const out: JournalRecord[] = events.map((e, i) => ({
      community: key.community, kind: key.kind, actorId: key.actorId,
      seq: expectedSeq + i + 1, type: e.type, at: e.at, event: e.event,
    }));
    s.records.push(...out);
    s.lastSeq += out.length;
    const excess = s.records.length - this.maxRecordsPerStream;
    if (excess > 0) {
      s.records.splice(0, excess);
      this.trimmed += excess;
    }
    return out;
  }

  async read(key: StreamKey, afterSeq = 0): Promise<JournalRecord[]> {
    return (this.streams.get(streamName(key))?.records ?? []).filter((r) => r.seq > afterSeq);
  }

  async lastSeq(key: StreamKey): Promise<number> {
    return this.streams.get(streamName(key))?.lastSeq ?? 0;
  }

  async close(): Promise<void> {}
}
