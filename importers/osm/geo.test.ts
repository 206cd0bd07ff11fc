/**
 * @module importers/osm/geo.test
 * Geometry helpers on shapes with known answers (a 100 m square near Beijing).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LonLat } from '../../actors/community/layout.ts';
import {
  distanceToRingM, expandBbox, lineTouchesBbox, pointInRing, ringAreaM2, ringCentroid, ringsOverlap, round7, squareAround,
} from './geo.ts';

const CENTRE: LonLat = [116.35, 40];
const SQUARE = squareAround(CENTRE, 100);

test('ringAreaM2: 100 m square → 10 000 m² (±0.1 %)', () => {
  assert.ok(Math.abs(ringAreaM2(SQUARE) - 10_000) < 10);
});

test('ringCentroid: square → its centre', () => {
  const [lon, lat] = ringCentroid(SQUARE);
  assert.equal(round7(lon), CENTRE[0]);
  assert.equal(round7(lat), CENTRE[1]);
});

test('pointInRing / distanceToRingM: point 50 m outside the edge → outside, ~50 m', () => {
  const outside: LonLat = [CENTRE[0], CENTRE[1] + 100 / 110_574];
  assert.equal(pointInRing(CENTRE, SQUARE), true);
  assert.equal(pointInRing(outside, SQUARE), false);
  assert.equal(distanceToRingM(CENTRE, SQUARE), 0);
  assert.ok(Math.abs(distanceToRingM(outside, SQUARE) - 50) < 0.5);
});

test('ringsOverlap: crossing, nested and disjoint squares → true, true, false', () => {
  const shifted = squareAround([CENTRE[0] + 0.0008, CENTRE[1]], 100);
  const far = squareAround([CENTRE[0] + 0.01, CENTRE[1]], 100);
  assert.equal(ringsOverlap(SQUARE, shifted), true);
  assert.equal(ringsOverlap(SQUARE, squareAround(CENTRE, 10)), true);
  assert.equal(ringsOverlap(SQUARE, far), false);
});

test('lineTouchesBbox: line crossing the box with no vertex inside → true', () => {
  const box = expandBbox({ minLon: 116.35, minLat: 40, maxLon: 116.35, maxLat: 40 }, 10);
  assert.equal(lineTouchesBbox([[116.34, 40], [116.36, 40]], box), true);
  assert.equal(lineTouchesBbox([[116.34, 40.01], [116.36, 40.01]], box), false);
});
