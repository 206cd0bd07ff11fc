/**
 * @module rooms/parking-lot/parking-lot-state
 * The synchronised state of a parking-lot room: live occupancy as residents and guards see it.
 */
import { schema, t, type SchemaType } from '@colyseus/schema';

export const ParkingLotRoomState = schema({
  lotId: t.string(),
  capacity: t.number(),
  occupied: t.number(),
  free: t.number(),
  /** Epoch ms of the reading shown; 0 before the first reading. */
  updatedAt: t.number(),
  /** `ok`, `clamped_negative`, `clamped_over_capacity`, or `none` before the first reading. */
  quality: t.string(),
  readings: t.number(),
}, 'ParkingLotRoomState');
export type ParkingLotRoomState = SchemaType<typeof ParkingLotRoomState>;
