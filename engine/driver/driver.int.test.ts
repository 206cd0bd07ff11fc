/**
 * Runs the driver contract suite against NatsDriver on a real NATS (NATS_URL or the machine's
 * 127.0.0.1:4222; skipped with a printed reason when none answers), then what only a cluster has:
 * nodes on separate connections sharing one room cache, insert and $inc races, no resurrection of
 * a removed listing. Every test has a bucket of its own and deletes it afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { deleteKvBuckets, natsAvailable, testNatsUrl } from '../testing/nats.ts';
import { natsNames } from '../presence/keys.ts';
import { driverContractSuite, listing } from './contract.suite.ts';
import { NatsDriver } from './nats.ts';

const url = testNatsUrl();
const available = await natsAvailable(url);

async function cluster(nodes: number) {
  const namespace = `t${randomUUID().slice(0, 8)}`;
  const conns: NatsConnection[] = [];
  const drivers: NatsDriver[] = [];
  for (let i = 0; i < nodes; i++) {
    const nc = await connect({ servers: url, name: `driver-test-${i}` });
    conns.push(nc);
    drivers.push(await NatsDriver.create({ connection: nc, namespace }));
  }
  return {
    drivers, conns, namespace,
    async close() {
      for (const d of drivers) await d.shutdown();
      for (const nc of conns) await nc.close();
      await deleteKvBuckets(url, [natsNames(namespace).roomsBucket]);
    },
  };
}

if (!available) {
  test('nats driver: contract suite', { skip: `no NATS server answered at ${url}` }, () => {});
} else {
  driverContractSuite('nats', async () => {
    const c = await cluster(1);
    return { driver: c.drivers[0], close: () => c.close() };
  });

  const run = (title: string, nodes: number, body: (c: Awaited<ReturnType<typeof cluster>>) => Promise<void>) =>
    test(`nats driver: ${title}`, async () => {
      const c = await cluster(nodes);
      try {
        await body(c);
      } finally {
        await c.close();
      }
    });

  run('a listing written on one node → the other node\'s next query finds it, and its removal', 2, async ({ drivers: [a, b] }) => {
    const room = listing({ name: 'parking', metadata: { lot: 'p1' } });
    await a.insert(room);
    assert.deepEqual((await b.query({ lot: 'p1' } as never)).map((r) => r.roomId), [room.roomId]);
    assert.equal((await b.findByIds([room.roomId])).get(room.roomId)?.name, 'parking');
    await b.remove(room.roomId);
    assert.deepEqual(await a.query({ name: 'parking' }), []);
  });

  run('two nodes insert the same roomId at once → exactly one wins, and its listing is the one stored', 2, async ({ drivers: [a, b] }) => {
    for (let i = 0; i < 20; i++) {
      const roomId = `race-${i}`;
      const [wa, wb] = await Promise.all([a.insert(listing({ roomId, processId: 'node-a' })), b.insert(listing({ roomId, processId: 'node-b' }))]);
      assert.equal(Number(wa) + Number(wb), 1, `one winner for ${roomId}`);
      assert.equal((await a.findOne({ roomId })).processId, wa ? 'node-a' : 'node-b');
    }
  });

  run('$inc of one listing from three nodes at once → the stored count has every increment', 3, async ({ drivers }) => {
    const room = listing({ clients: 0 });
    await drivers[0].insert(room);
    const copies = await Promise.all(drivers.map((d) => d.findOne({ roomId: room.roomId })));
    await Promise.all(drivers.flatMap((d, i) => [...Array(40)].map(() => d.update(copies[i], { $inc: { clients: 1 } }))));
    assert.equal((await drivers[1].findOne({ roomId: room.roomId })).clients, 120);
    assert.equal((await drivers[2].query({ roomId: room.roomId }))[0].clients, 120);
  });

  run('update or persist of a listing another node removed → false, and it is not brought back', 2, async ({ drivers: [a, b] }) => {
    const room = listing({});
    await a.insert(room);
    await b.remove(room.roomId);
    assert.equal(await a.update(room, { $inc: { clients: 1 } }), false);
    assert.equal(await a.persist(room), false);
    assert.equal(await b.has(room.roomId), false);
    assert.deepEqual(await b.query({}), []);
  });

  run('unlimited maxClients and createdAt → come back as Infinity and a Date on another node', 2, async ({ drivers: [a, b] }) => {
    const room = listing({ maxClients: Infinity, createdAt: new Date('2026-01-02T03:04:05Z') });
    await a.insert(room);
    const [seen] = await b.query({ roomId: room.roomId });
    assert.equal(seen.maxClients, Infinity);
    assert.ok(seen.createdAt instanceof Date);
    assert.equal(seen.createdAt.toISOString(), '2026-01-02T03:04:05.000Z');
  });

  run('clear on one node → every node lists nothing, and new listings show again', 2, async ({ drivers: [a, b] }) => {
    await a.insert(listing({}));
    await b.insert(listing({}));
    assert.equal((await b.query({})).length, 2);
    await a.clear();
    assert.deepEqual(await b.query({}), []);
    await b.insert(listing({ roomId: 'after' }));
    assert.deepEqual((await a.query({})).map((r) => r.roomId), ['after']);
  });

  run('bytes in the bucket that are not a listing → skipped by queries, the rest still listed', 1, async ({ drivers: [d], conns: [nc] }) => {
    await d.insert(listing({ roomId: 'good' }));
    const js = nc.jetstream();
    await js.publish(`$KV.${d.names.roomsBucket}.r.garbage`, new TextEncoder().encode('{"not":"a listing"'));
    await d.insert(listing({ roomId: 'good2' }));
    assert.deepEqual((await d.query({})).map((r) => r.roomId).sort(), ['good', 'good2']);
    assert.equal(await d.has('garbage'), false);
  });

  run('a caller changing a returned listing → the cache is not changed with it', 1, async ({ drivers: [d] }) => {
    await d.insert(listing({ roomId: 'x', metadata: { topic: 'a' } }));
    const [r] = await d.query({});
    r.metadata.topic = 'changed';
    r.clients = 99;
    const [again] = await d.query({});
    assert.deepEqual([again.metadata.topic, again.clients], ['a', 0]);
  });
}
