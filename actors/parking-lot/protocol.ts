/**
 * @module actors/parking-lot/protocol
 * Commands, events and state of one parking lot: its counter device's readings, its bay sensors'
 * readings, and the bays held for residents who asked to be guided to one. Types only; the
 * client imports this file.
 * Every command carries `at`; hold ids and facts (whether the holder's car is inside the
 * compound, where the holder lives) come from the engine.
 */
import type { LonLat } from '../community/layout.ts';

/** The lot counter's reading quality: `ok`, or how an impossible count was clamped. */
export type Quality = 'ok' | 'clamped_negative' | 'clamped_over_capacity';
/** Where the lot's occupied number comes from (see occupancy.ts). */
export type Source = 'none' | 'counter' | 'bays' | 'mixed';
/** Whether the counter and the bay sensors tell the same story (`none`: only one of them reports). */
export type Agreement = 'none' | 'agree' | 'disagree';
export type ReleaseReason = 'expired' | 'cancelled' | 'taken';

/** What the actor knows of each bay from the layout (fixed for the actor's life). */
export interface BayInfo {
  readonly id: string;
  readonly at: LonLat;
  readonly planned: boolean;
  readonly owner: string | null;
}

export type RecordOccupancy = {
  type: 'RecordOccupancy'; deviceId: string; at: number; raw: number;
};
export type RecordBay = {
  type: 'RecordBay'; bayId: string; deviceId: string; occupied: boolean; at: number;
  /**
   * For a bay held for someone: whether the holder's car is inside the compound now (its plate
   * has an open gate session). null when the bay is not held or the hold names no plate, in which
   * case a held bay turning occupied counts as the holder's arrival.
   */
  holderInside: boolean | null;
};
export type HoldBay = {
  type: 'HoldBay'; holdId: string; accountId: string;
  /** The caller is a resident of the community (owner, tenant or family) now. */
  resident: boolean;
  /** The caller's units: a planned bay is offered only to its owner unit, and first to it. */
  unitIds: readonly string[];
  /** Where the holder is heading (their building); the nearest offerable bay to it is held. */
  near: LonLat;
  /** The plate the holder arrives with (normalised), so that arrival can be told from someone else parking there. */
  plate: string | null;
  gateId: string | null;
  holdMs: number;
  /** The caller's idempotency key, so a repeated request finds its hold in whichever lot it landed. */
  key: string | null;
  /** A hold this account already has in another lot (the engine checks all lots). */
  elsewhere: string | null;
  at: number;
};
export type ReleaseHold = { type: 'ReleaseHold'; accountId: string; at: number };
/** The clock: releases every hold whose deadline has passed without the bay turning occupied. */
export type Tick = { type: 'Tick'; at: number };

export type LotCommand = RecordOccupancy | RecordBay | HoldBay | ReleaseHold | Tick;

/** v1 had no `total`/`source` (the counter was the whole truth); the upcaster reads it as source `counter`. */
export type OccupancyRecordedV1 = {
  type: 'OccupancyRecorded'; v: 1; deviceId: string; at: number; raw: number; occupied: number; quality: Quality;
};
export type OccupancyRecorded = {
  type: 'OccupancyRecorded'; v: 2; deviceId: string; at: number; raw: number;
  /** The counter's count clamped to [0, capacity]. */
  occupied: number; quality: Quality;
  /** The lot's occupied spaces after this reading, by the rule of occupancy.ts, and where it came from. */
  total: number; source: Source;
};
export type BayRecorded = {
  type: 'BayRecorded'; v: 1; bayId: string; deviceId: string; occupied: boolean; at: number; total: number; source: Source;
};
export type BayHeld = {
  type: 'BayHeld'; v: 1; holdId: string; bayId: string; accountId: string; unitIds: readonly string[]; near: LonLat;
  plate: string | null; gateId: string | null; holdMs: number; until: number; key: string | null; at: number;
};
/** The held bay was taken by someone else: the hold moved to the next nearest offerable bay. */
export type HoldMoved = { type: 'HoldMoved'; v: 1; holdId: string; fromBayId: string; bayId: string; until: number; at: number };
export type HoldFulfilled = { type: 'HoldFulfilled'; v: 1; holdId: string; bayId: string; waitedMs: number; at: number };
export type HoldReleased = { type: 'HoldReleased'; v: 1; holdId: string; bayId: string; reason: ReleaseReason; at: number };

export type LotEvent = OccupancyRecorded | BayRecorded | BayHeld | HoldMoved | HoldFulfilled | HoldReleased;

export interface BayState {
  readonly occupied: boolean;
  readonly at: number;
}

export interface Hold {
  readonly holdId: string;
  readonly bayId: string;
  readonly accountId: string;
  readonly unitIds: readonly string[];
  readonly near: LonLat;
  readonly plate: string | null;
  readonly gateId: string | null;
  readonly holdMs: number;
  readonly until: number;
  readonly key: string | null;
  readonly at: number;
}

export type LotState = Readonly<{
  capacity: number;
  /** Occupied spaces by the rule of occupancy.ts; null before any reading. */
  occupied: number | null;
  source: Source;
  agreement: Agreement;
  /** Time of the newest reading of the counter or any bay. */
  updatedAt: number | null;
  /** The counter's last count (clamped), or null before its first reading. */
  counter: number | null;
  /** Quality of the counter's last reading. */
  quality: Quality | null;
  /** Counter readings accepted. */
  readings: number;
  /** Counter readings adjusted because the device reported an impossible count. */
  clamped: number;
  /** (at, raw) of the counter's last accepted reading, to recognise exact repeats. */
  last: Readonly<{ at: number; raw: number }> | null;
  /** Bays that have reported, by bay id. */
  bays: Readonly<Record<string, BayState>>;
  bayReadings: number;
  /** Holds by hold id. */
  holds: Readonly<Record<string, Hold>>;
}>;
