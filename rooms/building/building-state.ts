/**
 * @module rooms/building/building-state
 * The synchronised state of a building room: how many residents are online. The message count
 * is not state: it changes with every post and would cost every client a patch per message;
 * chat messages carry their seq instead.
 */
import { schema, t, type SchemaType } from '@colyseus/schema';

export const BuildingRoomState = schema({
  buildingId: t.string(),
  online: t.number(),
}, 'BuildingRoomState');
export type BuildingRoomState = SchemaType<typeof BuildingRoomState>;
