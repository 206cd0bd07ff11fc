/**
 * @module analytics/testing/temp-store
 * A ChdbStore on a fresh temporary data directory that is removed again on close(), so tests
 * never share or leave behind chDB data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbStore, type ChdbStoreOptions } from '../chdb.ts';

export class TempChdbStore extends ChdbStore {
  readonly dir: string;
  constructor(opts: Omit<ChdbStoreOptions, 'dataPath'> = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'linli-chdb-test-'));
    super({ ...opts, dataPath: dir });
    this.dir = dir;
  }

  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

export async function openTempChdbStore(opts: Omit<ChdbStoreOptions, 'dataPath'> = {}): Promise<TempChdbStore> {
  const store = new TempChdbStore(opts);
  await store.init();
  return store;
}
