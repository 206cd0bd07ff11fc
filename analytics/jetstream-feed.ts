/**
 * @module analytics/jetstream-feed
 * In cluster mode, room events reach analytics from the community's JetStream journal through a
 * durable pull consumer (`linli-analytics`), whichever node committed them. A commit is acked
 * once ingestion has stored its rows (or settled them: see ingest.ts for what may be dropped);
 * one that is not acked within `ackWaitMs` (a slow insert, a crash) is delivered again, and the
 * StreamFollower behind ingestion drops what it has already handed on, so it is stored once.
 * Owns: the consumer, decoding commits, acks. Does not: batch or store rows.
 * Overflow: at most `maxAckPending` commits are in flight; JetStream stops delivering beyond that
 * until acks come back (counted as `analytics_feed_pending`).
 */
import { AckPolicy, DeliverPolicy, nanos, type JsMsg, type NatsConnection } from 'nats';
import { communityStreamName } from '../engine/journal/jetstream.ts';
import { decodeCommit } from '../engine/journal/commit.ts';
import type { JournalRecord } from '../engine/journal/record.ts';
import { silentLog, type AnalyticsLog, type AnalyticsMetrics } from './contract.ts';
import type { Ingestion } from './ingest.ts';

export const DEFAULT_FEED_ACK_WAIT_MS = 30_000;
export const DEFAULT_FEED_MAX_ACK_PENDING = 2000;
const ACK_EVERY_MS = 200;

export interface JetStreamFeedOptions {
  readonly durable?: string;
  readonly ackWaitMs?: number;
  readonly maxAckPending?: number;
  /** Test hook: runs before each group of acks (a slow store, in effect). */
  readonly beforeAck?: () => Promise<void>;
  readonly log?: AnalyticsLog;
  readonly metrics?: AnalyticsMetrics;
}

export interface JetStreamFeed {
  readonly counters: { delivered: number; redelivered: number; acked: number; malformed: number };
  stop(): Promise<void>;
}

export async function startJetStreamFeed(nc: NatsConnection, community: string, ingestion: Ingestion, opts: JetStreamFeedOptions = {}): Promise<JetStreamFeed> {
  const log = opts.log ?? silentLog;
  const stream = communityStreamName(community);
  const durable = opts.durable ?? 'linli-analytics';
  const jsm = await nc.jetstreamManager();
  const config = {
    durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(opts.ackWaitMs ?? DEFAULT_FEED_ACK_WAIT_MS), max_ack_pending: opts.maxAckPending ?? DEFAULT_FEED_MAX_ACK_PENDING,
    filter_subject: `nb.${community}.room.*.*.ev`,
  };
  try {
    await jsm.consumers.add(stream, config);
  } catch {
    await jsm.consumers.update(stream, durable, { ack_wait: config.ack_wait, max_ack_pending: config.max_ack_pending });
  }
  const consumer = await nc.jetstream().consumers.get(stream, durable);
  const messages = await consumer.consume({ max_messages: 256 });
  const counters = { delivered: 0, redelivered: 0, acked: 0, malformed: 0 };
  let waiting: JsMsg[] = [];
  let stopped = false;

  const ackStored = async () => {
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    try {
      await opts.beforeAck?.();
      await ingestion.flush();
      for (const m of batch) m.ack();
      counters.acked += batch.length;
    } catch (err) {
      log.warn('analytics feed: rows not stored yet; JetStream will deliver them again', { commits: batch.length, err });
    }
  };
  let acking: Promise<void> = Promise.resolve();
  const timer = setInterval(() => { acking = acking.then(ackStored); }, ACK_EVERY_MS);

  const loop = (async () => {
    for await (const m of messages) {
      counters.delivered++;
      if (m.info.redelivered) {
        counters.redelivered++;
        opts.metrics?.inc('analytics_feed_redelivered_total', 'Journal commits JetStream delivered to analytics again');
      }
      let records: JournalRecord[];
      try {
        records = decodeCommit(m.subject, m.data);
      } catch (err) {
        counters.malformed++;
        log.warn('analytics feed: a message on a journal subject is not a commit; skipped', { subject: m.subject, err });
        m.term();
        continue;
      }
      ingestion.offerRecords(records, true);
      waiting.push(m);
    }
  })();

  return {
    counters,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await acking;
      await ackStored();
      messages.stop();
      await loop.catch(() => undefined);
    },
  };
}
