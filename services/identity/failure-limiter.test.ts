/**
 * Tests of the in-memory failure counts: free failures, doubling delays with a ceiling, the
 * window, and the overflow rule that keeps a victim's count when others flood the table (M6).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delayOf, FailureLimiter, type FailurePolicy } from './failure-limiter.ts';

const policy: FailurePolicy = { free: 3, baseDelayMs: 1000, maxDelayMs: 8000, windowMs: 60_000 };
const T0 = 1_700_000_000_000;

test('failure limiter: the first `free` failures cost nothing, then 1 s, 2 s, 4 s … up to maxDelayMs', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 9, 50].map((n) => delayOf(policy, n)), [0, 0, 0, 1000, 2000, 4000, 8000, 8000, 8000]);
  const l = new FailureLimiter(100, () => policy);
  l.record(['ip:a'], T0);
  l.record(['ip:a'], T0);
  assert.equal(l.waitMs('ip:a', T0), 0);
  l.record(['ip:a'], T0 + 10);
  assert.equal(l.waitMs('ip:a', T0 + 10), 1000);
  assert.equal(l.waitMs('ip:a', T0 + 510), 500);
  assert.equal(l.waitMs('ip:a', T0 + 1010), 0);
  assert.equal(l.waitAny(['ip:b', 'ip:a'], T0 + 10), 1000);
});

test('failure limiter: a key without failures for the window is forgotten; clear() forgets at once', () => {
  const l = new FailureLimiter(100, () => policy);
  for (let i = 0; i < 5; i++) l.record(['dev:x'], T0);
  assert.ok(l.waitMs('dev:x', T0) > 0);
  assert.equal(l.count('dev:x', T0 + 60_000), 0);
  for (let i = 0; i < 5; i++) l.record(['dev:y'], T0);
  l.clear('dev:y');
  assert.equal(l.waitMs('dev:y', T0), 0);
});

test('failure limiter M6: flooding 10,000 other keys into a full table → a key holding a delay keeps its count; only idle keys are evicted', () => {
  const l = new FailureLimiter(50, () => policy);
  for (let i = 0; i < 6; i++) l.record(['phone:victim'], T0);
  const before = l.count('phone:victim', T0);
  for (let i = 0; i < 10_000; i++) l.record([`ip:flood-${i}`], T0 + 1);
  assert.equal(l.size, 50, 'the table stays bounded');
  assert.equal(l.count('phone:victim', T0 + 2), before, 'the victim\'s count survives the flood');
  assert.ok(l.waitMs('phone:victim', T0 + 2) > 0);
});

test('failure limiter: a table full of keys holding delays → a new key is not tracked and counted as overflow', () => {
  const l = new FailureLimiter(3, () => policy);
  for (const k of ['a', 'b', 'c']) for (let i = 0; i < 4; i++) l.record([k], T0);
  l.record(['d'], T0 + 1);
  assert.equal(l.count('d', T0 + 1), 0);
  assert.equal(l.overflowed, 1);
  assert.equal(l.count('a', T0 + 1), 4);
});
