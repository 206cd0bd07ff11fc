/**
 * @module engine/cluster/node
 * What makes a community server a cluster node (JetStream journal on NATS_URL): its id, the
 * cluster bus, the room leases in KV, the hooks the actor runtime asks (who owns a room, when
 * another node committed to a shared actor), room placement and the service broker.
 * Owns: wiring those together for one node. Does not: start rooms or services itself.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ServiceSchema, ServiceBroker } from 'moleculer';
import type { ClusterHooks } from '../actor-runtime.ts';
import { ClusterBus } from '../bus/cluster.ts';
import { subjects } from '../bus/contract.ts';
import type { NatsBus } from '../bus/nats.ts';
import type { Config } from '../config.ts';
import type { JournalRecord } from '../journal/record.ts';
import type { JetStreamJournal } from '../journal/jetstream.ts';
import { KvLeaseStore } from '../lease/kv.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { startBroker } from './broker.ts';
import { RoomPlacement, type CloseReason, type PlacedRoom } from './placement.ts';

export interface ClusterNode {
  readonly nodeId: string;
  readonly bus: ClusterBus;
  readonly hooks: ClusterHooks;
  startPlacement(rooms: readonly PlacedRoom[], open: (room: PlacedRoom) => Promise<void>, close: (room: PlacedRoom, reason: CloseReason) => Promise<void>, verify?: (room: PlacedRoom) => Promise<void>): Promise<RoomPlacement>;
  startBroker(services: readonly ServiceSchema[], requestTimeoutMs: number): Promise<ServiceBroker>;
  /** Hands the rooms back (others take them at once), stops the broker. */
  close(): Promise<void>;
}

export async function joinCluster(o: {
  config: Config; community: string; nats: NatsBus; journal: JetStreamJournal;
  project: (r: JournalRecord) => JournalRecord | null; log: Logger; metrics: Metrics;
}): Promise<ClusterNode> {
  const nodeId = o.config.nodeId ?? `${hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 24)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const namespace = `${o.community}-${o.config.clusterName}`;
  const bus = new ClusterBus(o.nats, o.project, o.metrics);
  const leases = await KvLeaseStore.open(o.journal.connection, namespace, o.config.clusterLeaseTtlMs, o.config.jetstreamReplicas);
  let placement: RoomPlacement | null = null;
  let broker: ServiceBroker | null = null;
  const log = o.log.child({ mod: 'engine.cluster', node: nodeId });

  const hooks: ClusterHooks = {
    ownership(roomId) {
      const lease = placement?.leaseOf(roomId);
      if (!lease) return null;
      // Writes stop the moment this holding period ends (lapsed, lost, or handed over).
      return { mayWrite: () => placement?.leaseOf(roomId)?.epoch === lease.epoch, claim: { owner: nodeId, epoch: lease.epoch } };
    },
    watchCommits(key, onCommit) {
      const sub = bus.watchCommits(subjects.roomEvents(key.community, key.kind, key.actorId), onCommit);
      return () => sub.unsubscribe();
    },
  };

  return {
    nodeId, bus, hooks,
    async startPlacement(rooms, open, close, verify) {
      placement = new RoomPlacement({ nodeId, leases, rooms, open: (room) => open(room), close, verify, tickMs: Math.round(o.config.clusterLeaseTtlMs / 3), log, metrics: o.metrics });
      await placement.start();
      return placement;
    },
    async startBroker(services, requestTimeoutMs) {
      broker = await startBroker({ natsUrl: o.config.natsUrl!, nodeId, namespace, requestTimeoutMs, services, log });
      return broker;
    },
    async close() {
      await placement?.stop().catch((err: unknown) => log.warn('placement stop', { err }));
      await broker?.stop().catch((err: unknown) => log.warn('broker stop', { err }));
    },
  };
}
