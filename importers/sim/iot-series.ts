/**
 * @module importers/sim/iot-series
 * Maps real building-sensor series onto the compound's unit devices: UCI Occupancy Detection
 * (temperature, humidity, light, CO2 of one office, 1-minute) and UCI Room Occupancy Estimation
 * (node S1 temperature and light, S5 CO2, ~30 s) onto two units' multi-sensor smoke detectors;
 * Open Smart Home bathroom and kitchen humidity and temperature (~10 min) onto two units'
 * water-leak sensors; UCI household power (1-minute active power) onto a unit's meter. A window
 * of each series is kept; times become seconds from the window's start.
 * Owns: the mapping (which unit gets which series) and the windows. Does not: read files. Pure.
 */
import type { Device } from '../../actors/devices/protocol.ts';

export const BUILDING_REPLAY_COLUMNS = ['offset_s', 'device_id', 'signal', 'value', 'unit', 'source'] as const;

export interface SeriesRow {
  readonly offsetS: number;
  readonly deviceId: string;
  readonly signal: string;
  readonly value: number;
  readonly unit: string;
  readonly source: 'uci-occupancy' | 'uci-room-occupancy' | 'open-smart-home' | 'uci-household-power';
}

type Point = { t: number; v: number };

function csvRows(text: string): string[][] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => l.split(',').map((c) => c.trim().replace(/^"|"$/g, '')));
}

function window(points: Point[], seconds: number): Point[] {
  const start = points[0]?.t ?? 0;
  return points.filter((p) => p.t - start < seconds && Number.isFinite(p.v)).map((p) => ({ t: p.t - start, v: p.v }));
}

const parseLocal = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`) / 1000;

/** UCI Occupancy Detection (`"Date","Temperature","Humidity","Light","CO2",…`). */
export function uciOccupancy(text: string, device: string, seconds: number): SeriesRow[] {
  const rows = csvRows(text).slice(1);
  const cols: [number, string, string][] = [[1, 'temperature', '°C'], [2, 'humidity', '%RH'], [3, 'light', 'lx'], [4, 'co2', 'ppm']];
  const t = rows.map((r) => parseLocal(r[0]!));
  return cols.flatMap(([i, signal, unit]) => window(rows.map((r, j) => ({ t: t[j]!, v: Number(r[i]) })), seconds)
    .map((p) => ({ offsetS: Math.round(p.t), deviceId: device, signal, value: p.v, unit, source: 'uci-occupancy' as const })));
}

/** UCI Room Occupancy Estimation (`Date,Time,S1_Temp,…,S1_Light,…,S5_CO2,…`). */
export function uciRoomOccupancy(text: string, device: string, seconds: number): SeriesRow[] {
  const [header, ...rows] = csvRows(text);
  const col = (name: string) => header!.indexOf(name);
  const t = rows.map((r) => parseLocal(`${r[0]} ${r[1]}`));
  const cols: [number, string, string][] = [[col('S1_Temp'), 'temperature', '°C'], [col('S1_Light'), 'light', 'lx'], [col('S5_CO2'), 'co2', 'ppm']];
  return cols.flatMap(([i, signal, unit]) => window(rows.map((r, j) => ({ t: t[j]!, v: Number(r[i]) })), seconds)
    .map((p) => ({ offsetS: Math.round(p.t), deviceId: device, signal, value: p.v, unit, source: 'uci-room-occupancy' as const })));
}

/** One Open Smart Home measurement file (`<unix seconds>\t<value>`, no header). */
export function openSmartHome(text: string, device: string, signal: string, unit: string, seconds: number): SeriesRow[] {
  const pts = text.split(/\r?\n/).map((l) => l.split('\t')).filter((c) => c.length === 2).map(([t, v]) => ({ t: Number(t), v: Number(v) }));
  return window(pts, seconds).map((p) => ({ offsetS: Math.round(p.t), deviceId: device, signal, value: p.v, unit, source: 'open-smart-home' as const }));
}

/** UCI household power (`date,time,global_active_power,…`, d/m/yyyy). */
export function householdPower(text: string, device: string, seconds: number): SeriesRow[] {
  const rows = csvRows(text).slice(1);
  const pts = rows.map((r) => {
    const [d, m, y] = r[0]!.split('/');
    return { t: Date.parse(`${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}T${r[1]}Z`) / 1000, v: Number(r[2]) };
  });
  return window(pts, seconds).map((p) => ({ offsetS: Math.round(p.t), deviceId: device, signal: 'power', value: p.v, unit: 'kW', source: 'uci-household-power' as const }));
}

/** The unit devices the series go to: the first units (in device-file order) with the needed kinds. */
export function seriesTargets(devices: readonly Device[]): { smoke: [string, string]; water: [string, string]; meter: string } {
  const unitsOf = (kind: string) => devices.filter((d) => d.kind === kind && d.place.kind === 'unit').map((d) => d.id);
  const smoke = unitsOf('smoke');
  const water = unitsOf('water-leak');
  const meter = unitsOf('meter');
  if (smoke.length < 2 || water.length < 2 || meter.length < 1) throw new Error('the device file needs 2 unit smoke detectors, 2 water-leak sensors and a meter');
  return { smoke: [smoke[0]!, smoke[1]!], water: [water[0]!, water[1]!], meter: meter[0]! };
}
