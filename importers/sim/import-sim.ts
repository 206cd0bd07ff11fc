/**
 * @module importers/sim/import-sim
 * CLI: `npm run import:sim -- [--melbourne <dir>] [--iot <dir>] [--community <community.json>] [--devices <devices.json>]`
 * writes the simulators' fixtures: fixtures/shikeyuan/bay-replay.csv (City of Melbourne bay
 * sensors → the compound's bays) and fixtures/shikeyuan/building-replay.csv (UCI and Open Smart
 * Home series → unit devices), each opening with its attribution.
 * Owns: defaults, file I/O, the exit code. Does not: decide the mapping (melbourne-bays.ts, iot-series.ts).
 */
import { join } from 'node:path';
import { parseCommunityLayout } from '../../engine/community-file.ts';
import { parseDeviceFile } from '../../devices/registry.ts';
import { isMain, parseOptions, readText, repoPath, runCli, userPath, writeText } from '../cli.ts';
import { BAY_REPLAY_COLUMNS, baySequence, parseMelbourneSnapshot } from './melbourne-bays.ts';
import { BUILDING_REPLAY_COLUMNS, householdPower, openSmartHome, seriesTargets, uciOccupancy, uciRoomOccupancy } from './iot-series.ts';

export const DEFAULT_MELBOURNE = '../shared/data/parking/melbourne';
export const DEFAULT_IOT = '../shared/data/iot';
export const BAY_OUT = 'fixtures/shikeyuan/bay-replay.csv';
export const BUILDING_OUT = 'fixtures/shikeyuan/building-replay.csv';

const USAGE = `usage: npm run import:sim -- [--melbourne <dir>] [--iot <dir>] [--community <community.json>] [--devices <devices.json>]
  --melbourne  folder with sensors_T11-18.csv and sensors_T16-38.csv (default ${DEFAULT_MELBOURNE})
  --iot        folder with occupancy_detection/, room_occupancy_estimation/, open_smart_home/, household_power/ (default ${DEFAULT_IOT})`;

export const BAY_ATTRIBUTION = [
  '# Bay sensor replay for shikeyuan, derived by npm run import:sim from two real snapshots (11:18 and 16:38) of the',
  '# City of Melbourne On-street Parking Bay Sensors feed (GovHack 2018 capture). © City of Melbourne, CC BY 4.0.',
  '# Each compound bay follows one Melbourne bay; the changes between the snapshots are placed by a deterministic rule (see importers/sim/melbourne-bays.ts).',
];
export const BUILDING_ATTRIBUTION = [
  '# Building sensor replay for shikeyuan, derived by npm run import:sim (windows of real series mapped onto unit devices):',
  '# uci-occupancy: UCI Occupancy Detection, CC BY 4.0; Candanedo & Feldheim (2016), Energy and Buildings 112:28-39.',
  '# uci-room-occupancy: UCI Room Occupancy Estimation, CC BY 4.0; Singh, Jain, Chaudhari, Kraemer, Werner & Garg (2018), IEEE GLOBECOM Workshops.',
  '# open-smart-home: Open Smart Home Data Set, CC BY-SA 4.0 (these rows stay under CC BY-SA 4.0). Measured data (c) 2018 Fraunhofer Institute for Building Physics;',
  '#   metadata (c) 2018 W3C Linked Building Data Community Group contributors; Rasmussen, Bonsma, Pauwels, Oraskari, Schneider; Schneider et al. (2018), ECPPM 2018.',
  '# uci-household-power: UCI Individual Household Electric Power Consumption, CC BY 4.0; Hebrail & Berard, EDF R&D.',
];

function main(): void {
  const args = parseOptions(process.argv.slice(2), ['melbourne', 'iot', 'community', 'devices']);
  if (args.help) { process.stdout.write(`${USAGE}\n`); return; }
  const path = (v: string | boolean | undefined, def: string) => (typeof v === 'string' ? userPath(v) : repoPath(def));
  const communityPath = path(args.community, 'fixtures/shikeyuan/community.json');
  const layout = parseCommunityLayout(JSON.parse(readText(communityPath, 'community file')), communityPath);
  const devicesPath = path(args.devices, 'fixtures/shikeyuan/devices.json');
  const devices = parseDeviceFile(JSON.parse(readText(devicesPath, 'device file')), devicesPath, layout);

  const mel = path(args.melbourne, DEFAULT_MELBOURNE);
  const steps = baySequence(layout, parseMelbourneSnapshot(readText(join(mel, 'sensors_T11-18.csv'), 'Melbourne snapshot')), parseMelbourneSnapshot(readText(join(mel, 'sensors_T16-38.csv'), 'Melbourne snapshot')));
  const bayText = [...BAY_ATTRIBUTION, BAY_REPLAY_COLUMNS.join(','), ...steps.map((s) => [s.offsetS, s.bayId, s.deviceId, s.sourceBayId, s.occupied].join(','))].join('\n') + '\n';
  writeText(repoPath(BAY_OUT), bayText);
  process.stdout.write(`${steps.length} bay steps for ${layout.lots.reduce((n, l) => n + l.bays.length, 0)} bays → ${BAY_OUT} (${(bayText.length / 1024).toFixed(1)} KB)\n`);

  const iot = path(args.iot, DEFAULT_IOT);
  const t = seriesTargets(devices);
  const H = 3600;
  const rows = [
    ...uciOccupancy(readText(join(iot, 'occupancy_detection/datatest.txt'), 'UCI occupancy'), t.smoke[0], 2 * H),
    ...uciRoomOccupancy(readText(join(iot, 'room_occupancy_estimation/Occupancy_Estimation.csv'), 'UCI room occupancy'), t.smoke[1], 1 * H),
    ...openSmartHome(readText(join(iot, 'open_smart_home/Measurements/Bathroom_Humidity.csv'), 'OSH'), t.water[0], 'humidity', '%RH', 24 * H),
    ...openSmartHome(readText(join(iot, 'open_smart_home/Measurements/Bathroom_Temperature.csv'), 'OSH'), t.water[0], 'temperature', '°C', 24 * H),
    ...openSmartHome(readText(join(iot, 'open_smart_home/Measurements/Kitchen_Humidity.csv'), 'OSH'), t.water[1], 'humidity', '%RH', 24 * H),
    ...openSmartHome(readText(join(iot, 'open_smart_home/Measurements/Kitchen_Temperature.csv'), 'OSH'), t.water[1], 'temperature', '°C', 24 * H),
    ...householdPower(readText(join(iot, 'household_power/household_power_consumption_2007-02.csv'), 'UCI household power'), t.meter, 2 * H),
  ].sort((a, b) => a.offsetS - b.offsetS || (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.signal < b.signal ? -1 : 1));
  const text = [...BUILDING_ATTRIBUTION, BUILDING_REPLAY_COLUMNS.join(','), ...rows.map((r) => [r.offsetS, r.deviceId, r.signal, r.value, r.unit, r.source].join(','))].join('\n') + '\n';
  writeText(repoPath(BUILDING_OUT), text);
  process.stdout.write(`${rows.length} building readings for ${new Set(rows.map((r) => r.deviceId)).size} devices → ${BUILDING_OUT} (${(text.length / 1024).toFixed(1)} KB)\n`);
}

if (isMain(import.meta.url)) await runCli('import-sim', main);
