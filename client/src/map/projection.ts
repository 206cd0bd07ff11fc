/**
 * @module client/map/projection
 * Equirectangular projection of WGS84 [lon, lat] onto canvas pixels: longitude is scaled by
 * cos(latitude at the centre) so that a metre is as long east–west as north–south, and the
 * community's bounds are fitted into the viewport with a margin, centred, north up.
 * Owns: the maths only (pure, unit-tested). Does not: touch Pixi or the DOM.
 * Accuracy: fine for a compound of a few km; not for continent-sized bounds.
 */
import type { LonLat } from '../../../actors/community/layout.ts';

export interface Bounds {
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

export interface Viewport {
  readonly width: number;
  readonly height: number;
  /** Empty border on every side, in pixels. */
  readonly padding: number;
}

export interface Projection {
  /** Pixels per degree of latitude. */
  readonly scale: number;
  project(p: LonLat): [number, number];
  /** Flattens a ring or line into Pixi's [x0, y0, x1, y1, …] form. */
  projectPath(points: readonly LonLat[]): number[];
}

export function fitProjection(bounds: Bounds, view: Viewport): Projection {
  const midLat = (bounds.minLat + bounds.maxLat) / 2;
  const midLon = (bounds.minLon + bounds.maxLon) / 2;
  const kx = Math.cos((midLat * Math.PI) / 180);
  // Degenerate bounds (one point) still get a finite scale.
  const spanX = Math.max((bounds.maxLon - bounds.minLon) * kx, 1e-6);
  const spanY = Math.max(bounds.maxLat - bounds.minLat, 1e-6);
  const innerW = Math.max(view.width - 2 * view.padding, 1);
  const innerH = Math.max(view.height - 2 * view.padding, 1);
  const scale = Math.min(innerW / spanX, innerH / spanY);
  const cx = view.width / 2;
  const cy = view.height / 2;
  const project = ([lon, lat]: LonLat): [number, number] => [
    cx + (lon - midLon) * kx * scale,
    cy - (lat - midLat) * scale,
  ];
  return {
    scale,
    project,
    projectPath(points) {
      const out: number[] = [];
      for (const p of points) out.push(...project(p));
      return out;
    },
  };
}

/**
 * What the map frames: the compound's boundary with a margin of `margin` × its span on each
 * side (neighbouring streets for context), or the layout's bounds when there is no boundary.
 */
export function viewBounds(boundary: readonly LonLat[], fallback: Bounds, margin = 0.08): Bounds {
  if (boundary.length < 3) return fallback;
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const [lon, lat] of boundary) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  const dLon = (maxLon - minLon) * margin;
  const dLat = (maxLat - minLat) * margin;
  return { minLon: minLon - dLon, minLat: minLat - dLat, maxLon: maxLon + dLon, maxLat: maxLat + dLat };
}

/** Mean of a ring's distinct vertices: good enough to place a label on a building or lot. */
export function ringCentre(ring: readonly LonLat[]): LonLat {
  const n = ring.length > 1 && ring[0]![0] === ring[ring.length - 1]![0] && ring[0]![1] === ring[ring.length - 1]![1] ? ring.length - 1 : ring.length;
  let lon = 0;
  let lat = 0;
  for (let i = 0; i < n; i++) {
    lon += ring[i]![0];
    lat += ring[i]![1];
  }
  return [lon / Math.max(n, 1), lat / Math.max(n, 1)];
}
