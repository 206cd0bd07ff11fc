/**
 * @module importers/osm/bays
 * Lays a lot's bays out inside its polygon: OSM maps a car park's outline and (at best) its
 * capacity, never its bays, so the importer places `capacity` bay centres on a grid aligned with
 * the polygon's longest edge (2.5 m × 5.5 m cells, shrunk until that many fit), numbered row by row.
 * Owns: bay ids, positions and the empty plan slots (`planned: false`, `owner: null`).
 * Does not: read files or know sensors beyond their id rule. Pure and deterministic.
 */
import type { BayLayout, LonLat } from '../../actors/community/layout.ts';
import { metresPerDegree, pointInRing, ringCentroid, roundPoint } from './geo.ts';

/** Width of a bay along its row, metres. */
export const DEFAULT_BAY_WIDTH_M = 2.5;
/** Depth of a bay plus half an aisle, metres. */
export const DEFAULT_BAY_PITCH_M = 5.5;
const SHRINK = 0.9;
const MAX_TRIES = 60;

type Xy = readonly [number, number];

export const bayId = (lotId: string, n: number, count: number) => `${lotId}-b${String(n).padStart(Math.max(2, String(count).length), '0')}`;
export const baySensorId = (bayId: string) => `${bayId}-sensor`;

/** `capacity` bays inside `polygon` (a closed [lon, lat] ring). */
export function layoutBays(lotId: string, polygon: readonly LonLat[], capacity: number): BayLayout[] {
  if (capacity <= 0 || polygon.length < 4) return [];
  const o = polygon[0]!;
  const k = metresPerDegree(o[1]);
  const local = polygon.map(([lon, lat]): Xy => [(lon - o[0]) * k.x, (lat - o[1]) * k.y]);
  // Rows run along the longest edge, as bays usually line the lot's long side.
  let angle = 0;
  let longest = -1;
  for (let i = 0; i + 1 < local.length; i++) {
    const dx = local[i + 1]![0] - local[i]![0];
    const dy = local[i + 1]![1] - local[i]![1];
    const len = Math.hypot(dx, dy);
    if (len > longest) { longest = len; angle = Math.atan2(dy, dx); }
  }
  const cos = Math.cos(-angle);
  const sin = Math.sin(-angle);
  const rot = ([x, y]: Xy): Xy => [x * cos - y * sin, x * sin + y * cos];
  const unrot = ([x, y]: Xy): Xy => [x * cos + y * sin, -x * sin + y * cos];
  const ring = local.map(rot);
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const inside = (p: Xy) => pointInRing(p as unknown as LonLat, ring as unknown as LonLat[]);

  const centre = ringCentroid(polygon);
  const toLonLat = (p: Xy): LonLat => {
    const [x, y] = unrot(p);
    return roundPoint([o[0] + x / k.x, o[1] + y / k.y]);
  };
  let scale = 1;
  let cells: LonLat[] = [];
  for (let tries = 0; tries < MAX_TRIES && cells.length < capacity; tries++, scale *= SHRINK) {
    const w = DEFAULT_BAY_WIDTH_M * scale;
    const h = DEFAULT_BAY_PITCH_M * scale;
    cells = [];
    for (let y = minY + h / 2; y < maxY; y += h) {
      for (let x = minX + w / 2; x < maxX; x += w) {
        // Checked again after rounding: a thin lot's edge bay can round outside it.
        const at = inside([x, y]) ? toLonLat([x, y]) : null;
        if (at && pointInRing(at, polygon)) cells.push(at);
      }
    }
  }
  return Array.from({ length: capacity }, (_, i) => {
    const id = bayId(lotId, i + 1, capacity);
    // A degenerate polygon that fits no grid at all puts its bays at its centre.
    const at = cells[i] ?? roundPoint(centre);
    return { id, at, planned: false, owner: null, sensorDeviceId: baySensorId(id) };
  });
}
