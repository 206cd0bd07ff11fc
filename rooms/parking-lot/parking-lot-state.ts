/**
 * @module rooms/parking-lot/parking-lot-state
 * The synchronised state of a parking-lot room: live occupancy per lot and per bay as residents
 * and guards see it, with where the number comes from and whether the counter and the bay
 * sensors agree (actors/parking-lot/occupancy.ts). Held bays show as `held`, never by whom.
 */
import { schema, t, type SchemaType } from '@colyseus/schema';

export const BayCell = schema({
  /** `free`, `occupied`, `held` (kept for a resident on the way) or `unknown` (its sensor has not reported). */
  status: t.string(),
  /** A planned bay (产权车位), offered only to its owner unit. */
  planned: t.boolean(),
  /** Epoch ms of the bay's last reading; 0 before it. */
  updatedAt: t.number(),
}, 'BayCell');
export type BayCell = SchemaType<typeof BayCell>;

export const ParkingLotRoomState = schema({
  lotId: t.string(),
  capacity: t.number(),
  /** The lot's occupied spaces (counter and bays combined by the rule). */
  occupied: t.number(),
  free: t.number(),
  /** Epoch ms of the newest reading shown; 0 before the first reading. */
  updatedAt: t.number(),
  /** The counter's last reading: `ok`, `clamped_negative`, `clamped_over_capacity`, or `none` before its first reading. */
  quality: t.string(),
  /** Counter readings accepted. */
  readings: t.number(),
  /** Where `occupied` comes from: `none`, `counter`, `bays`, `mixed`. */
  source: t.string(),
  /** `none` (only one kind reports), `agree`, `disagree`. */
  agreement: t.string(),
  /** The counter's own count; -1 before its first reading. */
  counter: t.number(),
  /** Bays whose sensor has reported. */
  baysKnown: t.number(),
  /** Bays held for residents on the way. */
  held: t.number(),
  /** Bays guidance could offer a resident without a planned bay now. */
  available: t.number(),
  bays: t.map(BayCell),
}, 'ParkingLotRoomState');
export type ParkingLotRoomState = SchemaType<typeof ParkingLotRoomState>;
