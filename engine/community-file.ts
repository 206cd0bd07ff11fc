/**
 * @module engine/community-file
 * Loads a community file (fixtures/<community>/community.json, written by importers/osm) and
 * checks every field by hand at runtime, so a bad file fails at boot with the file and the field.
 * Owns: reading and validating the layout. Does not: watch for changes, build rooms or devices.
 * Concurrency: synchronous, called once at boot; the returned layout is never mutated here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CommunityLayout, LonLat } from '../actors/community/layout.ts';

/** Absolute path of the committed default community (石科院生活区). */
export const DEFAULT_COMMUNITY_FILE = fileURLToPath(new URL('../fixtures/shikeyuan/community.json', import.meta.url));

const SAFE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const OSM_ID = /^(node|way|relation)\/\d+$/;

class Bad extends Error {}

type Obj = Record<string, unknown>;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function fail(field: string, expected: string, got: unknown): never {
  throw new Bad(`${field} must be ${expected} (got ${got === undefined ? 'nothing: the field is missing' : describe(got)})`);
}

function obj(v: unknown, field: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, 'an object', v);
  return v as Obj;
}

function arr(v: unknown, field: string, min = 0): unknown[] {
  if (!Array.isArray(v)) fail(field, 'an array', v);
  const a = v as unknown[];
  if (a.length < min) throw new Bad(`${field} must have at least ${min} items (has ${a.length})`);
  return a;
}

function str(v: unknown, field: string, pattern?: RegExp, what = 'a non-empty string'): string {
  if (typeof v !== 'string' || v.trim() === '' || (pattern && !pattern.test(v))) fail(field, what, v);
  return v as string;
}

function num(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(field, 'a finite number', v);
  return v as number;
}

function posInt(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(field, 'a positive integer', v);
  return v as number;
}

function bool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') fail(field, 'true or false', v);
  return v as boolean;
}

function lonLat(v: unknown, field: string): LonLat {
  const a = v as unknown[];
  if (!Array.isArray(v) || a.length !== 2 || typeof a[0] !== 'number' || typeof a[1] !== 'number') fail(field, 'a [lon, lat] pair of numbers', v);
  const [lon, lat] = a as [number, number];
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) fail(`${field}[0]`, 'a longitude in [-180, 180]', lon);
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) fail(`${field}[1]`, 'a latitude in [-90, 90]', lat);
  return [lon, lat];
}

function deviceId(v: unknown, field: string, seen: Set<string>): string {
  const id = str(v, field, SAFE_ID, 'a subject-safe device id ([a-z0-9-])');
  if (seen.has(id)) throw new Bad(`${field} ${JSON.stringify(id)} is used twice`);
  seen.add(id);
  return id;
}

function line(v: unknown, field: string, min: number): void {
  arr(v, field, min).forEach((p, i) => lonLat(p, `${field}[${i}]`));
}

function ring(v: unknown, field: string): void {
  line(v, field, 4);
  const a = v as LonLat[];
  const first = a[0]!;
  const last = a[a.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) throw new Bad(`${field} must be a closed ring (last point equal to the first)`);
}

function localized(v: unknown, field: string): void {
  const o = obj(v, field);
  str(o['zh-CN'], `${field}.zh-CN`);
  str(o['en'], `${field}.en`);
}

/** Checks the fields every feature has: id (subject-safe, unique), osmId, and name when asked. */
function feature(v: unknown, field: string, ids: Set<string>, named = true): Obj {
  const o = obj(v, field);
  const id = str(o['id'], `${field}.id`, SAFE_ID, 'a subject-safe id ([a-z0-9-], no leading, trailing or double dash)');
  if (ids.has(id)) throw new Bad(`${field}.id ${JSON.stringify(id)} is used twice`);
  ids.add(id);
  if (o['osmId'] !== undefined || named) str(o['osmId'], `${field}.osmId`, OSM_ID, 'an OSM id like "way/123"');
  if (named) localized(o['name'], `${field}.name`);
  return o;
}

/**
 * Validates parsed JSON as a CommunityLayout; throws an Error naming `label` and the first bad field.
 * @example parseCommunityLayout(JSON.parse(text), 'community.json')
 */
