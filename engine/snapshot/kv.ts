/**
 * @module engine/snapshot/kv
 * Snapshots in a JetStream KV bucket per community (`NB_SNAP_<community>`), key `<kind>.<actorId>`,
 * so that whichever node activates an actor finds its latest snapshot.
 * Owns: the bucket. Does not: decide when to snapshot.
 * Overflow: a snapshot larger than the server's max payload is not stored (counted in
 * `snapshot_skipped_total`); activation then replays the journal, which is always correct.
 */
import type { KV, NatsConnection } from 'nats';
import type { StreamKey } from '../journal/contract.ts';
import type { Metrics } from '../metrics.ts';
import { parseSnapshot, type Snapshot, type SnapshotStore } from './contract.ts';

export function snapshotBucketName(community: string): string {
  return `NB_SNAP_${community.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export class KvSnapshotStore implements SnapshotStore {
  readonly kind = 'kv';
  private readonly buckets = new Map<string, Promise<KV>>();

  constructor(private readonly nc: NatsConnection, private readonly metrics?: Metrics, private readonly replicas = 1) {}

  private bucket(community: string): Promise<KV> {
    let b = this.buckets.get(community);
    if (!b) {
      b = this.nc.jetstream().views.kv(snapshotBucketName(community), { history: 1, replicas: this.replicas });
      this.buckets.set(community, b);
      b.catch(() => this.buckets.delete(community));
    }
    return b;
  }

  async load(stream: StreamKey): Promise<Snapshot | null> {
    try {
      const e = await (await this.bucket(stream.community)).get(kvKey(stream));
      return e && e.operation === 'PUT' ? parseSnapshot(e.string()) : null;
    } catch {
      return null; // unreachable or unreadable: the journal is replayed in full
    }
  }

  async save(stream: StreamKey, snapshot: Snapshot): Promise<void> {
    const data = new TextEncoder().encode(JSON.stringify(snapshot));
    // While reconnecting the server's info is not known: assume the default 1 MiB payload limit.
    if (data.length > (this.nc.info?.max_payload ?? 1024 * 1024) - 1024) {
      this.metrics?.inc('snapshot_skipped_total', 'Snapshots not stored because they exceed the store limit', { store: 'kv' });
      return;
    }
    await (await this.bucket(stream.community)).put(kvKey(stream), data);
  }

  async close(): Promise<void> {}
}

function kvKey(k: StreamKey): string {
  return `${k.kind}.${k.actorId}`.replace(/[^-/_=.a-zA-Z0-9]/g, '_');
}
