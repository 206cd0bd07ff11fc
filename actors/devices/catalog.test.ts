/**
 * The per-kind schemas: numeric readings in their unit and range, event readings with their
 * fields, and every way a payload can be wrong (no value, wrong type, wrong unit, out of range,
 * bad event fields, unparseable, future and stale times, bad sequence numbers).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkPayload, DEVICE_KINDS, rejectCode, signalSchema } from './catalog.ts';
import { deviceErrorSpecs } from './errors.ts';
import type { RejectReason } from './protocol.ts';

const now = Date.UTC(2026, 11, 3, 12);
const limits = { maxClockSkewMs: 300_000, maxAgeMs: 86_400_000, valueLimit: 1e9 };
const schema = (kind: keyof typeof DEVICE_KINDS, signal: string) => signalSchema(kind, signal)!;

test('catalog: a numeric reading as a bare number or {value, unit, at, seq} → accepted with its time', () => {
  assert.deepEqual(checkPayload(schema('lot-counter', 'occupancy'), 17, now, limits), { ok: true, value: 17, at: now, seq: null, epoch: null });
  assert.deepEqual(checkPayload(schema('smoke', 'temperature'), { value: 21.5, unit: '°C', at: now - 1000, seq: 4, epoch: 'b1' }, now, limits),
    { ok: true, value: 21.5, at: now - 1000, seq: 4, epoch: 'b1' });
  assert.equal(checkPayload(schema('smoke', 'temperature'), { value: 21.5, unit: 'celsius' }, now, limits).ok, true, 'a unit alias');
  assert.deepEqual(checkPayload(schema('meter', 'power'), { value: 1.2, at: '2026-12-03T11:59:00Z' }, now, limits), { ok: true, value: 1.2, at: now - 60_000, seq: null, epoch: null });
});

test('catalog: a gate plate event {plate, direction, at} → accepted, value 1, fields in data', () => {
  const r = checkPayload(schema('gate', 'plate'), { plate: '京A12345', direction: 'in', at: now - 5 }, now, limits);
  assert.deepEqual(r, { ok: true, value: 1, at: now - 5, seq: null, epoch: null, data: { plate: '京A12345', direction: 'in' } });
  assert.deepEqual(checkPayload(schema('door-reader', 'access'), { result: 'granted', method: 'grant', grantId: 'g-1' }, now, limits),
    { ok: true, value: 1, at: now, seq: null, epoch: null, data: { result: 'granted', method: 'grant', grantId: 'g-1' } });
  assert.equal(checkPayload(schema('door-reader', 'forced'), {}, now, limits).ok, true, 'a forced-door event has only optional fields');
});

test('catalog: every kind of bad payload → refused with its reason', () => {
  const cases: [keyof typeof DEVICE_KINDS, string, unknown, RejectReason][] = [
    ['lot-counter', 'occupancy', { v: 1 }, 'no_value'], ['lot-counter', 'occupancy', [1, 2], 'no_value'], ['lot-counter', 'occupancy', null, 'no_value'],
    ['lot-counter', 'occupancy', { value: 'many' }, 'bad_value'], ['lot-counter', 'occupancy', { value: 1e308 }, 'bad_value'],
    ['bay-sensor', 'occupied', 0.5, 'bad_value'], ['bay-sensor', 'occupied', 2, 'out_of_range'], ['smoke', 'humidity', { value: 140 }, 'out_of_range'],
    ['smoke', 'temperature', { value: 70, unit: '°F' }, 'wrong_unit'], ['meter', 'power', { value: 1, unit: 5 }, 'wrong_unit'],
    ['gate', 'plate', { plate: '京A12345', direction: 'sideways' }, 'bad_data'], ['gate', 'plate', { direction: 'in' }, 'bad_data'],
    ['gate', 'plate', { plate: '京A12345', direction: 'in', owner: 'x' }, 'bad_data'], ['gate', 'plate', 3, 'bad_data'],
    ['gate', 'plate', { plate: '  ', direction: 'in' }, 'bad_data'], ['gate', 'ack', { commandId: 'c1', ok: 'yes' }, 'bad_data'],
    ['smoke', 'alarm', { value: 1, at: 'yesterday' }, 'bad_time'], ['smoke', 'alarm', { value: 1, at: -5 }, 'bad_time'],
    ['smoke', 'alarm', { value: 1, at: now + 300_001 }, 'future_time'], ['smoke', 'alarm', { value: 1, at: 4102444800000 }, 'future_time'],
    ['smoke', 'alarm', { value: 1, at: now - 86_400_001 }, 'stale_time'], ['smoke', 'alarm', { value: 1, at: 1477648800000 }, 'stale_time'],
    ['smoke', 'alarm', { value: 1, seq: -1 }, 'bad_seq'], ['smoke', 'alarm', { value: 1, seq: 1.5 }, 'bad_seq'], ['smoke', 'alarm', { value: 1, epoch: {} }, 'bad_seq'],
  ];
  for (const [kind, signal, body, reason] of cases) {
    const r = checkPayload(schema(kind, signal), body, now, limits);
    assert.equal(r.ok ? 'accepted' : r.reason, reason, `${kind}.${signal} ${JSON.stringify(body)}`);
  }
});

test('catalog: the edges of the time window → accepted', () => {
  assert.equal(checkPayload(schema('smoke', 'alarm'), { value: 1, at: now + 300_000 }, now, limits).ok, true);
  assert.equal(checkPayload(schema('smoke', 'alarm'), { value: 1, at: now - 86_400_000 }, now, limits).ok, true);
});

test('catalog: every refusal reason and command code → has a zh-CN and en message', () => {
  const reasons: RejectReason[] = ['too_large', 'not_utf8', 'not_json', 'bad_subject', 'unknown_device', 'unknown_signal', 'no_value', 'bad_value',
    'wrong_unit', 'out_of_range', 'bad_data', 'bad_time', 'future_time', 'stale_time', 'bad_seq', 'replayed_seq', 'flood'];
  for (const r of reasons) assert.ok(deviceErrorSpecs[rejectCode(r)]?.message.en, r);
  assert.equal(signalSchema('gate', 'toString'), undefined, 'prototype names are not signals');
});

test('catalog: any JSON value for any signal → a verdict, never a throw; accepted numbers lie in range', () => {
  const pairs = Object.entries(DEVICE_KINDS).flatMap(([k, spec]) => Object.keys(spec.signals).map((s) => [k, s] as const));
  fc.assert(fc.property(fc.constantFrom(...pairs), fc.jsonValue(), ([kind, signal], body) => {
    const s = schema(kind as keyof typeof DEVICE_KINDS, signal);
    const r = checkPayload(s, body, now, limits);
    if (r.ok && s.type === 'number') assert.ok(r.value >= s.min && r.value <= s.max);
  }));
});
