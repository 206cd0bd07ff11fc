/**
 * @module rooms/group/group-state
 * The synchronised state of a group room.
 */
import { schema, t, type SchemaType } from '@colyseus/schema';

export const GroupRoomState = schema({
  groupId: t.string(),
  online: t.number(),
  members: t.number(),
}, 'GroupRoomState');
export type GroupRoomState = SchemaType<typeof GroupRoomState>;
