/**
 * @module devices/sim/fixtures
 * Reads the simulators' committed fixtures: fixtures/shikeyuan/bay-replay.csv (Melbourne bay
 * sensors mapped onto the compound's bays) and building-replay.csv (UCI and Open Smart Home
 * series mapped onto unit devices), both written by `npm run import:sim`, into one timeline of
 * device messages. Lines starting with `#` (the attributions) and bad lines are skipped and counted.
 * Owns: the fixture columns. Does not: pace or publish (simulator.ts). Pure.
 */
import { fileURLToPath } from 'node:url';

export const DEFAULT_BAY_REPLAY = fileURLToPath(new URL('../../fixtures/shikeyuan/bay-replay.csv', import.meta.url));
export const DEFAULT_BUILDING_REPLAY = fileURLToPath(new URL('../../fixtures/shikeyuan/building-replay.csv', import.meta.url));

/** One message a simulated device sends `offsetS` seconds into its timeline. */
export interface SimStep {
  readonly offsetS: number;
  readonly deviceId: string;
  readonly signal: string;
  readonly value: number;
  readonly unit: string | null;
}

export interface SimTimeline {
  readonly steps: SimStep[];
  readonly skipped: number;
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function lines(text: string): string[][] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#')).slice(1).map((l) => l.split(','));
}

/** `offset_s,bay_id,device_id,source_bay_id,occupied` → `occupied` readings of bay sensors. */
export function parseBayReplay(text: string): SimTimeline {
  const steps: SimStep[] = [];
  let skipped = 0;
  for (const c of lines(text)) {
    const [offset, , deviceId, , occupied] = c;
    if (c.length !== 5 || !ID.test(deviceId ?? '') || !/^\d+$/.test(offset ?? '') || (occupied !== '0' && occupied !== '1')) { skipped++; continue; }
    steps.push({ offsetS: Number(offset), deviceId: deviceId!, signal: 'occupied', value: Number(occupied), unit: null });
  }
  return { steps, skipped };
}

/** `offset_s,device_id,signal,value,unit,source` → readings of building devices. */
export function parseBuildingReplay(text: string): SimTimeline {
  const steps: SimStep[] = [];
  let skipped = 0;
  for (const c of lines(text)) {
    const [offset, deviceId, signal, value, unit] = c;
    if (c.length !== 6 || !ID.test(deviceId ?? '') || !/^\d+$/.test(offset ?? '') || !/^[a-z0-9_]+$/.test(signal ?? '') || !Number.isFinite(Number(value))) { skipped++; continue; }
    steps.push({ offsetS: Number(offset), deviceId: deviceId!, signal: signal!, value: Number(value), unit: unit || null });
  }
  return { steps, skipped };
}

/** Timelines merged by time. */
export function mergeTimelines(...ts: SimTimeline[]): SimTimeline {
  return { steps: ts.flatMap((t) => t.steps).sort((a, b) => a.offsetS - b.offsetS), skipped: ts.reduce((n, t) => n + t.skipped, 0) };
}
