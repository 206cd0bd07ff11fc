/**
 * Two server processes activate the same room (the same data directory, or the same JetStream):
 * exactly one copy wins. The copy that writes first keeps the room; the other's append is refused
 * by the journal's fence, its clients are told ENGINE_ACTOR_FENCED and closed with ROOM_MOVED
 * (retryable), and the journal holds only the winner's messages.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountFor } from '../engine/testing/accounts.ts';
import { natsServerAvailable, startNatsServer } from '../engine/testing/nats-server.ts';
import { startServerProcess } from '../engine/testing/server-process.ts';
import { TestResident } from '../engine/testing/test-server.ts';
import { until, untilAsync } from '../engine/testing/until.ts';
import { CloseCode, isRetryableClose } from '../engine/transport/close-codes.ts';

const cleanup: Array<() => Promise<void>> = [];
after(async () => { for (const c of cleanup.reverse()) await c(); });

/**
 * `winner`: who keeps the room. Embedded (file journal): the copy that writes first; the other's
 * append meets the fence. Cluster (JetStream): the copy that activated last, because a node that
 * takes a room claims it in the journal (`$OwnerClaimed`), which fences every earlier copy.
 */
async function twoCopies(env: Record<string, string>, envB: Record<string, string>, winner: 'first-writer' | 'last-activated'): Promise<void> {
  const a = await startServerProcess(env);
  cleanup.push(() => a.stop());
  const building = a.community.buildings.find((b) => b.residential)!.id;
  const owner = await accountFor(a, '业主甲', 'owner', building);
  const b = await startServerProcess({ ...env, ...envB }); // the second copy replays the same journal: it knows the account
  cleanup.push(() => b.stop());
  assert.equal(b.identity.setupCode, null);

  const onA = await TestResident.join(a, building, { token: owner.accessToken });
  const onB = await TestResident.join(b, building, { token: owner.accessToken });
  await Promise.all([onA.waitFor('welcome'), onB.waitFor('welcome')]);
  const [win, lose] = winner === 'first-writer' ? [onA, onB] : [onB, onA];
  win.send('chat', { text: '赢家先写', key: 'w-1' });
  await win.waitFor('ack', (m) => m.key === 'w-1');
  lose.send('chat', { text: '输家后写', key: 'l-1' });
  const refused = await lose.waitFor('error', (m) => m.key === 'l-1' || m.code === 'ENGINE_ACTOR_FENCED');
  assert.equal(refused.code, 'ENGINE_ACTOR_FENCED');
  await until('the losing copy closes its client', () => lose.closedWith, 10_000);
  assert.equal(lose.closedWith, CloseCode.ROOM_MOVED);
  assert.equal(isRetryableClose(lose.closedWith!), true);
  assert.equal(lose.of('ack').length, 0);

  // The winner carries on; its journal has no trace of the loser's message.
  win.send('chat', { text: '赢家继续', key: 'w-2' });
  const ack = await win.waitFor('ack', (m) => m.key === 'w-2');
  assert.equal(ack.seq, 2);
  const reader = await TestResident.join(winner === 'first-writer' ? a : b, building, { token: owner.accessToken });
  const w = await reader.waitFor('welcome');
  assert.deepEqual(w.history.map((m: { key: string }) => m.key), ['w-1', 'w-2']);
  for (const r of [win, reader]) await r.leave();
  if (winner !== 'first-writer') return;

  // Embedded mode: once the winner is gone, the fenced copy opens the room again by itself (the
  // keeper), with everything the winner wrote, and takes new messages after it.
  await a.stop();
  const back = await untilAsync('the fenced copy hosting the room again', async () => {
    try { return await TestResident.join(b, building, { token: owner.accessToken }); } catch { return null; }
  }, 20_000);
  const again = await back.waitFor('welcome');
  assert.deepEqual(again.history.map((m: { key: string }) => m.key), ['w-1', 'w-2']);
  back.send('chat', { text: '换我来写', key: 'l-2' });
  assert.equal((await back.waitFor('ack', (m) => m.key === 'l-2')).seq, 3);
  const health = await (await fetch(`${b.url}/api/health`)).json();
  assert.deepEqual([health.ok, health.missingRooms], [true, []]);
  await back.leave();
}

test('durability: two processes on one data directory host the same room → the first writer wins, the other is fenced and its clients sent to reconnect; when the winner stops, the other opens the room again', { timeout: 120_000 }, async () => {
  await twoCopies({ DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-two-')), ANALYTICS_ENABLED: 'false', ROOM_REOPEN_MS: '500' }, {}, 'first-writer');
});

test('durability: two processes on one JetStream host the same room → the one that activated last holds it, the other is fenced', { skip: natsServerAvailable() ? false : 'no /usr/sbin/nats-server', timeout: 120_000 }, async () => {
  const nats = await startNatsServer();
  cleanup.push(() => nats.stop());
  // Two clusters (no shared matchmaking, so each copy is reachable) writing to one JetStream journal.
  await twoCopies({ NATS_URL: nats.url, JOURNAL: 'jetstream', TOKEN_SECRET: 'two-copies-test-secret-0123456789abcdef', DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-two-')), ANALYTICS_ENABLED: 'false', CLUSTER_NAME: 'a' }, { CLUSTER_NAME: 'b' }, 'last-activated');
});
