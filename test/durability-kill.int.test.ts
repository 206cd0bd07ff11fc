/**
 * Nothing acknowledged is lost: a real server process is killed with SIGKILL in the middle of a
 * burst of 5,000 commands from official SDK clients: chat (building and group rooms), notices,
 * owners' ballots (a vote that allows changing one's ballot) and sign-ups (group polls). After a restart on the same data directory every acknowledged message is there
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
import { FileJournal } from '../engine/journal/file.ts';
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

test('durability: SIGKILL during a burst of 5,000 chat messages, notices, ballots and sign-ups → after restart every acknowledged one is there once; resent ones are stored once', { timeout: 240_000 }, async () => {
  const first = await startServerProcess(env);
  procs.push(first);
  const buildings = first.community.buildings.filter((b) => b.residential).slice(0, 4).map((b) => b.id);
  const group = first.community.groups[0].id;
  const admin = await adminOf(first);
  const senders: Sender[] = [];
  for (const [i, b] of buildings.entries()) {
    for (const n of [1, 2]) senders.push({ name: `住户${i}-${n}`, account: await accountFor(first, `住户${i}-${n}`, 'owner', b), roomId: b, type: 'chat', count: 550 });
  }
  senders.push({ name: '群友', account: senders[0].account, roomId: group, type: 'chat', count: 100 });
  senders.push({ name: '物业', account: admin, roomId: buildings[0], type: 'notice', count: 100 });
  // Staff open a vote (ballots may be changed until it closes) and 25 sign-up polls in the group.
  const commons = `commons-${first.community.id}`;
  const staffCommons = await TestResident.join(first, commons, { token: admin.accessToken });
  await staffCommons.waitFor('welcome');
  staffCommons.send('openVote', { key: 'vote-1', title: '更换电梯', body: '使用专项维修资金更换电梯。', category: 'use-fund', form: 'motion', candidates: [], maxChoices: 1, secret: false, allowChange: true, scope: { kind: 'community' }, closesAt: Date.now() + 3_600_000 });
  const voteId: string = (await staffCommons.waitFor('ack', (a) => a.key === 'vote-1')).voteId;
  const staffGroup = await TestResident.join(first, group, { token: admin.accessToken });
  await staffGroup.waitFor('welcome');
  for (let p = 0; p < 25; p++) staffGroup.send('poll', { key: `poll-${p}`, question: `第${p}次活动报名`, options: ['报名'], capacity: 1000, closesAt: Date.now() + 3_600_000 });
  const pollIds: string[] = (await staffGroup.waitCount('ack', 25)).map((a) => a.pollId);
  const owners = senders.filter((s) => s.type === 'chat' && s.roomId !== group);
  // One voter per unit: the two residents of a building share unit 101, which is one head.
  const isVoter = (i: number) => i % 2 === 0;
  const voters = await Promise.all(owners.map((s) => TestResident.join(first, commons, { token: s.account.accessToken })));
  const signers = await Promise.all(owners.map((s) => TestResident.join(first, group, { token: s.account.accessToken })));
  await Promise.all([...voters, ...signers].map((c) => c.waitFor('welcome')));
  const ballotKeys = (i: number) => Array.from({ length: 25 }, (_, k) => `ballot-${i}-${k}`);
  const signupKeys = (i: number) => Array.from({ length: 25 }, (_, k) => `signup-${i}-${k}`);
  senders[0] = { ...senders[0]!, count: senders[0]!.count + 100 }; // the four voters' 100 ballots are fewer than everyone's sign-ups
  const total = senders.reduce((n, s) => n + s.count, 0) + owners.filter((_, i) => isVoter(i)).length * 25 + owners.length * 25;
  assert.equal(total, 5000);

  // Everyone joins, then everyone sends without waiting: the server is killed while it works through them.
  const clients = await Promise.all(senders.map((s) => TestResident.join(first, s.roomId, { token: s.account.accessToken })));
  await Promise.all(clients.map((c) => c.waitFor('welcome')));
  senders.forEach((s, i) => {
    for (let k = 0; k < s.count; k++) {
      const key = `${s.name}-${k}`;
      if (s.type === 'chat') clients[i].send('chat', { text: `第${k}条：楼道灯坏了`, key });
      else clients[i].send('notice', { title: `通知 ${k}`, body: '明天上午停水', key });
      // Ballots and sign-ups go out with the chat, so the kill can fall among them too.
      if (s.type === 'chat' && k < 25 && i < owners.length) {
        if (isVoter(i)) voters[i].send('ballot', { key: ballotKeys(i)[k], voteId, choices: [k % 2] });
        signers[i].send('answer', { key: signupKeys(i)[k], pollId: pollIds[k], choice: 0 });
      }
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

  // Ballots and sign-ups: every acknowledged one is in its actor's journal exactly once (read from the
  // files the running server writes); what was not acknowledged is sent again with its key and lands once.
  const journal = new FileJournal(join(dataDir, 'journal'));
  const keyed = async (kind: string, actorId: string) => {
    const counts = new Map<string, number>();
    for (const r of await journal.read({ community: first.community.id, kind, actorId })) if (r.key) counts.set(`${r.author}/${r.key}`, (counts.get(`${r.author}/${r.key}`) ?? 0) + 1);
    return counts;
  };
  const ballotAcked = voters.map((v) => new Set(v.of('ballot').filter((b) => b.ok).map((b) => b.key as string)));
  const signupAcked = signers.map((g) => new Set(g.of('ack').map((a) => a.key as string)));
  let votes = await keyed('vote', voteId);
  let signups = await keyed('group', group);
  owners.forEach((o, i) => {
    if (isVoter(i)) for (const k of ballotAcked[i]!) assert.equal(votes.get(`${o.account.accountId}/${k}`), 1, `acknowledged ballot ${k} stored ${votes.get(`${o.account.accountId}/${k}`) ?? 0} times`);
    for (const k of signupAcked[i]!) assert.equal(signups.get(`${o.account.accountId}/${k}`), 1, `acknowledged sign-up ${k} stored ${signups.get(`${o.account.accountId}/${k}`) ?? 0} times`);
  });
  await Promise.all(owners.map(async (o, i) => {
    const v = await TestResident.join(second, commons, { token: o.account.accessToken });
    const g = await TestResident.join(second, group, { token: o.account.accessToken });
    await Promise.all([v.waitFor('welcome'), g.waitFor('welcome')]);
    const ballots = isVoter(i) ? ballotKeys(i).filter((k) => !ballotAcked[i]!.has(k)) : [];
    const answers = signupKeys(i).map((k, p) => [k, p] as const).filter(([k]) => !signupAcked[i]!.has(k));
    // The same choices as first sent (they alternate, so each one changes the ballot and is an event).
    for (const k of ballots) v.send('ballot', { key: k, voteId, choices: [Number(k.split('-').pop()) % 2] });
    for (const [k, p] of answers) g.send('answer', { key: k, pollId: pollIds[p], choice: 0 });
    await until('answers to the resent ballots and sign-ups', () => v.of('ballot').length + v.of('error').length >= ballots.length && g.of('ack').length + g.of('error').length >= answers.length, 30_000);
    assert.deepEqual(v.of('error').map((e) => e.code), [], 'a resent ballot was refused');
    assert.deepEqual(g.of('error').map((e) => e.code), [], 'a resent sign-up was refused');
    await v.leave();
    await g.leave();
  }));
  votes = await keyed('vote', voteId);
  signups = await keyed('group', group);
  owners.forEach((o, i) => {
    if (isVoter(i)) for (const k of ballotKeys(i)) assert.equal(votes.get(`${o.account.accountId}/${k}`), 1, `ballot ${k} stored ${votes.get(`${o.account.accountId}/${k}`) ?? 0} times`);
    for (const k of signupKeys(i)) assert.equal(signups.get(`${o.account.accountId}/${k}`), 1, `sign-up ${k} stored ${signups.get(`${o.account.accountId}/${k}`) ?? 0} times`);
  });
  await journal.close();

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
