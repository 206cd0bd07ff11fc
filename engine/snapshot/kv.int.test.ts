/**
 * Runs the snapshot contract suite against JetStream KV on a real NATS server (NATS_URL or
 * 127.0.0.1:4222); each test's bucket is deleted at the end.
 */
import { after, test } from 'node:test';
import { connect, type NatsConnection } from 'nats';
import { natsAvailable, testNatsUrl } from '../testing/nats.ts';
import { snapshotContractSuite } from './contract.suite.ts';
import { KvSnapshotStore, snapshotBucketName } from './kv.ts';

const url = testNatsUrl();
const run = `${process.pid}x${Date.now().toString(36)}`;
const communities: string[] = [];
const conns: NatsConnection[] = [];
let n = 0;

if (!(await natsAvailable(url))) {
  test('kv snapshots: skipped → no NATS server answers at ' + url, { skip: `no NATS server at ${url}` }, () => {});
} else {
  snapshotContractSuite({
    name: 'kv',
    community: () => { const c = `sk${run}n${++n}`; communities.push(c); return c; },
    open: async () => { const nc = await connect({ servers: url }); conns.push(nc); return new KvSnapshotStore(nc); },
  });
  after(async () => {
    const nc = await connect({ servers: url });
    const jsm = await nc.jetstreamManager();
    for (const c of communities) await jsm.streams.delete(`KV_${snapshotBucketName(c)}`).catch(() => undefined);
    await nc.close();
    for (const c of conns) await c.close();
  });
}
