/**
 * Tests of a lot's bay sensors and holds: which wins when the counter and the bays disagree
 * (every rule of occupancy.ts), bay readings (stale, repeats, unknown bays), holds (nearest bay,
 * planned bays to their owners first, held bays never offered to others, one hold per account,
 * expiry on the clock, arrival, re-guiding when someone else takes the bay), with replay, JSON
 * and a property over random sequences.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkJson, checkReplay, scenario } from '../_kit/scenario.ts';
import type { LonLat } from '../community/layout.ts';
import { ParkingError } from '../parking/errors.ts';
import { LotError } from './errors.ts';
import { offerable, summarize, tolerance } from './occupancy.ts';
import { createParkingLotActor } from './parking-lot.ts';
import type { BayInfo, HoldBay, LotCommand, LotEvent, RecordBay } from './protocol.ts';

const STEP = 0.0001; // ~8.5 m east–west at this latitude
const bayAt = (i: number): LonLat => [116.35 + i * STEP, 40];
/** Six bays in a row, b1 nearest the building (west end); b6 is planned for unit u-601. */
const BAYS: BayInfo[] = [1, 2, 3, 4, 5, 6].map((i) => ({ id: `b${i}`, at: bayAt(i), planned: i === 6, owner: i === 6 ? 'u-601' : null }));
const HOME: LonLat = [116.35, 40];
const lot = createParkingLotActor(6, BAYS);
const HOLD_MS = 300_000;

const bay = (id: string, occupied: boolean, at: number, holderInside: boolean | null = null): RecordBay =>
  ({ type: 'RecordBay', bayId: id, deviceId: `${id}-sensor`, occupied, at, holderInside });
const counter = (raw: number, at: number): LotCommand => ({ type: 'RecordOccupancy', deviceId: 'c', at, raw });
const hold = (holdId: string, accountId: string, at: number, over: Partial<HoldBay> = {}): HoldBay => ({
  type: 'HoldBay', holdId, accountId, resident: true, unitIds: ['u-101'], near: HOME, plate: '京A12345', gateId: 'gate-1',
  holdMs: HOLD_MS, key: null, elsewhere: null, at, ...over,
});
const all = (occupied: boolean[], at = 100): RecordBay[] => occupied.map((o, i) => bay(`b${i + 1}`, o, at + i));
const heldBay = (events: readonly LotEvent[]) => { const e = events.find((x) => x.type === 'BayHeld'); return e?.type === 'BayHeld' ? e.bayId : null; };

// --- which wins

test('occupancy rule: no bays and no counter → none; counter only → counter', () => {
  assert.deepEqual(summarize(10, {}, null), { occupied: null, source: 'none', agreement: 'none' });
  assert.deepEqual(summarize(10, {}, 7), { occupied: 7, source: 'counter', agreement: 'none' });
});

test('occupancy rule: every bay known → the bays win; the counter within tolerance agrees, beyond it disagrees', () => {
  const bays = Object.fromEntries([1, 2, 3, 4].map((i) => [`b${i}`, { occupied: i <= 3, at: 1 }]));
  assert.deepEqual(summarize(4, bays, 3), { occupied: 3, source: 'bays', agreement: 'agree' });
  assert.deepEqual(summarize(4, bays, 4), { occupied: 3, source: 'bays', agreement: 'agree' }, 'tolerance is at least one space');
  assert.deepEqual(summarize(4, bays, 1), { occupied: 3, source: 'bays', agreement: 'disagree' });
  assert.deepEqual(summarize(4, bays, null), { occupied: 3, source: 'bays', agreement: 'none' });
  assert.equal(tolerance(55), 3);
});

