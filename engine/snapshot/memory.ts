/**
 * @module engine/snapshot/memory
 * Snapshots in a map, for tests and for `JOURNAL=memory` runs. Stores the JSON text, so a test
 * sees exactly what a durable store would give back.
 */
import { streamName, type StreamKey } from '../journal/contract.ts';
import { parseSnapshot, type Snapshot, type SnapshotStore } from './contract.ts';

export class MemorySnapshotStore implements SnapshotStore {
  readonly kind = 'memory';
  private readonly texts = new Map<string, string>();
  saves = 0;

  async load(stream: StreamKey): Promise<Snapshot | null> {
    const t = this.texts.get(streamName(stream));
    return t === undefined ? null : parseSnapshot(t);
  }

  async save(stream: StreamKey, snapshot: Snapshot): Promise<void> {
    this.texts.set(streamName(stream), JSON.stringify(snapshot));
    this.saves++;
  }

  async close(): Promise<void> {}
}
