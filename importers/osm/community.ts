/**
 * @module importers/osm/community
 * The pure transform from an OSM XML export to one compound's CommunityLayout: boundary,
 * buildings, parking lots, gates, nearby amenities, roads and paths, default interest groups.
 * Owns: the selection rules (what counts as inside / nearby / residential) and the id scheme.
 * Does not: read or write files, print (see import-osm.ts). Output is deterministic: sorted by id,
 * coordinates rounded to 7 decimals. Concurrency: pure and synchronous.
 */
import type {
  AmenityLayout, BuildingLayout, CommunityLayout, GateLayout, GroupLayout, LonLat, LotLayout, WayLayout,
} from '../../actors/community/layout.ts';
import { layoutBays } from './bays.ts';
import { ImportError } from '../errors.ts';
import {
  bboxOf, distanceToRingM, expandBbox, lineTouchesBbox, pointInRing, ringAreaM2, ringCentroid, ringsOverlap,
  round7, roundPoint, squareAround,
} from './geo.ts';
import { localizedName } from './names.ts';
import { osmRef, parseOsmXml, type OsmData, type OsmElement, type OsmNode, type OsmWay, type Tags } from './osm-xml.ts';

/** Gates (entrances, gates, lift gates) are kept up to this far outside the boundary. */
export const DEFAULT_GATE_RADIUS_M = 130; // reaches 石科院北门 (121 m from the mapped boundary)
/** Amenities, shops and leisure places are kept up to this far outside the boundary. */
export const DEFAULT_AMENITY_RADIUS_M = 300;
/** Health care and public toilets matter more to residents (and the elderly), so reach further. */
export const DEFAULT_ESSENTIAL_RADIUS_M = 600;
/** Roads and paths are kept when they touch the boundary's bounding box grown by this margin. */
export const DEFAULT_WAY_MARGIN_M = 100;
/** Parking spaces are estimated at one per this many square metres of lot polygon. */
export const DEFAULT_M2_PER_SPACE = 25;
export const DEFAULT_MIN_LOT_CAPACITY = 4;
/** A lot mapped only as a point gets a nominal square of this side, and its capacity from that. */
export const DEFAULT_POINT_LOT_SIDE_M = 20;

export const ATTRIBUTION = '© OpenStreetMap contributors';
export const LICENSE = 'ODbL-1.0';

export const DEFAULT_GROUPS: readonly GroupLayout[] = [
  { id: 'group-garden', name: { 'zh-CN': '园艺兴趣小组', en: 'Gardening group' } },
  { id: 'group-parents', name: { 'zh-CN': '亲子活动小组', en: 'Parents and kids group' } },
];

const ESSENTIAL_KINDS = new Set(['hospital', 'clinic', 'doctors', 'pharmacy', 'dentist', 'toilets']);
/** Street furniture and parking are not amenities (lots are imported separately). */
const NOT_AMENITIES = new Set([
  'parking', 'parking_space', 'parking_entrance', 'bicycle_parking', 'motorcycle_parking', 'bench',
  'waste_basket', 'waste_disposal', 'recycling', 'vending_machine', 'grit_bin', 'yes',
]);
const RESIDENTIAL_BUILDINGS = new Set([
  'residential', 'apartments', 'house', 'dormitory', 'detached', 'semidetached_house', 'terrace',
]);
/** Building doors, not compound gates. */
const NOT_GATES = new Set(['staircase', 'home', 'no']);
const SAFE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface ImportOsmOptions {
  /** Compound to import: an OSM id (`way/595108678`, `relation/14400092`, bare number) or an exact name. */
  readonly compound: string;
  /** Short ASCII id of the community (`[a-z0-9-]`), used in subjects and stream names. */
  readonly id: string;
  /** English name of the compound; overrides name:en and the glossary. */
  readonly nameEn?: string;
  /** What `source` names as the input file (a basename, so that output does not depend on paths). */
  readonly sourceFile?: string;
  readonly gateRadiusM?: number;
  readonly amenityRadiusM?: number;
  readonly essentialRadiusM?: number;
  readonly wayMarginM?: number;
  readonly groups?: readonly GroupLayout[];
}

