/**
 * Tests of guidance choices: the lot picked for a resident (nearest with a bay to offer, ties to
 * more bays), the entry gate (shortest route) on the real compound, and building centres.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CommunityLayout } from '../community/layout.ts';
import { bestGate, centreOf, pickLot } from './guidance.ts';
import { buildWayGraph, routeBetween } from './route.ts';

const layout = JSON.parse(readFileSync(new URL('../../fixtures/shikeyuan/community.json', import.meta.url), 'utf8')) as CommunityLayout;

test('guidance: pick a lot → the nearest to home that can offer a bay; a full lot is skipped; equal distance → more bays', () => {
  const home = [116.35, 40] as const;
  const near = { lotId: 'near', centre: [116.3501, 40] as const, offerable: 1 };
  const far = { lotId: 'far', centre: [116.36, 40] as const, offerable: 9 };
  assert.deepEqual(pickLot([far, near], home)?.lotId, 'near');
  assert.deepEqual(pickLot([far, { ...near, offerable: 0 }], home)?.lotId, 'far');
  assert.equal(pickLot([{ ...near, offerable: 0 }], home), null);
  assert.equal(pickLot([{ ...near, lotId: 'a' }, { ...near, lotId: 'b', offerable: 3 }], home)?.lotId, 'b');
  assert.equal(pickLot([near, far], null)?.lotId, 'far', 'no home: the lot with most bays');
});

test('guidance: centre of a closed ring → mean of its distinct vertices', () => {
  assert.deepEqual(centreOf([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]), [1, 1]);
});

test('guidance: best gate on the real compound → the gate whose route to the bay is shortest', () => {
  const g = buildWayGraph(layout.ways);
  for (const lot of layout.lots) {
    const bay = lot.bays[0]!;
    const best = bestGate(g, layout.gates, bay.at)!;
    for (const gate of layout.gates) assert.ok(best.route.lengthM <= routeBetween(g, gate.at, bay.at).lengthM + 1e-9, `${lot.id}: ${best.gateId} vs ${gate.id}`);
  }
  assert.equal(bestGate(g, [], [0, 0]), null);
});
