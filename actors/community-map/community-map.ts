/**
 * @module actors/community-map/community-map
 * The community's live map as a pure state machine: the latest occupancy of every lot and the
 * activity (online residents, messages) of every residential building.
 * Owns: aggregation rules (only known lots and buildings, never going back in time). Does not: I/O.
 * Concurrency: pure; the engine feeds one command at a time.
 */
import { accept, reject, assertNever, defineActor, type Decision } from '../_kit/index.ts';
import { MapError, type MapErrorCode } from './errors.ts';
import type { MapCommand, MapEvent, MapState } from './protocol.ts';

export function initialMap(lots: readonly { id: string; capacity: number }[], buildingIds: readonly string[]): MapState {
  return {
    lots: Object.fromEntries(lots.map((l) => [l.id, { occupied: 0, capacity: l.capacity, updatedAt: 0 }])),
    buildings: Object.fromEntries(buildingIds.map((id) => [id, { online: 0, messages: 0, lastAt: 0, presenceAt: 0 }])),
  };
}

export function decide(s: MapState, c: MapCommand): Decision<MapEvent, MapErrorCode> {
  if (!Number.isFinite(c.at)) return reject(MapError.BAD_OBSERVATION, { at: String(c.at) });
  switch (c.type) {
    case 'ObserveLot': {
      const lot = Object.hasOwn(s.lots, c.lotId) ? s.lots[c.lotId] : undefined; // own keys only: 'constructor' is no lot
      if (!lot) return reject(MapError.UNKNOWN_LOT, { lotId: c.lotId });
      if (![c.occupied, c.capacity].every((n) => Number.isInteger(n) && n >= 0) || c.occupied > c.capacity) return reject(MapError.BAD_OBSERVATION);
      if (c.at < lot.updatedAt) return accept(); // an older observation never overwrites a newer one
      return accept({ type: 'LotObserved', v: 1, lotId: c.lotId, occupied: c.occupied, capacity: c.capacity, at: c.at });
    }
    case 'ObserveChat':
      if (!Object.hasOwn(s.buildings, c.buildingId)) return reject(MapError.UNKNOWN_BUILDING, { buildingId: c.buildingId });
      return accept({ type: 'ChatObserved', v: 1, buildingId: c.buildingId, at: c.at });
    case 'ObservePresence':
      if (!Object.hasOwn(s.buildings, c.buildingId)) return reject(MapError.UNKNOWN_BUILDING, { buildingId: c.buildingId });
      if (!Number.isInteger(c.online) || c.online < 0) return reject(MapError.BAD_OBSERVATION);
      if (c.at < s.buildings[c.buildingId].presenceAt) return accept(); // an older count never overwrites a newer one
      return accept({ type: 'PresenceObserved', v: 1, buildingId: c.buildingId, online: c.online, at: c.at });
    default: return assertNever(c);
  }
}

export function evolve(s: MapState, e: MapEvent): MapState {
  switch (e.type) {
    case 'LotObserved':
      return { ...s, lots: { ...s.lots, [e.lotId]: { occupied: e.occupied, capacity: e.capacity, updatedAt: e.at } } };
    case 'ChatObserved': {
      const b = s.buildings[e.buildingId] ?? { online: 0, messages: 0, lastAt: 0, presenceAt: 0 };
      return { ...s, buildings: { ...s.buildings, [e.buildingId]: { ...b, messages: b.messages + 1, lastAt: Math.max(b.lastAt, e.at) } } };
    }
    case 'PresenceObserved': {
      const b = s.buildings[e.buildingId] ?? { online: 0, messages: 0, lastAt: 0, presenceAt: 0 };
      return { ...s, buildings: { ...s.buildings, [e.buildingId]: { ...b, online: e.online, presenceAt: e.at } } };
    }
    default: return s;
  }
}

export function createCommunityMapActor(lots: readonly { id: string; capacity: number }[], buildingIds: readonly string[]) {
  return defineActor({ type: 'community-map', initial: initialMap(lots, buildingIds), decide, evolve });
}
