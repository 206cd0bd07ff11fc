import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitProjection, ringCentre, viewBounds } from './projection.ts';
import { occupancyBand } from './occupancy.ts';

const bounds = { minLon: 116.34, minLat: 39.99, maxLon: 116.36, maxLat: 40.0 };

test('fitProjection: bounds fill the viewport minus padding → corners land on the inner box', () => {
  const p = fitProjection(bounds, { width: 800, height: 600, padding: 10 });
  const [x0, y0] = p.project([bounds.minLon, bounds.maxLat]); // north-west
  const [x1, y1] = p.project([bounds.maxLon, bounds.minLat]); // south-east
  assert.ok(x0 >= 10 - 1e-9 && y0 >= 10 - 1e-9, 'north-west corner inside the padding');
  assert.ok(x1 <= 790 + 1e-9 && y1 <= 590 + 1e-9, 'south-east corner inside the padding');
  assert.ok(Math.abs(x1 - x0 - 780) < 1e-6 || Math.abs(y1 - y0 - 580) < 1e-6, 'one axis is filled exactly');
  assert.ok(y0 < y1, 'north is up');
});

test('fitProjection: a metre east and a metre north → the same pixel length (cos(lat) scaling)', () => {
  const p = fitProjection(bounds, { width: 1000, height: 1000, padding: 0 });
  const lat = 39.995;
  const dLat = 1 / 111_320; // ≈ 1 m of latitude
  const dLon = dLat / Math.cos((lat * Math.PI) / 180);
  const [ax, ay] = p.project([116.35, lat]);
  const [bx] = p.project([116.35 + dLon, lat]);
  const [, cy] = p.project([116.35, lat + dLat]);
  assert.ok(Math.abs(Math.abs(bx - ax) - Math.abs(cy - ay)) / Math.abs(cy - ay) < 1e-3);
});

test('fitProjection: degenerate bounds (one point) → finite, centred', () => {
  const p = fitProjection({ minLon: 1, minLat: 2, maxLon: 1, maxLat: 2 }, { width: 100, height: 50, padding: 5 });
  assert.deepEqual(p.project([1, 2]), [50, 25]);
  assert.ok(Number.isFinite(p.scale));
});

test('viewBounds: boundary with margin; fewer than 3 points → the fallback', () => {
  const ring = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]] as const;
  assert.deepEqual(viewBounds(ring, bounds, 0.1), { minLon: -1, minLat: -1, maxLon: 11, maxLat: 11 });
  assert.equal(viewBounds([], bounds), bounds);
});

test('ringCentre: closed ring → mean of its distinct vertices', () => {
  assert.deepEqual(ringCentre([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]), [1, 1]);
});

test('occupancyBand: thresholds at 70 % and 90 %; no reading or no capacity → none', () => {
  const at = (occupied: number, capacity = 100) => occupancyBand({ occupied, capacity, updatedAt: 0 });
  assert.equal(occupancyBand(undefined), 'none');
  assert.equal(at(5, 0), 'none');
  assert.equal(at(69), 'low');
  assert.equal(at(70), 'mid');
  assert.equal(at(89), 'mid');
  assert.equal(at(90), 'high');
  assert.equal(at(120), 'high');
});
