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
import { until } from '../engine/testing/until.ts';
import { CloseCode, isRetryableClose } from '../engine/transport/close-codes.ts';

const cleanup: Array<() => Promise<void>> = [];
after(async () => { for (const c of cleanup.reverse()) await c(); });

async function twoCopies(env: Record<string, string>, envB: Record<string, string> = {}): Promise<void> {
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
  onA.send('chat', { text: 'A 先写', key: 'a-1' });
  await onA.waitFor('ack', (m) => m.key === 'a-1');
  onB.send('chat', { text: 'B 后写', key: 'b-1' });
  const refused = await onB.waitFor('error', (m) => m.key === undefined || m.code === 'ENGINE_ACTOR_FENCED');
  assert.equal(refused.code, 'ENGINE_ACTOR_FENCED');
  await until('the losing copy closes its client', () => onB.closedWith, 10_000);
  assert.equal(onB.closedWith, CloseCode.ROOM_MOVED);
  assert.equal(isRetryableClose(onB.closedWith!), true);
  assert.equal(onB.of('ack').length, 0);

  // The winner carries on; its journal has no trace of the loser's message.
  onA.send('chat', { text: 'A 继续', key: 'a-2' });
  const ack = await onA.waitFor('ack', (m) => m.key === 'a-2');
  assert.equal(ack.seq, 2);
  const reader = await TestResident.join(a, building, { token: owner.accessToken });
  const w = await reader.waitFor('welcome');
  assert.deepEqual(w.history.map((m: { key: string }) => m.key), ['a-1', 'a-2']);
  for (const r of [onA, reader]) await r.leave();
}

test('durability: two processes on one data directory host the same room → the first writer wins, the other is fenced and its clients sent to reconnect', { timeout: 120_000 }, async () => {
  await twoCopies({ DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-two-')), ANALYTICS_ENABLED: 'false' });
});

test('durability: two processes on one JetStream host the same room → the first writer wins, the other is fenced', { skip: natsServerAvailable() ? false : 'no /usr/sbin/nats-server', timeout: 120_000 }, async () => {
  const nats = await startNatsServer();
  cleanup.push(() => nats.stop());
  // Two clusters (no shared matchmaking, so each copy is reachable) writing to one JetStream journal.
  await twoCopies({ NATS_URL: nats.url, JOURNAL: 'jetstream', TOKEN_SECRET: 'two-copies-test-secret-0123456789abcdef', DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-two-')), ANALYTICS_ENABLED: 'false', CLUSTER_NAME: 'a' }, { CLUSTER_NAME: 'b' });
});
