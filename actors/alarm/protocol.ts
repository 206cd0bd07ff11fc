/**
 * @module actors/alarm/protocol
 * Commands, events and state of a community's alarm desk: smoke, water, gas, forced-door and SOS
 * alarms raised from device readings, offered to the guard on duty, escalated when nobody
 * acknowledges in time (the next guard, then property staff), taken by a guard and resolved
 * with a note. Types only; the client imports this file.
 * Every command carries `at`; ids and the roster of guards on duty come from the engine.
 */
import type { LonLat } from '../community/layout.ts';

export type AlarmKind = 'smoke' | 'water' | 'gas' | 'forced-door' | 'sos';
export type Severity = 'critical' | 'major';
export type AlarmStatus = 'raised' | 'acknowledged' | 'taken' | 'resolved';
/** Who answers for an alarm now: a guard's account id, or all property staff. */
export type Responder = { readonly kind: 'guard'; readonly accountId: string } | { readonly kind: 'staff' };
/** The roles the desk knows; the engine passes the caller's strongest. */
export type DeskRole = 'guard' | 'property_staff' | 'property_admin' | 'other';

/** Where the alarm is: building and unit when the device has them, always a map point. */
export interface AlarmPlace {
  readonly buildingId: string | null;
  readonly unitId: string | null;
  readonly entrance: string | null;
  readonly floor: number | null;
  readonly lotId: string | null;
  readonly point: LonLat;
}

export type RaiseAlarm = {
  type: 'RaiseAlarm'; alarmId: string; deviceId: string; kind: AlarmKind; severity: Severity; place: AlarmPlace;
  /** An elderly resident's SOS button: the unit's family members are told too. */
  elderly: boolean;
  /** Guards on duty now, in the order they came on (the first is asked first). */
  guards: readonly string[];
  at: number;
};
export type AcknowledgeAlarm = { type: 'AcknowledgeAlarm'; alarmId: string; by: string; role: DeskRole; at: number };
export type TakeAlarm = { type: 'TakeAlarm'; alarmId: string; by: string; role: DeskRole; at: number };
export type ResolveAlarm = { type: 'ResolveAlarm'; alarmId: string; by: string; role: DeskRole; note: string; at: number };
/** The clock: escalates every alarm whose acknowledgement is overdue at `at`. */
export type Tick = { type: 'Tick'; guards: readonly string[]; at: number };

export type AlarmCommand = RaiseAlarm | AcknowledgeAlarm | TakeAlarm | ResolveAlarm | Tick;

/** `shift` is the shift the step happened in (`2026-12-03 08:00`: local date and start), for response times per shift. */
export type AlarmRaised = {
  type: 'AlarmRaised'; v: 1; alarmId: string; deviceId: string; kind: AlarmKind; severity: Severity; place: AlarmPlace;
  elderly: boolean; responder: Responder; escalateAt: number; shift: string; at: number;
};
export type AlarmEscalated = { type: 'AlarmEscalated'; v: 1; alarmId: string; level: number; responder: Responder; escalateAt: number | null; overdueMs: number; shift: string; at: number };
export type AlarmAcknowledged = { type: 'AlarmAcknowledged'; v: 1; alarmId: string; by: string; role: DeskRole; responseMs: number; level: number; shift: string; at: number };
export type AlarmTaken = { type: 'AlarmTaken'; v: 1; alarmId: string; by: string; role: DeskRole; shift: string; at: number };
export type AlarmResolved = { type: 'AlarmResolved'; v: 1; alarmId: string; by: string; role: DeskRole; note: string; durationMs: number; shift: string; at: number };

export type AlarmEvent = AlarmRaised | AlarmEscalated | AlarmAcknowledged | AlarmTaken | AlarmResolved;

export interface Alarm {
  readonly id: string;
  readonly deviceId: string;
  readonly kind: AlarmKind;
  readonly severity: Severity;
  readonly place: AlarmPlace;
  readonly elderly: boolean;
  readonly status: AlarmStatus;
  readonly raisedAt: number;
  /** 0: the first guard asked; each escalation adds one; the last level is property staff. */
  readonly level: number;
  readonly responder: Responder;
  /** Guards asked so far, oldest first. */
  readonly asked: readonly string[];
  /** When it escalates unless acknowledged; null once acknowledged or at the last level. */
  readonly escalateAt: number | null;
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: number | null;
  readonly takenBy: string | null;
  readonly takenAt: number | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: number | null;
  readonly note: string | null;
}

export type AlarmState = Readonly<{
  alarms: Readonly<Record<string, Alarm>>;
  /** deviceId → its open (unresolved) alarm: one open alarm per device. */
  openByDevice: Readonly<Record<string, string>>;
  /** Resolved alarm ids still kept, oldest first (at most `resolvedKept`). */
  resolved: readonly string[];
}>;

export interface AlarmLimits {
  /** How long an alarm waits for an acknowledgement before it escalates, ms. */
  readonly ackTimeoutMs: number;
  /** Guards asked before property staff (2: the first guard, then the next). */
  readonly guardLevels: number;
  readonly noteMaxChars: number;
  readonly resolvedKept: number;
  /** Local hours at which shifts start, ascending (e.g. [8, 20]). */
  readonly shiftStartHours: readonly number[];
  /** Offset of local time from UTC, minutes (Beijing: 480). */
  readonly utcOffsetMin: number;
}
