/**
 * Runs the presence contract suite against NatsPresence on a real NATS (NATS_URL or the machine's
 * 127.0.0.1:4222; skipped with a printed reason when none answers), then what only a cluster has:
 * several connections sharing keys and topics, compare-and-set races with no lost update, TTLs
 * on an injected clock (no sleeps), the expiry sweep, typed errors. Every test has a namespace
 * (KV bucket, subjects) of its own and deletes its bucket afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connect, type NatsConnection } from 'nats';
import { Metrics } from '../metrics.ts';
import { deleteKvBuckets, natsAvailable, testNatsUrl } from '../testing/nats.ts';
import { untilAsync } from '../testing/until.ts';
import { presenceContractSuite, inbox } from './contract.suite.ts';
import { NatsPresence, type NatsPresenceOptions } from './nats.ts';
import { PresenceError } from './errors.ts';
import { natsNames } from './keys.ts';

const url = testNatsUrl();
const available = await natsAvailable(url);

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

/** A namespace of its own, and presences on separate connections that share it. */
async function cluster(nodes: number, extra: Partial<NatsPresenceOptions> = {}) {
  const namespace = `t${randomUUID().slice(0, 8)}`;
  const c = clock();
  const conns: NatsConnection[] = [];
  const presences: NatsPresence[] = [];
  for (let i = 0; i < nodes; i++) {
    const nc = await connect({ servers: url, name: `presence-test-${i}` });
    conns.push(nc);
    presences.push(await NatsPresence.create({ connection: nc, namespace, now: c.now, sweepIntervalMs: 0, channelsQuietMs: 50, ...extra }));
  }
  return {
    namespace, presences, clock: c, conns,
    async close() {
      for (const p of presences) await p.shutdown();
      for (const nc of conns) await nc.close();
      await deleteKvBuckets(url, [natsNames(namespace).presenceBucket]);
    },
  };
}

