/**
 * @module engine/key-memory
 * The idempotency keys an actor host remembers: which seqs the command of (author, key)
 * produced, so that the same command sent again returns its first outcome and appends nothing.
 * Owns: a bounded, insertion-ordered map. Does not: decide anything.
 * Overflow: beyond `capacity` keys the oldest is forgotten (counted in `evicted`); a key that old
 * is new again. Rebuilt on activation from the snapshot and the replayed records.
 */
import type { RememberedKey } from './snapshot/contract.ts';
import type { JournalRecord } from './journal/record.ts';

export const DEFAULT_IDEMPOTENCY_KEYS = 10_000;

export function idKey(author: string, key: string): string {
  return `${author}\u0000${key}`;
}

export class KeyMemory {
  private readonly byKey = new Map<string, { first: number; last: number }>();
  evicted = 0;

  constructor(private readonly capacity = DEFAULT_IDEMPOTENCY_KEYS) {}

  get(k: string): { first: number; last: number } | undefined {
    return this.byKey.get(k);
  }

  remember(k: string, first: number, last: number): void {
    this.byKey.delete(k);
    this.byKey.set(k, { first, last });
    while (this.byKey.size > this.capacity) {
      this.byKey.delete(this.byKey.keys().next().value!);
      this.evicted++;
    }
  }

  /** Remembers the keys of committed records (consecutive records of one command share a key). */
  rememberRecords(records: readonly JournalRecord[]): void {
    let i = 0;
    while (i < records.length) {
      const r = records[i];
      let j = i;
      while (j + 1 < records.length && records[j + 1].key === r.key && records[j + 1].author === r.author && r.key !== null) j++;
      if (r.key !== null) this.remember(idKey(r.author, r.key), r.seq, records[j].seq);
      i = j + 1;
    }
  }

  toSnapshot(): RememberedKey[] {
    return [...this.byKey].map(([k, v]) => [k, v.first, v.last] as const);
  }

  load(keys: readonly RememberedKey[]): void {
    this.byKey.clear();
    for (const [k, first, last] of keys) this.remember(k, first, last);
  }
}