test('occupancy rule: some bays silent → the counter fills them in, clamped into what the known bays allow (mixed)', () => {
  const bays = { b1: { occupied: true, at: 1 }, b2: { occupied: true, at: 1 }, b3: { occupied: false, at: 1 } }; // 3 of 10 known
  assert.deepEqual(summarize(10, bays, 5), { occupied: 5, source: 'mixed', agreement: 'agree' });
  assert.deepEqual(summarize(10, bays, 0), { occupied: 2, source: 'mixed', agreement: 'disagree' }, 'two bays are known occupied');
  assert.deepEqual(summarize(10, bays, 10), { occupied: 9, source: 'mixed', agreement: 'agree' }, 'one bay is known free; within tolerance');
  assert.deepEqual(summarize(10, bays, null), { occupied: 2, source: 'bays', agreement: 'none' }, 'no counter: silent bays count as free');
});

test('parking lot: every bay reports → lot occupied from the bays; a counter far off is kept, flagged as disagreeing', () => {
  scenario(lot).givenCommands([...all([true, true, false, false, true, false]), counter(1, 200)])
    .expectState((s) => {
      assert.deepEqual([s.occupied, s.source, s.agreement, s.counter, s.bayReadings], [3, 'bays', 'disagree', 1, 6]);
    });
});

test('parking lot: a bay reading → BayRecorded with the lot total after it; a counter reading after some bays → mixed total in OccupancyRecorded', () => {
  const s = scenario(lot).givenCommands([bay('b1', true, 100)]);
  const o = s.when(counter(4, 200));
  assert.deepEqual(o.events, [{ type: 'OccupancyRecorded', v: 2, deviceId: 'c', at: 200, raw: 4, occupied: 4, quality: 'ok', total: 4, source: 'mixed' }]);
  scenario(lot).when(bay('b2', true, 50)).expectEvents([{ type: 'BayRecorded', v: 1, bayId: 'b2', deviceId: 'b2-sensor', occupied: true, at: 50, total: 1, source: 'bays' }]);
});

test('parking lot: bay reading older than the bay’s last → LOT_STALE_READING; same state again → no event; unknown bay → LOT_UNKNOWN_BAY', () => {
  const s = scenario(lot).givenCommands([bay('b1', true, 100)]);
  s.when(bay('b1', false, 99)).expectError(LotError.STALE_READING, { at: 99, updatedAt: 100 });
  s.when(bay('b1', true, 150)).expectNoEvents();
  s.when(bay('b9', true, 150)).expectError(LotError.UNKNOWN_BAY, { bayId: 'b9' });
  s.when({ ...bay('b1', false, NaN) }).expectError(LotError.BAD_READING);
});

// --- holds

test('hold: nearest offerable bay to the building is held for PARKING_HOLD_S; the planned bay is not offered to others', () => {
  const s = scenario(lot).givenCommands(all([true, false, false, true, false, false]));
  const o = s.when(hold('h1', 'acct-a', 1000));
  assert.deepEqual(o.events, [{
    type: 'BayHeld', v: 1, holdId: 'h1', bayId: 'b2', accountId: 'acct-a', unitIds: ['u-101'], near: HOME, plate: '京A12345',
    gateId: 'gate-1', holdMs: HOLD_MS, until: 1000 + HOLD_MS, key: null, at: 1000,
  }]);
  assert.deepEqual(offerable({ capacity: 6, occupied: 2, info: BAYS, bays: o.after.bays, holds: o.after.holds }, ['u-101'], HOME), ['b3', 'b5'], 'b6 is planned for u-601');
});

test('hold: the owner of a planned bay → their own bay first, even when a free bay is nearer', () => {
  const s = scenario(lot).givenCommands(all([false, false, false, false, false, false]));
  assert.equal(heldBay(s.when(hold('h1', 'acct-o', 1000, { unitIds: ['u-601'] })).events), 'b6');
});

test('hold: a held bay is not offered to the next resident; the same account asking again → PARKING_ALREADY_HOLDING', () => {
  const s = scenario(lot).givenCommands([...all([true, false, true, true, false, true]), hold('h1', 'acct-a', 1000)]);
  assert.equal(s.state.holds.h1!.bayId, 'b2');
  assert.equal(heldBay(s.when(hold('h2', 'acct-b', 1001)).events), 'b5');
  s.when(hold('h3', 'acct-a', 1002)).expectError(ParkingError.ALREADY_HOLDING, { holdId: 'h1' });
  scenario(lot).givenCommands(all([false, false, false, false, false, false])).when(hold('h4', 'acct-c', 1, { elsewhere: 'h-other-lot' }))
    .expectError(ParkingError.ALREADY_HOLDING, { holdId: 'h-other-lot' });
});