export function parseCommunityLayout(json: unknown, label: string): CommunityLayout {
  try {
    const o = obj(json, '(top level)');
    str(o['id'], 'id', SAFE_ID, 'a subject-safe id ([a-z0-9-])');
    localized(o['name'], 'name');
    str(o['osmId'], 'osmId', OSM_ID, 'an OSM id like "way/123"');
    str(o['attribution'], 'attribution');
    str(o['license'], 'license');
    str(o['source'], 'source');
    const b = obj(o['bounds'], 'bounds');
    for (const k of ['minLon', 'minLat', 'maxLon', 'maxLat']) num(b[k], `bounds.${k}`);
    ring(o['boundary'], 'boundary');

    const ids = new Set<string>();
    arr(o['buildings'], 'buildings').forEach((v, i) => {
      const f = `buildings[${i}]`;
      const x = feature(v, f, ids);
      if (x['levels'] !== null) posInt(x['levels'], `${f}.levels`);
      bool(x['residential'], `${f}.residential`);
      ring(x['footprint'], `${f}.footprint`);
    });
    const devices = new Set<string>();
    arr(o['lots'], 'lots').forEach((v, i) => {
      const f = `lots[${i}]`;
      const x = feature(v, f, ids);
      posInt(x['capacity'], `${f}.capacity`);
      if (x['capacitySource'] !== 'osm' && x['capacitySource'] !== 'area') fail(`${f}.capacitySource`, '"osm" or "area"', x['capacitySource']);
      str(x['kind'], `${f}.kind`);
      ring(x['polygon'], `${f}.polygon`);
      deviceId(x['counterDeviceId'], `${f}.counterDeviceId`, devices);
      const bays = arr(x['bays'], `${f}.bays`);
      if (bays.length !== x['capacity']) throw new Bad(`${f}.bays must have one bay per space (${String(x['capacity'])}, has ${bays.length})`);
      bays.forEach((bv, j) => {
        const bf = `${f}.bays[${j}]`;
        const bay = obj(bv, bf);
        const id = str(bay['id'], `${bf}.id`, SAFE_ID, 'a subject-safe id ([a-z0-9-])');
        if (ids.has(id)) throw new Bad(`${bf}.id ${JSON.stringify(id)} is used twice`);
        ids.add(id);
        lonLat(bay['at'], `${bf}.at`);
        bool(bay['planned'], `${bf}.planned`);
        if (bay['owner'] !== null) str(bay['owner'], `${bf}.owner`, SAFE_ID, 'a unit id or null');
        deviceId(bay['sensorDeviceId'], `${bf}.sensorDeviceId`, devices);
      });
    });
    arr(o['gates'], 'gates').forEach((v, i) => {
      const x = feature(v, `gates[${i}]`, ids);
      str(x['kind'], `gates[${i}].kind`);
      lonLat(x['at'], `gates[${i}].at`);
      deviceId(x['deviceId'], `gates[${i}].deviceId`, devices);
    });
    arr(o['amenities'], 'amenities').forEach((v, i) => {
      const x = feature(v, `amenities[${i}]`, ids);
      str(x['kind'], `amenities[${i}].kind`);
      lonLat(x['at'], `amenities[${i}].at`);
      bool(x['inside'], `amenities[${i}].inside`);
    });
    arr(o['ways'], 'ways').forEach((v, i) => {
      const f = `ways[${i}]`;
      const x = feature(v, f, ids, false);
      str(x['kind'], `${f}.kind`);
      if (x['name'] !== null && typeof x['name'] !== 'string') fail(`${f}.name`, 'a string or null', x['name']);
      line(x['line'], `${f}.line`, 2);
    });
    arr(o['groups'], 'groups').forEach((v, i) => {
      const x = feature(v, `groups[${i}]`, ids, false);
      localized(x['name'], `groups[${i}].name`);
    });
    return json as CommunityLayout;
  } catch (err) {
    if (err instanceof Bad) throw new Error(`${label}: ${err.message}`);
    throw err;
  }
}

/**
 * Reads and validates a community file. Throws an Error whose message starts with the path and
 * names the bad field, e.g. `…/community.json: lots[2].capacity must be a positive integer (got "12")`.
 */
export function loadCommunityFile(path: string): CommunityLayout {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read community file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  return parseCommunityLayout(json, path);
}
