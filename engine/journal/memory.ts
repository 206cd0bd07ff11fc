/**
 * @module engine/journal/memory
 * In-memory journal for tests and for throwaway runs (`JOURNAL=memory`).
 * Owns: per-stream arrays of records. Does not: survive a restart.
 * Concurrency: append is synchronous inside a resolved promise, so it is atomic per stream.
 * Overflow: each stream keeps at most `maxRecordsPerStream` records in memory (oldest trimmed,
 * counted in `trimmed`); seqs keep counting, so a replay starts at the oldest record kept.
 */
import { LinliError, EngineError } from '../errors.ts';
import type { Journal, NewEvent, StreamKey } from './contract.ts';
import { streamName, toRecords } from './contract.ts';
import type { JournalRecord } from './record.ts';

export const DEFAULT_JOURNAL_MAX_RECORDS_PER_STREAM = 10_000;

interface Stream {
  readonly key: StreamKey;
  lastSeq: number;
  records: JournalRecord[];
}

export class MemoryJournal implements Journal {
  readonly kind = 'memory';
  private readonly byName = new Map<string, Stream>();
  trimmed = 0;

  constructor(private readonly maxRecordsPerStream = DEFAULT_JOURNAL_MAX_RECORDS_PER_STREAM) {}

  async append(key: StreamKey, expectedSeq: number, events: readonly NewEvent[]): Promise<JournalRecord[]> {
    const name = streamName(key);
    let s = this.byName.get(name);
    if (!s) {
      s = { key: { community: key.community, kind: key.kind, actorId: key.actorId }, lastSeq: 0, records: [] };
      this.byName.set(name, s);
    }
    if (s.lastSeq !== expectedSeq) {
      throw new LinliError(EngineError.JOURNAL_CONFLICT, { stream: name, expectedSeq, lastSeq: s.lastSeq });
    }
    const out = toRecords(key, expectedSeq, events);
    s.records.push(...out);
    s.lastSeq += out.length;
    const excess = s.records.length - this.maxRecordsPerStream;
    if (excess > 0) {
      s.records.splice(0, excess);
      this.trimmed += excess;
    }
    return out;
  }

  async read(key: StreamKey, afterSeq = 0, limit = Infinity): Promise<JournalRecord[]> {
    const records = this.byName.get(streamName(key))?.records ?? [];
    const first = records.length === 0 ? 0 : Math.max(0, afterSeq - records[0].seq + 1);
    return records.slice(first, first + limit);
  }

  async lastSeq(key: StreamKey): Promise<number> {
    return this.byName.get(streamName(key))?.lastSeq ?? 0;
  }

  async streams(community: string): Promise<StreamKey[]> {
    return [...this.byName.values()].filter((s) => s.key.community === community && s.lastSeq > 0).map((s) => s.key);
  }

  async close(): Promise<void> {}
}
