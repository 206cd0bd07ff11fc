/**
 * @module engine/snapshot/contract
 * Snapshots of actor state: an optimisation of activation, never a second source of truth. A
 * snapshot says "folding the journal up to `seq` gives `state`"; activation loads the latest one
 * and replays only what follows. A missing, unreadable or outdated snapshot means a full replay.
 * Owns: the interface. Implementations: memory.ts (tests), file.ts (embedded), kv.ts (JetStream KV).
 * Concurrency: save() replaces the previous snapshot of a stream atomically; a reader sees the
 * old one or the new one, never a mix.
 */
import type { StreamKey } from '../journal/contract.ts';

/** One remembered idempotency key: the command of `author` with `key` produced seqs first..last. */
export type RememberedKey = readonly [idKey: string, first: number, last: number];

export interface Snapshot {
  /** The journal seq the state was folded up to. */
  readonly seq: number;
  /** The actor's snapshot version; a snapshot of another version is ignored (full replay). */
  readonly version: number;
  readonly state: unknown;
  /** Idempotency keys the host remembered at `seq`, oldest first. */
  readonly keys: readonly RememberedKey[];
  /** Epoch ms the snapshot was taken. */
  readonly takenAt: number;
}

export interface SnapshotStore {
  readonly kind: 'memory' | 'file' | 'kv';
  load(stream: StreamKey): Promise<Snapshot | null>;
  save(stream: StreamKey, snapshot: Snapshot): Promise<void>;
  close(): Promise<void>;
}

/** Parses stored snapshot text; null (never a throw) for anything that is not a whole snapshot. */
export function parseSnapshot(text: string): Snapshot | null {
  let o: unknown;
  try { o = JSON.parse(text); } catch { return null; } // unreadable: the caller replays the journal
  if (typeof o !== 'object' || o === null) return null;
  const s = o as Record<string, unknown>;
  if (!Number.isInteger(s.seq) || (s.seq as number) < 0 || !Number.isInteger(s.version) || !Array.isArray(s.keys) || !('state' in s)) return null;
  return { seq: s.seq as number, version: s.version as number, state: s.state, keys: s.keys as RememberedKey[], takenAt: Number(s.takenAt) || 0 };
}
