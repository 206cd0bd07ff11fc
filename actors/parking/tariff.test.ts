/**
 * Tests of the tariff arithmetic: the edge cases the property office asks about (free minutes,
 * midnight, the daily cap over several days, a monthly pass that starts or ends mid-stay, a
 * visitor pass that expires mid-stay) with hand-computed fees, and properties that must hold for
 * every stay, tariff and set of passes (fast-check).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chargeableParts, DAY_MS, feeOf, HOUR_MS, localDay, MINUTE_MS, unionOf, type FeeRules, type Interval } from './tariff.ts';

const BEIJING = 480;
const RULES: FeeRules = { freeMinutes: 30, hourlyFen: 500, dailyCapFen: 3000 };
/** Epoch ms of a Beijing wall-clock time. */
const bj = (iso: string) => Date.parse(`${iso}+08:00`);
const fee = (from: string, until: string, covered: Interval[] = [], rules: FeeRules = RULES) => feeOf({ from: bj(from), until: bj(until) }, covered, rules, BEIJING);

test('tariff: stay within the free minutes (30 min exactly) → 0; one ms more → the first hour is charged', () => {
  assert.equal(fee('2026-03-02T10:00:00', '2026-03-02T10:30:00').feeFen, 0);
  const over = feeOf({ from: bj('2026-03-02T10:00:00'), until: bj('2026-03-02T10:30:00') + 1 }, [], RULES, BEIJING);
  assert.deepEqual([over.feeFen, over.billedHours], [500, 1]);
});

test('tariff: 90 minutes → two started hours; 2 h exactly → two hours', () => {
  assert.equal(fee('2026-03-02T10:00:00', '2026-03-02T11:30:00').feeFen, 1000);
  assert.equal(fee('2026-03-02T10:00:00', '2026-03-02T12:00:00').feeFen, 1000);
});

test('tariff: across midnight 23:30–00:30 → one billing hour, on the day it started', () => {
  const f = fee('2026-03-02T23:30:00', '2026-03-03T00:30:00');
  assert.deepEqual([f.feeFen, f.billedHours], [500, 1]);
  assert.deepEqual(f.days, [{ day: '2026-03-02', hours: 1, fen: 500 }]);
});

test('tariff: across midnight 23:00–01:30 → 1 hour on the first day, 2 on the second', () => {
  const f = fee('2026-03-02T23:00:00', '2026-03-03T01:30:00');
  assert.deepEqual(f.days, [{ day: '2026-03-02', hours: 1, fen: 500 }, { day: '2026-03-03', hours: 2, fen: 1000 }]);
  assert.equal(f.feeFen, 1500);
});

test('tariff: daily cap over several days, 20:00 Monday → 10:00 Thursday → 4 h, 24 h, 24 h, 10 h capped per day', () => {
  const f = fee('2026-03-02T20:00:00', '2026-03-05T10:00:00');
  assert.deepEqual(f.days.map((d) => [d.day, d.hours, d.fen]), [
    ['2026-03-02', 4, 2000], ['2026-03-03', 24, 3000], ['2026-03-04', 24, 3000], ['2026-03-05', 10, 3000],
  ]);
  assert.equal(f.feeFen, 11000);
});

test('tariff: no daily cap → every billed hour costs the hourly rate', () => {
  assert.equal(fee('2026-03-02T20:00:00', '2026-03-03T20:00:00', [], { ...RULES, dailyCapFen: null }).feeFen, 24 * 500);
});

test('tariff: monthly pass starting mid-stay (10:00–14:00, pass from 12:00) → only 10:00–12:00 is charged', () => {
  const pass = { from: bj('2026-03-02T12:00:00'), until: bj('2026-04-01T12:00:00') };
  const f = fee('2026-03-02T10:00:00', '2026-03-02T14:00:00', [pass]);
  assert.deepEqual([f.feeFen, f.billedHours, f.chargeableMs], [1000, 2, 2 * HOUR_MS]);
});

test('tariff: monthly pass ending mid-stay (ends 08:15, car leaves 11:00) → hours from 08:00 (holds 08:15–09:00) to 11:00 are charged', () => {
  const pass = { from: bj('2026-02-01T08:15:00'), until: bj('2026-03-02T08:15:00') };
  const f = fee('2026-03-01T18:00:00', '2026-03-02T11:00:00', [pass]);
  // billing hours run from the 18:00 entry: 08:00–09:00 holds 45 chargeable minutes, then 09–10, 10–11
  assert.deepEqual([f.feeFen, f.billedHours], [1500, 3]);
});

test('tariff: visitor pass expiring mid-stay (pass 10:00–12:20, stay 10:00–14:00) → 12:00–14:00 charged (2 hours)', () => {
  const pass = { from: bj('2026-03-02T10:00:00'), until: bj('2026-03-02T12:20:00') };
  const f = fee('2026-03-02T10:00:00', '2026-03-02T14:00:00', [pass]);
  assert.deepEqual([f.feeFen, f.billedHours, f.chargeableMs], [1000, 2, 100 * MINUTE_MS]);
});

test('tariff: chargeable time left after a pass within the free minutes → 0', () => {
  const pass = { from: bj('2026-03-02T10:00:00'), until: bj('2026-03-02T12:00:00') };
  assert.equal(fee('2026-03-02T10:00:00', '2026-03-02T12:25:00', [pass]).feeFen, 0);
});

