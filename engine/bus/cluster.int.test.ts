/**
 * The cluster bus on a real NATS server (NATS_URL or 127.0.0.1:4222): room events come from the
 * JetStream journal's commits, decoded and projected; everything else passes through; a queue
 * group shares messages between nodes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'nats';
import { decodeJson } from './contract.ts';
import { ClusterBus } from './cluster.ts';
import { NatsBus } from './nats.ts';
import { JetStreamJournal, communityStreamName } from '../journal/jetstream.ts';
import type { JournalRecord } from '../journal/record.ts';
import { natsAvailable, testNatsUrl } from '../testing/nats.ts';
import { until } from '../testing/until.ts';

const url = testNatsUrl();
const skip = (await natsAvailable(url)) ? false : `no NATS server at ${url}`;

test('cluster bus: a journal commit on another node → subscribers get its records, projected; private kinds never arrive; own room-event publishes are not sent twice', { skip }, async () => {
  const c = `cb${process.pid}x${Date.now().toString(36)}`;
  const journal = await JetStreamJournal.connect(url, 'cluster-bus-test');
  const project = (r: JournalRecord) => (r.kind === 'credentials' ? null : r.kind === 'directory' ? { ...r, event: { redacted: true } } : r);
  const busA = new ClusterBus(await NatsBus.connect(url, 'a'), project);
  const seen: JournalRecord[] = [];
  busA.subscribe(`nb.${c}.room.>`, (m) => seen.push(decodeJson(m.data) as JournalRecord));
  await busA.flush();
  try {
    const ev = (n: number) => ({ type: 'ChatPosted', v: 1, at: n, author: 'acct-1', key: `k${n}`, event: { type: 'ChatPosted', v: 1, n } });
    await journal.append({ community: c, kind: 'building', actorId: 'b1' }, 0, [ev(1), ev(2)]);
    await journal.append({ community: c, kind: 'credentials', actorId: c }, 0, [ev(1)]);
    await journal.append({ community: c, kind: 'directory', actorId: c }, 0, [ev(1)]);
    busA.publish(`nb.${c}.room.building.b1.ev`, new TextEncoder().encode('{"not":"a commit"}')); // dropped: the journal publishes
    await until('three records', () => seen.length >= 3, 5000, () => seen);
    await busA.flush();
    await new Promise((r) => setTimeout(r, 100)); // anything extra would arrive in this window
    assert.deepEqual(seen.map((r) => [r.kind, r.seq]), [['building', 1], ['building', 2], ['directory', 1]]);
    assert.deepEqual(seen[2].event, { redacted: true });
  } finally {
    const nc = await connect({ servers: url });
    await (await nc.jetstreamManager()).streams.delete(communityStreamName(c)).catch(() => undefined);
    await nc.close();
    await busA.close();
    await journal.close();
  }
});

test('cluster bus: a queue group on two nodes → each message handled once; plain subscribers get all', { skip }, async () => {
  const c = `cq${process.pid}x${Date.now().toString(36)}`;
  const buses = await Promise.all(['a', 'b', 'c'].map(async (n) => new ClusterBus(await NatsBus.connect(url, n), (r) => r)));
  const got = { a: 0, b: 0, all: 0 };
  buses[0].subscribe(`nb.${c}.dev.>`, () => got.a++, { queue: 'gateway' });
  buses[1].subscribe(`nb.${c}.dev.>`, () => got.b++, { queue: 'gateway' });
  buses[1].subscribe(`nb.${c}.dev.>`, () => got.all++);
  await Promise.all(buses.map((b) => b.flush()));
  for (let i = 0; i < 100; i++) buses[2].publish(`nb.${c}.dev.lot-1-counter.occupancy`, new TextEncoder().encode(String(i)));
  await until('every reading', () => got.a + got.b >= 100 && got.all >= 100, 5000, () => got);
  assert.equal(got.a + got.b, 100);
  assert.equal(got.all, 100);
  for (const b of buses) await b.close();
});
