/**
 * @module importers/osm/import-osm
 * CLI: `npm run import:osm -- [--osm <file>] [--compound <name|osm id>] [--id <id>] [--out <file>]`
 * reads an OSM XML export and writes one compound's community.json, then prints a summary line.
 * Owns: defaults, file I/O and the exit code. Does not: decide what is imported (community.ts).
 * Concurrency: a one-shot process; the output file is replaced whole, never half-written.
 */
import { basename } from 'node:path';
import { isMain, parseOptions, readText, repoPath, runCli, userPath, writeText } from '../cli.ts';
import { fixtureJson } from '../json-text.ts';
import { importOsm, summarize } from './community.ts';

export const DEFAULT_OSM_FILE = '../shared/data/osm/beijing_haidian_cau_east.osm';
export const DEFAULT_COMPOUND = 'way/595108678'; // 石科院生活区
export const DEFAULT_ID = 'shikeyuan';
export const DEFAULT_OUT = 'fixtures/shikeyuan/community.json';

const USAGE = `usage: npm run import:osm -- [--osm <file.osm>] [--compound <name or osm id>] [--id <short id>] [--out <file.json>] [--name-en <English name>]
  --osm       OSM XML export (default ${DEFAULT_OSM_FILE})
  --compound  the compound: an exact name (石科院生活区) or an OSM id (way/595108678) (default ${DEFAULT_COMPOUND})
  --id        short ASCII id used in NATS subjects, [a-z0-9-] (default ${DEFAULT_ID})
  --out       where to write the community file (default ${DEFAULT_OUT})
  --name-en   English name of the compound when OSM has none
Default paths are relative to the repository root; given paths are relative to the current directory.`;

function main(): void {
  const args = parseOptions(process.argv.slice(2), ['osm', 'compound', 'id', 'out', 'name-en']);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
  const osmPath = str(args.osm) !== undefined ? userPath(str(args.osm)!) : repoPath(DEFAULT_OSM_FILE);
  const outPath = str(args.out) !== undefined ? userPath(str(args.out)!) : repoPath(DEFAULT_OUT);
  const nameEn = str(args['name-en']);
  const layout = importOsm(readText(osmPath, 'OSM file'), {
    compound: str(args.compound) ?? DEFAULT_COMPOUND,
    id: str(args.id) ?? DEFAULT_ID,
    sourceFile: basename(osmPath),
    ...(nameEn !== undefined ? { nameEn } : {}),
  });
  const text = fixtureJson(layout);
  writeText(outPath, text);
  process.stdout.write(`${summarize(layout)} → ${outPath} (${(Buffer.byteLength(text) / 1024).toFixed(1)} KB)\n`);
}

// Importing this module (tests read its defaults) must not run the CLI.
if (isMain(import.meta.url)) await runCli('import-osm', main);
