/**
 * Runs the journal contract suite against JetStream on a real NATS server (NATS_URL or
 * 127.0.0.1:4222); every test uses a community (and so a stream) of its own, deleted at the end.
 */
import { after, test } from 'node:test';
import { connect } from 'nats';
import { natsAvailable, testNatsUrl } from '../testing/nats.ts';
import { journalContractSuite } from './contract.suite.ts';
import { communityStreamName, JetStreamJournal } from './jetstream.ts';

const url = testNatsUrl();
const available = await natsAvailable(url);
const run = `${process.pid}x${Date.now().toString(36)}`;
const communities: string[] = [];
let n = 0;

if (!available) {
  test('jetstream journal: skipped → no NATS server answers at ' + url, { skip: `no NATS server at ${url}` }, () => {});
} else {
  journalContractSuite({
    name: 'jetstream', durable: true,
    community: () => { const c = `jt${run}n${++n}`; communities.push(c); return c; },
    open: () => JetStreamJournal.connect(url, 'linli-journal-test', { appendTimeoutMs: 3000 }),
  });
  after(async () => {
    const nc = await connect({ servers: url });
    const jsm = await nc.jetstreamManager();
    for (const c of communities) await jsm.streams.delete(communityStreamName(c)).catch(() => undefined);
    await nc.close();
  });
}
