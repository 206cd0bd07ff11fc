/**
 * @module devices/replay/parking-slice.test
 * The committed slice (fixtures/shikeyuan/parking-replay.csv) parses cleanly, covers every lot of
 * the committed community and keeps the source's bad rows; malformed lines land in `skipped`.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_COMMUNITY_FILE, loadCommunityFile } from '../../engine/community-file.ts';
import { DEFAULT_PARKING_SLICE, PARKING_SLICE_COLUMNS, parseParkingSlice } from './parking-slice.ts';

const HEADER = PARKING_SLICE_COLUMNS.join(',');
const GOOD = 'lot-1,lot-1-counter,NIA North,480,-8,2016-10-28 13:02:43,10,-1';

describe('committed parking slice', () => {
  const text = readFileSync(DEFAULT_PARKING_SLICE, 'utf8');
  const { rows, skipped } = parseParkingSlice(text);

  test('DEFAULT_PARKING_SLICE: resolved from the module → absolute path of a file under 200 KB', () => {
    assert.ok(isAbsolute(DEFAULT_PARKING_SLICE));
    assert.ok(statSync(DEFAULT_PARKING_SLICE).size < 200 * 1024);
  });

  test('parking-replay.csv: parsed → no skipped lines, attribution in the comment block', () => {
    assert.deepEqual(skipped, []);
    assert.ok(rows.length > 100);
    for (const needle of ['Parking Birmingham', 'dataset 482', 'CC BY 4.0', 'Stolfi, Alba & Yao (2017)', 'Birmingham City Council', 'Open Government Licence', 'scaled to lot capacity, bad rows kept on purpose']) {
      assert.ok(text.includes(needle), needle);
    }
  });

  test('parking-replay.csv: rows → every lot of the community, with its counter device and capacity', () => {
    const community = loadCommunityFile(DEFAULT_COMMUNITY_FILE);
    for (const lot of community.lots) {
      const own = rows.filter((r) => r.lotId === lot.id);
      assert.ok(own.length > 0, `rows for ${lot.id}`);
      assert.ok(own.every((r) => r.deviceId === lot.counterDeviceId && r.capacity === lot.capacity), lot.id);
    }
    assert.deepEqual(new Set(rows.map((r) => r.lotId)), new Set(community.lots.map((l) => l.id)));
  });

  test('parking-replay.csv: bad rows → ≥ 1 negative, ≥ 1 above capacity, ≥ 1 exact duplicate', () => {
    assert.ok(rows.some((r) => r.occupancy < 0 && r.sourceOccupancy < 0));
    assert.ok(rows.some((r) => r.occupancy > r.capacity && r.sourceOccupancy > r.sourceCapacity));
    const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    assert.ok(lines.length > new Set(lines).size, 'an exact duplicate line');
  });

  test('parking-replay.csv: order → by time, then lot', () => {
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1]!;
      const b = rows[i]!;
      assert.ok(a.at < b.at || (a.at === b.at && a.lotId <= b.lotId), `row ${i}`);
    }
  });
});

describe('parseParkingSlice', () => {
  test('parseParkingSlice: good row → fields typed, at = last_updated read as UTC', () => {
    const { rows, skipped } = parseParkingSlice(`# comment\n${HEADER}\n${GOOD}\n`);
    assert.deepEqual(skipped, []);
    assert.deepEqual(rows, [{
      lotId: 'lot-1', deviceId: 'lot-1-counter', sourceCarPark: 'NIA North', sourceCapacity: 480, sourceOccupancy: -8,
      lastUpdated: '2016-10-28 13:02:43', at: Date.UTC(2016, 9, 28, 13, 2, 43), capacity: 10, occupancy: -1,
    }]);
  });

  test('parseParkingSlice: CRLF, BOM, blank lines and quoted fields → read', () => {
    const text = `\uFEFF${HEADER}\r\n\r\n"lot-1","lot-1-counter","Car park, ""A""",480,5,2016-10-28 13:02:43,10,1\r\n`;
    const { rows, skipped } = parseParkingSlice(text);
    assert.deepEqual(skipped, []);
    assert.equal(rows[0]?.sourceCarPark, 'Car park, "A"');
  });

  test('parseParkingSlice: malformed lines → reported in skipped with line and reason, good rows kept', () => {
    const text = [
      HEADER,
      GOOD,
      'lot-1,lot-1-counter,NIA North,480,5',
      'lot-1,lot-1-counter,NIA North,480,five,2016-10-28 13:02:43,10,1',
      'lot-1,lot-1-counter,NIA North,480,5,2016-02-30 13:02:43,10,1',
      'lot-1,lot-1-counter,NIA North,480,5,28/10/2016 13:02,10,1',
      'Lot 1,lot-1-counter,NIA North,480,5,2016-10-28 13:02:43,10,1',
      'lot-1,lot-1-counter,NIA North,0,5,2016-10-28 13:02:43,10,1',
      'lot-1,lot-1-counter,"NIA North,480,5,2016-10-28 13:02:43,10,1',
      GOOD,
    ].join('\n');
    const { rows, skipped } = parseParkingSlice(text);
    assert.equal(rows.length, 2);
    assert.deepEqual(skipped.map((s) => s.line), [3, 4, 5, 6, 7, 8, 9]);
    assert.match(skipped[0]!.reason, /expected 8 fields, got 5/);
    assert.match(skipped[1]!.reason, /source_occupancy "five" is not an integer/);
    assert.match(skipped[2]!.reason, /last_updated/);
    assert.match(skipped[4]!.reason, /lot_id "Lot 1"/);
    assert.match(skipped[5]!.reason, /source_capacity 0 is not positive/);
    assert.match(skipped[6]!.reason, /unbalanced quotes/);
  });

  test('parseParkingSlice: missing header → reported, rows after it still read', () => {
    const { rows, skipped } = parseParkingSlice(`lot_id,device,oops\n${GOOD}\n`);
    assert.equal(rows.length, 1);
    assert.deepEqual(skipped, [{ line: 1, reason: `expected the header "${HEADER}"` }]);
  });

  test('parseParkingSlice: binary garbage → never throws', () => {
    const garbage = Array.from({ length: 2000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('');
    assert.doesNotThrow(() => parseParkingSlice(garbage));
    assert.deepEqual(parseParkingSlice(''), { rows: [], skipped: [] });
  });
});
