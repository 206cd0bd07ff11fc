/**
 * @module engine/lease/memory
 * Leases in a map with an injected clock, for tests and single-process runs. Several "nodes" in
 * one test share one MemoryLeaseStore; advancing the clock lapses leases without sleeping.
 */
import { LEASE_SAFETY_FRACTION, type Lease, type LeaseStore } from './contract.ts';

interface Held { owner: string; epoch: number; revision: number; expiresAt: number }

export class MemoryLeaseStore implements LeaseStore {
  readonly kind = 'memory';
  private readonly held = new Map<string, Held>();
  private rev = 0;

  constructor(readonly ttlMs: number, private readonly now: () => number = () => performance.now()) {}

  private live(name: string): Held | undefined {
    const h = this.held.get(name);
    if (h && h.expiresAt <= this.now()) {
      this.held.delete(name);
      return undefined;
    }
    return h;
  }

  private lease(name: string, h: Held, sentAt: number): Lease {
    return { name, owner: h.owner, epoch: h.epoch, revision: h.revision, validUntil: sentAt + this.ttlMs * (1 - LEASE_SAFETY_FRACTION) };
  }

  async acquire(name: string, owner: string): Promise<Lease | null> {
    const sentAt = this.now();
    if (this.live(name)) return null;
    const revision = ++this.rev;
    const h = { owner, epoch: revision, revision, expiresAt: sentAt + this.ttlMs };
    this.held.set(name, h);
    return this.lease(name, h, sentAt);
  }

  async renew(lease: Lease): Promise<Lease | null> {
    const sentAt = this.now();
    const h = this.live(lease.name);
    if (!h || h.revision !== lease.revision) return null;
    h.revision = ++this.rev;
    h.expiresAt = sentAt + this.ttlMs;
    return this.lease(lease.name, h, sentAt);
  }

  async release(lease: Lease): Promise<void> {
    const h = this.live(lease.name);
    if (h && h.epoch === lease.epoch) this.held.delete(lease.name);
  }

  async list(prefix: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const name of [...this.held.keys()]) {
      const h = this.live(name);
      if (h && name.startsWith(prefix)) out.set(name, h.owner);
    }
    return out;
  }

  async close(): Promise<void> {}
}
