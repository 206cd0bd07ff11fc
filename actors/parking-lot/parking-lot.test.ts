/**
 * Tests of the parking-lot actor: judging occupancy readings from a real, misreporting counter
 * (clamping, bad numbers, repeats, out-of-order rows), with replay, JSON and property checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scenario, checkReplay, checkJson } from '../_kit/scenario.ts';
import { createParkingLotActor } from './parking-lot.ts';
import { LotError } from './errors.ts';
import type { LotEvent, OccupancyRecorded, Quality, RecordOccupancy } from './protocol.ts';

const CAPACITY = 120;
const lot = createParkingLotActor(CAPACITY);

const reading = (raw: number, at = 1000, deviceId = 'lot-1-counter'): RecordOccupancy => ({ type: 'RecordOccupancy', deviceId, at, raw });
const recorded = (raw: number, occupied: number, quality: Quality, at = 1000): OccupancyRecorded =>
  ({ type: 'OccupancyRecorded', v: 2, deviceId: 'lot-1-counter', at, raw, occupied, quality, total: occupied, source: 'counter' });
const EMPTY = { bays: {}, bayReadings: 0, holds: {} };

test('parking lot: no readings yet → initial state has capacity and nulls', () => {
  scenario(lot).expectState({ capacity: CAPACITY, occupied: null, source: 'none', agreement: 'none', updatedAt: null, counter: null, quality: null, readings: 0, clamped: 0, last: null, ...EMPTY });
});

test('parking lot: reading within capacity → OccupancyRecorded ok; state updated', () => {
  scenario(lot).when(reading(37, 1000)).expectEvents([recorded(37, 37, 'ok', 1000)])
    .expectState({ capacity: CAPACITY, occupied: 37, source: 'counter', agreement: 'none', updatedAt: 1000, counter: 37, quality: 'ok', readings: 1, clamped: 0, last: { at: 1000, raw: 37 }, ...EMPTY });
});

test('parking lot: readings of 0 and exactly capacity → ok, not clamped', () => {
  scenario(lot).when(reading(0)).expectEvents([recorded(0, 0, 'ok')]);
  scenario(lot).when(reading(CAPACITY)).expectEvents([recorded(CAPACITY, CAPACITY, 'ok')]);
});

test('parking lot: negative reading → occupied clamped to 0, quality clamped_negative, raw kept', () => {
  scenario(lot).when(reading(-7)).expectEvents([recorded(-7, 0, 'clamped_negative')])
    .expectState((s) => {
      assert.equal(s.occupied, 0);
      assert.equal(s.quality, 'clamped_negative');
      assert.equal(s.clamped, 1);
      assert.deepEqual(s.last, { at: 1000, raw: -7 });
    });
});

test('parking lot: reading over capacity → occupied clamped to capacity, quality clamped_over_capacity', () => {
  scenario(lot).when(reading(CAPACITY + 1)).expectEvents([recorded(CAPACITY + 1, CAPACITY, 'clamped_over_capacity')])
    .expectState((s) => assert.equal(s.clamped, 1));
});

test('parking lot: NaN, ±Infinity or non-integer raw → LOT_BAD_READING with raw as text', () => {
  for (const raw of [NaN, Infinity, -Infinity, 1.5, -0.25]) {
    scenario(lot).when(reading(raw)).expectError(LotError.BAD_READING, { raw: String(raw) });
  }
});

test('parking lot: NaN or infinite time → LOT_BAD_READING', () => {
  for (const at of [NaN, Infinity, -Infinity]) scenario(lot).when(reading(5, at)).expectError(LotError.BAD_READING);
});

test('parking lot: bad reading → state unchanged', () => {
  scenario(lot).givenCommands([reading(10, 1000)]).when(reading(NaN, 2000)).expectError(LotError.BAD_READING)
    .expectState((s) => { assert.equal(s.occupied, 10); assert.equal(s.readings, 1); });
});

test('parking lot: exact duplicate (same at and raw) → LOT_DUPLICATE_READING', () => {
  scenario(lot).givenCommands([reading(10, 1000)]).when(reading(10, 1000)).expectError(LotError.DUPLICATE_READING, { at: 1000 });
});

test('parking lot: duplicate of a clamped reading → LOT_DUPLICATE_READING (compares raw, not occupied)', () => {
  scenario(lot).givenCommands([reading(-3, 1000)]).when(reading(-3, 1000)).expectError(LotError.DUPLICATE_READING);
  scenario(lot).givenCommands([reading(-3, 1000)]).when(reading(-4, 1000)).expectEvents([recorded(-4, 0, 'clamped_negative')]);
});

test('parking lot: reading older than the current one → LOT_STALE_READING with both times', () => {
  scenario(lot).givenCommands([reading(10, 1000)]).when(reading(11, 999)).expectError(LotError.STALE_READING, { at: 999, updatedAt: 1000 });
});

test('parking lot: same at, different raw → accepted (a correction)', () => {
  scenario(lot).givenCommands([reading(10, 1000)]).when(reading(12, 1000)).expectEvents([recorded(12, 12, 'ok', 1000)])
    .expectState((s) => { assert.equal(s.occupied, 12); assert.equal(s.readings, 2); });
});

test('parking lot: same raw at a later time → accepted', () => {
  scenario(lot).givenCommands([reading(10, 1000)]).when(reading(10, 1001)).expectEvents([recorded(10, 10, 'ok', 1001)]);
});

test('parking lot: capacity 0 → every positive reading clamped to 0', () => {
  scenario(createParkingLotActor(0)).when(reading(3)).expectEvents([recorded(3, 0, 'clamped_over_capacity')]);
});

test('parking lot: stored OccupancyRecorded v1 (before bays) → upcast to v2 with total = occupied, source counter', () => {
  const v1 = { type: 'OccupancyRecorded', v: 1, deviceId: 'lot-1-counter', at: 5, raw: -2, occupied: 0, quality: 'clamped_negative' } as const;
  assert.deepEqual(lot.upcast!(v1), { ...v1, v: 2, total: 0, source: 'counter' });
  const e2 = recorded(3, 3, 'ok');
  assert.equal(lot.upcast!(e2), e2, 'current events pass through');
});

test('parking lot: event of an unknown type → evolve returns the state unchanged', () => {
  assert.equal(lot.evolve(lot.initial, { type: 'LotRenamed', v: 1 } as unknown as LotEvent), lot.initial);
});

const script: RecordOccupancy[] = [
  reading(10, 1000), reading(10, 1000), reading(-2, 1060), reading(500, 1120), reading(1.5, 1180),
  reading(40, 1100), reading(41, 1120), reading(41, 1120), reading(0, 1180),
];

test('parking lot: Birmingham-like series → replay gives the same state', () => {
  const r = checkReplay(lot, script);
  assert.deepEqual((r.events as OccupancyRecorded[]).map((e) => [e.raw, e.occupied, e.quality]),
    [[10, 10, 'ok'], [-2, 0, 'clamped_negative'], [500, CAPACITY, 'clamped_over_capacity'], [41, 41, 'ok'], [0, 0, 'ok']]);
  assert.deepEqual([r.state.readings, r.state.clamped, r.state.updatedAt], [5, 2, 1180]);
});

test('parking lot: Birmingham-like series → commands, decisions, events and states survive JSON', () => {
  checkJson(lot, script);
});

test('parking lot: integer readings in [-50, 2×capacity] at nondecreasing times → occupied within [0, capacity]; readings = accepted events', () => {
  const arb = fc.integer({ min: 0, max: 300 }).chain((capacity) => fc.tuple(
    fc.constant(capacity),
    fc.array(fc.tuple(fc.nat(3), fc.integer({ min: -50, max: 2 * capacity })), { maxLength: 60 }),
  ));
  fc.assert(fc.property(arb, ([capacity, rows]) => {
    const def = createParkingLotActor(capacity);
    let at = 1_700_000_000_000;
    const commands = rows.map(([dt, raw]) => reading(raw, (at += dt)));
    const r = checkReplay(def, commands);
    checkJson(def, commands);
    let accepted = 0;
    let before = def.initial;
    for (const step of r.steps) {
      if (step.decision.ok) accepted += step.decision.events.length;
      else {
        // with integer readings at nondecreasing times, only an exact repeat of the last one is refused
        assert.equal(step.decision.code, LotError.DUPLICATE_READING);
        assert.deepEqual(before.last, { at: step.command.at, raw: (step.command as RecordOccupancy).raw });
      }
      const { occupied } = step.state;
      assert.ok(occupied === null || (occupied >= 0 && occupied <= capacity), `occupied ${occupied} outside [0, ${capacity}]`);
      assert.equal(step.state.readings, accepted);
      before = step.state;
    }
    assert.equal(r.state.clamped, (r.events as OccupancyRecorded[]).filter((e) => e.quality !== 'ok').length);
  }));
});
