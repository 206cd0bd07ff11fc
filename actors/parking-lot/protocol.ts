/**
 * @module actors/parking-lot/protocol
 * Commands, events and state of a parking lot fed by an occupancy counter device.
 * Types only; the client imports this file.
 */
export type RecordOccupancy = {
  type: 'RecordOccupancy'; deviceId: string; at: number; raw: number;
};
export type LotCommand = RecordOccupancy;

export type Quality = 'ok' | 'clamped_negative' | 'clamped_over_capacity';

export type OccupancyRecorded = {
  type: 'OccupancyRecorded'; v: 1; deviceId: string; at: number; raw: number; occupied: number; quality: Quality;
};
export type LotEvent = OccupancyRecorded;

export type LotState = Readonly<{
  capacity: number;
  occupied: number | null;
  updatedAt: number | null;
  quality: Quality | null;
  readings: number;
  /** Readings adjusted because the device reported an impossible count. */
  clamped: number;
  /** (at, raw) of the last accepted reading, to recognise exact repeats. */
  last: Readonly<{ at: number; raw: number }> | null;
}>;
