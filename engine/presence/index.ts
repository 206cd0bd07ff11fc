/**
 * @module engine/presence
 * Public surface of the presence seam, and the choice of presence and driver for a node.
 */
export type { Presence } from './contract.ts';
export { LocalPresence } from './memory.ts';
export { NatsPresence, type NatsPresenceOptions, DEFAULT_PRESENCE_CHANNELS_QUIET_MS, DEFAULT_PRESENCE_CHANNELS_MAX_WAIT_MS, DEFAULT_PRESENCE_SWEEP_INTERVAL_MS } from './nats.ts';
export { PresenceError } from './errors.ts';
export { natsNames, communityNames, encodeToken, decodeToken, type NatsNames } from './keys.ts';
export { selectMatchmaking, type Matchmaking, type MatchmakingOptions } from './select.ts';
