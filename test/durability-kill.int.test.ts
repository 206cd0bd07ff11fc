/**
 * Nothing acknowledged is lost: a real server process is killed with SIGKILL in the middle of a
 * burst of 5,000 chat messages (building and group rooms) and notices from official SDK
 * clients. After a restart on the same data directory every acknowledged message is there
 * exactly once, with the number it was acknowledged with; messages sent again with their keys
 * are stored once; analytics holds each committed event once (what its last batch missed comes
 * from the journal).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountFor, adminOf, api, type TestAccount } from '../engine/testing/accounts.ts';
import { startServerProcess, type ServerProcess } from '../engine/testing/server-process.ts';
import { TestResident } from '../engine/testing/test-server.ts';
import { until } from '../engine/testing/until.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'linli-kill-'));
const env = { DATA_DIR: dataDir, CLIENT_MAX_MESSAGES_PER_SECOND: '10000', CLIENT_MAX_VIOLATIONS: '10000', MAILBOX_SIZE: '10000' };
const procs: ServerProcess[] = [];
after(async () => { for (const p of procs) await p.stop(); });

interface Sender {
  readonly name: string;
  readonly account: TestAccount;
  readonly roomId: string;
  readonly type: 'chat' | 'notice';
  readonly count: number;
}

/** Everything one room holds, oldest first, read through history pages from the newest back to message 1. */
async function allMessages(r: TestResident, type: 'chat' | 'notice'): Promise<Array<{ seq: number; key: string; author: { id: string } }>> {
  const welcome = await r.waitFor('welcome');
  const out = [...(type === 'notice' ? welcome.notices : welcome.history)];
  let before: number | null = out.length > 0 ? out[0].seq : null;
  while (before !== null && before > 1) {
    const n = r.of('history').length;
    r.send('history', { kind: type, before, limit: 100 });
    await r.waitCount('history', n + 1);
    const page = r.of('history')[n];
    out.unshift(...page.items);
    before = page.before;
  }
  return out;
}

test('durability: SIGKILL during a burst of 5,000 messages → after restart every acknowledged one is there once; resent ones are stored once', { timeout: 240_000 }, async () => {
  const first = await startServerProcess(env);
  procs.push(first);
  const buildings = first.community.buildings.filter((b) => b.residential).slice(0, 4).map((b) => b.id);
  const group = first.community.groups[0].id;
  const admin = await adminOf(first);
  const senders: Sender[] = [];
  for (const [i, b] of buildings.entries()) {
    for (const n of [1, 2]) senders.push({ name: `住户${i}-${n}`, account: await accountFor(first, `住户${i}-${n}`, 'owner', b), roomId: b, type: 'chat', count: 550 });
  }
  senders.push({ name: '群友', account: senders[0].account, roomId: group, type: 'chat', count: 500 });
  senders.push({ name: '物业', account: admin, roomId: buildings[0], type: 'notice', count: 100 });
  const total = senders.reduce((n, s) => n + s.count, 0);
  assert.equal(total, 5000);

  // Everyone joins, then everyone sends without waiting: the server is killed while it works through them.
  const clients = await Promise.all(senders.map((s) => TestResident.join(first, s.roomId, { token: s.account.accessToken })));
  await Promise.all(clients.map((c) => c.waitFor('welcome')));
  senders.forEach((s, i) => {
    for (let k = 0; k < s.count; k++) {
      const key = `${s.name}-${k}`;
      if (s.type === 'chat') clients[i].send('chat', { text: `第${k}条：楼道灯坏了`, key });
      else clients[i].send('notice', { title: `通知 ${k}`, body: '明天上午停水', key });
    }
  });
  const acked = () => clients.reduce((n, c) => n + c.of('ack').length, 0);
  await until('2,000 acknowledgements', () => acked() >= 2000, 60_000, acked);
  first.signal('SIGKILL');
  const gone = await first.exited;
  assert.equal(gone.signal, 'SIGKILL');
  const ackedBefore = acked();
  assert.ok(ackedBefore < total, `the kill came after every message was acknowledged (${ackedBefore})`);

  const second = await startServerProcess(env);
  procs.push(second);
  assert.equal(second.identity.setupCode, null, 'the admin account survived the restart');
  for (const [i, s] of senders.entries()) {
    const ackSeq = new Map<string, number>(clients[i].of('ack').map((a: { key: string; seq: number }) => [a.key, a.seq]));
    const r = await TestResident.join(second, s.roomId, { token: s.account.accessToken });
    const stored = (await allMessages(r, s.type)).filter((m) => m.key.startsWith(`${s.name}-`));
    const keys = stored.map((m) => m.key);
    assert.equal(new Set(keys).size, keys.length, `${s.name}: a message stored twice`);
    const storedSeq = new Map(stored.map((m) => [m.key, m.seq]));
    for (const [key, seq] of ackSeq) assert.equal(storedSeq.get(key), seq, `${s.name}: acknowledged ${key} (#${seq}) is missing or renumbered`);

    // The client sends again what it never saw acknowledged, with the same keys.
    const missing = Array.from({ length: s.count }, (_, k) => `${s.name}-${k}`).filter((k) => !ackSeq.has(k));
    for (const key of missing) {
      const k = Number(key.split('-').pop());
      if (s.type === 'chat') r.send('chat', { text: `第${k}条：楼道灯坏了`, key });
      else r.send('notice', { title: `通知 ${k}`, body: '明天上午停水', key });
    }
    await r.waitCount('ack', missing.length, 60_000);
    const again = new Map(r.of('ack').map((a: { key: string; seq: number }) => [a.key, a.seq]));
    for (const key of missing) if (storedSeq.has(key)) assert.equal(again.get(key), storedSeq.get(key), `${key} landed before the kill: its first number comes back`);
    await r.leave();
  }
  for (const c of clients) await c.leave();

  // Per room: exactly the messages that were sent, once each, numbered without gaps.
  const byRoom = new Map<string, Sender[]>();
  for (const s of senders) byRoom.set(`${s.roomId}/${s.type}`, [...(byRoom.get(`${s.roomId}/${s.type}`) ?? []), s]);
  for (const [room, ss] of byRoom) {
    const [roomId, type] = room.split('/') as [string, 'chat' | 'notice'];
    const r = await TestResident.join(second, roomId, { token: ss[0].account.accessToken });
    const all = await allMessages(r, type);
    const expected = ss.reduce((n, s) => n + s.count, 0);
    if (type === 'chat') {
      assert.equal(all.length, expected, `${room}: ${all.length} messages, ${expected} sent`);
      assert.deepEqual(all.map((m) => m.seq), Array.from({ length: expected }, (_, i) => i + 1));
    } else {
      assert.equal(new Set(all.map((m) => m.key)).size, all.length);
    }
    await r.leave();
  }

  // Analytics: every committed event once, including the ones its last batch before the kill missed.
  const count = async () => {
    const q = await api(second, '/api/analytics/query', { sql: "SELECT count() AS n, uniqExact(actor_id, seq) AS u FROM linli.room_events WHERE type = 'ChatPosted'" }, admin.accessToken);
    return q.status === 200 ? { n: Number(q.json.rows[0].n), u: Number(q.json.rows[0].u) } : { n: -1, u: -1 };
  };
  const chats = senders.filter((s) => s.type === 'chat').reduce((n, s) => n + s.count, 0);
  const deadline = Date.now() + 30_000;
  let seen = await count();
  while (seen.n !== chats && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250)); // analytics inserts in batches every 500 ms
    seen = await count();
  }
  assert.deepEqual(seen, { n: chats, u: chats });
});
