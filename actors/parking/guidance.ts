/**
 * @module actors/parking/guidance
 * Choices guidance makes before a bay is held: which lot when the resident lets the system pick
 * (the nearest lot to their building that can offer them a bay; a tie goes to the lot with more
 * bays to offer, then to the lot id), which gate they enter by when they do not say (the gate with
 * the shortest route to the bay), and where "home" is (the centre of their building's footprint).
 * Owns: those choices. Does not: hold anything (the lot actor does) or read live state.
 * Concurrency: pure functions.
 */
import type { LonLat } from '../community/layout.ts';
import { metres, routeBetween, type Route, type WayGraph } from './route.ts';

export interface LotOption {
  readonly lotId: string;
  readonly centre: LonLat;
  /** Bays this resident could be offered there now. */
  readonly offerable: number;
}

export interface LotChoice {
  readonly lotId: string;
  readonly distanceM: number | null;
}

/** Mean of a ring's distinct vertices (the first point is repeated at the end in layouts). */
export function centreOf(ring: readonly LonLat[]): LonLat {
  const closed = ring.length > 1 && ring[0]![0] === ring[ring.length - 1]![0] && ring[0]![1] === ring[ring.length - 1]![1];
  const pts = closed ? ring.slice(0, -1) : ring;
  if (pts.length === 0) return [0, 0];
  return [pts.reduce((n, p) => n + p[0], 0) / pts.length, pts.reduce((n, p) => n + p[1], 0) / pts.length];
}

export function pickLot(options: readonly LotOption[], home: LonLat | null): LotChoice | null {
  const ranked = options.filter((o) => o.offerable > 0).map((o) => ({ o, d: home ? metres(o.centre, home) : null }))
    .sort((a, b) => (a.d ?? 0) - (b.d ?? 0) || b.o.offerable - a.o.offerable || (a.o.lotId < b.o.lotId ? -1 : 1));
  const best = ranked[0];
  return best ? { lotId: best.o.lotId, distanceM: best.d } : null;
}

export interface GateOption {
  readonly id: string;
  readonly at: LonLat;
}

/** The gate with the shortest route to `to`, and that route; null when there are no gates. */
export function bestGate(g: WayGraph, gates: readonly GateOption[], to: LonLat): { gateId: string; route: Route } | null {
  let best: { gateId: string; route: Route } | null = null;
  for (const gate of gates) {
    const route = routeBetween(g, gate.at, to);
    const better = !best || (route.onWays && !best.route.onWays) || (route.onWays === best.route.onWays && route.lengthM < best.route.lengthM);
    if (better) best = { gateId: gate.id, route };
  }
  return best;
}
