/**
 * @module engine/presence/contract.suite
 * The behaviour every Presence must show, written against Colyseus's LocalPresence as the
 * reference (presence.test.ts) and run unchanged against NatsPresence on a real NATS
 * (presence.int.test.ts). Values are compared as strings where LocalPresence keeps what it was
 * given and Redis-like stores (ours) keep strings. Cluster-only behaviour (several connections,
 * races, sweeps) lives in presence.int.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Presence } from '@colyseus/core';

export interface PresenceUnderTest {
  readonly presence: Presence;
  /** Moves the presence's clock forward by `ms` (TTL deadlines), without waiting. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Collects what a topic delivers; `until(n)` resolves once n messages arrived. */
export function inbox(): { got: unknown[]; cb: (m: unknown) => void; until(n: number): Promise<void> } {
  const got: unknown[] = [];
  let waiter: { n: number; resolve: () => void } | null = null;
  return {
    got,
    cb: (m) => {
      got.push(m);
      if (waiter && got.length >= waiter.n) waiter.resolve();
    },
    until: (n) => (got.length >= n ? Promise.resolve() : new Promise((resolve) => { waiter = { n, resolve }; })),
  };
}

const str = (v: unknown) => (v === undefined || v === null ? null : String(v));

export function presenceContractSuite(name: string, make: () => Promise<PresenceUnderTest>): void {
  const run = (title: string, body: (p: Presence, u: PresenceUnderTest) => Promise<void>) =>
    test(`${name} presence: ${title}`, async () => {
      const u = await make();
      try {
        await body(u.presence, u);
      } finally {
        await u.close();
      }
    });

  run('publish to a subscribed topic → each callback gets every value in publish order', async (p) => {
    const a = inbox();
    const b = inbox();
    await p.subscribe('room:1', a.cb);
    await p.subscribe('room:1', b.cb);
    const values = ['text', 1000, { object: 'hello', list: [1, 2] }, ['ipc', 7, null], true];
    for (const v of values) await p.publish('room:1', v);
    await a.until(values.length);
    await b.until(values.length);
    assert.deepEqual(a.got, values);
    assert.deepEqual(b.got, values);
  });

  run('unsubscribe one callback, then the topic → the others keep hearing, then nobody', async (p) => {
    const a = inbox();
    const b = inbox();
    const probe = inbox();
    await p.subscribe('t', a.cb);
    await p.subscribe('t', b.cb);
    await p.subscribe('probe', probe.cb);
    await p.unsubscribe('t', a.cb);
    await p.publish('t', 1);
    await b.until(1);
    await p.unsubscribe('t');
    await p.publish('t', 2);
    await p.publish('probe', 'after');
    await probe.until(1); // published after the second message on the same path: that one had its chance
    assert.deepEqual([a.got, b.got], [[], [1]]);
  });

  run('topics that differ only in dots, dollar signs, spaces or script → never collide', async (p) => {
    const topics = ['a', 'a.b', 'a.b.c', '$a', 'a b', '房间.一', 'a*', 'a>'];
    const boxes = topics.map(() => inbox());
    for (let i = 0; i < topics.length; i++) await p.subscribe(topics[i], boxes[i].cb);
    for (let i = 0; i < topics.length; i++) await p.publish(topics[i], i);
    for (const b of boxes) await b.until(1);
    const last = inbox();
    await p.subscribe('last', last.cb);
    await p.publish('last', 'x');
    await last.until(1);
    assert.deepEqual(boxes.map((b) => b.got), topics.map((_, i) => [i]));
  });

  run('channels(pattern) → the subscribed topics the glob matches', async (p) => {
    for (const t of ['p:one', 'p:two', '$room1', 'one.two']) await p.subscribe(t, () => undefined);
    assert.deepEqual((await p.channels()).sort(), ['$room1', 'one.two', 'p:one', 'p:two']);
    assert.deepEqual((await p.channels('p:*')).sort(), ['p:one', 'p:two']);
    assert.deepEqual((await p.channels('$*')).sort(), ['$room1']);
    assert.deepEqual(await p.channels('*.*'), ['one.two']);
    await p.unsubscribe('p:one');
    assert.deepEqual((await p.channels('p:*')).sort(), ['p:two']);
  });

  run('set, get, exists, del → a value under any key, then none', async (p) => {
    for (const k of ['plain', 'with.dots', '$room:abc', 'a b/c=d', '钥匙']) {
      await p.set(k, `v-${k}`);
      assert.equal(str(await p.get(k)), `v-${k}`);
      assert.equal(await p.exists(k), true);
    }
    await p.del('with.dots');
    assert.equal(str(await p.get('with.dots')), null);
    assert.equal(await p.exists('with.dots'), false);
    assert.equal(str(await p.get('plain')), 'v-plain');
    assert.equal(await p.exists('never'), false);
  });

  run('setex → the value until its seconds have passed, then none', async (p, u) => {
    await p.setex('ttl', 'soon gone', 2);
    u.advance(1999);
    assert.equal(str(await p.get('ttl')), 'soon gone');
    u.advance(2);
    assert.equal(str(await p.get('ttl')), null);
  });

  run('expire on an existing key → the key goes when the time is up', async (p, u) => {
    await p.set('k', 'v');
    await p.expire('k', 1);
    u.advance(999);
    assert.equal(str(await p.get('k')), 'v');
    u.advance(2);
    assert.equal(str(await p.get('k')), null);
  });

  run('incr and decr → count from zero and read back as the number', async (p) => {
    assert.deepEqual([await p.incr('n'), await p.incr('n'), await p.incr('n')], [1, 2, 3]);
    assert.equal(Number(await p.get('n')), 3);
    assert.deepEqual([await p.decr('m'), await p.decr('m')], [-1, -2]);
  });

  run('sadd, smembers, sismember, srem, scard, sinter → set semantics', async (p) => {
    for (const m of ['a', 'b', 'c', 'b']) await p.sadd('s1', m);
    assert.deepEqual((await p.smembers('s1')).map(String).sort(), ['a', 'b', 'c']);
    assert.equal(await p.scard('s1'), 3);
    assert.equal(await p.sismember('s1', 'b'), 1);
    assert.equal(await p.sismember('s1', 'z'), 0);
    await p.srem('s1', 'b');
    assert.deepEqual((await p.smembers('s1')).map(String).sort(), ['a', 'c']);
    for (const m of ['c', 'd']) await p.sadd('s2', m);
    assert.deepEqual((await p.sinter('s1', 's2')).map(String), ['c']);
    assert.deepEqual(await p.smembers('nothing'), []);
  });

  run('hset, hget, hgetall, hdel, hlen, hincrby → hash semantics', async (p) => {
    await p.hset('h', 'one', '1');
    await p.hset('h', 'two', '2');
    assert.equal(await p.hget('h', 'one'), '1');
    assert.equal(await p.hget('h', 'none'), null);
    assert.deepEqual({ ...(await p.hgetall('h')) }, { one: '1', two: '2' });
    assert.equal(await p.hlen('h'), 2);
    assert.equal(await p.hdel('h', 'two'), true);
    assert.equal(await p.hdel('h', 'two'), false);
    assert.equal(await p.hdel('no-hash', 'x'), false);
    assert.equal(await p.hlen('h'), 1);
    assert.deepEqual([await p.hincrby('h', 'count', 5), await p.hincrby('h', 'count', -2)], [5, 3]);
    assert.equal(await p.hget('h', 'count'), '3');
  });

  run('hincrbyex → the incremented value, and the hash goes when the time is up', async (p, u) => {
    assert.equal(await p.hincrbyex('hx', 'f', 1, 1), 1);
    assert.equal(await p.hincrbyex('hx', 'f', 1, 1), 2);
    u.advance(999);
    assert.equal(await p.hget('hx', 'f'), '2');
    u.advance(2);
    assert.equal(await p.hget('hx', 'f'), null);
  });

  run('rpush, lpush, llen, lpop, rpop → list ends in order', async (p) => {
    assert.equal(await p.rpush('l', 'b', 'c'), 2);
    assert.equal(await p.lpush('l', 'a'), 3);
    assert.equal(await p.llen('l'), 3);
    assert.equal(await p.lpop('l'), 'a');
    assert.equal(await p.rpop('l'), 'c');
    assert.equal(await p.llen('l'), 1);
  });

  run('brpop with an item waiting → the right end at once', async (p) => {
    await p.lpush('q', 'one', 'two', 'three');
    assert.deepEqual(await p.brpop('q', 1), ['q', 'one']);
  });

  run('brpop on empty lists, then a push → the pushed item, from the key it went to', async (p) => {
    const waiting = p.brpop('q1', 'q2', 5);
    await p.lpush('q2', 'late');
    assert.deepEqual(await waiting, ['q2', 'late']);
  });

  // The wait is the API's own timeout (0.1 s), the one place this suite lets real time pass.
  run('brpop when nothing is pushed within its timeout → null', async (p) => {
    assert.equal(await p.brpop('empty', 0.1), null);
  });
}
