/**
 * The gateway on the in-process bus with the real registry of 石科院生活区: accepted readings
 * are republished normalised (events with their data); every refusal is counted per device and
 * reason; old sequence numbers and floods are refused; a flooding device is told to back off.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBus } from '../../engine/bus/memory.ts';
import { decodeJson } from '../../engine/bus/contract.ts';
import { DEFAULT_COMMUNITY_FILE, loadCommunityFile } from '../../engine/community-file.ts';
import { createLogger } from '../../engine/log.ts';
import { Metrics } from '../../engine/metrics.ts';
import type { DeviceReading } from '../reading.ts';
import { DEFAULT_DEVICES_FILE, DeviceRegistry } from '../registry.ts';
import { DeviceGateway, UNKNOWN_DEVICE } from './gateway.ts';
import { DEFAULT_PAYLOAD_LIMITS } from './parse.ts';

const layout = loadCommunityFile(DEFAULT_COMMUNITY_FILE);
const registry = DeviceRegistry.load(layout, DEFAULT_DEVICES_FILE);
const c = layout.id;
const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

function setup(maxReadingsPerSecond = 50) {
  let clock = Date.UTC(2026, 11, 3, 12);
  const metrics = new Metrics();
  const bus = new MemoryBus(createLogger('silent'), metrics);
  const sent: { deviceId: string; message: Record<string, unknown> }[] = [];
  const gw = new DeviceGateway(c, registry, bus, createLogger('silent'), metrics, () => clock, { ...DEFAULT_PAYLOAD_LIMITS, maxReadingsPerSecond }, (deviceId, message) => sent.push({ deviceId, message }));
  gw.start();
  const readings: DeviceReading[] = [];
  bus.subscribe(`nb.${c}.reading.>`, (m) => readings.push(decodeJson(m.data) as DeviceReading));
  return { gw, bus, readings, sent, tick: (ms: number) => { clock += ms; }, now: () => clock };
}

const gate = layout.gates[0]!.deviceId;
const bay = layout.lots[0]!.bays[0]!.sensorDeviceId;
const smoke = registry.ofKind('smoke').find((d) => d.place.kind === 'unit')!.id;

test('registry: 石科院生活区 → counters, one sensor per bay, a plate reader per gate, building and unit devices', () => {
  const k = registry.countByKind();
  assert.equal(k['lot-counter'], layout.lots.length);
  assert.equal(k['bay-sensor'], layout.lots.reduce((n, l) => n + l.capacity, 0));
  assert.equal(k['gate'], layout.gates.length);
  for (const kind of ['door-reader', 'elevator', 'smoke', 'water-leak', 'gas', 'sos-button', 'meter']) assert.ok((k[kind] ?? 0) > 0, kind);
  const sos = registry.ofKind('sos-button')[0]!;
  assert.equal(sos.elderly, true);
  assert.equal(sos.place.kind, 'unit');
  assert.ok(registry.inUnit(sos.place.kind === 'unit' ? sos.place.unitId : '').some((d) => d.kind === 'smoke'));
});

test('gateway: a plate event and a bay reading → republished on nb.<c>.reading with kind, data and seq', async () => {
  const s = setup();
  s.bus.publish(`nb.${c}.dev.${gate}.plate`, enc({ plate: '京A12345', direction: 'in', at: s.now() - 10 }));
  s.bus.publish(`nb.${c}.dev.${bay}.occupied`, enc({ value: 1, seq: 7 }));
  await s.bus.flush();
  assert.deepEqual(s.readings, [
    { community: c, deviceId: gate, signal: 'plate', at: s.now() - 10, value: 1, raw: 1, quality: 'ok', kind: 'gate', data: { plate: '京A12345', direction: 'in' } },
    { community: c, deviceId: bay, signal: 'occupied', at: s.now(), value: 1, raw: 1, quality: 'ok', kind: 'bay-sensor', seq: 7 },
  ]);
});

test('gateway: bad readings → refused, counted per device and reason with the code, nothing republished', async () => {
  const s = setup();
  const bad: [string, string, Uint8Array][] = [
    [smoke, 'temperature', enc('{oops')], [smoke, 'temperature', enc({ value: 80, unit: '°F' })], [smoke, 'humidity', enc({ value: 300 })],
    [smoke, 'alarm', enc({ value: 1, at: s.now() + 3_600_000 })], [smoke, 'alarm', enc({ value: 1, at: s.now() - 2 * 86_400_000 })],
    [smoke, 'colour', enc(1)], ['no-such-device', 'alarm', enc(1)], [gate, 'plate', enc({ plate: 'X', direction: 'up' })],
  ];
  for (const [id, signal, data] of bad) s.bus.publish(`nb.${c}.dev.${id}.${signal}`, data);
  s.bus.publish(`nb.${c}.dev.${smoke}`, enc(1));
  await s.bus.flush();
  assert.equal(s.readings.length, 0);
  assert.deepEqual(s.gw.healthOf(smoke)?.rejected, { not_json: 1, wrong_unit: 1, out_of_range: 1, future_time: 1, stale_time: 1, unknown_signal: 1 });
  assert.deepEqual(s.gw.healthOf(gate)?.rejected, { bad_data: 1 });
  assert.deepEqual(s.gw.healthOf(UNKNOWN_DEVICE)?.rejected, { unknown_device: 1, bad_subject: 1 });
  assert.deepEqual(s.gw.health().unknownIds, ['no-such-device']);
  assert.equal(s.gw.healthOf(gate)?.lastRejection?.code, 'DEVICE_BAD_DATA');
  assert.equal(s.gw.health().totals.rejected, 9);
});

test('gateway: a sequence number not above the last one → replayed_seq; a new epoch starts over', async () => {
  const s = setup();
  for (const seq of [1, 2, 2, 1, 3]) s.bus.publish(`nb.${c}.dev.${bay}.occupied`, enc({ value: seq % 2, seq, epoch: 'boot-1' }));
  s.bus.publish(`nb.${c}.dev.${bay}.occupied`, enc({ value: 0, seq: 1, epoch: 'boot-2' }));
  await s.bus.flush();
  assert.deepEqual(s.readings.map((r) => r.seq), [1, 2, 3, 1]);
  assert.deepEqual(s.gw.healthOf(bay)?.rejected, { replayed_seq: 2 });
});

test('gateway: a device over its rate → flood refused and told to back off once a second; the rate refills', async () => {
  const s = setup(5);
  for (let i = 0; i < 12; i++) s.bus.publish(`nb.${c}.dev.${bay}.occupied`, enc(i % 2));
  await s.bus.flush();
  assert.equal(s.readings.length, 5);
  assert.deepEqual(s.gw.healthOf(bay)?.rejected, { flood: 7 });
  assert.deepEqual(s.sent, [{ deviceId: bay, message: { action: 'backoff', code: 'DEVICE_FLOOD', retryAfterMs: 1000 } }]);
  s.tick(1000);
  s.bus.publish(`nb.${c}.dev.${bay}.occupied`, enc(1));
  await s.bus.flush();
  assert.equal(s.readings.length, 6, 'accepted again after a second');
});

test('gateway submit: the verdict a waiting caller (HTTP) gets matches what is counted and republished', async () => {
  const s = setup(3);
  const reading = enc({ value: 1, seq: 5, epoch: 'boot1' });
  assert.deepEqual(s.gw.submit(bay, 'occupied', reading), { ok: true });
  assert.deepEqual(s.gw.submit(bay, 'occupied', reading), { ok: false, reason: 'replayed_seq' });
  assert.deepEqual(s.gw.submit(bay, 'occupied', enc('{oops')), { ok: false, reason: 'not_json' });
  const flood = s.gw.submit(bay, 'occupied', enc(1));
  assert.equal(flood.ok, false);
  assert.deepEqual(flood.ok ? null : [flood.reason, (flood.retryAfterMs ?? 0) > 0], ['flood', true]);
  assert.deepEqual(s.gw.submit('no-such-device', 'occupied', enc(1)), { ok: false, reason: 'unknown_device' });
  assert.deepEqual(s.gw.submit(smoke, 'colour', enc(1)), { ok: false, reason: 'unknown_signal' });
  await s.bus.flush();
  assert.deepEqual(s.readings.map((r) => r.seq), [5]);
  assert.deepEqual(s.gw.healthOf(bay)?.rejected, { replayed_seq: 1, not_json: 1, flood: 1 });
  assert.equal(s.gw.healthOf(bay)?.accepted, 1);
});