if (!available) {
  test('nats presence: contract suite', { skip: `no NATS server answered at ${url}` }, () => {});
} else {
  presenceContractSuite('nats', async () => {
    const c = await cluster(1);
    return { presence: c.presences[0], advance: c.clock.advance, close: () => c.close() };
  });

  const run = (title: string, nodes: number, body: (c: Awaited<ReturnType<typeof cluster>>) => Promise<void>, extra: Partial<NatsPresenceOptions> = {}) =>
    test(`nats presence: ${title}`, async () => {
      const c = await cluster(nodes, extra);
      try {
        await body(c);
      } finally {
        await c.close();
      }
    });

  run('two connections → a key set on one is read on the other, a topic published on one is heard on the other', 2, async ({ presences: [a, b] }) => {
    await a.set('shared', 'from-a');
    await a.hset('stats', 'node-a', '3,10');
    assert.equal(await b.get('shared'), 'from-a');
    assert.deepEqual(await b.hgetall('stats'), { 'node-a': '3,10' });
    const heard = inbox();
    await b.subscribe('$room-1', heard.cb);
    await a.publish('$room-1', ['ipc', 1, { x: 1 }]);
    await heard.until(1);
    assert.deepEqual(heard.got, [['ipc', 1, { x: 1 }]]);
  });

  run('parallel incr from two connections → every value from 1 to 2n handed out once, none lost', 2, async ({ presences: [a, b] }) => {
    const n = 150;
    const got = await Promise.all([...Array(n)].flatMap(() => [a.incr('counter'), b.incr('counter')]));
    assert.deepEqual([...got].sort((x, y) => x - y), [...Array(2 * n)].map((_, i) => i + 1));
    assert.equal(await a.get('counter'), String(2 * n));
  });

  test('nats presence: incr loops racing on two connections → no lost update, and the races were real (conflicts re-read)', async () => {
    const metrics = new Metrics();
    const c = await cluster(2, { metrics });
    try {
      const [a, b] = c.presences;
      const n = 100;
      const loop = async (p: NatsPresence) => { const seen: number[] = []; for (let i = 0; i < n; i++) seen.push(await p.incr('counter')); return seen; };
      const [fromA, fromB] = await Promise.all([loop(a), loop(b)]);
      assert.deepEqual([...fromA, ...fromB].sort((x, y) => x - y), [...Array(2 * n)].map((_, i) => i + 1));
      assert.ok(fromA.every((v, i) => i === 0 || v > fromA[i - 1]), 'each node sees its own increments in order');
      assert.ok(metrics.total('presence_cas_conflicts_total') > 0, 'the two loops collided at least once');
    } finally {
      await c.close();
    }
  });

  test('nats presence: incr loops in three separate processes on one key → every value from 1 to 3n handed out exactly once', async () => {
    const c = await cluster(1);
    try {
      const n = 80;
      const worker = fileURLToPath(new URL('../testing/presence-worker.ts', import.meta.url));
      const runs = await Promise.all([0, 1, 2].map(() => new Promise<number[]>((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', worker, url, c.namespace, 'shared-counter', String(n)], { timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout) as number[])));
      })));
      assert.deepEqual(runs.flat().sort((x, y) => x - y), [...Array(3 * n)].map((_, i) => i + 1));
      assert.equal(await c.presences[0].get('shared-counter'), String(3 * n));
    } finally {
      await c.close();
    }
  });

  run('parallel hincrby, hset, sadd and rpush from three connections → every write kept', 3, async ({ presences }) => {
    const n = 60;
    await Promise.all(presences.flatMap((p, node) => [...Array(n)].flatMap((_, i) => [
      p.hincrby('h', 'count', 1), p.hset('h', `f-${node}-${i}`, 'x'), p.sadd('s', `m-${node}-${i}`), p.rpush('l', `v-${node}-${i}`),
    ])));
    const [a] = presences;
    assert.equal(await a.hget('h', 'count'), String(3 * n));
    assert.equal(await a.hlen('h'), 3 * n + 1);
    assert.equal(await a.scard('s'), 3 * n);
    assert.equal(await a.llen('l'), 3 * n);
  });

  run('parallel pops from two connections → each pushed item popped exactly once', 2, async ({ presences: [a, b] }) => {
    const items = [...Array(100)].map((_, i) => `job-${i}`);
    await a.rpush('jobs', ...items);
    const popped = await Promise.all([...Array(60)].flatMap(() => [a.lpop('jobs'), b.rpop('jobs')]));
    const got = popped.filter((x): x is string => x !== null);
    assert.equal(got.length, items.length);
    assert.deepEqual([...got].sort(), [...items].sort());
    assert.equal(await a.llen('jobs'), 0);
  });

  run('brpop waiting on one connection, lpush on the other → the waiter gets the item', 2, async ({ presences: [a, b] }) => {
    const waiting = b.brpop('work', 5);
    await a.lpush('work', 'task-1');
    assert.deepEqual(await waiting, ['work', 'task-1']);
  });

  run('setex on one node, clock past the deadline → gone for every node, and the sweep removes it from the bucket', 2, async ({ presences: [a, b], clock: c }) => {
    await a.setex('receipt', '1', 30);
    await a.set('forever', 'x');
    c.advance(29_999);
    assert.equal(await b.get('receipt'), '1');
    assert.equal(await b.exists('receipt'), true);
    c.advance(1);
    assert.equal(await b.get('receipt'), null);
    assert.equal(await b.exists('receipt'), false);
    assert.ok(await a.peek('receipt'), 'still stored until swept');
    assert.equal(await b.sweepExpired(), 1);
    assert.equal(await a.peek('receipt'), null);
    assert.equal(await a.get('forever'), 'x');
  });

  // Real time on purpose, 1 s: this checks the housekeeping timer a node arms for the keys it gives
  // a deadline (reads already treat the key as gone at the deadline, tested above on a fake clock).
  test('nats presence: setex with housekeeping on → the writer removes the entry from the bucket soon after the deadline', async () => {
    const namespace = `t${randomUUID().slice(0, 8)}`;
    const nc = await connect({ servers: url });
    const p = await NatsPresence.create({ connection: nc, namespace, sweepIntervalMs: 3_600_000 });
    try {
      await p.setex('receipt', '1', 1);
      await p.set('kept', 'x');
      assert.ok(await p.peek('receipt'));
      await untilAsync('the expired entry deleted from the bucket', async () => ((await p.peek('receipt')) === null ? true : null), 5_000);
      assert.equal(await p.get('kept'), 'x');
    } finally {
      await p.shutdown();
      await nc.close();
      await deleteKvBuckets(url, [natsNames(namespace).presenceBucket]);
    }
  });

  run('set over a TTL clears it, incr keeps it, expire(0) removes the key', 1, async ({ presences: [p], clock: c }) => {
    await p.setex('a', 'v', 1);
    await p.set('a', 'w');
    await p.setex('n', '5', 1);
    assert.equal(await p.incr('n'), 6);
    c.advance(1000);
    assert.equal(await p.get('a'), 'w');
    assert.equal(await p.get('n'), null);
    await p.expire('a', 0);
    assert.equal(await p.exists('a'), false);
    assert.equal(await p.expire('missing', 5), 0);
  });

  run('a write over an expired key → starts fresh (no old members, no old deadline)', 1, async ({ presences: [p], clock: c }) => {
    await p.sadd('s', 'old');
    await p.expire('s', 1);
    c.advance(1000);
    await p.sadd('s', 'new');
    assert.deepEqual(await p.smembers('s'), ['new']);
    c.advance(10_000_000);
    assert.deepEqual(await p.smembers('s'), ['new']);
  });

  run('an operation on a key of another type → ENGINE_PRESENCE_WRONG_TYPE, the key unharmed', 1, async ({ presences: [p] }) => {
    await p.set('str', 'hello');
    await assert.rejects(p.sadd('str', 'x'), { code: PresenceError.WRONG_TYPE });
    await assert.rejects(p.hset('str', 'f', 'v'), { code: PresenceError.WRONG_TYPE });
    await assert.rejects(p.incr('str'), { code: PresenceError.NOT_INTEGER });
    assert.equal(await p.get('str'), 'hello');
    await p.hset('h', 'f', 'v');
    await assert.rejects(p.hincrby('h', 'f', 1), { code: PresenceError.NOT_INTEGER });
    await assert.rejects(p.get('h'), { code: PresenceError.WRONG_TYPE });
  });

  run('a failing operation queued among good ones → only it fails', 1, async ({ presences: [p] }) => {
    await p.set('k', '1');
    const results = await Promise.allSettled([p.incr('k'), p.sadd('k', 'x'), p.incr('k'), p.get('k')]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    assert.deepEqual([results[0], results[2], results[3]].map((r) => (r as PromiseFulfilledResult<unknown>).value), [2, 3, '3']);
  });

  run('channels() on one node → lists topics subscribed on every node', 3, async ({ presences: [a, b, c] }) => {
    await a.subscribe('p:node-a', () => undefined);
    await b.subscribe('p:node-b', () => undefined);
    await c.subscribe('$room', () => undefined);
    assert.deepEqual((await a.channels('p:*')).sort(), ['p:node-a', 'p:node-b']);
    assert.deepEqual((await c.channels()).sort(), ['$room', 'p:node-a', 'p:node-b']);
    await b.unsubscribe('p:node-b');
    assert.deepEqual(await a.channels('p:*'), ['p:node-a']);
  });

  test('nats presence: a callback that throws → the other callbacks still run, the throw is counted', async () => {
    const metrics = new Metrics();
    const c = await cluster(1, { metrics });
    try {
      const [p] = c.presences;
      const ok = inbox();
      await p.subscribe('t', () => { throw new Error('boom'); });
      await p.subscribe('t', ok.cb);
      await p.publish('t', 1);
      await p.publish('t', 2);
      await ok.until(2);
      assert.deepEqual(ok.got, [1, 2]);
      assert.equal(metrics.total('presence_callback_errors_total'), 2);
    } finally {
      await c.close();
    }
  });

  test('nats presence: bytes on a topic that are not JSON → dropped and counted, later messages delivered', async () => {
    const metrics = new Metrics();
    const c = await cluster(1, { metrics });
    try {
      const [p] = c.presences;
      const got = inbox();
      await p.subscribe('t', got.cb);
      c.conns[0].publish(p.names.topic('t'), new TextEncoder().encode('{not json'));
      await p.publish('t', 'fine');
      await got.until(1);
      assert.deepEqual(got.got, ['fine']);
      assert.equal(metrics.total('presence_bad_messages_total'), 1);
    } finally {
      await c.close();
    }
  });

  run('publish(undefined) → subscribers receive false, as with RedisPresence', 1, async ({ presences: [p] }) => {
    const got = inbox();
    await p.subscribe('u', got.cb);
    await p.publish('u', undefined);
    await got.until(1);
    assert.deepEqual(got.got, [false]);
  });

  run('shutdown → a blocked brpop returns null and later calls fail with ENGINE_PRESENCE_UNAVAILABLE', 1, async ({ presences: [p] }) => {
    const waiting = p.brpop('never', 0);
    await p.llen('never'); // the brpop has subscribed and looked once by now
    await p.shutdown();
    assert.equal(await waiting, null);
    await assert.rejects(p.get('k'), { code: PresenceError.UNAVAILABLE });
  });

  run('a value larger than a NATS message → ENGINE_PRESENCE_VALUE_TOO_LARGE, the key unharmed', 1, async ({ presences: [p], conns: [nc] }) => {
    await p.set('big', 'small');
    const huge = 'x'.repeat(nc.info!.max_payload + 1);
    await assert.rejects(p.set('big', huge), { code: PresenceError.VALUE_TOO_LARGE });
    await assert.rejects(p.publish('t', huge), { code: PresenceError.VALUE_TOO_LARGE });
    assert.equal(await p.get('big'), 'small');
  });
}
