/**
 * @module devices/registry
 * The devices of one community: lot counters, bay sensors and gate plate readers follow from the
 * layout (community.json); building and unit devices (door readers, elevators, smoke, water-leak
 * and gas detectors, SOS buttons, meters) come from the device file (fixtures/<c>/devices.json,
 * written by `npm run import:devices`). Each has an id, a kind, a place and a map point;
 * credentials are issued for these ids by the identity service.
 * Owns: loading and checking the device file, lookups by id, place and kind, and which signals
 * a device may send (its kind's schema). Does not: validate payloads (actors/devices/catalog).
 * Concurrency: built once at boot, immutable.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CommunityLayout, LonLat } from '../actors/community/layout.ts';
import { DEVICE_KINDS, signalSchema } from '../actors/devices/catalog.ts';
import type { Device, DeviceKind, DevicePlace, SignalSchema } from '../actors/devices/protocol.ts';

export const DEFAULT_DEVICES_FILE = fileURLToPath(new URL('../fixtures/shikeyuan/devices.json', import.meta.url));
const SAFE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_ID = 96;

/** The devices the layout implies: one counter per lot, one sensor per bay, one plate reader per gate. */
export function layoutDevices(layout: CommunityLayout): Device[] {
  return [
    ...layout.lots.map((l): Device => ({ id: l.counterDeviceId, kind: 'lot-counter', place: { kind: 'lot', lotId: l.id }, at: centreOf(l.polygon) })),
    ...layout.lots.flatMap((l) => l.bays.map((b): Device => ({ id: b.sensorDeviceId, kind: 'bay-sensor', place: { kind: 'bay', lotId: l.id, bayId: b.id }, at: b.at }))),
    ...layout.gates.map((g): Device => ({ id: g.deviceId, kind: 'gate', place: { kind: 'point', gateId: g.id }, at: g.at })),
  ];
}

function centreOf(ring: readonly LonLat[]): LonLat {
  const pts = ring.slice(0, -1);
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}

/** Checks a parsed device file against the layout; throws naming `label` and the first bad device. */
export function parseDeviceFile(json: unknown, label: string, layout: CommunityLayout): Device[] {
  const fail = (what: string): never => { throw new Error(`${label}: ${what}`); };
  const o = json as { community?: unknown; devices?: unknown };
  if (typeof o !== 'object' || o === null || !Array.isArray(o.devices)) fail('must be an object with a "devices" array');
  if (o.community !== layout.id) fail(`community must be ${JSON.stringify(layout.id)} (got ${JSON.stringify(o.community)})`);
  const buildings = new Set(layout.buildings.map((b) => b.id));
  return (o.devices as unknown[]).map((raw, i) => {
    const d = raw as Record<string, unknown>;
    const f = `devices[${i}]`;
    if (typeof d !== 'object' || d === null) fail(`${f} must be an object`);
    if (typeof d.id !== 'string' || d.id.length > MAX_ID || !SAFE_ID.test(d.id)) fail(`${f}.id must be a subject-safe id of at most ${MAX_ID} characters`);
    if (typeof d.kind !== 'string' || !Object.hasOwn(DEVICE_KINDS, d.kind)) fail(`${f}.kind must be one of ${Object.keys(DEVICE_KINDS).join(', ')}`);
    const at = d.at as unknown[];
    if (!Array.isArray(at) || at.length !== 2 || !at.every((v) => typeof v === 'number' && Number.isFinite(v))) fail(`${f}.at must be [lon, lat]`);
    const p = d.place as Record<string, unknown> | undefined;
    const inBuilding = (v: unknown) => typeof v === 'string' && buildings.has(v);
    const okPlace = p && ((p.kind === 'building' && inBuilding(p.buildingId))
      || (p.kind === 'unit' && inBuilding(p.buildingId) && typeof p.unitId === 'string' && typeof p.entrance === 'string' && Number.isInteger(p.floor))
      || (p.kind === 'point'));
    if (!okPlace) fail(`${f}.place must be a building or unit of a known building, or a point`);
    return { id: d.id, kind: d.kind as DeviceKind, place: p as unknown as DevicePlace, at: at as unknown as LonLat, ...(d.elderly === true ? { elderly: true } : {}) } as Device;
  });
}

export function loadDeviceFile(path: string, layout: CommunityLayout): Device[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read device file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let json: unknown;
  try { json = JSON.parse(text); } catch (err) { throw new Error(`${path}: not valid JSON (${(err as Error).message})`); }
  return parseDeviceFile(json, path, layout);
}

export class DeviceRegistry {
  private readonly byId = new Map<string, Device>();
  private readonly byUnit = new Map<string, Device[]>();

  constructor(devices: readonly Device[]) {
    for (const d of devices) {
      if (this.byId.has(d.id)) throw new Error(`device ${d.id} is registered twice`);
      this.byId.set(d.id, d);
      if (d.place.kind === 'unit') this.byUnit.set(d.place.unitId, [...(this.byUnit.get(d.place.unitId) ?? []), d]);
    }
  }

  /** The layout's devices plus those of a device file (null: the layout's only). */
  static load(layout: CommunityLayout, devicesFile: string | null): DeviceRegistry {
    return new DeviceRegistry([...layoutDevices(layout), ...(devicesFile ? loadDeviceFile(devicesFile, layout) : [])]);
  }

  get size(): number {
    return this.byId.size;
  }

  get(deviceId: string): Device | undefined {
    return this.byId.get(deviceId);
  }

  all(): IterableIterator<Device> {
    return this.byId.values();
  }

  ofKind(kind: DeviceKind): Device[] {
    return [...this.byId.values()].filter((d) => d.kind === kind);
  }

  inUnit(unitId: string): readonly Device[] {
    return this.byUnit.get(unitId) ?? [];
  }

  /** The schema of `signal` for this device's kind; undefined for an unknown device or signal. */
  schemaOf(deviceId: string, signal: string): SignalSchema | undefined {
    const d = this.byId.get(deviceId);
    return d ? signalSchema(d.kind, signal) : undefined;
  }

  countByKind(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const d of this.byId.values()) out[d.kind] = (out[d.kind] ?? 0) + 1;
    return out;
  }
}
