/**
 * @module actors/parking-lot/parking-lot
 * One parking lot as a pure state machine: its counter's readings, its bay sensors' readings, the
 * lot's occupied number by the rule of occupancy.ts, and bays held for residents being guided.
 * Real counters misreport (the Birmingham series has negative counts, counts above capacity and
 * repeated rows), so a counter reading is judged: non-numbers, exact repeats and out-of-order
 * readings are refused, impossible counts are clamped to [0, capacity] and the event says so.
 * A bay reading older than the bay's last is refused; one that repeats the bay's state changes
 * nothing. Holds: the nearest offerable bay is held until `at + holdMs`; a held bay is never
 * offered to anyone else; one account holds at most one bay (here and, through `elsewhere`, in
 * other lots). When a held bay turns occupied, it is the holder arriving if their car is inside
 * (or the hold names no plate), and someone else otherwise: the hold then moves to the next
 * nearest offerable bay, or is released when there is none. `Tick` releases overdue holds.
 * Owns: the rules. Does not: I/O, time, ids, the device registry.
 * Concurrency: pure; the engine feeds one command at a time.
 */
import { accept, reject, assertNever, defineActor, type Decision } from '../_kit/index.ts';
import { ParkingError, type ParkingErrorCode } from '../parking/errors.ts';
import { LotError, type LotErrorCode } from './errors.ts';
import { offerable, summarize } from './occupancy.ts';
import type { BayInfo, Hold, HoldBay, LotCommand, LotEvent, LotState, OccupancyRecordedV1, Quality, RecordBay } from './protocol.ts';

type Code = LotErrorCode | ParkingErrorCode;
type D = Decision<LotEvent, Code>;

/** Longest a hold may last (the engine's PARKING_HOLD_S is bounded well inside it). */
export const MAX_HOLD_MS = 6 * 3_600_000;

export function initialLot(capacity: number): LotState {
  return {
    capacity, occupied: null, source: 'none', agreement: 'none', updatedAt: null, counter: null, quality: null,
    readings: 0, clamped: 0, last: null, bays: {}, bayReadings: 0, holds: {},
  };
}

function holdOf(s: LotState, accountId: string): Hold | undefined {
  return Object.values(s.holds).find((h) => h.accountId === accountId);
}

function holdOnBay(s: LotState, bayId: string): Hold | undefined {
  return Object.values(s.holds).find((h) => h.bayId === bayId);
}

function offerInput(s: LotState, info: readonly BayInfo[]) {
  return { capacity: s.capacity, occupied: s.occupied, info, bays: s.bays, holds: s.holds };
}

function recordCounter(s: LotState, c: { deviceId: string; at: number; raw: number }): D {
  if (!Number.isFinite(c.raw) || !Number.isFinite(c.at) || !Number.isInteger(c.raw)) return reject(LotError.BAD_READING, { raw: String(c.raw) });
  if (s.last && s.last.at === c.at && s.last.raw === c.raw) return reject(LotError.DUPLICATE_READING, { at: c.at });
  if (s.last && c.at < s.last.at) return reject(LotError.STALE_READING, { at: c.at, updatedAt: s.last.at });
  const raw = c.raw + 0; // normalises -0, which JSON cannot carry
  let occupied = raw;
  let quality: Quality = 'ok';
  if (raw < 0) { occupied = 0; quality = 'clamped_negative'; }
  else if (raw > s.capacity) { occupied = s.capacity; quality = 'clamped_over_capacity'; }
  const sum = summarize(s.capacity, s.bays, occupied);
  return accept({ type: 'OccupancyRecorded', v: 2, deviceId: c.deviceId, at: c.at, raw, occupied, quality, total: sum.occupied ?? occupied, source: sum.source });
}

function recordBay(s: LotState, info: readonly BayInfo[], c: RecordBay): D {
  if (!info.some((b) => b.id === c.bayId)) return reject(LotError.UNKNOWN_BAY, { bayId: c.bayId.slice(0, 64) });
  if (!Number.isFinite(c.at) || typeof c.occupied !== 'boolean') return reject(LotError.BAD_READING, { bayId: c.bayId });
  const before = Object.hasOwn(s.bays, c.bayId) ? s.bays[c.bayId] : undefined;
  if (before && c.at < before.at) return reject(LotError.STALE_READING, { at: c.at, updatedAt: before.at });
  if (before && before.occupied === c.occupied) return accept();
  const bays = { ...s.bays, [c.bayId]: { occupied: c.occupied, at: c.at } };
  const sum = summarize(s.capacity, bays, s.counter);
  const events: LotEvent[] = [{ type: 'BayRecorded', v: 1, bayId: c.bayId, deviceId: c.deviceId, occupied: c.occupied, at: c.at, total: sum.occupied ?? 0, source: sum.source }];
  const hold = c.occupied ? holdOnBay(s, c.bayId) : undefined;
  if (hold) {
    if (c.holderInside !== false) {
      events.push({ type: 'HoldFulfilled', v: 1, holdId: hold.holdId, bayId: hold.bayId, waitedMs: Math.max(0, c.at - hold.at), at: c.at });
    } else {
      const next = offerable({ capacity: s.capacity, occupied: sum.occupied, info, bays, holds: s.holds }, hold.unitIds, hold.near, new Set([hold.bayId]))[0];
      events.push(next
        ? { type: 'HoldMoved', v: 1, holdId: hold.holdId, fromBayId: hold.bayId, bayId: next, until: c.at + hold.holdMs, at: c.at }
        : { type: 'HoldReleased', v: 1, holdId: hold.holdId, bayId: hold.bayId, reason: 'taken', at: c.at });
    }
  }
  return accept(...events);
}

