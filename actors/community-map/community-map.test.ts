/**
 * Tests of the community-map actor: aggregating lot occupancy, building chat counts and
 * presence for known lots and buildings only, never going back in time for lots.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scenario, checkReplay, checkJson } from '../_kit/scenario.ts';
import { createCommunityMapActor } from './community-map.ts';
import { MapError } from './errors.ts';
import type { MapCommand, MapEvent, ObserveChat, ObserveLot, ObservePresence } from './protocol.ts';

const LOTS = [{ id: 'lot-595108700', capacity: 40 }, { id: 'lot-2', capacity: 8 }];
const BUILDINGS = ['bldg-1', 'bldg-2'];
const map = createCommunityMapActor(LOTS, BUILDINGS);

const lotObs = (lotId: string, occupied: number, at: number, capacity = 40): ObserveLot => ({ type: 'ObserveLot', lotId, occupied, capacity, at });
const chatObs = (buildingId: string, at: number): ObserveChat => ({ type: 'ObserveChat', buildingId, at });
const presence = (buildingId: string, online: number, at = 1): ObservePresence => ({ type: 'ObservePresence', buildingId, online, at });

const PROTO_NAMES = ['constructor', 'toString', 'hasOwnProperty', '__proto__'];

test('community map: initial state → every known lot and building at zero', () => {
  scenario(map).expectState({
    lots: { 'lot-595108700': { occupied: 0, capacity: 40, updatedAt: 0 }, 'lot-2': { occupied: 0, capacity: 8, updatedAt: 0 } },
    buildings: { 'bldg-1': { online: 0, messages: 0, lastAt: 0, presenceAt: 0 }, 'bldg-2': { online: 0, messages: 0, lastAt: 0, presenceAt: 0 } },
  });
});

test('community map: observation of a known lot → LotObserved; lot updated', () => {
  scenario(map).when(lotObs('lot-595108700', 12, 100))
    .expectEvents([{ type: 'LotObserved', v: 1, lotId: 'lot-595108700', occupied: 12, capacity: 40, at: 100 }])
    .expectState((s) => assert.deepEqual(s.lots['lot-595108700'], { occupied: 12, capacity: 40, updatedAt: 100 }));
});

test('community map: unknown lot → MAP_UNKNOWN_LOT with lotId', () => {
  scenario(map).when(lotObs('lot-404', 1, 100)).expectError(MapError.UNKNOWN_LOT, { lotId: 'lot-404' });
});

test('community map: lot id naming an Object.prototype member → MAP_UNKNOWN_LOT', () => {
  for (const lotId of PROTO_NAMES) scenario(map).when(lotObs(lotId, 1, 100)).expectError(MapError.UNKNOWN_LOT, { lotId });
});

test('community map: chat or presence in an unknown building → MAP_UNKNOWN_BUILDING with buildingId', () => {
  scenario(map).when(chatObs('bldg-404', 1)).expectError(MapError.UNKNOWN_BUILDING, { buildingId: 'bldg-404' });
  scenario(map).when(presence('bldg-404', 3)).expectError(MapError.UNKNOWN_BUILDING, { buildingId: 'bldg-404' });
});

test('community map: building id naming an Object.prototype member → MAP_UNKNOWN_BUILDING', () => {
  for (const buildingId of PROTO_NAMES) {
    scenario(map).when(chatObs(buildingId, 1)).expectError(MapError.UNKNOWN_BUILDING, { buildingId });
    scenario(map).when(presence(buildingId, 1)).expectError(MapError.UNKNOWN_BUILDING, { buildingId });
  }
});

test('community map: known ids naming Object.prototype members → ordinary lots and buildings', () => {
  const m = createCommunityMapActor([{ id: 'constructor', capacity: 5 }], ['__proto__']);
  const r = checkJson(m, [lotObs('constructor', 2, 10, 5), chatObs('__proto__', 3), presence('__proto__', 4)]);
  assert.deepEqual(Object.getOwnPropertyDescriptor(r.state.lots, 'constructor')?.value, { occupied: 2, capacity: 5, updatedAt: 10 });
  assert.deepEqual(Object.getOwnPropertyDescriptor(r.state.buildings, '__proto__')?.value, { online: 4, messages: 1, lastAt: 3, presenceAt: 1 });
});

test('community map: LotObserved older than the lot\'s current one → no events; state unchanged', () => {
  scenario(map).givenCommands([lotObs('lot-2', 5, 200, 8)]).when(lotObs('lot-2', 1, 199, 8)).expectNoEvents()
    .expectState((s) => assert.deepEqual(s.lots['lot-2'], { occupied: 5, capacity: 8, updatedAt: 200 }));
});

test('community map: LotObserved at the same time → accepted (latest wins)', () => {
  scenario(map).givenCommands([lotObs('lot-2', 5, 200, 8)]).when(lotObs('lot-2', 6, 200, 8))
    .expectEvents([{ type: 'LotObserved', v: 1, lotId: 'lot-2', occupied: 6, capacity: 8, at: 200 }]);
});

test('community map: occupied > capacity → MAP_BAD_OBSERVATION', () => {
  scenario(map).when(lotObs('lot-2', 9, 100, 8)).expectError(MapError.BAD_OBSERVATION);
});

test('community map: negative or non-integer occupied or capacity → MAP_BAD_OBSERVATION', () => {
  for (const [occupied, capacity] of [[-1, 8], [1.5, 8], [1, -8], [1, 8.5], [NaN, 8], [1, Infinity]]) {
    scenario(map).when(lotObs('lot-2', occupied!, 100, capacity)).expectError(MapError.BAD_OBSERVATION);
  }
});

test('community map: occupied equal to capacity → accepted', () => {
  scenario(map).when(lotObs('lot-2', 8, 100, 8)).expectEvents([{ type: 'LotObserved', v: 1, lotId: 'lot-2', occupied: 8, capacity: 8, at: 100 }]);
});

test('community map: each observed chat message → messages incremented, lastAt the latest', () => {
  const r = checkReplay(map, [chatObs('bldg-1', 10), chatObs('bldg-1', 30), chatObs('bldg-1', 20), chatObs('bldg-2', 5)]);
  assert.deepEqual(r.events.map((e) => e.type), ['ChatObserved', 'ChatObserved', 'ChatObserved', 'ChatObserved']);
  assert.deepEqual(r.state.buildings['bldg-1'], { online: 0, messages: 3, lastAt: 30, presenceAt: 0 });
  assert.deepEqual(r.state.buildings['bldg-2'], { online: 0, messages: 1, lastAt: 5, presenceAt: 0 });
});

test('community map: presence → PresenceObserved; online replaced, messages kept', () => {
  scenario(map).givenCommands([chatObs('bldg-1', 10), presence('bldg-1', 7)]).when(presence('bldg-1', 4, 2))
    .expectEvents([{ type: 'PresenceObserved', v: 1, buildingId: 'bldg-1', online: 4, at: 2 }])
    .expectState((s) => assert.deepEqual(s.buildings['bldg-1'], { online: 4, messages: 1, lastAt: 10, presenceAt: 2 }));
});

test('community map: an older presence count after a newer one → ignored', () => {
  scenario(map).givenCommands([presence('bldg-1', 7, 50)]).when(presence('bldg-1', 2, 40)).expectNoEvents()
    .expectState((s) => assert.equal(s.buildings['bldg-1'].online, 7));
});

test('community map: a non-finite time → MAP_BAD_OBSERVATION', () => {
  scenario(map).when(presence('bldg-1', 2, Number.NaN)).expectError(MapError.BAD_OBSERVATION);
  scenario(map).when(lotObs('lot-1', 1, Number.POSITIVE_INFINITY, 10)).expectError(MapError.BAD_OBSERVATION);
});

test('community map: presence of 0 → accepted', () => {
  scenario(map).when(presence('bldg-2', 0)).expectEvents([{ type: 'PresenceObserved', v: 1, buildingId: 'bldg-2', online: 0, at: 1 }]);
});

test('community map: negative or non-integer presence → MAP_BAD_OBSERVATION', () => {
  for (const online of [-1, 2.5, NaN]) scenario(map).when(presence('bldg-1', online)).expectError(MapError.BAD_OBSERVATION);
});

test('community map: event of an unknown type → evolve returns the state unchanged', () => {
  assert.equal(map.evolve(map.initial, { type: 'GateOpened', v: 1 } as unknown as MapEvent), map.initial);
});

const script: MapCommand[] = [
  lotObs('lot-595108700', 12, 100), lotObs('lot-404', 1, 100), lotObs('lot-595108700', 10, 90), lotObs('lot-2', 9, 100, 8),
  chatObs('bldg-1', 100), chatObs('bldg-404', 100), presence('bldg-1', 3), presence('bldg-2', -1), lotObs('lot-2', 8, 110, 8),
  chatObs('bldg-2', 120), presence('bldg-1', 2),
];

test('community map: mixed script → replay gives the same state', () => {
  const r = checkReplay(map, script);
  assert.equal(r.events.length, 6);
});

test('community map: mixed script → commands, decisions, events and states survive JSON', () => {
  checkJson(map, script);
});

const arbCommand: fc.Arbitrary<MapCommand> = fc.oneof(
  fc.record({
    type: fc.constant('ObserveLot' as const), lotId: fc.constantFrom('lot-595108700', 'lot-2', 'lot-x', 'constructor'),
    occupied: fc.integer({ min: -2, max: 50 }), capacity: fc.integer({ min: 0, max: 45 }), at: fc.nat(50),
  }, { noNullPrototype: true }),
  fc.record({ type: fc.constant('ObserveChat' as const), buildingId: fc.constantFrom('bldg-1', 'bldg-2', 'bldg-x', 'toString'), at: fc.nat(50) }, { noNullPrototype: true }),
  fc.record({
    type: fc.constant('ObservePresence' as const), buildingId: fc.constantFrom('bldg-1', 'bldg-2', '__proto__'),
    online: fc.integer({ min: -1, max: 20 }), at: fc.nat(50),
  }, { noNullPrototype: true }),
);

test('community map: any observations → only known ids, lot times never go back, occupied ≤ capacity, messages = chat events', () => {
  fc.assert(fc.property(fc.array(arbCommand, { maxLength: 40 }), (commands) => {
    const r = checkReplay(map, commands);
    checkJson(map, commands);
    let before = map.initial;
    for (const step of r.steps) {
      const s = step.state;
      assert.deepEqual(Object.keys(s.lots), LOTS.map((l) => l.id));
      assert.deepEqual(Object.keys(s.buildings), BUILDINGS);
      for (const id of Object.keys(s.lots)) {
        assert.ok(s.lots[id]!.updatedAt >= before.lots[id]!.updatedAt);
        assert.ok(s.lots[id]!.occupied >= 0 && s.lots[id]!.occupied <= s.lots[id]!.capacity);
      }
      before = s;
    }
    for (const id of BUILDINGS) {
      const chats = r.events.filter((e) => e.type === 'ChatObserved' && e.buildingId === id).length;
      assert.equal(r.state.buildings[id]!.messages, chats);
    }
  }));
});