/**
 * Reads OSM XML text and returns the layout of one compound. Throws ImportError (or its
 * subclass OsmXmlError) for malformed XML, an unknown or ambiguous compound, or a bad id.
 * @example importOsm(readFileSync('map.osm', 'utf8'), { compound: '石科院生活区', id: 'shikeyuan' })
 */
export function importOsm(xmlText: string, options: ImportOsmOptions): CommunityLayout {
  if (!SAFE_ID.test(options.id) || options.id.length > 32) {
    throw new ImportError(`--id "${options.id}" must be 1-32 characters of [a-z0-9-] (it is used in NATS subjects)`);
  }
  const data = parseOsmXml(xmlText);
  const compound = findCompound(data, options.compound);
  const boundary = elementRing(data, compound);
  if (!boundary) throw new ImportError(`${osmRef(compound)} has no closed outline in this file (missing nodes?)`);

  const within = (p: LonLat, radius: number): boolean => distanceToRingM(p, boundary) <= radius;
  const buildings: BuildingLayout[] = [];
  const lots: LotLayout[] = [];
  const gates: GateLayout[] = [];
  const amenities: AmenityLayout[] = [];
  const ways: WayLayout[] = [];
  const wayBox = expandBbox(bboxOf(boundary), options.wayMarginM ?? DEFAULT_WAY_MARGIN_M);

  for (const el of elements(data)) {
    if (el === compound) continue;
    const tags = el.tags;
    const ring = el.type === 'node' ? null : elementRing(data, el);
    const at: LonLat | null = el.type === 'node' ? [el.lon, el.lat] : ring ? ringCentroid(ring) : lineCentre(data, el);

    if (ring && tags['building'] !== undefined && tags['building'] !== 'no' && pointInRing(ringCentroid(ring), boundary)) {
      buildings.push(building(el, ring));
    }
    if (tags['amenity'] === 'parking') {
      const lot = ring && ringsOverlap(ring, boundary) ? ring
        : el.type === 'node' && pointInRing([el.lon, el.lat], boundary) ? squareAround([el.lon, el.lat], DEFAULT_POINT_LOT_SIDE_M)
        : null;
      if (lot) lots.push(parkingLot(el, lot));
    }
    if (el.type === 'node' && isGate(tags) && within([el.lon, el.lat], options.gateRadiusM ?? DEFAULT_GATE_RADIUS_M)) {
      gates.push(gate(el));
    }
    const kind = amenityKind(tags);
    if (kind && at) {
      const radius = ESSENTIAL_KINDS.has(kind)
        ? Math.max(options.essentialRadiusM ?? DEFAULT_ESSENTIAL_RADIUS_M, options.amenityRadiusM ?? DEFAULT_AMENITY_RADIUS_M)
        : options.amenityRadiusM ?? DEFAULT_AMENITY_RADIUS_M;
      if (within(at, radius)) amenities.push(amenity(el, kind, at, pointInRing(at, boundary)));
    }
    if (el.type === 'way' && tags['highway'] !== undefined) {
      const line = wayPoints(data, el);
      if (line && line.length >= 2 && lineTouchesBbox(line, wayBox)) ways.push(highway(el, line));
    }
  }

  const name = localizedName(compound.tags, 'residential', compound.id);
  const byId = <T extends { id: string }>(xs: T[]): T[] => xs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const b = bboxOf(boundary);
  return {
    id: options.id,
    name: options.nameEn ? { ...name, en: options.nameEn } : name,
    osmId: osmRef(compound),
    attribution: ATTRIBUTION,
    license: LICENSE,
    source: `${options.sourceFile ?? 'OpenStreetMap XML'} (OpenStreetMap export${data.generator ? `, ${data.generator.split(' ')[0]}` : ''}); `
      + `compound ${osmRef(compound)}; every feature keeps its OSM id in osmId`,
    bounds: { minLon: round7(b.minLon), minLat: round7(b.minLat), maxLon: round7(b.maxLon), maxLat: round7(b.maxLat) },
    boundary: boundary.map(roundPoint),
    buildings: byId(buildings),
    lots: byId(lots),
    gates: byId(gates),
    amenities: byId(amenities),
    ways: byId(ways),
    groups: byId([...(options.groups ?? DEFAULT_GROUPS)]),
  };
}

