/**
 * @module importers/parking/birmingham
 * Reads the Parking Birmingham time series (UCI dataset 482): one row per car park per ~30 min,
 * columns SystemCodeNumber,Capacity,Occupancy,LastUpdated (Birmingham local time).
 * Owns: the source format. Does not: judge values; negative and above-capacity occupancy and
 * duplicate rows are real quirks of the data and are returned as they are.
 * Concurrency: pure. A structurally broken line is an ImportError naming its line number.
 */
import { ImportError } from '../errors.ts';

export interface SourceRow {
  readonly carPark: string;
  readonly capacity: number;
  readonly occupancy: number;
  /** `YYYY-MM-DD HH:MM:SS`, local time, as in the file. */
  readonly lastUpdated: string;
  /** 1-based line in the source file. */
  readonly line: number;
}

export const SOURCE_HEADER = 'SystemCodeNumber,Capacity,Occupancy,LastUpdated';
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export function parseBirminghamCsv(text: string, label = 'parking CSV'): SourceRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== SOURCE_HEADER) {
    throw new ImportError(`${label}: line 1 must be the header "${SOURCE_HEADER}" (is this the Parking Birmingham dataset.csv?)`);
  }
  const rows: SourceRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const f = raw.split(',');
    const [carPark, cap, occ, lastUpdated] = f as [string, string, string, string];
    if (f.length !== 4 || carPark.trim() === '' || !/^\d+$/.test(cap) || Number(cap) <= 0 || !/^-?\d+$/.test(occ) || !TIME.test(lastUpdated)) {
      throw new ImportError(`${label}: line ${i + 1} is not "car park,capacity,occupancy,YYYY-MM-DD HH:MM:SS": ${raw.slice(0, 80)}`);
    }
    rows.push({ carPark: carPark.trim(), capacity: Number(cap), occupancy: Number(occ), lastUpdated, line: i + 1 });
  }
  if (rows.length === 0) throw new ImportError(`${label}: no data rows`);
  return rows;
}
