/**
 * @module importers/parking/slice.test
 * Window choice, mapping, scaling and CSV text on a committed cut of the real Birmingham data
 * (testdata/birmingham-2016-10-28.csv: 6 car parks, 2 days, with the source's own bad rows).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseParkingSlice } from '../../devices/replay/parking-slice.ts';
import { ImportError } from '../errors.ts';
import { parseBirminghamCsv } from './birmingham.ts';
import { buildSlice, countBadRows, planSlice, renderSlice, scaleOccupancy, type LotRef } from './slice.ts';

const SOURCE = parseBirminghamCsv(readFileSync(new URL('./testdata/birmingham-2016-10-28.csv', import.meta.url), 'utf8'));
const lot = (n: number, capacity: number): LotRef => ({ id: `lot-${n}`, counterDeviceId: `lot-${n}-counter`, capacity });
const LOTS = [lot(1, 55), lot(2, 10), lot(3, 12), lot(4, 6), lot(5, 6), lot(6, 16)];

describe('parking slice', () => {
  test('scaleOccupancy: normal reading → round(occ × lotCap / srcCap)', () => {
    assert.equal(scaleOccupancy(240, 480, 10), 5);
    assert.equal(scaleOccupancy(0, 480, 10), 0);
    assert.equal(scaleOccupancy(480, 480, 10), 10);
  });

  test('scaleOccupancy: small negative that rounds to 0 → stays negative (-1)', () => {
    assert.equal(scaleOccupancy(-1, 480, 10), -1);
    assert.equal(Object.is(scaleOccupancy(-1, 4800, 10), -0), false);
    assert.equal(scaleOccupancy(-96, 480, 10), -2);
  });

  test('scaleOccupancy: slightly above capacity → stays above (capacity + 1)', () => {
    assert.equal(scaleOccupancy(1011, 1010, 55), 56);
    assert.equal(scaleOccupancy(2020, 1010, 55), 110);
  });

  test('parseBirminghamCsv: wrong header or broken line → ImportError naming the line', () => {
    assert.throws(() => parseBirminghamCsv('a,b,c\n'), (e: unknown) => e instanceof ImportError && /header/.test(e.message));
    const broken = 'SystemCodeNumber,Capacity,Occupancy,LastUpdated\nX,10,5,2016-10-04 07:59:42\nX,ten,5,2016-10-04 08:59:42\n';
    assert.throws(() => parseBirminghamCsv(broken), (e: unknown) => e instanceof ImportError && /line 3/.test(e.message));
  });

  test('planSlice: 2-day window over the cut → negative, above-capacity and duplicate car parks all mapped', () => {
    const plan = planSlice(SOURCE, LOTS, 2);
    assert.deepEqual([plan.firstDay, plan.lastDay], ['2016-10-28', '2016-10-29']);
    const parks = new Map(plan.mapping.map((m) => [m.lot.id, m.carPark]));
    assert.equal(parks.get('lot-1'), 'BHMBRCBRG01', 'largest lot ← largest car park');
    assert.equal(new Set(parks.values()).size, 6);
    assert.ok([...parks.values()].includes('NIA North'), 'the only car park with negative readings');
  });

  test('planSlice: same input twice → same plan', () => {
    assert.deepEqual(planSlice(SOURCE, LOTS, 2), planSlice(SOURCE, [...LOTS].reverse(), 2));
  });

  test('planSlice: more lots than car parks, or no lots → ImportError', () => {
    assert.throws(() => planSlice(SOURCE, [...LOTS, lot(7, 5)], 2), ImportError);
    assert.throws(() => planSlice(SOURCE, [], 2), ImportError);
  });

  test('buildSlice: rows → sorted by time then lot, bad rows kept', () => {
    const rows = buildSlice(SOURCE, planSlice(SOURCE, LOTS, 2));
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1]!;
      const b = rows[i]!;
      assert.ok(a.lastUpdated < b.lastUpdated || (a.lastUpdated === b.lastUpdated && a.lotId <= b.lotId), `row ${i} out of order`);
    }
    const bad = countBadRows(rows);
    assert.ok(bad.negative >= 1 && bad.overCapacity >= 1 && bad.duplicate >= 1, JSON.stringify(bad));
    assert.equal(rows.length, SOURCE.length, 'every source row of the 6 car parks is in the 2-day slice');
  });

  test('renderSlice: text → attribution comments, and parses back to the same rows', () => {
    const plan = planSlice(SOURCE, LOTS, 2);
    const rows = buildSlice(SOURCE, plan);
    const text = renderSlice(rows, plan, { communityId: 't', communityName: '测试', sourceFile: 'cut.csv' });
    for (const needle of ['Parking Birmingham', 'dataset 482', 'CC BY 4.0', 'Stolfi, Alba & Yao (2017)', 'Birmingham City Council', 'Open Government Licence', 'scaled to lot capacity, bad rows kept on purpose']) {
      assert.ok(text.includes(needle), needle);
    }
    const parsed = parseParkingSlice(text);
    assert.deepEqual(parsed.skipped, []);
    assert.deepEqual(parsed.rows.map(({ at: _at, ...r }) => r), rows);
  });
});
