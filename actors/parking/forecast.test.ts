/**
 * Tests of the forecast method on hand-made profiles: the weekday-hour basis, the fall-backs
 * (same hour any day, then the occupancy now), today's difference fading by half every two
 * hours, rounding and clamping, local hours under the community's offset. The same method on
 * real chDB rows is tested in rooms/parking/forecast.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forecastLot, localSlot, type ProfileRow } from './forecast.ts';

const BJ = 480;
/** Monday 2026-03-02 09:20 in Beijing. */
const NOW = Date.parse('2026-03-02T09:20:00+08:00');
const row = (dow: number, hour: number, mean: number, days = 3): ProfileRow => ({ dow, hour, mean, days });

test('forecast: local slot → ISO weekday and hour in the community time (Monday 09:20 Beijing is Monday 01:20 UTC)', () => {
  assert.deepEqual(localSlot(NOW, BJ), { dow: 1, hour: 9 });
  assert.deepEqual(localSlot(Date.parse('2026-03-01T23:30:00+08:00'), BJ), { dow: 7, hour: 23 });
});

test('forecast: now on the typical value → each next hour is its weekday-hour mean, starting at the next whole hour', () => {
  const profile = [row(1, 9, 20), row(1, 10, 30), row(1, 11, 40.4)];
  const f = forecastLot({ capacity: 55, current: 20, now: NOW, hours: 2, utcOffsetMin: BJ, profile });
  assert.deepEqual(f, [
    { at: Date.parse('2026-03-02T10:00:00+08:00'), dow: 1, hour: 10, occupied: 30, free: 25, basis: 'weekday-hour', days: 3 },
    { at: Date.parse('2026-03-02T11:00:00+08:00'), dow: 1, hour: 11, occupied: 40, free: 15, basis: 'weekday-hour', days: 3 },
  ]);
});

test('forecast: 10 cars above typical now → +7 after one hour, +5 after two (half every two hours), +2.5 → 3 after four', () => {
  const profile = [1, 2, 3, 4].map((k) => row(1, 9 + k, 20)).concat(row(1, 9, 20));
  const f = forecastLot({ capacity: 55, current: 30, now: NOW, hours: 4, utcOffsetMin: BJ, profile });
  assert.deepEqual(f.map((h) => h.occupied), [27, 25, 24, 23]);
});

test('forecast: no history on that weekday → same hour on other days, weighted by days; no history at all → the occupancy now; nothing known → none', () => {
  const profile = [row(3, 10, 10, 1), row(5, 10, 40, 3)];
  const f = forecastLot({ capacity: 55, current: 12, now: NOW, hours: 2, utcOffsetMin: BJ, profile });
  assert.deepEqual([f[0]!.basis, f[0]!.occupied, f[0]!.days], ['hour', 33, 4]);
  assert.deepEqual([f[1]!.basis, f[1]!.occupied, f[1]!.free], ['current', 12, 43]);
  const none = forecastLot({ capacity: 55, current: null, now: NOW, hours: 1, utcOffsetMin: BJ, profile: [] });
  assert.deepEqual([none[0]!.basis, none[0]!.occupied, none[0]!.free], ['none', null, null]);
});

test('forecast: across midnight → Sunday 23:00 then Monday 00:00 slots', () => {
  const f = forecastLot({ capacity: 10, current: null, now: Date.parse('2026-03-01T22:10:00+08:00'), hours: 2, utcOffsetMin: BJ, profile: [row(7, 23, 4), row(1, 0, 2)] });
  assert.deepEqual(f.map((h) => [h.dow, h.hour, h.occupied]), [[7, 23, 4], [1, 0, 2]]);
});

test('forecast property: any profile and current → integers within [0, capacity], free = capacity − occupied, hours one hour apart', () => {
  const arb = fc.record({
    capacity: fc.integer({ min: 0, max: 200 }),
    current: fc.option(fc.integer({ min: -10, max: 300 }), { nil: null }),
    now: fc.integer({ min: 1.6e12, max: 1.9e12 }),
    hours: fc.integer({ min: 1, max: 24 }),
    utcOffsetMin: fc.constantFrom(-300, 0, 330, 480),
    profile: fc.array(fc.record({ dow: fc.integer({ min: 1, max: 7 }), hour: fc.integer({ min: 0, max: 23 }), mean: fc.double({ min: -5, max: 400, noNaN: true }), days: fc.integer({ min: 0, max: 9 }) }), { maxLength: 30 }),
  });
  fc.assert(fc.property(arb, (input) => {
    const f = forecastLot(input);
    assert.equal(f.length, input.hours);
    for (const [i, h] of f.entries()) {
      if (i > 0) assert.equal(h.at - f[i - 1]!.at, 3_600_000);
      if (h.occupied === null) { assert.equal(h.basis, 'none'); continue; }
      assert.ok(Number.isInteger(h.occupied) && h.occupied >= 0 && h.occupied <= input.capacity);
      assert.equal(h.free, input.capacity - h.occupied);
    }
    assert.ok(f[0]!.at > input.now && f[0]!.at - input.now <= 3_600_000);
  }));
});
