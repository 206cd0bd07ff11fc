/**
 * @module importers/parking/import-parking
 * CLI: `npm run import:parking -- [--csv <dataset.csv>] [--community <community.json>] [--out <file>] [--days N]`
 * writes a replay slice of real Birmingham car-park readings scaled to the community's lots.
 * Owns: defaults, file I/O, the summary and the exit code. Does not: choose rows (slice.ts).
 * Concurrency: a one-shot process; the output file is replaced whole, never half-written.
 */
import { basename } from 'node:path';
import { loadCommunityFile } from '../../engine/community-file.ts';
import { isMain, parseOptions, readText, repoPath, runCli, userPath, writeText } from '../cli.ts';
import { ImportError } from '../errors.ts';
import { parseBirminghamCsv } from './birmingham.ts';
import { buildSlice, countBadRows, DEFAULT_DAYS, planSlice, renderSlice } from './slice.ts';

export const DEFAULT_CSV = '../shared/data/parking/birmingham/dataset.csv';
export const DEFAULT_COMMUNITY = 'fixtures/shikeyuan/community.json';
export const DEFAULT_OUT = 'fixtures/shikeyuan/parking-replay.csv';

const USAGE = `usage: npm run import:parking -- [--csv <dataset.csv>] [--community <community.json>] [--out <file.csv>] [--days N]
  --csv        Parking Birmingham dataset.csv (default ${DEFAULT_CSV})
  --community  community file whose lots get readings (default ${DEFAULT_COMMUNITY})
  --out        where to write the slice (default ${DEFAULT_OUT})
  --days       number of consecutive days in the slice (default ${DEFAULT_DAYS})
Default paths are relative to the repository root; given paths are relative to the current directory.`;

function main(): void {
  const args = parseOptions(process.argv.slice(2), ['csv', 'community', 'out', 'days']);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
  const path = (given: string | undefined, fallback: string): string => (given !== undefined ? userPath(given) : repoPath(fallback));
  const csvPath = path(str(args.csv), DEFAULT_CSV);
  const communityPath = path(str(args.community), DEFAULT_COMMUNITY);
  const outPath = path(str(args.out), DEFAULT_OUT);
  const daysText = str(args.days) ?? String(DEFAULT_DAYS);
  if (!/^\d{1,3}$/.test(daysText) || Number(daysText) < 1) throw new ImportError(`--days must be a positive integer (got "${daysText}")`);

  let community;
  try {
    community = loadCommunityFile(communityPath);
  } catch (err) {
    throw new ImportError((err as Error).message);
  }
  const source = parseBirminghamCsv(readText(csvPath, 'parking CSV'), csvPath);
  const plan = planSlice(source, community.lots, Number(daysText));
  const rows = buildSlice(source, plan);
  const text = renderSlice(rows, plan, { communityId: community.id, communityName: community.name['zh-CN'], sourceFile: basename(csvPath) });
  writeText(outPath, text);
  const bad = countBadRows(rows);
  process.stdout.write(
    `${community.id}: ${plan.mapping.length} lots, ${plan.firstDay}..${plan.lastDay} (${plan.days} days), ${rows.length} rows; `
      + `bad rows kept: ${bad.duplicate} duplicate, ${bad.negative} negative, ${bad.overCapacity} above capacity `
      + `→ ${outPath} (${(Buffer.byteLength(text) / 1024).toFixed(1)} KB)\n`
      + plan.mapping.map((m) => `  ${m.lot.id} (${m.lot.capacity}) <- ${m.carPark} (${m.sourceCapacity}): ${m.why}\n`).join(''),
  );
}

// Importing this module (tests read its defaults) must not run the CLI.
if (isMain(import.meta.url)) await runCli('import-parking', main);
