/**
 * Tests of routes over the layout's ways: a hand-made grid where the shortest way is known, the
 * straight-line fallback, a property comparing Dijkstra with Floyd–Warshall on random graphs,
 * and the real compound (fixtures/shikeyuan): every gate reaches every bay over the ways.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { CommunityLayout, LonLat } from '../community/layout.ts';
import { buildWayGraph, metres, routeBetween, snap } from './route.ts';

const layout = JSON.parse(readFileSync(new URL('../../fixtures/shikeyuan/community.json', import.meta.url), 'utf8')) as CommunityLayout;
const D = 0.001; // ~111 m north–south at the equator; tests at lat 0 keep the maths plain

test('route: L-shaped road and a shortcut footway → the route takes the shortcut and ends at both points', () => {
  const g = buildWayGraph([
    { line: [[0, 0], [0, 2 * D], [2 * D, 2 * D]] },
    { line: [[0, 0], [2 * D, 2 * D]] },
  ]);
  const r = routeBetween(g, [0, -0.1 * D], [2 * D, 2.1 * D]);
  assert.ok(r.onWays);
  assert.deepEqual(r.points[0], [0, -0.1 * D]);
  assert.deepEqual(r.points[r.points.length - 1], [2 * D, 2.1 * D]);
  assert.deepEqual(r.points.slice(1, -1), [[0, 0], [2 * D, 2 * D]], 'along the diagonal, not round the corner');
  const expected = metres([0, -0.1 * D], [0, 0]) + metres([0, 0], [2 * D, 2 * D]) + metres([2 * D, 2 * D], [2 * D, 2.1 * D]);
  assert.ok(Math.abs(r.lengthM - expected) < 1e-6);
});

test('route: both ends beside one segment → straight along it between the two snapped points', () => {
  const g = buildWayGraph([{ line: [[0, 0], [4 * D, 0]] }]);
  const r = routeBetween(g, [D, 0.1 * D], [3 * D, -0.1 * D]);
  assert.deepEqual(r.points, [[D, 0.1 * D], [D, 0], [3 * D, 0], [3 * D, -0.1 * D]]);
});

test('route: no ways, or the ends on two unconnected ways → the straight line, onWays false', () => {
  assert.deepEqual(routeBetween(buildWayGraph([]), [0, 0], [D, D]).onWays, false);
  const g = buildWayGraph([{ line: [[0, 0], [D, 0]] }, { line: [[0, 5 * D], [D, 5 * D]] }]);
  const r = routeBetween(g, [0, 0], [D, 5 * D]);
  assert.equal(r.onWays, false);
  assert.deepEqual(r.points, [[0, 0], [D, 5 * D]]);
});

test('route: snap → the nearest point of the nearest segment, clamped to its ends', () => {
  const g = buildWayGraph([{ line: [[0, 0], [2 * D, 0]] }, { line: [[0, 3 * D], [2 * D, 3 * D]] }]);
  assert.deepEqual(snap(g, [D, 0.5 * D])?.point, [D, 0]);
  assert.deepEqual(snap(g, [5 * D, 2.9 * D])?.point, [2 * D, 3 * D]);
});

test('route property: random graphs → the route length equals the Floyd–Warshall shortest distance between the snapped ends', () => {
  const pt = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })).map(([x, y]) => [x * D, y * D] as LonLat);
  const arb = fc.tuple(fc.array(fc.tuple(pt, pt), { minLength: 1, maxLength: 14 }), pt, pt);
  fc.assert(fc.property(arb, ([segs, from, to]) => {
    const g = buildWayGraph(segs.map(([a, b]) => ({ line: [a, b] })));
    fc.pre(g.segments.length > 0);
    const r = routeBetween(g, from, to);
    const s = snap(g, from)!;
    const e = snap(g, to)!;
    // Floyd–Warshall over the graph's nodes plus the two snapped points spliced into their segments.
    const pts: LonLat[] = [...g.nodes, s.point, e.point];
    const n = pts.length;
    const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
    const link = (i: number, j: number, w: number) => { d[i]![j] = Math.min(d[i]![j]!, w); d[j]![i] = Math.min(d[j]![i]!, w); };
    for (const [a, b] of g.segments) link(a, b, metres(pts[a]!, pts[b]!, g.kx));
    for (const [k, sn] of [[n - 2, s], [n - 1, e]] as const) {
      const [a, b] = g.segments[sn.segment]!;
      link(k, a, metres(pts[k]!, pts[a]!, g.kx));
      link(k, b, metres(pts[k]!, pts[b]!, g.kx));
    }
    if (s.segment === e.segment) link(n - 2, n - 1, metres(s.point, e.point, g.kx));
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (d[i]![k]! + d[k]![j]! < d[i]![j]!) d[i]![j] = d[i]![k]! + d[k]![j]!;
    const shortest = d[n - 2]![n - 1]!;
    if (shortest === Infinity) { assert.equal(r.onWays, false); return; }
    assert.ok(r.onWays);
    assert.ok(Math.abs(r.lengthM - (shortest + s.distanceM + e.distanceM)) < 1e-6, `${r.lengthM} vs ${shortest + s.distanceM + e.distanceM}`);
  }), { numRuns: 300 });
});

test('route: the real compound → every gate reaches every bay over the ways; the route starts at the gate, ends at the bay, is no shorter than the straight line', () => {
  const g = buildWayGraph(layout.ways);
  assert.ok(g.nodes.length > 100, 'the layout has a way network');
  for (const gate of layout.gates) {
    for (const lot of layout.lots) {
      for (const bay of [lot.bays[0]!, lot.bays[lot.bays.length - 1]!]) {
        const r = routeBetween(g, gate.at, bay.at);
        assert.ok(r.onWays, `${gate.id} → ${bay.id} over the ways`);
        assert.deepEqual(r.points[0], gate.at);
        assert.deepEqual(r.points[r.points.length - 1], bay.at);
        assert.ok(r.lengthM + 1e-6 >= metres(gate.at, bay.at), `${gate.id} → ${bay.id}`);
        assert.ok(r.lengthM < 3000, 'inside a compound of about a kilometre');
      }
    }
  }
});