/** One line for the console: counts of what was imported. */
export function summarize(layout: CommunityLayout): string {
  const capacity = layout.lots.reduce((s, l) => s + l.capacity, 0);
  const residential = layout.buildings.filter((b) => b.residential).length;
  const inside = layout.amenities.filter((a) => a.inside).length;
  return `${layout.id} ${layout.name['zh-CN']} (${layout.osmId}): ${layout.buildings.length} buildings `
    + `(${residential} residential), ${layout.lots.length} lots (capacity ${capacity}), ${layout.gates.length} gates, `
    + `${layout.amenities.length} amenities (${inside} inside), ${layout.ways.length} ways, ${layout.groups.length} groups`;
}

function* elements(data: OsmData): Iterable<OsmElement> {
  yield* data.nodes.values();
  yield* data.ways.values();
  yield* data.relations.values();
}

function findCompound(data: OsmData, query: string): OsmElement {
  const q = query.trim();
  const ref = /^(?:(way|relation)\/)?(\d+)$/.exec(q);
  if (ref) {
    const id = Number(ref[2]);
    const el = ref[1] === 'relation' ? data.relations.get(id)
      : ref[1] === 'way' ? data.ways.get(id)
      : data.ways.get(id) ?? data.relations.get(id);
    if (!el) throw new ImportError(`compound ${q} not found in the OSM file`);
    return el;
  }
  if (/^node\//.test(q)) throw new ImportError(`compound ${q} is a node; a compound must be a closed way or a multipolygon relation`);
  const nameKeys = ['name', 'name:zh', 'name:zh-Hans', 'name:en'];
  const hits = [...data.ways.values(), ...data.relations.values()]
    .filter((el) => nameKeys.some((k) => el.tags[k] === q) && elementRing(data, el) !== null);
  if (hits.length === 0) throw new ImportError(`compound "${q}" not found in the OSM file (no closed way or multipolygon with that name)`);
  if (hits.length > 1) {
    // Prefer the one tagged as a residential area; otherwise the caller must pick by id.
    const residential = hits.filter((el) => el.tags['landuse'] === 'residential');
    if (residential.length === 1) return residential[0]!;
    throw new ImportError(`compound "${q}" is ambiguous: ${hits.map(osmRef).join(', ')}; pass an OSM id instead`);
  }
  return hits[0]!;
}

function wayPoints(data: OsmData, way: OsmWay): LonLat[] | null {
  const pts: LonLat[] = [];
  for (const ref of way.refs) {
    const node = data.nodes.get(ref);
    if (!node) return null;
    pts.push([node.lon, node.lat]);
  }
  return pts;
}

/** The outer ring of a closed way or a multipolygon relation (the largest outer ring), or null. */
function elementRing(data: OsmData, el: OsmElement): LonLat[] | null {
  if (el.type === 'node') return null;
  if (el.type === 'way') {
    if (el.refs.length < 4 || el.refs[0] !== el.refs[el.refs.length - 1]) return null;
    return wayPoints(data, el);
  }
  if (el.tags['type'] !== 'multipolygon') return null;
  const pieces: number[][] = [];
  for (const m of el.members) {
    if (m.type !== 'way' || (m.role !== 'outer' && m.role !== '')) continue;
    const way = data.ways.get(m.ref);
    if (!way) return null;
    pieces.push([...way.refs]);
  }
  let best: LonLat[] | null = null;
  for (const refs of joinRings(pieces)) {
    const ring = wayPoints(data, { type: 'way', id: 0, refs, tags: {} });
    if (ring && (!best || ringAreaM2(ring) > ringAreaM2(best))) best = ring;
  }
  return best;
}

/** Joins way pieces end to end into closed rings; pieces that never close are dropped. */
function joinRings(pieces: number[][]): number[][] {
  const rings: number[][] = [];
  const left = pieces.filter((p) => p.length >= 2);
  while (left.length > 0) {
    const ring = left.shift()!;
    while (ring[0] !== ring[ring.length - 1]) {
      const tail = ring[ring.length - 1];
      const i = left.findIndex((p) => p[0] === tail || p[p.length - 1] === tail);
      if (i === -1) break;
      const next = left.splice(i, 1)[0]!;
      ring.push(...(next[0] === tail ? next : [...next].reverse()).slice(1));
    }
    if (ring.length >= 4 && ring[0] === ring[ring.length - 1]) rings.push(ring);
  }
  return rings;
}

/** Where to put a feature that is an open way (e.g. a leisure track): the mean of its vertices. */
function lineCentre(data: OsmData, el: OsmElement): LonLat | null {
  if (el.type !== 'way') return null;
  const pts = wayPoints(data, el);
  if (!pts || pts.length === 0) return null;
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}

/** `<prefix>-<number>` for the usual element type, `<prefix>-<n|w|r><number>` for the others. */
function featureId(prefix: string, el: OsmElement, usual: OsmElement['type']): string {
  return `${prefix}-${el.type === usual ? '' : el.type[0]}${el.id}`;
}

function building(el: OsmElement, ring: LonLat[]): BuildingLayout {
  const tags = el.tags;
  const name = localizedName(tags, 'building', el.id);
  const levels = /^\d{1,3}$/.test(tags['building:levels'] ?? '') ? Number(tags['building:levels']) : null;
  const numberedBlock = /\d+号楼$/.test(name['zh-CN']);
  const otherUse = ['amenity', 'shop', 'office', 'craft'].some((k) => tags[k] !== undefined);
  return {
    id: featureId('bldg', el, 'way'),
    osmId: osmRef(el),
    name,
    levels: levels !== null && levels > 0 ? levels : null,
    residential: !otherUse && (numberedBlock || RESIDENTIAL_BUILDINGS.has(tags['building'] ?? '')),
    footprint: ring.map(roundPoint),
  };
}

function parkingLot(el: OsmElement, polygon: LonLat[]): LotLayout {
  const tags = el.tags;
  const id = featureId('lot', el, 'way');
  const tagged = /^\d{1,6}$/.test(tags['capacity'] ?? '') ? Number(tags['capacity']) : 0;
  const estimated = Math.max(DEFAULT_MIN_LOT_CAPACITY, Math.round(ringAreaM2(polygon) / DEFAULT_M2_PER_SPACE));
  const name = localizedName(tags, 'parking', el.id);
  // OSM often leaves parking=* off; a name saying 地下 (underground) is the next best evidence.
  const kind = tags['parking'] ?? (name['zh-CN'].includes('地下') ? 'underground' : 'surface');
  return {
    id,
    osmId: osmRef(el),
    name,
    capacity: tagged > 0 ? tagged : estimated,
    capacitySource: tagged > 0 ? 'osm' : 'area',
    kind,
    polygon: polygon.map(roundPoint),
    counterDeviceId: `${id}-counter`,
    bays: layoutBays(id, polygon.map(roundPoint), tagged > 0 ? tagged : estimated),
  };
}

function isGate(tags: Tags): boolean {
  const entrance = tags['entrance'];
  return (entrance !== undefined && !NOT_GATES.has(entrance)) || tags['barrier'] === 'gate' || tags['barrier'] === 'lift_gate';
}

function gate(el: OsmNode): GateLayout {
  const barrier = el.tags['barrier'];
  const kind = barrier === 'gate' || barrier === 'lift_gate' ? barrier : 'entrance';
  const id = featureId('gate', el, 'node');
  return { id, osmId: osmRef(el), name: localizedName(el.tags, kind, el.id), kind, at: roundPoint([el.lon, el.lat]), deviceId: `${id}-lpr` };
}

function amenityKind(tags: Tags): string | null {
  for (const key of ['amenity', 'shop', 'leisure']) {
    const first = tags[key]?.split(';')[0]?.trim();
    if (first && !NOT_AMENITIES.has(first)) return first;
  }
  return null;
}

function amenity(el: OsmElement, kind: string, at: LonLat, inside: boolean): AmenityLayout {
  return { id: featureId('amenity', el, 'node'), osmId: osmRef(el), name: localizedName(el.tags, kind, el.id), kind, at: roundPoint(at), inside };
}

function highway(el: OsmWay, line: LonLat[]): WayLayout {
  const name = el.tags['name:zh-Hans'] ?? el.tags['name'] ?? el.tags['name:zh'] ?? null;
  return { id: featureId('way', el, 'way'), osmId: osmRef(el), kind: el.tags['highway']!, name, line: line.map(roundPoint) };
}
