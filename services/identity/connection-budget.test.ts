/**
 * Tests of the per-account connection budget (M9): reservations count until joined or lapsed,
 * per room and per process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionBudget } from './connection-budget.ts';

const T0 = 1_700_000_000_000;

test('connection budget: perRoom reservations and connections → the next is IDENTITY_TOO_MANY_CONNECTIONS; leaving frees one', () => {
  const b = new ConnectionBudget({ perRoom: 2, perProcess: 10 });
  b.reserve('a', 'r1', T0, 15_000);
  b.joined('a', 'r1', T0);
  b.reserve('a', 'r1', T0, 15_000);
  assert.throws(() => b.reserve('a', 'r1', T0, 15_000), { code: 'IDENTITY_TOO_MANY_CONNECTIONS', details: { scope: 'room', max: 2, retryAfterMs: 15_000 } });
  b.reserve('b', 'r1', T0, 15_000); // another account is not affected
  b.joined('a', 'r1', T0);
  b.left('a', 'r1');
  b.reserve('a', 'r1', T0, 15_000);
  assert.equal(b.connections('a'), 1);
});

test('connection budget: an unused reservation lapses after its time; perProcess counts every room', () => {
  const b = new ConnectionBudget({ perRoom: 1, perProcess: 2 });
  b.reserve('a', 'r1', T0, 1000);
  assert.throws(() => b.reserve('a', 'r1', T0 + 999, 1000), { code: 'IDENTITY_TOO_MANY_CONNECTIONS' });
  b.reserve('a', 'r1', T0 + 1000, 1000);
  b.reserve('a', 'r2', T0 + 1000, 1000);
  assert.throws(() => b.reserve('a', 'r3', T0 + 1000, 1000), { code: 'IDENTITY_TOO_MANY_CONNECTIONS', details: { scope: 'process', max: 2, retryAfterMs: 1000 } });
});
