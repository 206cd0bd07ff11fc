/**
 * @module engine/driver/contract
 * The matchmaking driver seam is Colyseus's own `MatchMakerDriver` (the room cache: listings
 * created, found, queried, updated and removed by every process of a cluster); nothing is added.
 * Owns: the interface only. Implementations: memory.ts (Colyseus's LocalDriver, embedded),
 * nats.ts (cluster, on a JetStream KV bucket).
 */
export type { IRoomCache, MatchMakerDriver, SortOptions } from '@colyseus/core';
