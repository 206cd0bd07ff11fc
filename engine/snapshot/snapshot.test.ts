/**
 * Runs the snapshot contract suite against memory and the file store, and checks that an
 * unreadable snapshot file is treated as no snapshot (the journal is the truth).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotContractSuite } from './contract.suite.ts';
import { FileSnapshotStore } from './file.ts';
import { MemorySnapshotStore } from './memory.ts';

let n = 0;
const memory = new MemorySnapshotStore();
snapshotContractSuite({ name: 'memory', community: () => `m${++n}`, open: async () => memory });
const dir = mkdtempSync(join(tmpdir(), 'linli-snap-'));
snapshotContractSuite({ name: 'file', community: () => `f${++n}`, open: async () => new FileSnapshotStore(dir) });

test('file snapshots: a half-written or garbled snapshot file → load gives null, never throws', async () => {
  const d = mkdtempSync(join(tmpdir(), 'linli-snap-'));
  const s = new FileSnapshotStore(d);
  const k = { community: 'c', kind: 'building', actorId: 'b' };
  await s.save(k, { seq: 3, version: 1, state: {}, keys: [], takenAt: 0 });
  writeFileSync(join(d, 'c', 'building', 'b.snap'), '{"seq":3,"vers');
  assert.equal(await s.load(k), null);
  writeFileSync(join(d, 'c', 'building', 'b.snap'), '{"seq":-1,"version":1,"state":{},"keys":[]}');
  assert.equal(await s.load(k), null);
});
