/**
 * Tests of the unit-register CSV parser: header rules, field formats and suffixes, quoting,
 * per-line errors that never throw, the row bound, and the committed sample register for
 * 石科院生活区 checked against fixtures/shikeyuan/community.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { DirectoryError } from './directory-errors.ts';
import { parseUnitRegister, unitIdOf, unitRowProblem, REGISTER_COLUMNS } from './unit-register.ts';
import type { CommunityLayout } from './layout.ts';

const HEADER = REGISTER_COLUMNS.join(',');
const csv = (...lines: string[]) => [HEADER, ...lines].join('\n');

test('unit register: valid rows → UnitRows in file order, no errors', () => {
  const r = parseUnitRegister(csv('bldg-594889490,1,12,1202,89.5,张三', 'bldg-594889490,2,3,301,72,'));
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.rows, [
    { buildingId: 'bldg-594889490', entrance: '1', floor: 12, room: '1202', areaM2: 89.5, ownerOfRecord: '张三' },
    { buildingId: 'bldg-594889490', entrance: '2', floor: 3, room: '301', areaM2: 72, ownerOfRecord: null },
  ]);
  assert.equal(unitIdOf(r.rows[0]), 'bldg-594889490-1-1202');
});

test('unit register: BOM, CRLF, comments, blank lines and reordered columns → parsed', () => {
  const text = '\ufeff# SAMPLE\r\n\r\nroom,building_id,owner_of_record,floor,entrance,area_m2\r\n1202,bldg-1,李四,12,1,90\r\n';
  const r = parseUnitRegister(text);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.rows, [{ buildingId: 'bldg-1', entrance: '1', floor: 12, room: '1202', areaM2: 90, ownerOfRecord: '李四' }]);
});

test('unit register: zh-CN suffixes and full-width digits (1单元, 12层, １２０２室, 89.5㎡) → canonical values', () => {
  const r = parseUnitRegister(csv('bldg-1,1单元,12层,１２０２室,89.5㎡,王五', 'bldg-1,2,-1,B01,30平米,'));
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.rows.map(unitIdOf), ['bldg-1-1-1202', 'bldg-1-2-B01']);
  assert.deepEqual(r.rows.map((u) => [u.floor, u.areaM2]), [[12, 89.5], [-1, 30]]);
});

test('unit register: quoted owner with comma and escaped quote → one cell', () => {
  const r = parseUnitRegister(csv('bldg-1,1,1,101,50,"张三, 李四 ""共有"""'));
  assert.deepEqual(r.errors, []);
  assert.equal(r.rows[0].ownerOfRecord, '张三, 李四 "共有"');
});

test('unit register: bad fields → one DIRECTORY_REGISTER_BAD_FIELD per line naming the column; good lines kept', () => {
  const r = parseUnitRegister(csv(
    'bldg 1,1,1,101,50,',      // space in a building id
    'bldg-1,1-2,1,101,50,',    // a dash in an entrance would make unit ids ambiguous
    'bldg-1,1,1.5,101,50,',
    'bldg-1,1,1,,50,',
    'bldg-1,1,1,101,0,',
    'bldg-1,1,1,101,abc,',
    'bldg-1,1,1,101,50,ok',
  ));
  assert.deepEqual(r.errors.map((e) => [e.line, e.code, e.column]), [
    [2, DirectoryError.REGISTER_BAD_FIELD, 'building_id'],
    [3, DirectoryError.REGISTER_BAD_FIELD, 'entrance'],
    [4, DirectoryError.REGISTER_BAD_FIELD, 'floor'],
    [5, DirectoryError.REGISTER_BAD_FIELD, 'room'],
    [6, DirectoryError.REGISTER_BAD_FIELD, 'area_m2'],
    [7, DirectoryError.REGISTER_BAD_FIELD, 'area_m2'],
  ]);
  assert.equal(r.rows.length, 1);
});

test('unit register: a line with several bad fields (floor=x, area=abc) → one DIRECTORY_REGISTER_BAD_FIELD per field, all on that line', () => {
  const r = parseUnitRegister(csv('bldg-1,1,x,101,abc,', 'bldg 1,1-2,1,,0,'));
  assert.deepEqual(r.errors.map((e) => [e.line, e.code, e.column]), [
    [2, DirectoryError.REGISTER_BAD_FIELD, 'floor'],
    [2, DirectoryError.REGISTER_BAD_FIELD, 'area_m2'],
    [3, DirectoryError.REGISTER_BAD_FIELD, 'building_id'],
    [3, DirectoryError.REGISTER_BAD_FIELD, 'entrance'],
    [3, DirectoryError.REGISTER_BAD_FIELD, 'room'],
    [3, DirectoryError.REGISTER_BAD_FIELD, 'area_m2'],
  ]);
  assert.match(r.errors[0].detail, /found "x"/);
  assert.match(r.errors[1].detail, /found "abc"/);
  assert.deepEqual(r.rows, []);
});

test('unit register: known buildings given → a building not among them is DIRECTORY_REGISTER_UNKNOWN_BUILDING on its line, next to its other problems', () => {
  const r = parseUnitRegister(csv('bldg-1,1,1,101,50,', 'bldg-9,1,1,101,50,', 'bldg-9,1,x,102,50,', 'bldg-8,1,1,101,50,'), undefined, new Set(['bldg-1']));
  assert.deepEqual(r.errors.map((e) => [e.line, e.code, e.column]), [
    [3, DirectoryError.REGISTER_UNKNOWN_BUILDING, 'building_id'],
    [4, DirectoryError.REGISTER_BAD_FIELD, 'floor'],
    [4, DirectoryError.REGISTER_UNKNOWN_BUILDING, 'building_id'],
    [5, DirectoryError.REGISTER_UNKNOWN_BUILDING, 'building_id'],
  ]);
  assert.deepEqual(r.unknownBuildings, ['bldg-9', 'bldg-8']);
  assert.deepEqual(r.rows.map(unitIdOf), ['bldg-1-1-101']);
  assert.deepEqual(parseUnitRegister(csv('bldg-9,1,1,101,50,')).errors, [], 'without known buildings, none is unknown');
});

test('unit register: wrong cell count or open quote → DIRECTORY_REGISTER_BAD_ROW; the next line still parses', () => {
  const r = parseUnitRegister(csv('bldg-1,1,1,101,50', 'bldg-1,1,1,102,50,"open', 'bldg-1,1,1,103,50,'));
  assert.deepEqual(r.errors.map((e) => [e.line, e.code]), [[2, DirectoryError.REGISTER_BAD_ROW], [3, DirectoryError.REGISTER_BAD_ROW]]);
  assert.deepEqual(r.rows.map(unitIdOf), ['bldg-1-1-103']);
});

test('unit register: the same unit twice → DIRECTORY_REGISTER_DUPLICATE_UNIT on the second line, first kept', () => {
  const r = parseUnitRegister(csv('bldg-1,1,12,1202,89,甲', 'bldg-1,1单元,12,1202室,90,乙'));
  assert.deepEqual(r.errors.map((e) => [e.line, e.code]), [[3, DirectoryError.REGISTER_DUPLICATE_UNIT]]);
  assert.match(r.errors[0].detail, /line 2/);
  assert.equal(r.rows[0].ownerOfRecord, '甲');
});

test('unit register: missing, unknown or repeated header column → DIRECTORY_REGISTER_BAD_HEADER and no rows', () => {
  for (const header of ['building_id,entrance,floor,room,area_m2', 'building_id,entrance,floor,room,area,owner_of_record', `${HEADER},room`, '']) {
    const r = parseUnitRegister(`${header}\nbldg-1,1,1,101,50,`);
    assert.equal(r.errors[0].code, DirectoryError.REGISTER_BAD_HEADER, header);
    assert.deepEqual(r.rows, []);
  }
  assert.equal(parseUnitRegister('# only a comment\n').errors[0].code, DirectoryError.REGISTER_BAD_HEADER);
});

test('unit register: more rows than maxRows → DIRECTORY_REGISTER_TOO_MANY_ROWS once, parsing stops', () => {
  const r = parseUnitRegister(csv('bldg-1,1,1,101,50,', 'bldg-1,1,1,102,50,', 'bldg-1,1,1,103,50,', 'bldg-1,1,1,104,50,'), 2);
  assert.equal(r.rows.length, 2);
  assert.deepEqual(r.errors.map((e) => [e.line, e.code]), [[4, DirectoryError.REGISTER_TOO_MANY_ROWS]]);
});

test('unit register: any text → never throws, every returned row passes unitRowProblem', () => {
  const cell = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('bldg-1', '1', '12', '1202', '89.5', '"', '张三', ''));
  const line = fc.array(cell, { maxLength: 8 }).map((cells) => cells.join(','));
  fc.assert(fc.property(fc.array(line, { maxLength: 8 }), fc.boolean(), (lines, withHeader) => {
    const r = parseUnitRegister((withHeader ? [HEADER, ...lines] : lines).join('\n'));
    for (const row of r.rows) assert.equal(unitRowProblem(row), null);
    assert.equal(new Set(r.rows.map(unitIdOf)).size, r.rows.length);
  }));
});

test('unit register sample (fixtures/shikeyuan/units.sample.csv): parses with zero errors, marked SAMPLE DATA, residential buildings of community.json only', () => {
  const text = readFileSync(new URL('../../fixtures/shikeyuan/units.sample.csv', import.meta.url), 'utf8');
  const community = JSON.parse(readFileSync(new URL('../../fixtures/shikeyuan/community.json', import.meta.url), 'utf8')) as CommunityLayout;
  assert.match(text.split('\n')[0], /^# SAMPLE DATA/);
  const r = parseUnitRegister(text);
  assert.deepEqual(r.errors, []);
  const buildings = new Map(community.buildings.map((b) => [b.id, b]));
  const residential = community.buildings.filter((b) => b.residential).map((b) => b.id).sort();
  assert.equal(residential.length, 8);
  assert.deepEqual([...new Set(r.rows.map((u) => u.buildingId))].sort(), residential);
  for (const u of r.rows) {
    const b = buildings.get(u.buildingId);
    assert.ok(b, `${u.buildingId} is in community.json`);
    assert.ok(b.residential, `${u.buildingId} is residential`);
    assert.ok(u.floor >= 1 && u.floor <= (b.levels ?? 6), `${unitIdOf(u)} floor within the building's levels`);
    assert.deepEqual([...new Set(r.rows.filter((x) => x.buildingId === u.buildingId).map((x) => x.entrance))].sort(), u.buildingId === 'bldg-594889490' ? ['1', '2', '3'] : ['1', '2']);
  }
  assert.equal(r.rows.length, 5 * 2 * 2 + 7 * 6 * 2 * 2 + 4);
  // The rows that show head counting: two developer-held units and one owner of two units.
  assert.equal(r.rows.filter((u) => u.ownerOfRecord === '开发商').length, 2);
  assert.equal(r.rows.filter((u) => u.ownerOfRecord === '示例业主 189').length, 2);
});
