/**
 * @module engine/presence/contract
 * The presence seam is Colyseus's own `Presence` interface (pub/sub topics plus Redis-like keys,
 * sets, hashes and lists shared by every process of a cluster); nothing is added to it.
 * Owns: the interface only. Implementations: memory.ts (Colyseus's LocalPresence, embedded),
 * nats.ts (cluster, on NATS core subjects and JetStream KV).
 */
export type { Presence } from '@colyseus/core';
