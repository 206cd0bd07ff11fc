/**
 * @module engine/presence/memory
 * The embedded presence is Colyseus's LocalPresence, used as it ships (one process, no network).
 */
export { LocalPresence } from '@colyseus/core';
