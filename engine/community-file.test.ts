/**
 * @module engine/community-file.test
 * The committed community file (fixtures/shikeyuan/community.json) loads and holds what the
 * product relies on; corrupted copies are rejected with the file and the field in the message.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DEFAULT_COMMUNITY_FILE, loadCommunityFile } from './community-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'linli-community-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const original = (): Record<string, any> => JSON.parse(readFileSync(DEFAULT_COMMUNITY_FILE, 'utf8'));

/** Writes a corrupted copy and returns the error message loading it gives. */
function loadError(corrupt: (json: Record<string, any>) => void, name: string): string {
  const json = original();
  corrupt(json);
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(json));
  try {
    loadCommunityFile(path);
  } catch (err) {
    const message = (err as Error).message;
    assert.ok(message.startsWith(path), `message names the file: ${message}`);
    return message;
  }
  assert.fail('loadCommunityFile accepted a corrupted file');
}

describe('committed community file', () => {
  const layout = loadCommunityFile(DEFAULT_COMMUNITY_FILE);

  test('DEFAULT_COMMUNITY_FILE: resolved from the module → absolute path of a file under 300 KB', () => {
    assert.ok(isAbsolute(DEFAULT_COMMUNITY_FILE));
    assert.match(DEFAULT_COMMUNITY_FILE, /fixtures[\\/]shikeyuan[\\/]community\.json$/);
    assert.ok(statSync(DEFAULT_COMMUNITY_FILE).size < 300 * 1024);
  });

  test('shikeyuan: loaded → 石科院生活区 with OSM attribution and ODbL', () => {
    assert.equal(layout.id, 'shikeyuan');
    assert.equal(layout.name['zh-CN'], '石科院生活区');
    assert.equal(layout.osmId, 'way/595108678');
    assert.equal(layout.attribution, '© OpenStreetMap contributors');
    assert.equal(layout.license, 'ODbL-1.0');
  });

  test('shikeyuan: buildings → ≥ 8 residential incl. 1号楼 and 10号楼 (5 levels)', () => {
    const residential = layout.buildings.filter((b) => b.residential);
    assert.ok(residential.length >= 8, `${residential.length} residential`);
    const byName = new Map(residential.map((b) => [b.name['zh-CN'], b]));
    assert.equal(byName.get('1号楼')?.osmId, 'way/594889490');
    assert.equal(byName.get('10号楼')?.levels, 5);
    assert.equal(byName.get('1号楼')?.name.en, 'Building 1');
    assert.ok(layout.buildings.some((b) => b.name['zh-CN'] === '科技活动中心' && !b.residential), 'activity centre is not a home');
  });

  test('shikeyuan: lots → 6 with capacity > 0 and their own counter device', () => {
    assert.equal(layout.lots.length, 6);
    for (const lot of layout.lots) {
      assert.ok(lot.capacity > 0);
      assert.equal(lot.counterDeviceId, `${lot.id}-counter`);
    }
  });

  test('shikeyuan: surroundings → gates, health centre, toilets, shops, roads and two groups', () => {
    assert.ok(layout.gates.length >= 1);
    const kinds = new Set(layout.amenities.map((a) => a.kind));
    for (const kind of ['hospital', 'toilets', 'supermarket', 'convenience']) assert.ok(kinds.has(kind), kind);
    assert.ok(layout.amenities.some((a) => a.inside));
    assert.ok(layout.ways.length > 0);
    assert.ok(layout.groups.some((g) => g.id === 'group-garden'));
    assert.ok(layout.groups.length >= 2);
  });
});

describe('loadCommunityFile', () => {
  test('loadCommunityFile: lot without capacity → error naming lots[0].capacity', () => {
    assert.match(loadError((j) => delete j.lots[0].capacity, 'no-capacity'), /lots\[0\]\.capacity must be a positive integer \(got nothing: the field is missing\)/);
  });

  test('loadCommunityFile: levels as a string → error naming buildings[i].levels', () => {
    const message = loadError((j) => { j.buildings[3].levels = '5'; }, 'levels');
    assert.match(message, /buildings\[3\]\.levels must be a positive integer \(got "5"\)/);
  });

  test('loadCommunityFile: missing top-level field → error naming it', () => {
    assert.match(loadError((j) => delete j.attribution, 'attribution'), /attribution must be a non-empty string/);
  });

  test('loadCommunityFile: id unsafe for NATS subjects → error naming the id', () => {
    assert.match(loadError((j) => { j.gates[0].id = 'gate.1'; }, 'unsafe'), /gates\[0\]\.id must be a subject-safe id/);
  });

  test('loadCommunityFile: two features with one id → error naming the second', () => {
    assert.match(loadError((j) => { j.lots[1].id = j.lots[0].id; }, 'twice'), /lots\[1\]\.id "lot-\d+" is used twice/);
  });

  test('loadCommunityFile: open ring and bad coordinate → errors naming them', () => {
    assert.match(loadError((j) => { j.boundary[0] = [116, 40]; }, 'open'), /boundary must be a closed ring/);
    assert.match(loadError((j) => { j.amenities[0].at = [116.3, 'x']; }, 'coord'), /amenities\[0\]\.at must be a \[lon, lat\] pair/);
    assert.match(loadError((j) => { j.ways[0].line[1] = [200, 40]; }, 'range'), /ways\[0\]\.line\[1\]\[0\] must be a longitude/);
  });

  test('loadCommunityFile: wrong enum and wrong boolean → errors naming them', () => {
    assert.match(loadError((j) => { j.lots[0].capacitySource = 'guess'; }, 'enum'), /lots\[0\]\.capacitySource must be "osm" or "area"/);
    assert.match(loadError((j) => { j.amenities[0].inside = 'yes'; }, 'bool'), /amenities\[0\]\.inside must be true or false/);
  });

  test('loadCommunityFile: not JSON, or no such file → error naming the file', () => {
    const path = join(dir, 'garbage.json');
    writeFileSync(path, '{ "id": ');
    assert.throws(() => loadCommunityFile(path), (e: Error) => e.message.startsWith(`${path}: not valid JSON`));
    const missing = join(dir, 'does-not-exist.json');
    assert.throws(() => loadCommunityFile(missing), (e: Error) => e.message.startsWith(`${missing}: cannot read community file (ENOENT)`));
  });
});
