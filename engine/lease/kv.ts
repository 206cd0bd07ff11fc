/**
 * @module engine/lease/kv
 * Leases in a JetStream KV bucket per community and cluster (`NB_LEASE_<name>`), whose entries
 * lapse after the bucket's TTL (max age) unless renewed: acquire is `create` (fails when the key
 * exists), renew is `update` at the revision last seen (fails when someone else took it), release
 * is a delete at that revision.
 * Owns: the bucket. Does not: decide what to lease (engine/cluster/placement.ts does).
 * Failure: when NATS cannot be reached, acquire gives null and renew rejects; the holder's
 * `validUntil` then runs out and it stops writing.
 */
import type { KV, NatsConnection } from 'nats';
import { LEASE_SAFETY_FRACTION, type Lease, type LeaseStore } from './contract.ts';

export function leaseBucketName(name: string): string {
  return `NB_LEASE_${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

const ERR_WRONG_LAST_SEQUENCE = 10071;

export class KvLeaseStore implements LeaseStore {
  readonly kind = 'kv';

  private constructor(private readonly kv: KV, readonly ttlMs: number) {}

  static async open(nc: NatsConnection, bucket: string, ttlMs: number, replicas = 1): Promise<KvLeaseStore> {
    const kv = await nc.jetstream().views.kv(leaseBucketName(bucket), { ttl: ttlMs, history: 1, replicas });
    return new KvLeaseStore(kv, ttlMs);
  }

  private lease(name: string, owner: string, epoch: number, revision: number, sentAt: number): Lease {
    return { name, owner, epoch, revision, validUntil: sentAt + this.ttlMs * (1 - LEASE_SAFETY_FRACTION) };
  }

  async acquire(name: string, owner: string): Promise<Lease | null> {
    const sentAt = performance.now();
    try {
      const revision = await this.kv.create(key(name), encode(owner));
      return this.lease(name, owner, revision, revision, sentAt);
    } catch (err) {
      if (isTaken(err)) return null;
      throw err;
    }
  }

  async renew(lease: Lease): Promise<Lease | null> {
    const sentAt = performance.now();
    try {
      const revision = await this.kv.update(key(lease.name), encode(lease.owner), lease.revision);
      return this.lease(lease.name, lease.owner, lease.epoch, revision, sentAt);
    } catch (err) {
      if (isTaken(err)) return null;
      throw err;
    }
  }

  async release(lease: Lease): Promise<void> {
    await this.kv.delete(key(lease.name), { previousSeq: lease.revision }).catch(() => undefined); // lapses by itself anyway
  }

  async list(prefix: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const names: string[] = [];
    for await (const k of await this.kv.keys(`${key(prefix)}>`)) names.push(k);
    await Promise.all(names.map(async (k) => {
      const e = await this.kv.get(k);
      if (e && e.operation === 'PUT') out.set(unkey(k), new TextDecoder().decode(e.value));
    }));
    return out;
  }

  async close(): Promise<void> {}
}

/** Lease names are dot-separated like subjects (`room.building.bldg-1`); KV keys allow that. */
function key(name: string): string {
  return name.replace(/[^-/_=.a-zA-Z0-9]/g, '_');
}

function unkey(k: string): string {
  return k;
}

function encode(owner: string): Uint8Array {
  return new TextEncoder().encode(owner);
}

function isTaken(err: unknown): boolean {
  const e = err as { api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === ERR_WRONG_LAST_SEQUENCE || /wrong last sequence|key exists/i.test(e?.message ?? '');
}
