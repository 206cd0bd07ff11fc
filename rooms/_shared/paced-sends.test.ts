/**
 * @module rooms/_shared/paced-sends.test
 * PacedSends with fake clients: a patch to a few clients goes out at once, a patch to many is
 * spread over event-loop turns, each client's frames keep their order, a leaving client gets its
 * queued frames first, and the reused encode buffer is copied.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Client } from '@colyseus/core';
import { PacedSends } from './paced-sends.ts';

class FakeClient {
  readonly got: string[] = [];
  left = false;
  raw(data: Uint8Array): void {
    this.got.push(this.left ? 'after-leave' : Buffer.from(data).toString());
  }
  leave(): void {
    this.left = true;
  }
}

const turn = () => new Promise<void>((r) => setImmediate(r));
const bytes = (s: string) => Buffer.from(s);

test('a patch to a few clients is sent within the call', () => {
  const paced = new PacedSends();
  const clients = Array.from({ length: 5 }, () => new FakeClient());
  for (const c of clients) paced.adopt(c as unknown as Client);
  paced.patch(() => { for (const c of clients) c.raw(bytes('p1')); });
  assert.deepEqual(clients.map((c) => c.got), clients.map(() => ['p1']));
  assert.equal(paced.backlog, 0);
});

test('a patch to many clients is spread over turns; later frames wait behind queued ones; the buffer is copied', async () => {
  const paced = new PacedSends(0); // yield after every CLOCK_EVERY clients
  const clients = Array.from({ length: 1000 }, () => new FakeClient());
  for (const c of clients) paced.adopt(c as unknown as Client);
  const shared = bytes('p1');
  paced.patch(() => { for (const c of clients) c.raw(shared); });
  shared.write('XX'); // Colyseus reuses its encode buffer
  assert.ok(paced.backlog > 0, 'not all sent synchronously');
  assert.ok(clients[0].got.length === 1, 'the first slice went out at once');
  const last = clients[clients.length - 1];
  last.raw(bytes('reply')); // sent outside the patch while the patch is still queued for it
  assert.deepEqual(last.got, []);
  while (paced.backlog > 0) await turn();
  for (const c of clients.slice(0, -1)) assert.deepEqual(c.got, ['p1']);
  assert.deepEqual(last.got, ['p1', 'reply']);
  clients[0].raw(bytes('direct'));
  assert.deepEqual(clients[0].got, ['p1', 'direct'], 'no backlog: sent at once');
});

test('a client made to leave gets its queued frames first', () => {
  const paced = new PacedSends(0);
  const clients = Array.from({ length: 500 }, () => new FakeClient());
  for (const c of clients) paced.adopt(c as unknown as Client);
  paced.patch(() => { for (const c of clients) c.raw(bytes('p1')); });
  const last = clients[clients.length - 1];
  last.raw(bytes('error'));
  last.leave();
  assert.deepEqual(last.got, ['p1', 'error']);
  assert.equal(last.left, true);
});
