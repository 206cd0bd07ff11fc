/**
 * @module engine/snapshot/contract.suite
 * Behaviour every SnapshotStore must show; snapshot.test.ts runs it against memory and files,
 * kv.int.test.ts against JetStream KV on a real NATS server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StreamKey } from '../journal/contract.ts';
import type { Snapshot, SnapshotStore } from './contract.ts';

export interface SnapshotHarness {
  readonly name: string;
  community(): string;
  open(): Promise<SnapshotStore>;
}

export function snapshotContractSuite(h: SnapshotHarness): void {
  const key = (): StreamKey => ({ community: h.community(), kind: 'building', actorId: 'bldg-594889490' });
  const snap = (seq: number): Snapshot => ({ seq, version: 1, state: { chat: { count: seq, recent: [{ text: '电梯维修' }] } }, keys: [['acct-1\u0000k1', 1, 2]], takenAt: 1_700_000_000_000 });

  test(`${h.name} snapshots: none saved → load gives null`, async () => {
    const s = await h.open();
    assert.equal(await s.load(key()), null);
    await s.close();
  });

  test(`${h.name} snapshots: saved twice → the latest comes back whole, from another handle too`, async () => {
    const k = key();
    const a = await h.open();
    await a.save(k, snap(10));
    await a.save(k, snap(20));
    const b = await h.open();
    assert.deepEqual(await b.load(k), snap(20));
    await a.close();
    await b.close();
  });
}
