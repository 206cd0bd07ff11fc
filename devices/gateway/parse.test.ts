/**
 * Device payload parsing: what the gateway accepts and why it drops the rest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PAYLOAD_LIMITS, parseDevicePayload } from './parse.ts';

const now = Date.UTC(2026, 11, 3, 12);
const enc = (s: string) => new TextEncoder().encode(s);

test('device payload: bare number or {value, at} → accepted; at as epoch ms or ISO text', () => {
  assert.deepEqual(parseDevicePayload(enc('17'), now), { ok: true, value: 17, at: now });
  assert.deepEqual(parseDevicePayload(enc('{"value":3,"at":1477648800000}'), now), { ok: true, value: 3, at: 1477648800000 });
  assert.deepEqual(parseDevicePayload(enc('{"value":-2,"at":"2016-10-28T10:00:00Z"}'), now), { ok: true, value: -2, at: Date.UTC(2016, 9, 28, 10) });
});

test('device payload: malformed input → dropped with the reason', () => {
  const cases: [Uint8Array, string][] = [
    [enc('{not json'), 'not_json'], [new Uint8Array([0xff, 0xfe]), 'not_utf8'], [enc('{"v":1}'), 'no_value'],
    [enc('[1,2]'), 'no_value'], [enc('null'), 'no_value'], [enc('{"value":"many"}'), 'bad_value'],
    [enc('{"value":1e308}'), 'bad_value'], [enc('-1e10'), 'bad_value'], [enc('{"value":1,"at":"yesterday"}'), 'bad_time'],
    [enc('{"value":1,"at":-5}'), 'bad_time'], [enc('{"value":1,"at":1e20}'), 'bad_time'],
    [enc(`{"value":1,"pad":"${'x'.repeat(5000)}"}`), 'too_large'],
  ];
  for (const [data, reason] of cases) assert.deepEqual(parseDevicePayload(data, now), { ok: false, reason }, new TextDecoder().decode(data).slice(0, 40));
});

test('device payload: a time beyond the allowed clock skew → bad_time; within it → accepted', () => {
  const skew = DEFAULT_PAYLOAD_LIMITS.maxClockSkewMs;
  assert.deepEqual(parseDevicePayload(enc(`{"value":1,"at":${now + skew + 1}}`), now), { ok: false, reason: 'bad_time' });
  assert.deepEqual(parseDevicePayload(enc(`{"value":1,"at":${now + skew}}`), now), { ok: true, value: 1, at: now + skew });
  assert.deepEqual(parseDevicePayload(enc('{"value":11,"at":4102444800000}'), now), { ok: false, reason: 'bad_time' }, 'the year 2100');
});
