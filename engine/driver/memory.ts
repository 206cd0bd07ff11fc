/**
 * @module engine/driver/memory
 * The embedded room cache is Colyseus's LocalDriver, used as it ships (one process, no network).
 */
export { LocalDriver } from '@colyseus/core';
