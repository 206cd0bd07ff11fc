/**
 * NATS restarted under running nodes: the presence and the room cache carry on without restarting
 * the nodes, and what they stored survives (file storage). Runs on a nats-server of its own
 * (free port, temp store) so that restarting it disturbs nobody; skipped without the binary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from 'nats';
import { natsServerAvailable, startNatsServer } from '../testing/nats-server.ts';
import { untilAsync } from '../testing/until.ts';
import { NatsDriver } from '../driver/nats.ts';
import { listing } from '../driver/contract.suite.ts';
import { inbox } from './contract.suite.ts';
import { NatsPresence } from './nats.ts';

test('cluster state: NATS restarted under two nodes → presence, topics and room cache work again, nothing stored lost', { skip: natsServerAvailable() ? false : 'no nats-server binary installed', timeout: 90_000 }, async () => {
  const server = await startNatsServer();
  const conns: NatsConnection[] = [];
  const closers: Array<{ shutdown(): Promise<void> }> = [];
  try {
    for (const name of ['node-a', 'node-b']) conns.push(await connect({ servers: server.url, name, maxReconnectAttempts: -1, reconnectTimeWait: 100, noAsyncTraces: true }));
    const [pa, pb] = await Promise.all(conns.map((connection) => NatsPresence.create({ connection, namespace: 'restart', sweepIntervalMs: 0 })));
    const [da, db] = await Promise.all(conns.map((connection) => NatsDriver.create({ connection, namespace: 'restart' })));
    closers.push(pa, pb, da, db);
    await pa.hset('roomcount', 'node-a', '1,0');
    await da.insert(listing({ roomId: 'before' }));
    const heard = inbox();
    await pb.subscribe('p:node-b', heard.cb);

    await server.restart();

    assert.equal(await untilAsync('presence answers after the restart', () => pb.hget('roomcount', 'node-a').catch(() => null), 30_000), '1,0');
    // A write caught by the restart fails with a retryable ENGINE_PRESENCE_UNAVAILABLE; the next ones go through.
    await untilAsync('presence writes after the restart', () => pa.set('after', 'x').then(() => true, () => null), 30_000);
    assert.equal(await pb.get('after'), 'x');
    await untilAsync('a topic subscribed before the restart hears again', async () => { await pa.publish('p:node-b', 'ping'); await conns[0].flush(); return heard.got.length > 0 ? true : null; }, 30_000);
    await untilAsync('the room cache writes after the restart', () => da.insert(listing({ roomId: 'after' })).then(() => true, () => null), 30_000);
    const ids = await untilAsync('the other node\'s room cache follows again', async () => {
      const r = (await db.query({}).catch(() => [])).map((x) => x.roomId).sort();
      return r.length === 2 ? r : null;
    }, 30_000);
    assert.deepEqual(ids, ['after', 'before']);
  } finally {
    for (const c of closers) await c.shutdown();
    for (const nc of conns) await nc.close().catch(() => undefined);
    await server.stop();
  }
});

test('cluster state: a NATS server without JetStream → presence and driver refuse with ENGINE_PRESENCE_UNAVAILABLE naming JetStream, no connection left open', { skip: natsServerAvailable() ? false : 'no nats-server binary installed' }, async () => {
  const server = await startNatsServer({ jetstream: false });
  try {
    const expected = { code: 'ENGINE_PRESENCE_UNAVAILABLE', details: { bucket: 'nojs-presence', reason: 'the NATS server has no JetStream (start nats-server with -js)' } };
    await assert.rejects(NatsPresence.create({ servers: server.url, namespace: 'nojs' }), expected);
    await assert.rejects(NatsDriver.create({ servers: server.url, namespace: 'nojs' }), { code: 'ENGINE_PRESENCE_UNAVAILABLE' });
    await untilAsync('the refused instances closed the connections they opened', async () => ((await server.connections()) === 0 ? true : null), 5_000);
  } finally {
    await server.stop();
  }
});
