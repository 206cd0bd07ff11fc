/**
 * @module actors/parking/tariff
 * What a stay costs under the property's tariff, in integer fen (分; ¥1 = 100 fen), never floats.
 * The rule, in words: the stay runs from entry to exit; time covered by a valid pass (a monthly
 * pass, a visitor pass) is free; if what is left (the chargeable time) is at most `freeMinutes`
 * the stay is free; otherwise the stay is cut into billing hours counted from the entry
 * (entry + 0 h, + 1 h, …) and every billing hour that holds any chargeable time costs
 * `hourlyFen`; each billing hour belongs to the local calendar day it starts in, and one day
 * costs at most `dailyCapFen`. Midnight therefore never splits an hour (23:30–00:30 is one hour),
 * and more pass coverage can only lower a fee.
 * Owns: the arithmetic. Does not: know sessions, plates or who pays (parking.ts).
 * Concurrency: pure functions.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/** The fee rules of a tariff (the rest of the tariff is gate policy; see protocol.ts). */
export interface FeeRules {
  /** A stay whose chargeable time is at most this many minutes costs nothing. */
  readonly freeMinutes: number;
  /** Price of each started billing hour, fen. */
  readonly hourlyFen: number;
  /** Most one local calendar day costs, fen; null: no cap. */
  readonly dailyCapFen: number | null;
}

/** A half-open time interval [from, until), epoch ms. */
export interface Interval {
  readonly from: number;
  readonly until: number;
}

export interface DayCharge {
  /** Local date `YYYY-MM-DD`. */
  readonly day: string;
  readonly hours: number;
  readonly fen: number;
}

export interface Fee {
  readonly feeFen: number;
  /** Chargeable (not covered) time of the stay, ms. */
  readonly chargeableMs: number;
  readonly billedHours: number;
  /** Per local day, only days with billed hours. */
  readonly days: readonly DayCharge[];
}

const FREE: Fee = { feeFen: 0, chargeableMs: 0, billedHours: 0, days: [] };

/** Sorted, disjoint, non-empty intervals covering the same time as `list`. */
export function unionOf(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((i) => i.until > i.from).map((i) => ({ from: i.from, until: i.until })).sort((a, b) => a.from - b.from);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.from <= last.until) out[out.length - 1] = { from: last.from, until: Math.max(last.until, i.until) };
    else out.push(i);
  }
  return out;
}

/** [from, until) minus the covered intervals: what of the stay is chargeable. */
export function chargeableParts(stay: Interval, covered: readonly Interval[]): Interval[] {
  const parts: Interval[] = [];
  let cursor = stay.from;
  for (const c of unionOf(covered)) {
    if (c.until <= cursor) continue;
    if (c.from >= stay.until) break;
    if (c.from > cursor) parts.push({ from: cursor, until: Math.min(c.from, stay.until) });
    cursor = Math.max(cursor, c.until);
    if (cursor >= stay.until) break;
  }
  if (cursor < stay.until) parts.push({ from: cursor, until: stay.until });
  return parts;
}

/** The local date (`YYYY-MM-DD`) of an instant, for a fixed offset from UTC. */
export function localDay(at: number, utcOffsetMin: number): string {
  return new Date(Math.floor((at + utcOffsetMin * MINUTE_MS) / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The fee of a stay from `stay.from` (entry) to `stay.until` (exit), with `covered` time free.
 * @example feeOf({ from: entry, until: entry + 90 * MINUTE_MS }, [], { freeMinutes: 30, hourlyFen: 500, dailyCapFen: 3000 }, 480).feeFen // 1000
 */
export function feeOf(stay: Interval, covered: readonly Interval[], rules: FeeRules, utcOffsetMin: number): Fee {
  if (!(stay.until > stay.from)) return FREE;
  const parts = chargeableParts(stay, covered);
  const chargeableMs = parts.reduce((n, p) => n + (p.until - p.from), 0);
  if (chargeableMs <= rules.freeMinutes * MINUTE_MS) return { ...FREE, chargeableMs };
  // Billing hour k is [from + k h, from + (k+1) h); parts are sorted and disjoint, so the hours
  // they touch come in increasing order and `last` removes the one two parts may share.
  const perDay = new Map<string, number>();
  let last = -1;
  let billedHours = 0;
  for (const p of parts) {
    const first = Math.max(Math.floor((p.from - stay.from) / HOUR_MS), last + 1);
    const end = Math.ceil((p.until - stay.from) / HOUR_MS) - 1;
    for (let k = first; k <= end; k++) {
      const day = localDay(stay.from + k * HOUR_MS, utcOffsetMin);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
      billedHours++;
    }
    last = Math.max(last, end);
  }
  const days: DayCharge[] = [];
  let feeFen = 0;
  for (const [day, hours] of perDay) {
    const full = hours * rules.hourlyFen;
    const fen = rules.dailyCapFen === null ? full : Math.min(full, rules.dailyCapFen);
    days.push({ day, hours, fen });
    feeFen += fen;
  }
  return { feeFen, chargeableMs, billedHours, days };
}
