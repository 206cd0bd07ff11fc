/**
 * @module importers/parking/slice
 * Cuts a replay slice from the Birmingham series for one community: picks a window of N days and
 * one car park per lot, then scales each reading to the lot's capacity. Choice is deterministic:
 * the window must hold at least one negative, one above-capacity and one duplicate row (data-quality
 * material on purpose); the car parks that carry them are taken first, the rest are those with the
 * most rows. Owns: window/mapping policy and the CSV text. Does not: read files. Concurrency: pure.
 */
import type { ParkingSliceRow } from '../../devices/replay/parking-slice.ts';
import { csvField, PARKING_SLICE_COLUMNS } from '../../devices/replay/parking-slice.ts';
import { ImportError } from '../errors.ts';
import type { SourceRow } from './birmingham.ts';

export const DEFAULT_DAYS = 5;

export interface LotRef {
  readonly id: string;
  readonly counterDeviceId: string;
  readonly capacity: number;
}

export type BadKind = 'negative' | 'overCapacity' | 'duplicate';
const BAD_KINDS: readonly BadKind[] = ['negative', 'overCapacity', 'duplicate'];

export interface LotMapping {
  readonly lot: LotRef;
  readonly carPark: string;
  readonly sourceCapacity: number;
  /** Why this car park was picked: the bad-row kinds it carries in the window, or 'most rows'. */
  readonly why: string;
}

export interface SlicePlan {
  /** First and last calendar day of the window, `YYYY-MM-DD`. */
  readonly firstDay: string;
  readonly lastDay: string;
  readonly days: number;
  /** One entry per lot, in lot id order. */
  readonly mapping: readonly LotMapping[];
}

/** A row as the importer writes it; the replayer reads it back as a ParkingSliceRow (which adds `at`). */
export type SliceRow = Omit<ParkingSliceRow, 'at'>;

export type BadRowCounts = Readonly<Record<BadKind, number>>;

/**
 * round(occ × lotCap / srcCap), keeping the sign of a bad value: a negative reading stays ≤ −1 and
 * an above-capacity one stays ≥ lotCap + 1 even when rounding to a small lot would hide it.
 */
export function scaleOccupancy(occupancy: number, sourceCapacity: number, lotCapacity: number): number {
  const scaled = Math.round((occupancy * lotCapacity) / sourceCapacity) + 0; // + 0 turns -0 into 0
  if (occupancy < 0) return Math.min(scaled, -1);
  if (occupancy > sourceCapacity) return Math.max(scaled, lotCapacity + 1);
  return scaled;
}

function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

const rowKey = (r: SourceRow): string => `${r.carPark}\u0000${r.capacity}\u0000${r.occupancy}\u0000${r.lastUpdated}`;

interface ParkStats { rows: number; negative: number; overCapacity: number; duplicate: number }

function windowStats(rows: readonly SourceRow[]): Map<string, ParkStats> {
  const stats = new Map<string, ParkStats>();
  const seen = new Set<string>();
  for (const r of rows) {
    let s = stats.get(r.carPark);
    if (!s) stats.set(r.carPark, (s = { rows: 0, negative: 0, overCapacity: 0, duplicate: 0 }));
    s.rows++;
    if (r.occupancy < 0) s.negative++;
    if (r.occupancy > r.capacity) s.overCapacity++;
    const key = rowKey(r);
    if (seen.has(key)) s.duplicate++;
    seen.add(key);
  }
  return stats;
}

/**
 * Chooses the window and the lot → car park mapping. Among windows (each starting on a day with
 * data) that can show all three bad kinds with at most one car park per lot, the one where the
 * chosen car parks have the most rows wins; then the one where most of them report on the first
 * day (so a replay starts with every lot live); then the earliest. Lots are matched to car parks
 * by capacity rank (largest lot ← largest car park).
 */
