/**
 * @module services/identity/hash-queue
 * Bounds the scrypt work that unauthenticated requests can cause: at most `concurrency` hashes run
 * at once, at most `queued` wait, and one source (address) may hold at most `perSource` places.
 * Work from a device the account already knows goes to the front, so a flood of guesses cannot
 * starve the people who sign in from their own browser or phone.
 * Owns: admission of hash work. Does not: hash (engine/auth/passwords.ts) or count failures.
 * Concurrency: synchronous bookkeeping on one event loop; the work itself runs on libuv's pool.
 * Overflow: a full queue or a source over its share is refused at once with IDENTITY_BUSY
 * (retryable, HTTP 503 with Retry-After), counted in `identity_hash_refused_total`.
 */
import { LinliError } from '../../engine/errors.ts';
import { IdentityError } from '../../actors/identity/identity-errors.ts';

export interface HashQueueLimits {
  readonly concurrency: number;
  readonly queued: number;
  readonly perSource: number;
}

interface Waiter {
  readonly source: string;
  readonly start: () => void;
}

export class HashQueue {
  private running = 0;
  private readonly urgent: Waiter[] = [];
  private readonly normal: Waiter[] = [];
  private readonly bySource = new Map<string, number>();
  refused = 0;

  constructor(private readonly limits: HashQueueLimits, private readonly onRefused: (reason: string) => void = () => {}) {}

  get waiting(): number {
    return this.urgent.length + this.normal.length;
  }

  /** Runs `work` when a slot is free; throws IDENTITY_BUSY at once when the caller may not wait. */
  async run<T>(source: string, urgent: boolean, work: () => Promise<T>): Promise<T> {
    const held = this.bySource.get(source) ?? 0;
    if (held >= this.limits.perSource) return this.refuse('source');
    if (this.running >= this.limits.concurrency && this.waiting >= this.limits.queued && !(urgent && this.urgent.length < this.limits.queued)) {
      return this.refuse('queue');
    }
    this.bySource.set(source, held + 1);
    try {
      if (this.running >= this.limits.concurrency) {
        await new Promise<void>((start) => (urgent ? this.urgent : this.normal).push({ source, start }));
      } else {
        this.running++;
      }
      try {
        return await work();
      } finally {
        this.next();
      }
    } finally {
      const n = (this.bySource.get(source) ?? 1) - 1;
      if (n <= 0) this.bySource.delete(source);
      else this.bySource.set(source, n);
    }
  }

  private next(): void {
    const w = this.urgent.shift() ?? this.normal.shift();
    if (w) w.start(); // the slot passes to the next waiter: `running` stays
    else this.running--;
  }

  private refuse(reason: string): never {
    this.refused++;
    this.onRefused(reason);
    throw new LinliError(IdentityError.BUSY, { retryAfterMs: 1000 });
  }
}
