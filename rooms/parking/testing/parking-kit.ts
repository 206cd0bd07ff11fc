/**
 * @module rooms/parking/testing/parking-kit
 * What the parking tests share: a copy of the compound's layout with a planned bay for a unit
 * (the fixture has none), a gate device that answers the barrier commands it receives (so the
 * audited open → ack loop runs for real), and device messages as a bay sensor, a gate's plate
 * reader or a lot counter would send them on the bus. Test-only; nothing in rooms/ imports it.
 * Extend: add a device kind by adding a sender beside `plateRead` and `bayReading`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BayLayout, CommunityLayout, GateLayout, LonLat } from '../../../actors/community/layout.ts';
import { centreOf } from '../../../actors/parking/guidance.ts';
import { metres } from '../../../actors/parking/route.ts';
import { decodeJson, encodeJson, subjects, type Bus, type BusSubscription } from '../../../engine/bus/contract.ts';
import { localSlot } from '../../../actors/parking/forecast.ts';
import { createParkingLotActor } from '../../../actors/parking-lot/parking-lot.ts';
import type { LotCommand, LotEvent } from '../../../actors/parking-lot/protocol.ts';
import type { JournalRecord } from '../../../engine/journal/record.ts';

export const FIXTURE_COMMUNITY = new URL('../../../fixtures/shikeyuan/community.json', import.meta.url);

export function fixtureLayout(): CommunityLayout {
  return JSON.parse(readFileSync(FIXTURE_COMMUNITY, 'utf8')) as CommunityLayout;
}

/** The lot whose centre is nearest to a building's centre. */
export function nearestLot(layout: CommunityLayout, buildingId: string) {
  const home = centreOf(layout.buildings.find((b) => b.id === buildingId)!.footprint);
  return layout.lots.reduce((a, b) => (metres(centreOf(b.polygon), home) < metres(centreOf(a.polygon), home) ? b : a));
}

/** The bay of `lot` nearest to a point. */
export function nearestBay(lot: { bays: readonly BayLayout[] }, to: LonLat): BayLayout {
  return lot.bays.reduce((a, b) => (metres(b.at, to) < metres(a.at, to) ? b : a));
}

/**
 * Writes a copy of the fixture layout in which the bay of the lot nearest to `buildingId` that is
 * nearest to the building is planned for `ownerUnit`; returns the file and what was planned.
 */
export function layoutWithPlannedBay(buildingId: string, ownerUnit: string): { file: string; layout: CommunityLayout; lotId: string; bayId: string } {
  const layout = fixtureLayout();
  const lot = nearestLot(layout, buildingId);
  const bay = nearestBay(lot, centreOf(layout.buildings.find((b) => b.id === buildingId)!.footprint));
  const planned: CommunityLayout = {
    ...layout,
    lots: layout.lots.map((l) => (l.id !== lot.id ? l : { ...l, bays: l.bays.map((b) => (b.id === bay.id ? { ...b, planned: true, owner: ownerUnit } : b)) })),
  };
  const file = join(mkdtempSync(join(tmpdir(), 'linli-parking-layout-')), 'community.json');
  writeFileSync(file, JSON.stringify(planned));
  return { file, layout: planned, lotId: lot.id, bayId: bay.id };
}

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

export function plateRead(bus: Bus, community: string, gate: GateLayout, plate: string, direction: 'in' | 'out', at: number): void {
  bus.publish(subjects.device(community, gate.deviceId, 'plate'), enc({ plate, direction, at }));
}

export function bayReading(bus: Bus, community: string, bay: BayLayout, occupied: boolean, at: number): void {
  bus.publish(subjects.device(community, bay.sensorDeviceId, 'occupied'), enc({ value: occupied ? 1 : 0, at }));
}

export function counterReading(bus: Bus, community: string, counterDeviceId: string, value: number, at: number): void {
  bus.publish(subjects.device(community, counterDeviceId, 'occupancy'), enc({ value, at }));
}

