/**
 * @module rooms/building/building-state
 * The synchronised state of a building room: who is online and how many messages it has.
 */
import { schema, t, type SchemaType } from '@colyseus/schema';

export const BuildingRoomState = schema({
  buildingId: t.string(),
  online: t.number(),
  messages: t.number(),
}, 'BuildingRoomState');
export type BuildingRoomState = SchemaType<typeof BuildingRoomState>;
