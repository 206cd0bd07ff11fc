/**
 * @module actors/_kit/sharded
 * A JSON-safe persistent map for actor states with many keys (10 000 ballots): keys are spread
 * over a fixed number of shards by an FNV-1a hash, so a `set` copies one shard and the shard
 * array, never the whole map (copying a 10 000-key object per event is quadratic).
 * Owns: the shard layout. Does not: order keys (iteration is by shard, then insertion).
 * Concurrency: pure values; every operation returns a new map and never mutates its input.
 */
export type Sharded<V> = readonly Readonly<Record<string, V>>[];

export const DEFAULT_SHARDS = 256;

export function shardedEmpty<V>(shards: number = DEFAULT_SHARDS): Sharded<V> {
  return Array.from({ length: shards }, () => ({}));
}

/** FNV-1a over UTF-16 units: stable across runs and processes (no random seed). */
export function shardOf(key: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}

export function shardedGet<V>(m: Sharded<V>, key: string): V | undefined {
  const shard = m[shardOf(key, m.length)];
  return Object.hasOwn(shard, key) ? shard[key] : undefined;
}

export function shardedSet<V>(m: Sharded<V>, key: string, value: V): Sharded<V> {
  const i = shardOf(key, m.length);
  const next = m.slice();
  // A computed key defines an own property even for `__proto__`.
  next[i] = { ...m[i], [key]: value };
  return next;
}

export function shardedValues<V>(m: Sharded<V>): V[] {
  return m.flatMap((shard) => Object.values(shard));
}

export function shardedSize<V>(m: Sharded<V>): number {
  let n = 0;
  for (const shard of m) n += Object.keys(shard).length;
  return n;
}