function holdBay(s: LotState, info: readonly BayInfo[], c: HoldBay): D {
  if (!c.resident) return reject(ParkingError.NOT_RESIDENT);
  if (!Number.isSafeInteger(c.holdMs) || c.holdMs < 1000 || c.holdMs > MAX_HOLD_MS || !Number.isFinite(c.near[0]) || !Number.isFinite(c.near[1])) {
    return reject(ParkingError.BAD_HOLD);
  }
  const mine = holdOf(s, c.accountId);
  if (mine || c.elsewhere !== null) return reject(ParkingError.ALREADY_HOLDING, { holdId: mine?.holdId ?? c.elsewhere });
  if (Object.hasOwn(s.holds, c.holdId)) return reject(ParkingError.DUPLICATE_ID, { holdId: c.holdId });
  const bayId = offerable(offerInput(s, info), c.unitIds, c.near)[0];
  if (!bayId) return reject(ParkingError.NO_FREE_BAY);
  return accept({
    type: 'BayHeld', v: 1, holdId: c.holdId, bayId, accountId: c.accountId, unitIds: [...c.unitIds], near: [c.near[0], c.near[1]],
    plate: c.plate, gateId: c.gateId, holdMs: c.holdMs, until: c.at + c.holdMs, key: c.key, at: c.at,
  });
}

export function decide(s: LotState, c: LotCommand, info: readonly BayInfo[] = []): D {
  switch (c.type) {
    case 'RecordOccupancy': return recordCounter(s, c);
    case 'RecordBay': return recordBay(s, info, c);
    case 'HoldBay': return holdBay(s, info, c);
    case 'ReleaseHold': {
      const h = holdOf(s, c.accountId);
      if (!h) return reject(ParkingError.NO_HOLD);
      return accept({ type: 'HoldReleased', v: 1, holdId: h.holdId, bayId: h.bayId, reason: 'cancelled', at: c.at });
    }
    case 'Tick': {
      const due = Object.values(s.holds).filter((h) => h.until <= c.at).sort((a, b) => a.until - b.until || (a.holdId < b.holdId ? -1 : 1));
      return accept(...due.map((h): LotEvent => ({ type: 'HoldReleased', v: 1, holdId: h.holdId, bayId: h.bayId, reason: 'expired', at: c.at })));
    }
    default: return assertNever(c);
  }
}

function withSummary(s: LotState): LotState {
  const sum = summarize(s.capacity, s.bays, s.counter);
  return { ...s, occupied: sum.occupied, source: sum.source, agreement: sum.agreement };
}

function withoutHold(s: LotState, holdId: string): LotState {
  const holds: Record<string, Hold> = {};
  for (const [id, h] of Object.entries(s.holds)) if (id !== holdId) holds[id] = h;
  return { ...s, holds };
}

const later = (a: number | null, b: number) => (a === null || b > a ? b : a);

export function evolve(s: LotState, e: LotEvent): LotState {
  switch (e.type) {
    case 'OccupancyRecorded':
      return withSummary({
        ...s, counter: e.occupied, updatedAt: later(s.updatedAt, e.at), quality: e.quality, readings: s.readings + 1,
        clamped: s.clamped + (e.quality === 'ok' ? 0 : 1), last: { at: e.at, raw: e.raw },
      });
    case 'BayRecorded':
      return withSummary({ ...s, bays: { ...s.bays, [e.bayId]: { occupied: e.occupied, at: e.at } }, bayReadings: s.bayReadings + 1, updatedAt: later(s.updatedAt, e.at) });
    case 'BayHeld': {
      const hold: Hold = {
        holdId: e.holdId, bayId: e.bayId, accountId: e.accountId, unitIds: e.unitIds, near: e.near, plate: e.plate,
        gateId: e.gateId, holdMs: e.holdMs, until: e.until, key: e.key, at: e.at,
      };
      return { ...s, holds: { ...s.holds, [e.holdId]: hold } };
    }
    case 'HoldMoved': {
      const h = s.holds[e.holdId];
      return h ? { ...s, holds: { ...s.holds, [e.holdId]: { ...h, bayId: e.bayId, until: e.until } } } : s;
    }
    case 'HoldFulfilled':
    case 'HoldReleased':
      return withoutHold(s, e.holdId);
    default: return s;
  }
}

/** Stored OccupancyRecorded v1 (before bays): the counter was the lot's whole truth. */
export function upcast(stored: { readonly type: string; readonly v: number }): LotEvent {
  if (stored.type === 'OccupancyRecorded' && stored.v === 1) {
    const e = stored as OccupancyRecordedV1;
    return { ...e, v: 2, total: e.occupied, source: 'counter' };
  }
  return stored as LotEvent;
}

/** A lot actor for `capacity` spaces and its bays (from the layout); with no bays it runs on its counter alone. */
export function createParkingLotActor(capacity: number, bays: readonly BayInfo[] = []) {
  const info = bays.map((b) => ({ id: b.id, at: b.at, planned: b.planned, owner: b.owner }));
  return defineActor({
    type: 'parking-lot',
    initial: initialLot(capacity),
    decide: (s: LotState, c: LotCommand) => decide(s, c, info),
    evolve,
    upcast,
    snapshotVersion: 2,
  });
}
