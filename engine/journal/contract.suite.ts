/**
 * @module engine/journal/contract.suite
 * Behaviour every Journal implementation must show; journal.test.ts runs it against memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Journal } from './contract.ts';
import { EngineError } from '../errors.ts';

export function journalContractSuite(name: string, make: () => Promise<Journal>): void {
  const key = () => ({ community: 'c', kind: 'building', actorId: `b-${Math.random().toString(36).slice(2)}` });

  test(`${name} journal: appends in order → gap-free seqs from 1, read returns them`, async () => {
    const j = await make();
    const k = key();
    const a = await j.append(k, 0, [{ type: 'A', at: 1, event: { n: 1 } }, { type: 'B', at: 2, event: { n: 2 } }]);
    const b = await j.append(k, 2, [{ type: 'C', at: 3, event: { n: 3 } }]);
    assert.deepEqual([...a, ...b].map((r) => r.seq), [1, 2, 3]);
    assert.deepEqual((await j.read(k)).map((r) => r.type), ['A', 'B', 'C']);
    assert.deepEqual((await j.read(k, 2)).map((r) => r.type), ['C']);
    assert.equal(await j.lastSeq(k), 3);
    await j.close();
  });

  test(`${name} journal: stale expectedSeq → ENGINE_JOURNAL_CONFLICT, nothing written`, async () => {
    const j = await make();
    const k = key();
    await j.append(k, 0, [{ type: 'A', at: 1, event: {} }]);
    await assert.rejects(j.append(k, 0, [{ type: 'X', at: 2, event: {} }]), (e: { code?: string }) => e.code === EngineError.JOURNAL_CONFLICT);
    assert.deepEqual((await j.read(k)).map((r) => r.type), ['A']);
    await j.close();
  });

  test(`${name} journal: streams are independent → seqs per stream`, async () => {
    const j = await make();
    const k1 = key();
    const k2 = key();
    await j.append(k1, 0, [{ type: 'A', at: 1, event: {} }]);
    const r = await j.append(k2, 0, [{ type: 'A', at: 1, event: {} }]);
    assert.equal(r[0].seq, 1);
    await j.close();
  });
}
