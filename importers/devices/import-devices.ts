/**
 * @module importers/devices/import-devices
 * CLI: `npm run import:devices -- [--community <community.json>] [--units <units.csv>] [--out <devices.json>]`
 * writes the community's building and unit devices (door readers, elevators, smoke, water-leak
 * and gas detectors, meters, SOS buttons) derived from the layout and the unit register.
 * Lot counters, bay sensors and gate plate readers are not listed: they follow from the layout.
 * Owns: defaults, file I/O, exit code. Does not: decide which devices exist (building-devices.ts).
 */
import { parseUnitRegister } from '../../actors/community/unit-register.ts';
import { parseCommunityLayout } from '../../engine/community-file.ts';
import { ImportError } from '../errors.ts';
import { isMain, parseOptions, readText, repoPath, runCli, userPath, writeText } from '../cli.ts';
import { buildingDevices, DEFAULT_SOS_EVERY } from './building-devices.ts';

export const DEFAULT_COMMUNITY = 'fixtures/shikeyuan/community.json';
export const DEFAULT_UNITS = 'fixtures/shikeyuan/units.sample.csv';
export const DEFAULT_OUT = 'fixtures/shikeyuan/devices.json';

const USAGE = `usage: npm run import:devices -- [--community <community.json>] [--units <units.csv>] [--out <devices.json>] [--sos-every <n>]
  --community  the community layout (default ${DEFAULT_COMMUNITY})
  --units      the unit register (default ${DEFAULT_UNITS}, sample data)
  --out        where to write the device file (default ${DEFAULT_OUT})
  --sos-every  one SOS button (elderly resident) per this many units (default ${DEFAULT_SOS_EVERY})`;

function main(): void {
  const args = parseOptions(process.argv.slice(2), ['community', 'units', 'out', 'sos-every']);
  if (args.help) { process.stdout.write(`${USAGE}\n`); return; }
  const path = (v: string | boolean | undefined, def: string) => (typeof v === 'string' ? userPath(v) : repoPath(def));
  const communityPath = path(args.community, DEFAULT_COMMUNITY);
  const layout = parseCommunityLayout(JSON.parse(readText(communityPath, 'community file')), communityPath);
  const register = parseUnitRegister(readText(path(args.units, DEFAULT_UNITS), 'unit register'));
  if (register.errors.length > 0) throw new ImportError(`unit register: ${register.errors.length} bad lines, first: line ${register.errors[0]!.line} ${register.errors[0]!.detail}`);
  const sosEvery = typeof args['sos-every'] === 'string' ? Number(args['sos-every']) : DEFAULT_SOS_EVERY;
  if (!Number.isInteger(sosEvery) || sosEvery < 1) throw new ImportError('--sos-every must be a positive integer');
  const devices = buildingDevices(layout, register.rows, sosEvery);
  const out = path(args.out, DEFAULT_OUT);
  const text = `{\n  "community": ${JSON.stringify(layout.id)},\n  "note": "SAMPLE DATA - 示例数据: building and unit devices derived from the sample unit register by npm run import:devices; lot counters, bay sensors and gate plate readers come from community.json",\n  "devices": [\n${devices.map((d) => `    ${JSON.stringify(d)}`).join(',\n')}\n  ]\n}\n`;
  writeText(out, text);
  const kinds = devices.reduce<Record<string, number>>((m, d) => ({ ...m, [d.kind]: (m[d.kind] ?? 0) + 1 }), {});
  process.stdout.write(`${devices.length} devices (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')}) → ${out} (${(Buffer.byteLength(text) / 1024).toFixed(1)} KB)\n`);
}

if (isMain(import.meta.url)) await runCli('import-devices', main);
