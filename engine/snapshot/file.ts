/**
 * @module engine/snapshot/file
 * Snapshots on local disk beside the embedded journal: `<dir>/<community>/<kind>/<actorId>.snap`,
 * written to a temporary file, synced and renamed over the old one, so a crash leaves the old
 * snapshot or the new one.
 * Owns: snapshot files. Does not: decide when to snapshot (the actor host does).
 * Concurrency: saves of one stream are serialised by the host (one in flight at a time).
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { StreamKey } from '../journal/contract.ts';
import { parseSnapshot, type Snapshot, type SnapshotStore } from './contract.ts';

export class FileSnapshotStore implements SnapshotStore {
  readonly kind = 'file';

  constructor(private readonly dir: string) {}

  private path(k: StreamKey): { folder: string; file: string } {
    const folder = join(this.dir, safe(k.community), safe(k.kind));
    return { folder, file: join(folder, `${safe(k.actorId)}.snap`) };
  }

  async load(stream: StreamKey): Promise<Snapshot | null> {
    try {
      return parseSnapshot(await readFile(this.path(stream).file, 'utf8'));
    } catch {
      return null; // no snapshot yet (or unreadable): the journal is replayed in full
    }
  }

  async save(stream: StreamKey, snapshot: Snapshot): Promise<void> {
    const { folder, file } = this.path(stream);
    await mkdir(folder, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.write(JSON.stringify(snapshot));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  }

  async close(): Promise<void> {}
}

function safe(part: string): string {
  return encodeURIComponent(part).replace(/\./g, '%2E').replace(/\*/g, '%2A');
}
