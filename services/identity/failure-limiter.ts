/**
 * @module services/identity/failure-limiter
 * Counts failed sign-ins, redemptions and setup attempts per key (`ip:<addr>`, `dev:<device>`,
 * `phone:<n>`) and answers how long a key must wait before its next attempt: nothing for the first
 * `free` failures in a window, then a delay that doubles with every further failure up to `maxDelayMs`.
 * Owns: the counts (in memory; a restart forgets them, an attacker cannot cause one). Does not:
 * decide which keys a flow counts (identity-service.ts does: sources always, targets only for
 * devices the target account does not know).
 * Concurrency: synchronous; one event loop. Overflow: at most `maxKeys` keys. A new key evicts the
 * least recently failed key that is not holding a delay; keys holding a delay are never evicted by
 * others' floods, so flooding other keys cannot reset a victim's count. When every key holds a
 * delay the new key is not tracked and `overflowed` is counted (the per-source keys still hold).
 */

export interface FailurePolicy {
  /** Failures within the window that cost nothing. */
  readonly free: number;
  /** Delay after the first failure beyond `free`, ms; doubles with each further one. */
  readonly baseDelayMs: number;
  /** Longest delay, ms. */
  readonly maxDelayMs: number;
  /** A key with no failure for this long is forgotten, ms. */
  readonly windowMs: number;
}

interface Entry {
  count: number;
  last: number;
}

/** How far into a map's insertion order eviction looks for a key it may drop. */
const EVICTION_SCAN = 256;

export class FailureLimiter {
  private readonly entries = new Map<string, Entry>();
  overflowed = 0;

  constructor(private readonly maxKeys: number, private readonly policyOf: (key: string) => FailurePolicy) {}

  get size(): number {
    return this.entries.size;
  }

  /** Failures counted for `key` within its window. */
  count(key: string, at: number): number {
    const e = this.live(key, at);
    return e ? e.count : 0;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  waitMs(key: string, at: number): number {
    const e = this.live(key, at);
    if (!e) return 0;
    const delay = delayOf(this.policyOf(key), e.count);
    return Math.max(0, e.last + delay - at);
  }

  /** The longest wait among `keys`. */
  waitAny(keys: readonly string[], at: number): number {
    let wait = 0;
    for (const k of keys) wait = Math.max(wait, this.waitMs(k, at));
    return wait;
  }

  record(keys: readonly string[], at: number): void {
    for (const key of keys) this.recordOne(key, at);
  }

  /** Takes back one count of `key` (an attempt recorded up front that turned out not to count). */
  forgive(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    if (e.count <= 1) this.entries.delete(key);
    else e.count--;
  }

  /** A success from a source clears nothing for others; it forgets this key's own failures. */
  clear(key: string): void {
    this.entries.delete(key);
  }

  private live(key: string, at: number): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (at - e.last >= this.policyOf(key).windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private recordOne(key: string, at: number): void {
    const e = this.live(key, at);
    if (e) {
      this.entries.delete(key); // re-insert: the map's order is least recently failed first
      this.entries.set(key, { count: e.count + 1, last: Math.max(e.last, at) });
      return;
    }
    if (this.entries.size >= this.maxKeys && !this.evictOne(at)) {
      this.overflowed++;
      return;
    }
    this.entries.set(key, { count: 1, last: at });
  }

  private evictOne(at: number): boolean {
    let scanned = 0;
    for (const [key, e] of this.entries) {
      const p = this.policyOf(key);
      const holding = at - e.last < p.windowMs && e.last + delayOf(p, e.count) > at;
      if (!holding) {
        this.entries.delete(key);
        return true;
      }
      if (++scanned >= EVICTION_SCAN) break;
    }
    return false;
  }
}

export function delayOf(p: FailurePolicy, count: number): number {
  if (count < p.free) return 0;
  const doublings = Math.min(40, count - p.free);
  return Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** doublings);
}
