/**
 * Bay layout: the committed community's lots hold exactly `capacity` bays, each inside its lot
 * and apart from the others; the layout is deterministic and survives degenerate polygons.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_COMMUNITY_FILE, loadCommunityFile } from '../../engine/community-file.ts';
import { layoutBays } from './bays.ts';
import { metresPerDegree, pointInRing, squareAround } from './geo.ts';

test('bays: every committed lot → capacity bays, inside its polygon, at least 2 m apart, empty plan slots', () => {
  const layout = loadCommunityFile(DEFAULT_COMMUNITY_FILE);
  for (const lot of layout.lots) {
    assert.equal(lot.bays.length, lot.capacity, lot.id);
    const k = metresPerDegree(lot.polygon[0]![1]);
    for (const [i, b] of lot.bays.entries()) {
      assert.ok(pointInRing(b.at, lot.polygon), `${b.id} inside ${lot.id}`);
      assert.equal(b.sensorDeviceId, `${b.id}-sensor`);
      assert.deepEqual([b.planned, b.owner], [false, null]);
      for (const o of lot.bays.slice(i + 1)) {
        const d = Math.hypot((b.at[0] - o.at[0]) * k.x, (b.at[1] - o.at[1]) * k.y);
        assert.ok(d >= 2, `${b.id} and ${o.id} are ${d.toFixed(2)} m apart`);
      }
    }
  }
});

test('bays: the same polygon twice → the same bays; ids padded to the count', () => {
  const square = squareAround([116.35, 39.99], 30);
  assert.deepEqual(layoutBays('lot-1', square, 12), layoutBays('lot-1', square, 12));
  assert.equal(layoutBays('lot-1', square, 12)[0]!.id, 'lot-1-b01');
  assert.equal(layoutBays('lot-1', squareAround([116.35, 39.99], 60), 120)[119]!.id, 'lot-1-b120');
});

test('bays: a degenerate polygon or no capacity → bays at its centre, or none', () => {
  const flat = [[116.35, 39.99], [116.3501, 39.99], [116.35, 39.99], [116.35, 39.99]] as const;
  assert.equal(layoutBays('lot-x', flat, 3).length, 3);
  assert.deepEqual(layoutBays('lot-x', squareAround([116.35, 39.99], 30), 0), []);
});