/** A gate's barrier: records every command sent to it and acknowledges it, as the device would. */
export class FakeBarrier {
  readonly commands: { commandId: string; action: string }[] = [];
  private readonly sub: BusSubscription;

  constructor(private readonly bus: Bus, private readonly community: string, readonly gate: GateLayout) {
    this.sub = bus.subscribe(subjects.command(community, gate.deviceId), (m) => {
      const c = decodeJson(m.data) as { commandId?: string; action?: string } | undefined;
      if (!c?.commandId || !c.action) return;
      this.commands.push({ commandId: c.commandId, action: c.action });
      bus.publish(subjects.device(community, gate.deviceId, 'ack'), encodeJson({ commandId: c.commandId, ok: true }));
    });
  }

  get opens(): number {
    return this.commands.filter((c) => c.action === 'open').length;
  }

  stop(): void {
    this.sub.unsubscribe();
  }
}

/** Folds commands through the real lot actor and wraps the accepted events as journal records. */
export function recordsOf(layout: CommunityLayout, lotId: string, commands: readonly LotCommand[]): JournalRecord[] {
  const lot = layout.lots.find((l) => l.id === lotId)!;
  const def = createParkingLotActor(lot.capacity, lot.bays);
  let state = def.initial;
  const out: JournalRecord[] = [];
  for (const c of commands) {
    const d = def.decide(state, c);
    if (!d.ok) continue;
    for (const e of d.events) {
      state = def.evolve(state, e);
      out.push({ community: layout.id, kind: 'parking-lot', actorId: lotId, seq: out.length + 1, type: e.type, v: e.v, at: e.at, author: 'test', key: null, event: e });
    }
  }
  return out;
}

/** The profile computed in plain code: per lot, weekday and hour, the mean over days of each day's mean total. */
export function expectedProfile(records: readonly JournalRecord[], utcOffsetMin: number) {
  const perDay = new Map<string, { sum: number; n: number }>();
  for (const r of records) {
    const e = r.event as LotEvent;
    if (e.type !== 'OccupancyRecorded' && e.type !== 'BayRecorded') continue;
    const local = new Date(r.at + utcOffsetMin * 60_000);
    const { dow, hour } = localSlot(r.at, utcOffsetMin);
    const k = `${r.actorId}|${local.toISOString().slice(0, 10)}|${dow}|${hour}`;
    const cell = perDay.get(k) ?? { sum: 0, n: 0 };
    cell.sum += e.total;
    cell.n++;
    perDay.set(k, cell);
  }
  const perSlot = new Map<string, number[]>();
  for (const [k, { sum, n }] of perDay) {
    const [lot, , dow, hour] = k.split('|');
    const slot = `${lot}|${dow}|${hour}`;
    perSlot.set(slot, [...(perSlot.get(slot) ?? []), sum / n]);
  }
  return new Map([...perSlot].map(([k, means]) => [k, { mean: means.reduce((a, b) => a + b, 0) / means.length, days: means.length }]));
}

/**
 * The Birmingham replay slice as counter commands per lot, moved so that its first day (Friday
 * 2016-10-28, wall clock read as UTC) falls on the local date `friday` (`YYYY-MM-DD`) at the
 * same wall-clock times in a community `utcOffsetMin` ahead of UTC. Whole weeks keep weekdays.
 */
export function birminghamHistory(slice: { rows: readonly { lotId: string; deviceId: string; at: number; occupancy: number }[] }, friday: string, utcOffsetMin: number) {
  const days = Date.parse(`${friday}T00:00:00Z`) - Date.parse('2016-10-28T00:00:00Z');
  if (days % (7 * 86_400_000) !== 0) throw new Error(`${friday} is not a Friday`);
  const shift = days - utcOffsetMin * 60_000;
  const byLot = new Map<string, LotCommand[]>();
  for (const row of slice.rows) {
    byLot.set(row.lotId, [...(byLot.get(row.lotId) ?? []), { type: 'RecordOccupancy', deviceId: row.deviceId, at: row.at + shift, raw: row.occupancy }]);
  }
  return byLot;
}
