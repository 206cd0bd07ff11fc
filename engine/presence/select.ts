/**
 * @module engine/presence/select
 * Picks the Colyseus presence and matchmaking driver of a node: Colyseus's LocalPresence and
 * LocalDriver when NATS_URL is unset (embedded), NatsPresence and NatsDriver sharing one NATS
 * connection when it is set (cluster: every node of the community's CLUSTER_NAME shares them).
 * Owns: that choice and the connection's lifecycle. Call close() after the Colyseus server has
 * shut down (it stops presence and driver itself, but never closes a connection it did not open).
 */
import { connect } from 'nats';
import type { MatchMakerDriver, Presence } from '@colyseus/core';
import { LocalDriver, NatsDriver } from '../driver/index.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { communityNames, natsNames, type NatsNames } from './keys.ts';
import { LocalPresence } from './memory.ts';
import { NatsPresence } from './nats.ts';

export interface Matchmaking {
  readonly kind: 'local' | 'nats';
  readonly presence: Presence;
  readonly driver: MatchMakerDriver;
  /** Where the cluster state lives on NATS (null when embedded). */
  readonly names: NatsNames | null;
  close(): Promise<void>;
}

export interface MatchmakingOptions {
  readonly natsUrl: string | null;
  readonly community: string;
  readonly cluster: string;
  readonly replicas: number;
  readonly log?: Logger;
  readonly metrics?: Metrics;
}

export async function selectMatchmaking(o: MatchmakingOptions): Promise<Matchmaking> {
  if (!o.natsUrl) {
    return { kind: 'local', presence: new LocalPresence(), driver: new LocalDriver(), names: null, close: async () => undefined };
  }
  const { namespace, subjectPrefix } = communityNames(o.community, o.cluster);
  const nc = await connect({ servers: o.natsUrl, name: `linli-${o.community}-${o.cluster}-matchmaking`, maxReconnectAttempts: -1, reconnectTimeWait: 500, noAsyncTraces: true });
  try {
    const common = { connection: nc, namespace, replicas: o.replicas, log: o.log, metrics: o.metrics };
    const presence = await NatsPresence.create({ ...common, subjectPrefix });
    const driver = await NatsDriver.create(common);
    o.log?.info('matchmaking on NATS', { presenceBucket: presence.names.presenceBucket, roomsBucket: driver.names.roomsBucket, topics: `${presence.names.topicPrefix}.>` });
    return {
      kind: 'nats', presence, driver, names: natsNames(namespace, subjectPrefix),
      async close() {
        await presence.shutdown();
        await driver.shutdown();
        if (!nc.isClosed()) await nc.drain().catch(() => undefined); // already closing
      },
    };
  } catch (err) {
    await nc.close().catch(() => undefined); // the original error is what matters
    throw err;
  }
}
