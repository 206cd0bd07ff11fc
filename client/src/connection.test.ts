import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTerminalClose, rejoinDelayMs, worstState } from './connection.ts';
import { translator } from './i18n.ts';

test('worstState: the weakest link wins; nothing joined → idle', () => {
  assert.equal(worstState([]), 'idle');
  assert.equal(worstState(['connected', 'connected']), 'connected');
  assert.equal(worstState(['connected', 'connecting']), 'connecting');
  assert.equal(worstState(['reconnecting', 'connecting']), 'reconnecting');
  assert.equal(worstState(['connected', 'offline', 'reconnecting']), 'offline');
});

test('rejoinDelayMs: doubles from the minimum and stops at the cap', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => rejoinDelayMs(n, 500, 10_000)), [500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
});

test('isTerminalClose: auth and protocol closes are final; drops and shutdowns re-join', () => {
  assert.equal(isTerminalClose(4100), true);
  assert.equal(isTerminalClose(4101), true);
  assert.equal(isTerminalClose(1006), false);
  assert.equal(isTerminalClose(4001), false);
  assert.equal(isTerminalClose(4029), false);
});

test('translator: placeholders are filled in both languages; unknown ones stay visible', () => {
  assert.equal(translator('en')('parkingFree', { free: 3 }), '3 free');
  assert.equal(translator('zh-CN')('parkingFree', { free: 3 }), '空闲 3');
  assert.equal(translator('en')('online', {}), '{n} online');
  assert.match(translator('en')('attrOsm'), /© OpenStreetMap contributors \(ODbL\)/);
  assert.match(translator('zh-CN')('attrOsm'), /© OpenStreetMap contributors \(ODbL\)/);
});
