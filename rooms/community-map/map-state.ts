/**
 * @module rooms/community-map/map-state
 * The synchronised state of the community-map room: every lot's occupancy and every
 * residential building's activity, keyed by id.
 */
import { schema, t, type SchemaType } from '@colyseus/schema';

export const LotCell = schema({
  occupied: t.number(),
  capacity: t.number(),
  updatedAt: t.number(),
}, 'LotCell');
export type LotCell = SchemaType<typeof LotCell>;

export const BuildingCell = schema({
  online: t.number(),
  messages: t.number(),
  lastAt: t.number(),
}, 'BuildingCell');
export type BuildingCell = SchemaType<typeof BuildingCell>;

export const MapRoomState = schema({
  communityId: t.string(),
  lots: t.map(LotCell),
  buildings: t.map(BuildingCell),
}, 'MapRoomState');
export type MapRoomState = SchemaType<typeof MapRoomState>;
