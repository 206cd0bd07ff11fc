/**
 * Transport selection: uWebSockets.js when it loads, the ws transport when it does not (with the
 * reason), and a clear failure when uWS is demanded but missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectTransport } from './select.ts';

const limits = { messageMaxBytes: 16384 };
const broken = async () => { throw new Error('Cannot find module uws_linux_x64_127.node'); };

test('transport: TRANSPORT=ws → ws transport', async () => {
  const t = await selectTransport('ws', limits);
  assert.equal(t.name, 'ws');
  assert.equal(t.reason, 'TRANSPORT=ws');
  assert.ok(t.httpServer());
});

test('transport: auto and uWS cannot load → falls back to ws and says why', async () => {
  const t = await selectTransport('auto', limits, broken);
  assert.equal(t.name, 'ws');
  assert.match(t.reason, /uWebSockets\.js unavailable \(Cannot find module uws_linux_x64_127\.node\), fell back to ws/);
});

test('transport: TRANSPORT=uws and uWS cannot load → fails naming the cause', async () => {
  await assert.rejects(selectTransport('uws', limits, broken), /TRANSPORT=uws but uWebSockets\.js cannot load: Cannot find module/);
});

let uwsLoads = true;
try { await import('uWebSockets.js'); } catch { uwsLoads = false; } // this Node has no uWS binary
test('transport: auto where uWS loads → uws', { skip: uwsLoads ? false : `no uWebSockets.js binary for Node ${process.versions.node}` }, async () => {
  const t = await selectTransport('auto', limits);
  assert.equal(t.name, 'uws');
  assert.equal(t.httpServer(), null);
});
