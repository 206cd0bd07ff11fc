/**
 * @module importers/sim/melbourne-bays
 * Turns two real snapshots of City of Melbourne in-ground bay sensors (11:18 and 16:38 of one
 * day) into a plausible sequence for the compound's bays: each compound bay takes one Melbourne
 * bay (present in both snapshots, picked evenly by bay id); it starts as that bay was at 11:18
 * and ends as it was at 16:38. A bay that changed gets one change at a time drawn from its id; one
 * that stayed occupied may have had a turnover (left, another car came); one that stayed free may
 * have had a short stay. Times are seconds after 11:18.
 * Owns: the pick, the mapping and the sequence rule. Does not: read files. Pure, deterministic.
 */
import type { CommunityLayout } from '../../actors/community/layout.ts';

export const BAY_REPLAY_COLUMNS = ['offset_s', 'bay_id', 'device_id', 'source_bay_id', 'occupied'] as const;
/** 11:18 to 16:38. */
export const SNAPSHOT_GAP_S = (16 * 60 + 38 - (11 * 60 + 18)) * 60;

export interface MelbourneBay {
  readonly bayId: string;
  readonly present: boolean;
}

export interface BayStep {
  readonly offsetS: number;
  readonly bayId: string;
  readonly deviceId: string;
  readonly sourceBayId: string;
  readonly occupied: 0 | 1;
}

/** Parses one snapshot CSV (`bay_id,st_marker_id,status,location,lat,lon`); rows without a status are skipped. */
export function parseMelbourneSnapshot(text: string): Map<string, MelbourneBay> {
  const out = new Map<string, MelbourneBay>();
  for (const line of text.split(/\r?\n/).slice(1)) {
    const m = /^(\d+),[^,]*,(Present|Unoccupied),/.exec(line);
    if (m) out.set(m[1]!, { bayId: m[1]!, present: m[2] === 'Present' });
  }
  return out;
}

/** A number in [0, 1) from a string and a salt (FNV-1a), so the sequence is the same on every run. */
export function unitHash(s: string, salt: number): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

export function baySequence(layout: CommunityLayout, morning: Map<string, MelbourneBay>, afternoon: Map<string, MelbourneBay>): BayStep[] {
  const common = [...morning.keys()].filter((id) => afternoon.has(id)).sort((a, b) => Number(a) - Number(b));
  const bays = layout.lots.flatMap((l) => l.bays);
  if (common.length < bays.length) throw new Error(`only ${common.length} Melbourne bays are in both snapshots; ${bays.length} needed`);
  const steps: BayStep[] = [];
  bays.forEach((bay, i) => {
    const src = common[Math.floor((i * common.length) / bays.length)]!;
    const s0 = morning.get(src)!.present ? 1 : 0;
    const s1 = afternoon.get(src)!.present ? 1 : 0;
    const at = (f: number) => Math.round(60 + f * (SNAPSHOT_GAP_S - 120));
    const step = (offsetS: number, occupied: 0 | 1) => steps.push({ offsetS, bayId: bay.id, deviceId: bay.sensorDeviceId, sourceBayId: src, occupied });
    step(0, s0);
    if (s0 !== s1) step(at(unitHash(src, 1)), s1);
    else if (unitHash(src, 2) < 0.5) {
      // Occupied all along: a turnover; free all along: a short stay.
      const t1 = at(unitHash(src, 3) * 0.8);
      const t2 = Math.min(SNAPSHOT_GAP_S - 60, t1 + 300 + Math.round(unitHash(src, 4) * 3600));
      step(t1, s0 === 1 ? 0 : 1);
      step(t2, s0);
    }
  });
  return steps.sort((a, b) => a.offsetS - b.offsetS || (a.bayId < b.bayId ? -1 : 1));
}
