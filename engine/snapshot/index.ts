/**
 * @module engine/snapshot
 * Public surface of the snapshot seam.
 */
export { type Snapshot, type SnapshotStore, type RememberedKey, parseSnapshot } from './contract.ts';
export { MemorySnapshotStore } from './memory.ts';
export { FileSnapshotStore } from './file.ts';
export { KvSnapshotStore, snapshotBucketName } from './kv.ts';