test('hold: every offerable bay taken or held → PARKING_NO_FREE_BAY; a non-resident → PARKING_NOT_RESIDENT; bad duration → PARKING_BAD_HOLD', () => {
  const s = scenario(lot).givenCommands([...all([true, false, true, true, true, false]), hold('h1', 'acct-a', 1000)]);
  s.when(hold('h2', 'acct-b', 1001)).expectError(ParkingError.NO_FREE_BAY);
  scenario(lot).when(hold('h1', 'guard-1', 1, { resident: false })).expectError(ParkingError.NOT_RESIDENT);
  scenario(lot).when(hold('h1', 'acct-a', 1, { holdMs: 0 })).expectError(ParkingError.BAD_HOLD);
  s.when(hold('h1', 'acct-z', 1002)).expectError(ParkingError.DUPLICATE_ID);
});

test('hold: bays silent and no counter → silent bays are offered, nearest first; a counter saying full → none offered', () => {
  assert.equal(heldBay(scenario(lot).when(hold('h1', 'acct-a', 1)).events), 'b1');
  scenario(lot).givenCommands([counter(6, 1)]).when(hold('h1', 'acct-a', 2)).expectError(ParkingError.NO_FREE_BAY);
  const one = scenario(lot).givenCommands([counter(5, 1), hold('h1', 'acct-a', 2)]);
  one.when(hold('h2', 'acct-b', 3)).expectError(ParkingError.NO_FREE_BAY, undefined);
});

test('hold: deadline passes with the bay still free → Tick releases it as expired; before the deadline Tick does nothing', () => {
  const s = scenario(lot).givenCommands([...all([false, false, false, false, false, false]), hold('h1', 'acct-a', 1000)]);
  s.when({ type: 'Tick', at: 1000 + HOLD_MS - 1 }).expectNoEvents();
  s.when({ type: 'Tick', at: 1000 + HOLD_MS }).expectEvents([{ type: 'HoldReleased', v: 1, holdId: 'h1', bayId: 'b1', reason: 'expired', at: 1000 + HOLD_MS }])
    .expectState((st) => assert.deepEqual(st.holds, {}));
});

test('hold: the held bay turns occupied with the holder’s car inside → HoldFulfilled; with no plate named → also arrival', () => {
  const s = scenario(lot).givenCommands([...all([false, false, false, false, false, false]), hold('h1', 'acct-a', 1000)]);
  s.when(bay('b1', true, 61_000, true)).expectEvents([
    { type: 'BayRecorded', v: 1, bayId: 'b1', deviceId: 'b1-sensor', occupied: true, at: 61_000, total: 1, source: 'bays' },
    { type: 'HoldFulfilled', v: 1, holdId: 'h1', bayId: 'b1', waitedMs: 60_000, at: 61_000 },
  ]);
  const noPlate = scenario(lot).givenCommands([...all([false, false, false, false, false, false]), hold('h1', 'acct-a', 1000, { plate: null })]);
  assert.equal(noPlate.when(bay('b1', true, 2000, null)).events[1]!.type, 'HoldFulfilled');
});

test('hold: someone else parks in the held bay (holder not inside) → HoldMoved to the next nearest bay with a fresh deadline; none left → released as taken', () => {
  const s = scenario(lot).givenCommands([...all([false, false, true, true, true, true]), hold('h1', 'acct-a', 1000)]);
  const moved = s.when(bay('b1', true, 5000, false));
  assert.deepEqual(moved.events[1], { type: 'HoldMoved', v: 1, holdId: 'h1', fromBayId: 'b1', bayId: 'b2', until: 5000 + HOLD_MS, at: 5000 });
  const again = s.givenCommands([bay('b1', true, 5000, false)]).when(bay('b2', true, 6000, false));
  assert.deepEqual(again.events[1], { type: 'HoldReleased', v: 1, holdId: 'h1', bayId: 'b2', reason: 'taken', at: 6000 });
});

