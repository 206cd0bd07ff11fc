/**
 * The room suite on the uWebSockets.js transport (skipped with a reason where uWS cannot load).
 */
import { test } from 'node:test';
import { roomSuite } from './rooms.suite.ts';

let uwsLoads = true;
try { await import('uWebSockets.js'); } catch { uwsLoads = false; } // reported as a skip below
if (uwsLoads) roomSuite('uws');
else test('uws rooms', { skip: `uWebSockets.js has no binary for Node ${process.versions.node}` }, () => {});
