/**
 * @module engine/lease/contract.suite
 * Behaviour every LeaseStore must show; lease.test.ts runs it on memory with a fake clock,
 * kv.int.test.ts on JetStream KV (where lapsing takes real time: its TTL is kept short).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LeaseStore } from './contract.ts';

export interface LeaseHarness {
  readonly name: string;
  /** A store with a fresh bucket; all calls in one test share it. */
  open(): Promise<LeaseStore>;
  /** Lets `ms` pass for the store (a fake clock, or real time). */
  advance(ms: number): Promise<void>;
}

export function leaseContractSuite(h: LeaseHarness): void {
  test(`${h.name} leases: a free lease → taken; taken → null for anyone else, until released`, async () => {
    const s = await h.open();
    const a = await s.acquire('room.building.b1', 'node-a');
    assert.ok(a);
    assert.equal(a.owner, 'node-a');
    assert.equal(await s.acquire('room.building.b1', 'node-b'), null);
    await s.release(a);
    const b = await s.acquire('room.building.b1', 'node-b');
    assert.equal(b?.owner, 'node-b');
    assert.ok(b!.epoch > a.epoch);
    await s.close();
  });

  test(`${h.name} leases: five nodes race for one lease → exactly one holds it`, async () => {
    const s = await h.open();
    const got = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => s.acquire('room.group.g1', `node-${n}`)));
    assert.equal(got.filter((l) => l !== null).length, 1);
    const winner = got.find((l) => l)!;
    assert.deepEqual(await s.list('room.'), new Map([['room.group.g1', winner.owner]]));
    await s.close();
  });

  test(`${h.name} leases: renewed → still held with a new revision; a stale copy of it → cannot renew`, async () => {
    const s = await h.open();
    const first = (await s.acquire('room.lot.l1', 'node-a'))!;
    const second = (await s.renew(first))!;
    assert.ok(second.revision > first.revision);
    assert.equal(second.epoch, first.epoch);
    assert.equal(await s.renew(first), null, 'renewing from a stale revision must fail');
    assert.ok(await s.renew(second));
    await s.close();
  });

  test(`${h.name} leases: not renewed within the TTL → lapses; another takes it; the old holder's renew fails`, async () => {
    const s = await h.open();
    const old = (await s.acquire('room.building.b2', 'node-a'))!;
    await h.advance(s.ttlMs * 2.5);
    const taken = await s.acquire('room.building.b2', 'node-b');
    assert.equal(taken?.owner, 'node-b');
    assert.equal(await s.renew(old), null);
    await s.close();
  });

  test(`${h.name} leases: list(prefix) → only live leases under that prefix`, async () => {
    const s = await h.open();
    await s.acquire('node.a', 'node-a');
    await s.acquire('room.building.x', 'node-a');
    await s.acquire('room.lot.y', 'node-b');
    assert.deepEqual([...(await s.list('room.')).entries()].sort(), [['room.building.x', 'node-a'], ['room.lot.y', 'node-b']]);
    assert.deepEqual([...(await s.list('node.')).keys()], ['node.a']);
    await s.close();
  });
}
