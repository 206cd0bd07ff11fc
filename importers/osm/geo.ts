/**
 * @module importers/osm/geo
 * Planar geometry for one neighbourhood: areas, centroids, containment and distances in metres.
 * Owns: a local equirectangular projection (good to well under 1 % across a few km) and rounding.
 * Does not: handle the antimeridian or poles, or rings with holes (callers pass outer rings only).
 * Concurrency: pure functions.
 */
import type { LonLat } from '../../actors/community/layout.ts';

export interface Bbox {
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON_EQUATOR = 111_320;

/** Metres per degree of longitude and latitude at a latitude. */
export function metresPerDegree(lat: number): { x: number; y: number } {
  return { x: M_PER_DEG_LON_EQUATOR * Math.cos((lat * Math.PI) / 180), y: M_PER_DEG_LAT };
}

/** Rounds to 7 decimals (about 1 cm), the precision OSM stores. */
export function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

export function roundPoint(p: LonLat): LonLat {
  return [round7(p[0]), round7(p[1])];
}

/** Area of a closed ring in square metres (always ≥ 0). */
export function ringAreaM2(ring: readonly LonLat[]): number {
  if (ring.length < 4) return 0;
  const k = metresPerDegree(ring[0]![1]);
  let twice = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    twice += (x1 - ring[0]![0]) * (y2 - ring[0]![1]) - (x2 - ring[0]![0]) * (y1 - ring[0]![1]);
  }
  return Math.abs(twice / 2) * k.x * k.y;
}

/** Area-weighted centroid of a closed ring; the vertex mean when the ring is degenerate. */
export function ringCentroid(ring: readonly LonLat[]): LonLat {
  const o = ring[0]!;
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const x1 = ring[i]![0] - o[0];
    const y1 = ring[i]![1] - o[1];
    const x2 = ring[i + 1]![0] - o[0];
    const y2 = ring[i + 1]![1] - o[1];
    const cross = x1 * y2 - x2 * y1;
    a += cross;
    cx += (x1 + x2) * cross;
    cy += (y1 + y2) * cross;
  }
  if (Math.abs(a) < 1e-14) {
    const pts = ring.length > 1 && samePoint(ring[0]!, ring[ring.length - 1]!) ? ring.slice(0, -1) : ring;
    return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
  }
  return [o[0] + cx / (3 * a), o[1] + cy / (3 * a)];
}

export function samePoint(a: LonLat, b: LonLat): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** Even-odd ray casting; points exactly on an edge may land on either side. */
export function pointInRing(p: LonLat, ring: readonly LonLat[]): boolean {
  const [x, y] = p;
  let inside = false;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    if (y1 > y !== y2 > y && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1) inside = !inside;
  }
  return inside;
}

/** Distance in metres from a point to a ring's area: 0 inside, else to the nearest edge. */
export function distanceToRingM(p: LonLat, ring: readonly LonLat[]): number {
  if (pointInRing(p, ring)) return 0;
  const k = metresPerDegree(p[1]);
  let best = Infinity;
  for (let i = 0; i + 1 < ring.length; i++) {
    const ax = (ring[i]![0] - p[0]) * k.x;
    const ay = (ring[i]![1] - p[1]) * k.y;
    const bx = (ring[i + 1]![0] - p[0]) * k.x;
    const by = (ring[i + 1]![1] - p[1]) * k.y;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}

function segmentsCross(a: LonLat, b: LonLat, c: LonLat, d: LonLat): boolean {
  const orient = (p: LonLat, q: LonLat, r: LonLat): number => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  return orient(a, b, c) !== orient(a, b, d) && orient(c, d, a) !== orient(c, d, b);
}

/** True when two closed rings share any area (one contains a vertex of the other, or edges cross). */
export function ringsOverlap(a: readonly LonLat[], b: readonly LonLat[]): boolean {
  if (a.some((p) => pointInRing(p, b)) || b.some((p) => pointInRing(p, a))) return true;
  for (let i = 0; i + 1 < a.length; i++) {
    for (let j = 0; j + 1 < b.length; j++) if (segmentsCross(a[i]!, a[i + 1]!, b[j]!, b[j + 1]!)) return true;
  }
  return false;
}

export function bboxOf(points: readonly LonLat[]): Bbox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const [lon, lat] of points) {
    minLon = Math.min(minLon, lon);
    minLat = Math.min(minLat, lat);
    maxLon = Math.max(maxLon, lon);
    maxLat = Math.max(maxLat, lat);
  }
  return { minLon, minLat, maxLon, maxLat };
}

export function expandBbox(b: Bbox, metres: number): Bbox {
  const k = metresPerDegree((b.minLat + b.maxLat) / 2);
  const dLon = metres / k.x;
  const dLat = metres / k.y;
  return { minLon: b.minLon - dLon, minLat: b.minLat - dLat, maxLon: b.maxLon + dLon, maxLat: b.maxLat + dLat };
}

function inBbox(p: LonLat, b: Bbox): boolean {
  return p[0] >= b.minLon && p[0] <= b.maxLon && p[1] >= b.minLat && p[1] <= b.maxLat;
}

/** True when a polyline has a vertex in the box or a segment that crosses it. */
export function lineTouchesBbox(line: readonly LonLat[], b: Bbox): boolean {
  if (line.some((p) => inBbox(p, b))) return true;
  const box: LonLat[] = [
    [b.minLon, b.minLat], [b.maxLon, b.minLat], [b.maxLon, b.maxLat], [b.minLon, b.maxLat], [b.minLon, b.minLat],
  ];
  for (let i = 0; i + 1 < line.length; i++) {
    for (let j = 0; j + 1 < box.length; j++) if (segmentsCross(line[i]!, line[i + 1]!, box[j]!, box[j + 1]!)) return true;
  }
  return false;
}

/** A closed square ring of the given side (metres) centred on a point. */
export function squareAround(p: LonLat, sideM: number): LonLat[] {
  const k = metresPerDegree(p[1]);
  const dx = sideM / 2 / k.x;
  const dy = sideM / 2 / k.y;
  return [
    [p[0] - dx, p[1] - dy], [p[0] + dx, p[1] - dy], [p[0] + dx, p[1] + dy], [p[0] - dx, p[1] + dy], [p[0] - dx, p[1] - dy],
  ];
}