test('hold: cancelled by the holder → HoldReleased cancelled; no hold → PARKING_NO_HOLD', () => {
  const s = scenario(lot).givenCommands([hold('h1', 'acct-a', 1000)]);
  s.when({ type: 'ReleaseHold', accountId: 'acct-a', at: 2000 }).expectEvents([{ type: 'HoldReleased', v: 1, holdId: 'h1', bayId: 'b1', reason: 'cancelled', at: 2000 }]);
  s.when({ type: 'ReleaseHold', accountId: 'acct-b', at: 2000 }).expectError(ParkingError.NO_HOLD);
});

const script: LotCommand[] = [
  ...all([false, true, false, false, true, false]), counter(3, 200), hold('h1', 'acct-a', 300), hold('h2', 'acct-b', 301),
  bay('b1', true, 400, false), bay('b3', true, 450, true), { type: 'Tick', at: 400 + HOLD_MS - 1 }, { type: 'Tick', at: 400 + HOLD_MS }, counter(-1, 400 + HOLD_MS + 1), bay('b2', false, 400 + HOLD_MS + 2),
];

test('parking lot bays: a morning of sensors, counter and holds → replay gives the same state; everything survives JSON', () => {
  const r = checkReplay(lot, script);
  assert.deepEqual(r.events.map((e) => e.type).slice(6), ['OccupancyRecorded', 'BayHeld', 'BayHeld', 'BayRecorded', 'HoldMoved', 'BayRecorded', 'HoldFulfilled', 'HoldReleased', 'OccupancyRecorded', 'BayRecorded']);
  checkJson(lot, script);
});

test('parking lot property: random bay, counter, hold and tick commands → total within [0, capacity], no bay held twice, no held bay known occupied, one hold per account', () => {
  const cmd = fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.option(fc.boolean(), { nil: null })).map(([i, o, inside]) => ({ kind: 'bay' as const, i, o, inside })),
    fc.integer({ min: -3, max: 9 }).map((raw) => ({ kind: 'counter' as const, raw })),
    fc.tuple(fc.constantFrom('acct-a', 'acct-b', 'acct-c', 'acct-o'), fc.nat(99)).map(([a, n]) => ({ kind: 'hold' as const, a, n })),
    fc.constant({ kind: 'tick' as const }),
  );
  fc.assert(fc.property(fc.array(cmd, { maxLength: 50 }), (steps) => {
    let at = 1000;
    const commands: LotCommand[] = steps.map((c, i) => {
      at += 20_000;
      switch (c.kind) {
        case 'bay': return bay(`b${c.i}`, c.o, at, c.inside);
        case 'counter': return counter(c.raw, at);
        case 'hold': return hold(`h-${i}-${c.n}`, c.a, at, { unitIds: c.a === 'acct-o' ? ['u-601'] : ['u-101'] });
        case 'tick': return { type: 'Tick', at };
      }
    });
    const r = checkReplay(lot, commands);
    for (const step of r.steps) {
      const s = step.state;
      assert.ok(s.occupied === null || (s.occupied >= 0 && s.occupied <= 6));
      const holds = Object.values(s.holds);
      assert.equal(new Set(holds.map((h) => h.bayId)).size, holds.length, 'no bay held twice');
      assert.equal(new Set(holds.map((h) => h.accountId)).size, holds.length, 'one hold per account');
      for (const h of holds) {
        assert.notEqual(s.bays[h.bayId]?.occupied, true, `held bay ${h.bayId} is known occupied`);
        const b = BAYS.find((x) => x.id === h.bayId)!;
        assert.ok(!b.planned || h.unitIds.includes(b.owner!), 'a planned bay is held only for its owner');
      }
    }
  }), { numRuns: 300 });
});
