/**
 * @module actors/parking-lot/occupancy
 * Which wins when a lot's counter and its bay sensors disagree, and which bays guidance may offer.
 * The rule: a bay sensor knows its own space, a counter only counts barrier crossings (and drifts),
 * so known bays win. When every bay has reported, the lot's occupied number is the occupied bays
 * (source `bays`). When none has, it is the counter's count (source `counter`). In between, the
 * counter fills in the bays that have not reported: its count is clamped into what the known bays
 * allow, [occupied known bays, occupied known bays + silent bays] (source `mixed`); without a
 * counter, silent bays count as free (source `bays`). The two disagree when the counter lies
 * outside that range (or, with every bay known, away from the bays' count) by more than the
 * tolerance: 5 % of capacity, at least one space.
 * Offerable bays: not held; planned bays only to their owner unit (and to it first); then bays
 * known to be free, nearest first; then silent bays, nearest first, but only as many as the lot's
 * free spaces beyond its known-free bays (what the counter implies).
 * Owns: both rules. Does not: decide events (parking-lot.ts).
 * Concurrency: pure functions.
 */
import type { LonLat } from '../community/layout.ts';
import { metres } from '../parking/route.ts';
import type { Agreement, BayInfo, BayState, Hold, Source } from './protocol.ts';

export interface Summary {
  readonly occupied: number | null;
  readonly source: Source;
  readonly agreement: Agreement;
}

/** Counter and bays differ by more than this many spaces before they are said to disagree. */
export function tolerance(capacity: number): number {
  return Math.max(1, Math.ceil(capacity * 0.05));
}

export function summarize(capacity: number, bays: Readonly<Record<string, BayState>>, counter: number | null): Summary {
  let occ = 0;
  let known = 0;
  for (const b of Object.values(bays)) {
    known++;
    if (b.occupied) occ++;
  }
  if (known === 0) return counter === null ? { occupied: null, source: 'none', agreement: 'none' } : { occupied: counter, source: 'counter', agreement: 'none' };
  const silent = Math.max(0, capacity - known);
  if (counter === null) return { occupied: occ, source: 'bays', agreement: 'none' };
  const tol = tolerance(capacity);
  if (silent === 0) return { occupied: occ, source: 'bays', agreement: Math.abs(counter - occ) > tol ? 'disagree' : 'agree' };
  const hi = occ + silent;
  const occupied = Math.min(hi, Math.max(occ, counter));
  return { occupied, source: 'mixed', agreement: counter < occ - tol || counter > hi + tol ? 'disagree' : 'agree' };
}

export interface OfferInput {
  readonly capacity: number;
  readonly occupied: number | null;
  readonly info: readonly BayInfo[];
  readonly bays: Readonly<Record<string, BayState>>;
  readonly holds: Readonly<Record<string, Hold>>;
}

/**
 * The bays guidance may offer to someone of `unitIds` heading for `near`, best first. `exclude`
 * leaves out bays (the one just taken from under a hold).
 */
export function offerable(s: OfferInput, unitIds: readonly string[], near: LonLat | null, exclude: ReadonlySet<string> = new Set()): string[] {
  const held = new Set(Object.values(s.holds).map((h) => h.bayId));
  const own: BayInfo[] = [];
  const free: BayInfo[] = [];
  const silent: BayInfo[] = [];
  let knownFree = 0;
  let heldSilent = 0;
  for (const b of s.info) {
    const state = Object.hasOwn(s.bays, b.id) ? s.bays[b.id] : undefined;
    if (state && !state.occupied) knownFree++;
    if (held.has(b.id) && !state) heldSilent++;
    if (held.has(b.id) || exclude.has(b.id) || state?.occupied) continue;
    if (b.planned && (b.owner === null || !unitIds.includes(b.owner))) continue;
    if (b.planned) own.push(b);
    else if (state) free.push(b);
    else silent.push(b);
  }
  const byDistance = (a: BayInfo, b: BayInfo) => {
    const d = near ? metres(a.at, near) - metres(b.at, near) : 0;
    return d !== 0 ? d : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  own.sort(byDistance);
  free.sort(byDistance);
  silent.sort(byDistance);
  // Silent bays stand in for the free spaces the counter implies beyond the known-free bays.
  const room = Math.max(0, s.capacity - (s.occupied ?? 0) - knownFree - heldSilent);
  return [...own, ...free, ...silent.slice(0, room)].map((b) => b.id);
}