export function planSlice(rows: readonly SourceRow[], lots: readonly LotRef[], days = DEFAULT_DAYS): SlicePlan {
  if (lots.length === 0) throw new ImportError('the community has no parking lots');
  if (!Number.isInteger(days) || days < 1) throw new ImportError(`--days must be a positive integer (got ${days})`);
  const total = new Map<string, number>();
  const byDay = new Map<string, SourceRow[]>();
  for (const r of rows) {
    total.set(r.carPark, (total.get(r.carPark) ?? 0) + 1);
    const day = r.lastUpdated.slice(0, 10);
    const list = byDay.get(day);
    if (list) list.push(r);
    else byDay.set(day, [r]);
  }
  if (total.size < lots.length) throw new ImportError(`${lots.length} lots but only ${total.size} car parks in the source`);
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

  let best: { first: string; parks: string[]; why: Map<string, string>; score: number; reporting: number } | null = null;
  for (const first of [...byDay.keys()].sort()) {
    const windowRows = Array.from({ length: days }, (_, i) => byDay.get(addDays(first, i)) ?? []).flat();
    const stats = windowStats(windowRows);
    const chosen: string[] = [];
    const why = new Map<string, string>();
    const rank = (a: string, b: string): number =>
      stats.get(b)!.rows - stats.get(a)!.rows || (total.get(b) ?? 0) - (total.get(a) ?? 0) || byName(a, b);
    let complete = true;
    for (const kind of BAD_KINDS) {
      if (chosen.some((p) => stats.get(p)![kind] > 0)) continue;
      const candidates = [...stats.keys()].filter((p) => stats.get(p)![kind] > 0).sort(rank);
      if (candidates.length === 0) { complete = false; break; }
      chosen.push(candidates[0]!);
    }
    if (!complete || chosen.length > lots.length) continue;
    for (const p of chosen) {
      const s = stats.get(p)!;
      why.set(p, BAD_KINDS.filter((k) => s[k] > 0).map((k) => `${s[k]} ${k}`).join(', '));
    }
    const fill = [...stats.keys()].filter((p) => !chosen.includes(p))
      .sort((a, b) => (total.get(b) ?? 0) - (total.get(a) ?? 0) || stats.get(b)!.rows - stats.get(a)!.rows || byName(a, b));
    for (const p of fill.slice(0, lots.length - chosen.length)) {
      chosen.push(p);
      why.set(p, 'most rows');
    }
    if (chosen.length < lots.length) continue;
    const score = chosen.reduce((s, p) => s + stats.get(p)!.rows, 0);
    const firstDayParks = new Set((byDay.get(first) ?? []).map((r) => r.carPark));
    const reporting = chosen.filter((p) => firstDayParks.has(p)).length;
    if (!best || score > best.score || (score === best.score && reporting > best.reporting)) {
      best = { first, parks: chosen, why, score, reporting };
    }
  }
  if (!best) {
    throw new ImportError(`no ${days}-day window holds a negative, an above-capacity and a duplicate row within ${lots.length} car parks`);
  }

  const capacityOf = new Map<string, number>();
  for (const r of rows) if (!capacityOf.has(r.carPark)) capacityOf.set(r.carPark, r.capacity);
  const parks = [...best.parks].sort((a, b) => capacityOf.get(b)! - capacityOf.get(a)! || byName(a, b));
  const lotsBySize = [...lots].sort((a, b) => b.capacity - a.capacity || byName(a.id, b.id));
  const mapping = lotsBySize
    .map((lot, i) => ({ lot, carPark: parks[i]!, sourceCapacity: capacityOf.get(parks[i]!)!, why: best.why.get(parks[i]!)! }))
    .sort((a, b) => byName(a.lot.id, b.lot.id));
  return { firstDay: best.first, lastDay: addDays(best.first, days - 1), days, mapping };
}

/** The slice rows: every reading of the mapped car parks in the window, sorted by time then lot. */
export function buildSlice(rows: readonly SourceRow[], plan: SlicePlan): SliceRow[] {
  const lotOf = new Map(plan.mapping.map((m) => [m.carPark, m.lot]));
  const out: { row: SliceRow; line: number }[] = [];
  for (const r of rows) {
    const day = r.lastUpdated.slice(0, 10);
    const lot = lotOf.get(r.carPark);
    if (!lot || day < plan.firstDay || day > plan.lastDay) continue;
    out.push({
      line: r.line,
      row: {
        lotId: lot.id, deviceId: lot.counterDeviceId, sourceCarPark: r.carPark, sourceCapacity: r.capacity,
        sourceOccupancy: r.occupancy, lastUpdated: r.lastUpdated, capacity: lot.capacity,
        occupancy: scaleOccupancy(r.occupancy, r.capacity, lot.capacity),
      },
    });
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  out.sort((a, b) => cmp(a.row.lastUpdated, b.row.lastUpdated) || cmp(a.row.lotId, b.row.lotId) || a.line - b.line);
  return out.map((x) => x.row);
}

export function countBadRows(rows: readonly SliceRow[]): BadRowCounts {
  const seen = new Set<string>();
  let duplicate = 0;
  for (const r of rows) {
    const key = JSON.stringify(r);
    if (seen.has(key)) duplicate++;
    seen.add(key);
  }
  return {
    negative: rows.filter((r) => r.occupancy < 0).length,
    overCapacity: rows.filter((r) => r.occupancy > r.capacity).length,
    duplicate,
  };
}

export interface SliceMeta {
  readonly communityId: string;
  readonly communityName: string;
  readonly sourceFile: string;
}

/** The CSV text: a `#` comment block with attribution and mapping, the header, then the rows. */
export function renderSlice(rows: readonly SliceRow[], plan: SlicePlan, meta: SliceMeta): string {
  const bad = countBadRows(rows);
  const comments = [
    `Linli parking replay slice for community ${meta.communityId} (${meta.communityName}); regenerate with npm run import:parking`,
    'Source: Parking Birmingham, UCI Machine Learning Repository dataset 482, https://archive.ics.uci.edu/dataset/482/parking+birmingham',
    `  (file ${meta.sourceFile}); licence CC BY 4.0. Cite: Stolfi, Alba & Yao (2017), "Predicting Car Park Occupancy Rates`,
    '  in Smart Cities", Smart-CT 2017. Underlying data: Birmingham City Council car parks, UK Open Government Licence v3.0.',
    `Changes: rows of ${plan.mapping.length} car parks from ${plan.firstDay} to ${plan.lastDay} (last_updated is Birmingham local time,`,
    '  as in the source); occupancy = round(source_occupancy * capacity / source_capacity).',
    `scaled to lot capacity, bad rows kept on purpose: ${bad.duplicate} exact duplicate, ${bad.negative} negative and`,
    `  ${bad.overCapacity} above-capacity rows (a bad value keeps its sign after scaling: negative <= -1, above >= capacity + 1).`,
    'Mapping (lot <- car park, source capacity, why):',
    ...plan.mapping.map((m) => `  ${m.lot.id} (capacity ${m.lot.capacity}) <- ${m.carPark} (${m.sourceCapacity}): ${m.why}`),
  ];
  const lines = [
    ...comments.map((c) => `# ${c}`),
    PARKING_SLICE_COLUMNS.join(','),
    ...rows.map((r) => [
      r.lotId, r.deviceId, r.sourceCarPark, r.sourceCapacity, r.sourceOccupancy, r.lastUpdated, r.capacity, r.occupancy,
    ].map(csvField).join(',')),
  ];
  return `${lines.join('\n')}\n`;
}
