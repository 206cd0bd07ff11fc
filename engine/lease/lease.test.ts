/**
 * Runs the lease contract suite on the in-memory store with a fake clock, and checks the local
 * deadline a holder keeps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValid } from './contract.ts';
import { leaseContractSuite } from './contract.suite.ts';
import { MemoryLeaseStore } from './memory.ts';

let clock = 0;
leaseContractSuite({ name: 'memory', open: async () => new MemoryLeaseStore(1000, () => clock), advance: async (ms) => { clock += ms; } });

test('memory leases: the holder\'s deadline → before the TTL by the safety margin', async () => {
  let now = 0;
  const s = new MemoryLeaseStore(1000, () => now);
  const l = (await s.acquire('room.x', 'a'))!;
  assert.equal(isValid(l, 700), true);
  assert.equal(isValid(l, 760), false);
  now = 500;
  const r = (await s.renew(l))!;
  assert.equal(isValid(r, 1200), true);
});
