/**
 * Tests of the bounded hash admission: concurrency, the queue bound, one source's share, and
 * known devices served first (M2). Work is a promise the test resolves, so no timing is involved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HashQueue } from './hash-queue.ts';

function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => { open = r; });
  return { p, open };
}

test('hash queue: at most `concurrency` run; the rest wait in order; a full queue → IDENTITY_BUSY at once', async () => {
  const q = new HashQueue({ concurrency: 1, queued: 2, perSource: 10 });
  const started: string[] = [];
  const g = gate();
  const run = (name: string) => q.run(`ip:${name}`, false, async () => { started.push(name); await g.p; return name; });
  const a = run('a');
  const b = run('b');
  const c = run('c');
  await assert.rejects(run('d'), { code: 'IDENTITY_BUSY' });
  assert.deepEqual(started, ['a']);
  assert.equal(q.waiting, 2);
  g.open();
  assert.deepEqual(await Promise.all([a, b, c]), ['a', 'b', 'c']);
  assert.deepEqual(started, ['a', 'b', 'c']);
  assert.equal(q.refused, 1);
});

test('hash queue: one source beyond its share → IDENTITY_BUSY, while another source still gets in', async () => {
  const q = new HashQueue({ concurrency: 1, queued: 100, perSource: 2 });
  const g = gate();
  const work = () => g.p.then(() => 'done');
  const mine = [q.run('ip:1', false, work), q.run('ip:1', false, work)];
  await assert.rejects(q.run('ip:1', false, work), { code: 'IDENTITY_BUSY', details: { retryAfterMs: 1000 } });
  const other = q.run('ip:2', false, work);
  g.open();
  assert.deepEqual(await Promise.all([...mine, other]), ['done', 'done', 'done']);
});

test('hash queue: urgent work (a known device) is served before the queued flood and is admitted when the normal queue is full', async () => {
  const q = new HashQueue({ concurrency: 1, queued: 2, perSource: 10 });
  const order: string[] = [];
  const g = gate();
  const first = q.run('ip:f', false, async () => { await g.p; order.push('first'); });
  const flood = [q.run('ip:x', false, async () => { order.push('x'); }), q.run('ip:y', false, async () => { order.push('y'); })];
  const urgent = q.run('dev:known', true, async () => { order.push('known'); });
  g.open();
  await Promise.all([first, ...flood, urgent]);
  assert.deepEqual(order, ['first', 'known', 'x', 'y']);
});
