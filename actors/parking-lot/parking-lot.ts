/**
 * @module actors/parking-lot/parking-lot
 * A parking lot's live occupancy as a pure state machine. Real counters misreport (the
 * Birmingham series has negative counts, counts above capacity and repeated rows), so a reading
 * is judged here: non-numbers are rejected, exact repeats and out-of-order readings are rejected,
 * impossible counts are clamped to [0, capacity] and the event says so (`quality`).
 * Owns: the occupancy rules. Does not: I/O, time, device registry.
 * Concurrency: pure; the engine feeds one command at a time.
 */
import { accept, reject, assertNever, defineActor, type Decision } from '../_kit/index.ts';
import { LotError, type LotErrorCode } from './errors.ts';
import type { LotCommand, LotEvent, LotState, Quality } from './protocol.ts';

export function initialLot(capacity: number): LotState {
  return { capacity, occupied: null, updatedAt: null, quality: null, readings: 0, clamped: 0, last: null };
}

export function decide(s: LotState, c: LotCommand): Decision<LotEvent, LotErrorCode> {
  switch (c.type) {
    case 'RecordOccupancy': {
      if (!Number.isFinite(c.raw) || !Number.isFinite(c.at) || !Number.isInteger(c.raw)) {
        return reject(LotError.BAD_READING, { raw: String(c.raw) });
      }
      if (s.last && s.last.at === c.at && s.last.raw === c.raw) return reject(LotError.DUPLICATE_READING, { at: c.at });
      if (s.updatedAt !== null && c.at < s.updatedAt) return reject(LotError.STALE_READING, { at: c.at, updatedAt: s.updatedAt });
      const raw = c.raw + 0; // normalises -0, which JSON cannot carry
      let occupied = raw;
      let quality: Quality = 'ok';
      if (raw < 0) { occupied = 0; quality = 'clamped_negative'; }
      else if (raw > s.capacity) { occupied = s.capacity; quality = 'clamped_over_capacity'; }
      return accept({ type: 'OccupancyRecorded', v: 1, deviceId: c.deviceId, at: c.at, raw, occupied, quality });
    }
    default: return assertNever(c.type);
  }
}

export function evolve(s: LotState, e: LotEvent): LotState {
  switch (e.type) {
    case 'OccupancyRecorded':
      return {
        ...s, occupied: e.occupied, updatedAt: e.at, quality: e.quality, readings: s.readings + 1,
        clamped: s.clamped + (e.quality === 'ok' ? 0 : 1), last: { at: e.at, raw: e.raw },
      };
    default: return s;
  }
}

export function createParkingLotActor(capacity: number) {
  return defineActor({ type: 'parking-lot', initial: initialLot(capacity), decide, evolve });
}
