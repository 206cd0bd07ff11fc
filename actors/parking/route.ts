/**
 * @module actors/parking/route
 * Routes over a community's ways (roads, service roads, footways from the layout): a graph whose
 * nodes are the ways' vertices (ways that share a vertex meet there) and whose edges are their
 * segments, weighted by length in metres. A route from a gate to a bay joins each end to the
 * nearest point of the nearest segment, then follows the shortest path (Dijkstra). When the two
 * ends cannot be joined over the ways, the route is the straight line and says so (`onWays`).
 * Owns: the graph and the maths. Does not: know lots, holds or gates beyond their points.
 * Concurrency: pure; a graph is immutable once built. Size: Dijkstra here scans all nodes per
 * step (O(V²)), which is plenty for a compound's few hundred vertices.
 */
import type { LonLat, WayLayout } from '../community/layout.ts';

const METRES_PER_DEGREE = (Math.PI * 6_371_008.8) / 180;
/** Vertices closer than this (degrees, ~1 cm) are one node. */
const SAME_POINT = 1e-7;

export interface WayGraph {
  readonly nodes: readonly LonLat[];
  /** adjacency: node → [neighbour, metres] */
  readonly edges: readonly (readonly (readonly [number, number])[])[];
  readonly segments: readonly (readonly [number, number])[];
  /** cos(latitude) at the graph's centre: metres east per degree of longitude, relative to north. */
  readonly kx: number;
}

export interface Route {
  /** From the start point to the end point, inclusive. */
  readonly points: readonly LonLat[];
  readonly lengthM: number;
  /** False when the ways could not join the two ends and the route is a straight line. */
  readonly onWays: boolean;
}

/** Distance in metres between two points (equirectangular; fine within a few km). */
export function metres(a: LonLat, b: LonLat, kx = Math.cos(((a[1] + b[1]) / 2) * (Math.PI / 180))): number {
  return Math.hypot((a[0] - b[0]) * kx, a[1] - b[1]) * METRES_PER_DEGREE;
}

export function buildWayGraph(ways: readonly Pick<WayLayout, 'line'>[]): WayGraph {
  const index = new Map<string, number>();
  const nodes: LonLat[] = [];
  const lats = ways.flatMap((w) => w.line.map((p) => p[1]));
  const kx = lats.length ? Math.cos(((Math.min(...lats) + Math.max(...lats)) / 2) * (Math.PI / 180)) : 1;
  const nodeOf = (p: LonLat): number => {
    const k = `${Math.round(p[0] / SAME_POINT)},${Math.round(p[1] / SAME_POINT)}`;
    let i = index.get(k);
    if (i === undefined) {
      i = nodes.length;
      index.set(k, i);
      nodes.push([p[0], p[1]]);
    }
    return i;
  };
  const edges: [number, number][][] = [];
  const segments: [number, number][] = [];
  const seen = new Set<string>();
  for (const w of ways) {
    for (let i = 0; i + 1 < w.line.length; i++) {
      const a = nodeOf(w.line[i]!);
      const b = nodeOf(w.line[i + 1]!);
      const key = a < b ? `${a}-${b}` : `${b}-${a}`;
      if (a === b || seen.has(key)) continue;
      seen.add(key);
      while (edges.length < nodes.length) edges.push([]);
      const m = metres(nodes[a]!, nodes[b]!, kx);
      edges[a]!.push([b, m]);
      edges[b]!.push([a, m]);
      segments.push([a, b]);
    }
  }
  while (edges.length < nodes.length) edges.push([]);
  return { nodes, edges, segments, kx };
}

interface Snap {
  readonly segment: number;
  /** 0 at the segment's first node, 1 at its second. */
  readonly t: number;
  readonly point: LonLat;
  readonly distanceM: number;
}

/** The nearest point of the graph's segments to `p`, or null for a graph without segments. */
export function snap(g: WayGraph, p: LonLat): Snap | null {
  let best: Snap | null = null;
  for (const [i, [a, b]] of g.segments.entries()) {
    const A = g.nodes[a]!;
    const B = g.nodes[b]!;
    const dx = (B[0] - A[0]) * g.kx;
    const dy = B[1] - A[1];
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (((p[0] - A[0]) * g.kx) * dx + (p[1] - A[1]) * dy) / len2));
    const point: LonLat = [A[0] + (B[0] - A[0]) * t, A[1] + (B[1] - A[1]) * t];
    const distanceM = metres(p, point, g.kx);
    if (!best || distanceM < best.distanceM) best = { segment: i, t, point, distanceM };
  }
  return best;
}

/** Shortest distances and predecessors from `sources` (node → initial metres). */
function dijkstra(g: WayGraph, sources: ReadonlyMap<number, number>): { dist: Float64Array; prev: Int32Array } {
  const n = g.nodes.length;
  const dist = new Float64Array(n).fill(Infinity);
  const prev = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  for (const [node, d] of sources) if (d < dist[node]!) dist[node] = d;
  for (;;) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!done[i] && dist[i]! < Infinity && (u === -1 || dist[i]! < dist[u]!)) u = i;
    if (u === -1) return { dist, prev };
    done[u] = 1;
    for (const [v, w] of g.edges[u]!) {
      if (dist[u]! + w < dist[v]!) {
        dist[v] = dist[u]! + w;
        prev[v] = u;
      }
    }
  }
}

function straight(from: LonLat, to: LonLat): Route {
  return { points: [from, to], lengthM: metres(from, to), onWays: false };
}

/** The shortest route from `from` to `to` over the ways (see the module header). */
export function routeBetween(g: WayGraph, from: LonLat, to: LonLat): Route {
  const s = snap(g, from);
  const e = snap(g, to);
  if (!s || !e) return straight(from, to);
  const [sa, sb] = g.segments[s.segment]!;
  const [ea, eb] = g.segments[e.segment]!;
  const segLen = (i: number) => { const [a, b] = g.segments[i]!; return metres(g.nodes[a]!, g.nodes[b]!, g.kx); };
  const sLen = segLen(s.segment);
  const eLen = segLen(e.segment);
  const head = [from, s.point];
  const tail = [e.point, to];
  const ends = s.distanceM + e.distanceM;
  // Both ends on one segment: along it, unless a way round is shorter (it never is on a straight segment).
  let best: { lengthM: number; points: LonLat[] } | null = s.segment === e.segment
    ? { lengthM: ends + Math.abs(s.t - e.t) * sLen, points: [...head, ...tail] }
    : null;
  const sources = new Map<number, number>([[sa, s.t * sLen], [sb, (1 - s.t) * sLen]]);
  if (sa === sb) sources.set(sa, 0);
  const { dist, prev } = dijkstra(g, sources);
  for (const [node, toEnd] of [[ea, e.t * eLen], [eb, (1 - e.t) * eLen]] as const) {
    const total = dist[node]! + toEnd + ends;
    if (!(total < (best?.lengthM ?? Infinity))) continue;
    const path: LonLat[] = [];
    for (let v = node; v !== -1; v = prev[v]!) path.push(g.nodes[v]!);
    path.reverse();
    best = { lengthM: total, points: [...head, ...path, ...tail] };
  }
  if (!best) return straight(from, to);
  return { points: dedupe(best.points), lengthM: best.lengthM, onWays: true };
}

function dedupe(points: readonly LonLat[]): LonLat[] {
  const out: LonLat[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (!last || Math.abs(last[0] - p[0]) > SAME_POINT || Math.abs(last[1] - p[1]) > SAME_POINT) out.push([p[0], p[1]]);
  }
  return out;
}
