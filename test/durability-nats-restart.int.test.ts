/**
 * The JetStream journal survives its NATS server going away: a server process in cluster mode
 * (JOURNAL=jetstream on a private nats-server) takes steady chat from official SDK clients while
 * NATS is stopped for 5 s and started again. Nothing acknowledged is lost or doubled, every
 * message that could not be stored was answered with a retryable error (never silence), the room
 * carries on by itself once NATS is back, and messages sent again with their keys land once.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountFor } from '../engine/testing/accounts.ts';
import { natsServerAvailable, startNatsServer, type PrivateNats } from '../engine/testing/nats-server.ts';
import { startServerProcess, type ServerProcess } from '../engine/testing/server-process.ts';
import { TestResident } from '../engine/testing/test-server.ts';
import { until } from '../engine/testing/until.ts';

const cleanup: Array<() => Promise<void>> = [];
after(async () => { for (const c of cleanup.reverse()) await c(); });

test('durability: NATS stopped for 5 s under traffic → acknowledged messages kept once, the rest told to retry, the room resumes by itself', { skip: natsServerAvailable() ? false : 'no /usr/sbin/nats-server', timeout: 180_000 }, async () => {
  const nats: PrivateNats = await startNatsServer();
  cleanup.push(() => nats.stop());
  const server: ServerProcess = await startServerProcess({
    NATS_URL: nats.url, JOURNAL: 'jetstream', TOKEN_SECRET: 'durability-test-secret-0123456789abcdef',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-natsdown-')), CLIENT_MAX_MESSAGES_PER_SECOND: '1000', JOURNAL_APPEND_TIMEOUT_MS: '1000', JOURNAL_RETRY_MS: '1500',
    // This is about the journal, not leases: the room's lease must outlast the outage. A node stops
    // writing ¾ of a TTL after its last renewal (every ⅓ TTL), i.e. after 4.2–7.5 s of outage at the
    // default 10 s; at 30 s that is 12.6 s or more. (Leases lapsing in an outage: test/cluster.int.test.ts.)
    CLUSTER_LEASE_TTL_MS: '30000',
  });
  cleanup.push(() => server.stop());
  const building = server.community.buildings.find((b) => b.residential)!.id;
  const people = await Promise.all(['甲', '乙', '丙'].map((n) => accountFor(server, `住户${n}`, 'owner', building)));
  const clients = await Promise.all(people.map((p) => TestResident.join(server, building, { token: p.accessToken })));
  await Promise.all(clients.map((c) => c.waitFor('welcome')));

  let sent = 0;
  const sentKeys: string[][] = clients.map(() => []);
  const send = () => clients.forEach((c, i) => { const key = `c${i}-${sent}`; sentKeys[i].push(key); c.send('chat', { text: `消息 ${sent}`, key }); });
  const pace = setInterval(() => { send(); sent++; }, 25);
  const settled = (i: number) => new Set([...clients[i].of('ack').map((a) => a.key), ...clients[i].of('error').map((e) => e.key)]);

  await until('acks before the outage', () => clients[0].of('ack').length >= 20, 20_000);
  await nats.halt();
  const downAt = sent;
  await new Promise((r) => setTimeout(r, 5000));
  await nats.resume();
  const upAt = sent;
  // Carry on until messages sent well after NATS came back are acknowledged: the room resumed by itself.
  await until('acks of messages sent after NATS returned', () => clients.every((c, i) => c.of('ack').some((a) => Number(a.key.split('-')[1]) > upAt + 20)), 60_000,
    () => ({ acks: clients.map((c) => c.of('ack').length), errors: clients.map((c) => c.of('error').length), closed: clients.map((c) => c.closedWith), server: server.output().slice(-1500) }));
  clearInterval(pace);
  await until('an answer to every message', () => clients.every((_, i) => sentKeys[i].every((k) => settled(i).has(k))), 60_000,
    () => clients.map((_, i) => sentKeys[i].length - sentKeys[i].filter((k) => settled(i).has(k)).length));

  const errors = clients.flatMap((c) => c.of('error'));
  assert.ok(errors.length > 0, 'nobody was told anything while NATS was away');
  for (const e of errors) assert.ok(e.retryable, `a non-retryable answer during the outage: ${e.code}`);
  assert.ok(errors.every((e) => ['ENGINE_JOURNAL_UNAVAILABLE', 'ENGINE_ACTOR_BUSY'].includes(e.code)), JSON.stringify([...new Set(errors.map((e) => e.code))]));
  assert.equal((await Promise.race([server.exited, new Promise((r) => setTimeout(() => r('alive'), 50))])), 'alive', 'the server process died');

  // Every acknowledged message is stored once, under the number it was acknowledged with.
  const reader = await TestResident.join(server, building, { token: people[0].accessToken });
  const stored = await reader.fullHistory();
  const byKey = new Map(stored.map((m) => [m.key, m.seq]));
  assert.equal(byKey.size, stored.length, 'a message stored twice');
  assert.deepEqual(stored.map((m) => m.seq), Array.from({ length: stored.length }, (_, i) => i + 1));
  for (const c of clients) for (const a of c.of('ack')) assert.equal(byKey.get(a.key), a.seq, `acknowledged ${a.key} lost or renumbered`);

  // What was refused is sent again by its sender with the same key, as a client does: in small
  // groups, again when the room says it is busy. Each lands once (some had landed already).
  await Promise.all(clients.map(async (c) => {
    let todo = c.of('error').map((e) => e.key as string);
    while (todo.length > 0) {
      const group = todo.slice(0, 50);
      todo = todo.slice(50);
      const seen = c.received.length;
      for (const key of group) c.send('chat', { text: `重发 ${key}`, key });
      const answered = () => c.received.slice(seen).filter((m) => (m.type === 'ack' || m.type === 'error') && group.includes(m.message.key));
      await until('answers to a resent group', () => answered().length >= group.length, 30_000,
        () => ({ answered: answered().length, of: group.length, closed: c.closedWith, lastReceived: c.received.slice(-3), server: server.output().slice(-1500) }));
      todo.push(...answered().filter((m) => m.type === 'error').map((m) => m.message.key as string));
    }
  }));
  const after = await (await TestResident.join(server, building, { token: people[1].accessToken })).fullHistory();
  const keys = after.map((m) => m.key);
  assert.equal(new Set(keys).size, keys.length);
  // Everything sent, by anyone, is in the room exactly once now.
  const everything = new Set(sentKeys.flat());
  assert.equal(keys.filter((k) => everything.has(k)).length, everything.size);
  assert.ok(downAt > 0 && upAt > downAt);
});