test('tariff: fully covered stay, zero or negative stay → 0', () => {
  const all = { from: bj('2026-03-01T00:00:00'), until: bj('2026-03-10T00:00:00') };
  assert.equal(fee('2026-03-02T10:00:00', '2026-03-04T14:00:00', [all]).feeFen, 0);
  assert.equal(fee('2026-03-02T10:00:00', '2026-03-02T10:00:00').feeFen, 0);
  assert.equal(fee('2026-03-02T10:00:00', '2026-03-02T09:00:00').feeFen, 0);
});

test('tariff: local day uses the community offset (15:59 UTC is 23:59 in Beijing)', () => {
  assert.equal(localDay(Date.parse('2026-03-02T15:59:00Z'), BEIJING), '2026-03-02');
  assert.equal(localDay(Date.parse('2026-03-02T16:00:00Z'), BEIJING), '2026-03-03');
  assert.equal(localDay(Date.parse('2026-03-02T16:00:00Z'), 0), '2026-03-02');
});

test('tariff: unionOf and chargeableParts → disjoint sorted parts that with the cover make up the stay', () => {
  assert.deepEqual(unionOf([{ from: 5, until: 7 }, { from: 1, until: 3 }, { from: 2, until: 4 }, { from: 9, until: 9 }]), [{ from: 1, until: 4 }, { from: 5, until: 7 }]);
  assert.deepEqual(chargeableParts({ from: 0, until: 10 }, [{ from: 2, until: 4 }, { from: 8, until: 20 }, { from: -5, until: 1 }]), [{ from: 1, until: 2 }, { from: 4, until: 8 }]);
});

// --- properties

const T0 = Date.parse('2026-01-01T00:00:00Z');
const rulesArb = fc.record({
  freeMinutes: fc.integer({ min: 0, max: 120 }),
  hourlyFen: fc.integer({ min: 0, max: 2000 }),
  dailyCapFen: fc.option(fc.integer({ min: 0, max: 20000 }), { nil: null }),
});
const stayArb = fc.tuple(fc.integer({ min: 0, max: 30 * DAY_MS }), fc.integer({ min: 0, max: 6 * DAY_MS })).map(([a, len]) => ({ from: T0 + a, until: T0 + a + len }));
const coverArb = fc.array(fc.tuple(fc.integer({ min: -DAY_MS, max: 37 * DAY_MS }), fc.integer({ min: 0, max: 3 * DAY_MS })).map(([a, len]) => ({ from: T0 + a, until: T0 + a + len })), { maxLength: 4 });
const offsetArb = fc.integer({ min: -720, max: 840 });

test('tariff property: fee is a non-negative integer number of fen, never more than every started hour at the hourly rate', () => {
  fc.assert(fc.property(stayArb, coverArb, rulesArb, offsetArb, (stay, cover, rules, off) => {
    const f = feeOf(stay, cover, rules, off);
    assert.ok(Number.isSafeInteger(f.feeFen) && f.feeFen >= 0);
    assert.ok(f.feeFen <= Math.ceil((stay.until - stay.from) / HOUR_MS) * rules.hourlyFen);
    assert.equal(f.feeFen, f.days.reduce((n, d) => n + d.fen, 0));
  }));
});

test('tariff property: with a cap, fee ≤ cap × local days the stay touches', () => {
  fc.assert(fc.property(stayArb, coverArb, rulesArb, offsetArb, (stay, cover, rules, off) => {
    fc.pre(rules.dailyCapFen !== null && stay.until > stay.from);
    const days = new Set<string>();
    for (let t = stay.from; t < stay.until; t += HOUR_MS) days.add(localDay(t, off));
    days.add(localDay(stay.until - 1, off));
    assert.ok(feeOf(stay, cover, rules, off).feeFen <= rules.dailyCapFen! * days.size);
  }));
});

test('tariff property: staying longer never costs less', () => {
  fc.assert(fc.property(stayArb, fc.integer({ min: 0, max: 2 * DAY_MS }), coverArb, rulesArb, offsetArb, (stay, more, cover, rules, off) => {
    assert.ok(feeOf(stay, cover, rules, off).feeFen <= feeOf({ from: stay.from, until: stay.until + more }, cover, rules, off).feeFen);
  }));
});

test('tariff property: another pass never raises the fee', () => {
  fc.assert(fc.property(stayArb, coverArb, coverArb, rulesArb, offsetArb, (stay, cover, extra, rules, off) => {
    assert.ok(feeOf(stay, [...cover, ...extra], rules, off).feeFen <= feeOf(stay, cover, rules, off).feeFen);
  }));
});

test('tariff property: moving the whole stay and its passes by whole days → the same fee', () => {
  fc.assert(fc.property(stayArb, coverArb, rulesArb, offsetArb, fc.integer({ min: -400, max: 400 }), (stay, cover, rules, off, days) => {
    const d = days * DAY_MS;
    const moved = feeOf({ from: stay.from + d, until: stay.until + d }, cover.map((c) => ({ from: c.from + d, until: c.until + d })), rules, off);
    assert.equal(moved.feeFen, feeOf(stay, cover, rules, off).feeFen);
  }));
});

test('tariff property: no passes, no cap, past the free minutes → exactly the started hours × rate', () => {
  fc.assert(fc.property(stayArb, rulesArb, offsetArb, (stay, rules, off) => {
    const len = stay.until - stay.from;
    fc.pre(len > rules.freeMinutes * MINUTE_MS);
    assert.equal(feeOf(stay, [], { ...rules, dailyCapFen: null }, off).feeFen, Math.ceil(len / HOUR_MS) * rules.hourlyFen);
  }));
});
