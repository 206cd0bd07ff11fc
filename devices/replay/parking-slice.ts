/**
 * @module devices/replay/parking-slice
 * Parses a parking replay slice (fixtures/<community>/parking-replay.csv, written by
 * importers/parking): real Birmingham car-park readings scaled to this community's lots.
 * Owns: the CSV columns and the row shape. Does not: replay, clamp or judge values (bad rows are
 * in the file on purpose; the gateway decides). Concurrency: pure; never throws on bad lines.
 */
import { fileURLToPath } from 'node:url';

/** Absolute path of the committed slice for the default community. */
export const DEFAULT_PARKING_SLICE = fileURLToPath(new URL('../../fixtures/shikeyuan/parking-replay.csv', import.meta.url));

export const PARKING_SLICE_COLUMNS = [
  'lot_id', 'device_id', 'source_car_park', 'source_capacity', 'source_occupancy', 'last_updated', 'capacity', 'occupancy',
] as const;

export interface ParkingSliceRow {
  /** Lot room id in the community file, e.g. `lot-594882341`. */
  readonly lotId: string;
  /** The lot's counter device, e.g. `lot-594882341-counter`. */
  readonly deviceId: string;
  /** Birmingham `SystemCodeNumber` the readings come from. */
  readonly sourceCarPark: string;
  readonly sourceCapacity: number;
  /** As recorded in Birmingham; may be negative or above capacity (kept on purpose). */
  readonly sourceOccupancy: number;
  /** `YYYY-MM-DD HH:MM:SS` as in the source (Birmingham local time). */
  readonly lastUpdated: string;
  /**
   * `lastUpdated` read as if it were UTC, in epoch ms. The source is Europe/London local time
   * (BST until 2016-10-30 02:00); reading it as UTC keeps the wall-clock pattern a replay wants
   * and never produces a gap or a repeated hour. Real instants would be up to 1 h earlier.
   */
  readonly at: number;
  /** The lot's capacity. */
  readonly capacity: number;
  /** Scaled occupancy; negative and above-capacity values from the source stay so. */
  readonly occupancy: number;
}

export interface ParkingSlice {
  readonly rows: ParkingSliceRow[];
  /** Lines that were not rows (1-based line numbers); comment and blank lines are not listed. */
  readonly skipped: { line: number; reason: string }[];
}

const SAFE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const INT = /^-?\d{1,9}$/;

/** Splits one CSV line; supports "quoted, fields" with "" escapes. Returns null on a bad quote. */
function splitCsv(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) return null;
        v += line.slice(i, q);
        if (line[q + 1] === '"') { v += '"'; i = q + 2; continue; }
        i = q + 1;
        break;
      }
      out.push(v);
      if (i < line.length && line[i] !== ',') return null;
    } else {
      const c = line.indexOf(',', i);
      out.push(line.slice(i, c === -1 ? line.length : c));
      i = c === -1 ? line.length : c;
    }
    if (i >= line.length) return out;
    i++; // the comma
  }
}

function parseTime(s: string): number | null {
  const m = TIME.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const at = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(at);
  // Date.UTC rolls 2016-02-30 over to March; a real timestamp survives the round trip.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) return null;
  return at;
}

function parseRow(fields: string[]): ParkingSliceRow | string {
  if (fields.length !== PARKING_SLICE_COLUMNS.length) return `expected ${PARKING_SLICE_COLUMNS.length} fields, got ${fields.length}`;
  const [lotId, deviceId, sourceCarPark, srcCap, srcOcc, lastUpdated, cap, occ] = fields.map((f) => f.trim()) as [
    string, string, string, string, string, string, string, string,
  ];
  if (!SAFE_ID.test(lotId)) return `lot_id ${JSON.stringify(lotId)} is not a subject-safe id`;
  if (!SAFE_ID.test(deviceId)) return `device_id ${JSON.stringify(deviceId)} is not a subject-safe id`;
  if (sourceCarPark === '') return 'source_car_park is empty';
  const ints: Record<string, string> = { source_capacity: srcCap, source_occupancy: srcOcc, capacity: cap, occupancy: occ };
  for (const [name, v] of Object.entries(ints)) if (!INT.test(v)) return `${name} ${JSON.stringify(v)} is not an integer`;
  if (Number(srcCap) <= 0) return `source_capacity ${srcCap} is not positive`;
  if (Number(cap) <= 0) return `capacity ${cap} is not positive`;
  const at = parseTime(lastUpdated);
  if (at === null) return `last_updated ${JSON.stringify(lastUpdated)} is not YYYY-MM-DD HH:MM:SS`;
  return {
    lotId, deviceId, sourceCarPark, sourceCapacity: Number(srcCap), sourceOccupancy: Number(srcOcc),
    lastUpdated, at, capacity: Number(cap), occupancy: Number(occ),
  };
}

/**
 * Parses slice text. Lines starting with `#` and blank lines are ignored; the first other line
 * must be the header. Every line that is not a valid row is reported in `skipped`, never thrown.
 * @example const { rows, skipped } = parseParkingSlice(readFileSync(DEFAULT_PARKING_SLICE, 'utf8'));
 */
export function parseParkingSlice(text: string): ParkingSlice {
  const rows: ParkingSliceRow[] = [];
  const skipped: { line: number; reason: string }[] = [];
  const header = PARKING_SLICE_COLUMNS.join(',');
  let sawHeader = false;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (!sawHeader) {
      sawHeader = true;
      // The columns are fixed, so the rows after a missing or garbled header are still read.
      if (trimmed !== header) skipped.push({ line, reason: `expected the header "${header}"` });
      return;
    }
    const fields = splitCsv(trimmed);
    if (!fields) {
      skipped.push({ line, reason: 'unbalanced quotes' });
      return;
    }
    const row = parseRow(fields);
    if (typeof row === 'string') skipped.push({ line, reason: row });
    else rows.push(row);
  });
  return { rows, skipped };
}

/** One CSV field, quoted only when needed. */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
