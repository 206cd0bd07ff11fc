/**
 * @module engine/lease/contract
 * Leases: "this node owns that room (or that job) until a deadline", kept alive by renewing.
 * A lease that is not renewed within its TTL lapses and another node may take it. The holder
 * stops writing once its own deadline (`validUntil`) has passed, even if it could not reach the
 * store to learn that; the journal's fence catches whatever slips through.
 * Owns: the interface. Implementations: memory.ts (tests), kv.ts (JetStream KV).
 * Concurrency: acquire and renew are compare-and-set: of two nodes racing for one lease exactly
 * one wins; a renew after the lease lapsed and was taken fails.
 */
export interface Lease {
  readonly name: string;
  readonly owner: string;
  /** Store revision at acquisition: the fencing token of this holding period. */
  readonly epoch: number;
  /** Store revision of the latest renew. */
  readonly revision: number;
  /**
   * Local deadline (`performance.now()` ms) after which the holder must act as if it lost the
   * lease: the time before the last successful acquire/renew request was sent, plus TTL minus a
   * safety margin. A process that was frozen wakes up past it.
   */
  readonly validUntil: number;
}

export interface LeaseStore {
  readonly kind: 'memory' | 'kv';
  readonly ttlMs: number;
  /** Takes `name` for `owner` if nobody holds it; null when somebody does. */
  acquire(name: string, owner: string): Promise<Lease | null>;
  /** Extends a held lease; null when it was lost (lapsed and taken, or released). */
  renew(lease: Lease): Promise<Lease | null>;
  /** Gives the lease up at once (best effort). */
  release(lease: Lease): Promise<void>;
  /** Every live lease whose name starts with `prefix`: name → owner. */
  list(prefix: string): Promise<Map<string, string>>;
  close(): Promise<void>;
}

/** The share of the TTL kept as a safety margin: a lease is treated as lost this long before it lapses. */
export const LEASE_SAFETY_FRACTION = 0.25;

export function isValid(lease: Lease, now = performance.now()): boolean {
  return now < lease.validUntil;
}
