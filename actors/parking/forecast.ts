/**
 * @module actors/parking/forecast
 * Expected occupancy of a lot for each of the next hours, from its history. The method, in words:
 * (1) the typical occupancy of a weekday-hour is the mean over past days of that day's mean
 * recorded total in that hour (each past day weighs the same, however many readings it had);
 * (2) an hour with no history on that weekday falls back to the same hour on any day, and with
 * no history at all to the occupancy now (persistence); (3) today's difference from typical, now,
 * is added to each hour ahead, fading by half every two hours, so a busier-than-usual morning
 * stays busier for a while and then the usual pattern takes over; (4) the result is rounded and
 * kept within [0, capacity]. Every hour says which basis it used and over how many past days.
 * Owns: the method. Does not: query anything (the SQL that builds the profile is in rooms/parking).
 * Concurrency: pure functions.
 */

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Hours after which today's difference from typical counts half. */
export const ANOMALY_HALF_LIFE_H = 2;

/** One weekday-hour of a lot's history: ISO weekday (1 = Monday … 7 = Sunday), local hour, mean occupied, past days seen. */
export interface ProfileRow {
  readonly dow: number;
  readonly hour: number;
  readonly mean: number;
  readonly days: number;
}

export type Basis = 'weekday-hour' | 'hour' | 'current' | 'none';

export interface ForecastHour {
  /** Start of the hour, epoch ms. */
  readonly at: number;
  readonly dow: number;
  /** Local hour 0–23. */
  readonly hour: number;
  readonly occupied: number | null;
  readonly free: number | null;
  readonly basis: Basis;
  /** Past days the typical value averages (0 for `current` and `none`). */
  readonly days: number;
}

export interface ForecastInput {
  readonly capacity: number;
  /** The lot's occupied spaces now, or null when unknown. */
  readonly current: number | null;
  readonly now: number;
  readonly hours: number;
  readonly utcOffsetMin: number;
  readonly profile: readonly ProfileRow[];
}

/** ISO weekday and hour of an instant in local time. */
export function localSlot(at: number, utcOffsetMin: number): { dow: number; hour: number } {
  const d = new Date(at + utcOffsetMin * MINUTE_MS);
  return { dow: ((d.getUTCDay() + 6) % 7) + 1, hour: d.getUTCHours() };
}

function typical(profile: readonly ProfileRow[], dow: number, hour: number): { mean: number; days: number; basis: Basis } | null {
  const exact = profile.find((r) => r.dow === dow && r.hour === hour && r.days > 0);
  if (exact) return { mean: exact.mean, days: exact.days, basis: 'weekday-hour' };
  const same = profile.filter((r) => r.hour === hour && r.days > 0);
  const days = same.reduce((n, r) => n + r.days, 0);
  if (days > 0) return { mean: same.reduce((n, r) => n + r.mean * r.days, 0) / days, days, basis: 'hour' };
  return null;
}

export function forecastLot(f: ForecastInput): ForecastHour[] {
  const off = f.utcOffsetMin * MINUTE_MS;
  const nowSlot = localSlot(f.now, f.utcOffsetMin);
  const base = typical(f.profile, nowSlot.dow, nowSlot.hour);
  const anomaly = base && f.current !== null ? f.current - base.mean : 0;
  const firstLocalHour = Math.floor((f.now + off) / HOUR_MS) * HOUR_MS;
  const out: ForecastHour[] = [];
  for (let k = 1; k <= f.hours; k++) {
    const at = firstLocalHour + k * HOUR_MS - off;
    const { dow, hour } = localSlot(at, f.utcOffsetMin);
    const t = typical(f.profile, dow, hour);
    let occupied: number | null;
    let basis: Basis;
    let days = 0;
    if (t) {
      occupied = t.mean + anomaly * 0.5 ** (k / ANOMALY_HALF_LIFE_H);
      basis = t.basis;
      days = t.days;
    } else if (f.current !== null) {
      occupied = f.current;
      basis = 'current';
    } else {
      occupied = null;
      basis = 'none';
    }
    if (occupied !== null) occupied = Math.min(f.capacity, Math.max(0, Math.round(occupied)));
    out.push({ at, dow, hour, occupied, free: occupied === null ? null : f.capacity - occupied, basis, days });
  }
  return out;
}
