/**
 * Device payload decoding: bytes that are too many, not UTF-8 or not JSON are refused with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDevicePayload } from './parse.ts';

const enc = (s: string) => new TextEncoder().encode(s);

test('device payload decode: a bare number or a JSON object → decoded', () => {
  assert.deepEqual(decodeDevicePayload(enc(' 17 '), 4096), { ok: true, body: 17 });
  assert.deepEqual(decodeDevicePayload(enc('{"value":3,"at":1477648800000}'), 4096), { ok: true, body: { value: 3, at: 1477648800000 } });
});

test('device payload decode: malformed bytes → refused with the reason', () => {
  const cases: [Uint8Array, string][] = [
    [enc('{not json'), 'not_json'], [new Uint8Array([0xff, 0xfe]), 'not_utf8'], [enc(''), 'not_json'],
    [enc(`{"value":1,"pad":"${'x'.repeat(5000)}"}`), 'too_large'],
  ];
  for (const [data, reason] of cases) assert.deepEqual(decodeDevicePayload(data, 4096), { ok: false, reason }, new TextDecoder().decode(data).slice(0, 40));
});
