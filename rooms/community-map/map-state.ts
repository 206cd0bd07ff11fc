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

/** One alarm on the guards' map: open ones, and the last resolved ones with their note. */
export const AlarmCell = schema({
  kind: t.string(),
  severity: t.string(),
  status: t.string(),
  deviceId: t.string(),
  lon: t.float64(),
  lat: t.float64(),
  buildingId: t.string(),
  unitId: t.string(),
  entrance: t.string(),
  floor: t.number(),
  raisedAt: t.number(),
  /** 0: the first guard asked; 1: the next guard; the last level: property staff. */
  level: t.number(),
  /** The guard asked now (account id), or `staff`. */
  responder: t.string(),
  responderName: t.string(),
  takenBy: t.string(),
  takenByName: t.string(),
  acknowledgedAt: t.number(),
  resolvedAt: t.number(),
  note: t.string(),
}, 'AlarmCell');
export type AlarmCell = SchemaType<typeof AlarmCell>;

export const MapRoomState = schema({
  communityId: t.string(),
  lots: t.map(LotCell),
  buildings: t.map(BuildingCell),
  alarms: t.map(AlarmCell),
  /** Guards on duty (account ids) in the order they came on: the first is asked first. */
  onDuty: t.array('string'),
}, 'MapRoomState');
export type MapRoomState = SchemaType<typeof MapRoomState>;
