/**
 * @module engine/driver
 * Public surface of the matchmaking driver seam (the room cache).
 */
export type { IRoomCache, MatchMakerDriver, SortOptions } from './contract.ts';
export { LocalDriver } from './memory.ts';
export { NatsDriver, DEFAULT_DRIVER_SYNC_TIMEOUT_MS, type NatsDriverOptions } from './nats.ts';
