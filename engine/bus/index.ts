/**
 * @module engine/bus
 * Public surface of the backplane seam.
 */
export { type Bus, type BusHandler, type BusMessage, type BusSubscription, type SubscribeOptions, encodeJson, decodeJson, subjects } from './contract.ts';
export { MemoryBus, DEFAULT_BUS_MAX_PENDING } from './memory.ts';
export { NatsBus } from './nats.ts';
export { subjectMatches, isValidSubject } from './match.ts';
export { ClusterBus } from './cluster.ts';
