/**
 * @module importers/osm/community.test
 * importOsm on the committed cut of the real export (testdata/shikeyuan-mini.osm): a compound,
 * two buildings (one residential), one lot, one gate, one shop and one footway.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseCommunityLayout } from '../../engine/community-file.ts';
import { ImportError } from '../errors.ts';
import { fixtureJson } from '../json-text.ts';
import { importOsm, summarize } from './community.ts';

const MINI = readFileSync(new URL('./testdata/shikeyuan-mini.osm', import.meta.url), 'utf8');
const layout = importOsm(MINI, { compound: 'way/595108678', id: 'mini', sourceFile: 'shikeyuan-mini.osm' });

describe('importOsm', () => {
  test('importOsm: compound way → closed boundary, bounds around it, attribution and licence', () => {
    assert.equal(layout.osmId, 'way/595108678');
    assert.deepEqual(layout.name, { 'zh-CN': '石科院生活区', en: 'Shikeyuan Residential Compound' });
    assert.deepEqual(layout.boundary[0], layout.boundary[layout.boundary.length - 1]);
    assert.equal(layout.boundary.length, 32);
    assert.ok(layout.boundary.every(([lon, lat]) => lon >= layout.bounds.minLon && lon <= layout.bounds.maxLon && lat >= layout.bounds.minLat && lat <= layout.bounds.maxLat));
    assert.equal(layout.attribution, '© OpenStreetMap contributors');
    assert.equal(layout.license, 'ODbL-1.0');
    assert.match(layout.source, /shikeyuan-mini\.osm.*way\/595108678/);
  });

  test('importOsm: 1号楼 and 科技活动中心 → one residential building, one not', () => {
    assert.deepEqual(layout.buildings.map((b) => [b.id, b.name['zh-CN'], b.name.en, b.residential]), [
      ['bldg-594889490', '1号楼', 'Building 1', true],
      ['bldg-595098663', '科技活动中心', 'Science and Technology Activity Centre', false],
    ]);
    assert.equal(layout.buildings[0]!.levels, null);
    assert.equal(layout.buildings[0]!.footprint.length, 5);
  });

  test('importOsm: untagged parking polygon → capacity estimated from area, counter device id', () => {
    assert.equal(layout.lots.length, 1);
    const lot = layout.lots[0]!;
    assert.equal(lot.id, 'lot-595098587');
    assert.equal(lot.capacitySource, 'area');
    assert.equal(lot.kind, 'surface');
    assert.equal(lot.counterDeviceId, 'lot-595098587-counter');
    assert.ok(lot.capacity >= 4 && lot.capacity < 20, `capacity ${lot.capacity}`);
  });

  test('importOsm: parking with a capacity tag → capacity from OSM', () => {
    const tagged = MINI.replace('<tag k="amenity" v="parking"/>', '<tag k="amenity" v="parking"/>\n  <tag k="capacity" v="42"/>');
    const lot = importOsm(tagged, { compound: 'way/595108678', id: 'mini' }).lots[0]!;
    assert.deepEqual([lot.capacity, lot.capacitySource], [42, 'osm']);
  });

  test('importOsm: entrance on the boundary and shop inside → gate and inside amenity', () => {
    assert.deepEqual(layout.gates.map((g) => [g.id, g.kind, g.name['zh-CN']]), [['gate-5671590330', 'entrance', '东南门']]);
    assert.deepEqual(layout.amenities.map((a) => [a.id, a.kind, a.inside]), [['amenity-5671638103', 'supermarket', true]]);
  });

  test('importOsm: footway inside → way for drawing; default groups present', () => {
    assert.deepEqual(layout.ways.map((w) => [w.id, w.kind, w.line.length]), [['way-595108673', 'footway', 2]]);
    assert.deepEqual(layout.groups.map((g) => g.id), ['group-garden', 'group-parents']);
  });

  test('importOsm: every id → NATS-subject-safe', () => {
    const ids = [layout.id, ...[layout.buildings, layout.lots, layout.gates, layout.amenities, layout.ways, layout.groups].flat().map((f) => f.id)];
    for (const id of ids) assert.match(id, /^[a-z0-9-]+$/);
  });

  test('importOsm: same input twice → byte-identical JSON that passes the runtime validator', () => {
    const again = importOsm(MINI, { compound: 'way/595108678', id: 'mini', sourceFile: 'shikeyuan-mini.osm' });
    assert.equal(fixtureJson(again), fixtureJson(layout));
    assert.deepEqual(JSON.parse(fixtureJson(layout)), layout);
    parseCommunityLayout(JSON.parse(fixtureJson(layout)), 'mini');
  });

  test('importOsm: compound by name → same layout as by id', () => {
    assert.deepEqual(importOsm(MINI, { compound: '石科院生活区', id: 'mini', sourceFile: 'shikeyuan-mini.osm' }), layout);
    assert.deepEqual(importOsm(MINI, { compound: '595108678', id: 'mini', sourceFile: 'shikeyuan-mini.osm' }), layout);
  });

  test('importOsm: coordinates → at most 7 decimals', () => {
    const coords = [layout.boundary, ...layout.buildings.map((b) => b.footprint), layout.amenities.map((a) => a.at)].flat(2);
    for (const c of coords) assert.equal(Math.round(c * 1e7) / 1e7, c);
  });

  const bad: [string, string, string, RegExp][] = [
    ['unknown compound name', '不存在小区', 'mini', /not found/],
    ['unknown compound id', 'way/1', 'mini', /way\/1 not found/],
    ['a node as compound', 'node/5671590330', 'mini', /is a node/],
    ['an id with capitals', 'way/595108678', 'Mini', /must be 1-32 characters of \[a-z0-9-\]/],
    ['an id with a dot', 'way/595108678', 'a.b', /NATS subjects/],
  ];
  for (const [what, compound, id, message] of bad) {
    test(`importOsm: ${what} → ImportError with a clear message`, () => {
      assert.throws(() => importOsm(MINI, { compound, id }), (err: unknown) => err instanceof ImportError && message.test(err.message));
    });
  }

  test('summarize: mini layout → one line with every count', () => {
    const line = summarize(layout);
    assert.doesNotMatch(line, /\n/);
    assert.match(line, /2 buildings \(1 residential\), 1 lots \(capacity \d+\), 1 gates, 1 amenities \(1 inside\), 1 ways/);
  });
});
