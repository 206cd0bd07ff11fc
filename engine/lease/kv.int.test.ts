/**
 * Runs the lease contract suite on JetStream KV of a real NATS server (NATS_URL or
 * 127.0.0.1:4222). Lapsing takes real time there, so the TTL is 1 s; buckets are deleted after.
 */
import { after, test } from 'node:test';
import { connect, type NatsConnection } from 'nats';
import { natsAvailable, testNatsUrl } from '../testing/nats.ts';
import { leaseContractSuite } from './contract.suite.ts';
import { KvLeaseStore, leaseBucketName } from './kv.ts';

const url = testNatsUrl();
const run = `${process.pid}x${Date.now().toString(36)}`;
const buckets: string[] = [];
let nc: NatsConnection | null = null;
let n = 0;

if (!(await natsAvailable(url))) {
  test('kv leases: skipped → no NATS server answers at ' + url, { skip: `no NATS server at ${url}` }, () => {});
} else {
  leaseContractSuite({
    name: 'kv',
    open: async () => {
      nc ??= await connect({ servers: url });
      const b = `lt${run}n${++n}`;
      buckets.push(b);
      return KvLeaseStore.open(nc, b, 1000);
    },
    advance: (ms) => new Promise((r) => setTimeout(r, ms)), // the server's TTL runs on real time
  });
  after(async () => {
    if (!nc) return;
    const jsm = await nc.jetstreamManager();
    for (const b of buckets) await jsm.streams.delete(`KV_${leaseBucketName(b)}`).catch(() => undefined);
    await nc.close();
  });
}
