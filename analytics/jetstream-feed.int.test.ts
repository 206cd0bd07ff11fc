/**
 * Analytics from the JetStream journal: commits delivered again after their ack timed out (a slow
 * store) are stored once; everything committed is stored. Real NATS (NATS_URL or 127.0.0.1:4222)
 * and real chDB.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'nats';
import { JetStreamJournal, communityStreamName } from '../engine/journal/jetstream.ts';
import { MemoryBus } from '../engine/bus/memory.ts';
import { createLogger } from '../engine/log.ts';
import { Metrics } from '../engine/metrics.ts';
import { natsAvailable, testNatsUrl } from '../engine/testing/nats.ts';
import { startIngestion } from './ingest.ts';
import { startJetStreamFeed } from './jetstream-feed.ts';
import { openTempChdbStore } from './testing/temp-store.ts';

const url = testNatsUrl();
const available = await natsAvailable(url);

test('analytics jetstream feed: commits redelivered after an ack timeout → each event stored once', { skip: available ? false : `no NATS server at ${url}`, timeout: 60_000 }, async () => {
  const community = `feed${process.pid}x${Date.now().toString(36)}`;
  const journal = await JetStreamJournal.connect(url, 'linli-feed-test');
  const store = await openTempChdbStore();
  const log = createLogger('silent');
  const metrics = new Metrics();
  const bus = new MemoryBus(log, metrics);
  const nc = await connect({ servers: url });
  try {
    const key = { community, kind: 'building', actorId: 'bldg-1' };
    for (let c = 0; c < 10; c++) {
      await journal.append(key, c * 5, Array.from({ length: 5 }, (_, i) => ({ type: 'ChatPosted', v: 1, at: 1_700_000_000_000 + c * 5 + i, author: 'acct-1', key: `k${c}-${i}`, event: { type: 'ChatPosted', v: 1, n: c * 5 + i + 1 } })));
    }
    const ingestion = startIngestion(bus, store, community, { batchMaxWaitMs: 50, roomEventsFromBus: false, metrics, follow: { journal, project: (r) => r } });
    let slow = true;
    const feed = await startJetStreamFeed(nc, community, ingestion, {
      ackWaitMs: 1000, metrics,
      // The first acks come late: JetStream must deliver those commits again.
      beforeAck: async () => { if (slow) { slow = false; await new Promise((r) => setTimeout(r, 2500)); } },
    });
    const deadline = Date.now() + 30_000;
    while ((feed.counters.redelivered === 0 || feed.counters.acked < feed.counters.delivered) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(feed.counters.redelivered > 0, 'no commit was delivered twice');
    await feed.stop();
    await ingestion.flush();
    const q = await store.query(`SELECT count() AS n, uniqExact(seq) AS u FROM linli.room_events WHERE community = '${community}'`);
    assert.deepEqual({ n: Number(q.rows[0].n), u: Number(q.rows[0].u) }, { n: 50, u: 50 });
    assert.ok(metrics.total('analytics_ingest_duplicates_total') > 0);
    await ingestion.stop();
  } finally {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(communityStreamName(community)).catch(() => undefined);
    await nc.close();
    await journal.close();
    await store.close();
  }
});
