/**
 * @module importers/devices/building-devices
 * Derives the building and unit devices of a community from its layout and its unit register:
 * per entrance (单元) a door reader, a stairwell smoke detector and, in buildings of 6 floors or
 * more, an elevator; per unit a smoke detector, a water-leak sensor, a gas detector and a meter;
 * and an SOS button (for an elderly resident) in every `sosEvery`-th unit of the register.
 * Owns: which devices a building has, their ids (`<entrance or unit id>-<role>`) and map points
 * (entrances spread along the footprint's longer side). Does not: read files. Pure, deterministic.
 */
import type { BuildingLayout, CommunityLayout, LonLat } from '../../actors/community/layout.ts';
import type { UnitRow } from '../../actors/community/directory-protocol.ts';
import { unitIdOf } from '../../actors/community/unit-register.ts';
import type { Device } from '../../actors/devices/protocol.ts';
import { roundPoint } from '../osm/geo.ts';

export const DEFAULT_SOS_EVERY = 6;
export const ELEVATOR_MIN_FLOORS = 6;

export const entranceDeviceId = (buildingId: string, entrance: string, role: 'door' | 'elevator' | 'smoke') => `${buildingId}-${entrance}-${role}`;
export const unitDeviceId = (unitId: string, role: 'smoke' | 'water' | 'gas' | 'meter' | 'sos') => `${unitId}-${role}`;

/** The point of entrance `index` (0-based) of `count`, spread along the footprint's longer side. */
function entrancePoint(b: BuildingLayout, index: number, count: number): LonLat {
  const lons = b.footprint.map((p) => p[0]);
  const lats = b.footprint.map((p) => p[1]);
  const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const f = (index + 0.5) / count;
  // Degrees of longitude are shorter here than of latitude (cos 40° ≈ 0.77).
  return (maxLon - minLon) * 0.77 >= maxLat - minLat
    ? roundPoint([minLon + (maxLon - minLon) * f, (minLat + maxLat) / 2])
    : roundPoint([(minLon + maxLon) / 2, minLat + (maxLat - minLat) * f]);
}

export function buildingDevices(layout: CommunityLayout, units: readonly UnitRow[], sosEvery = DEFAULT_SOS_EVERY): Device[] {
  const out: Device[] = [];
  const buildings = new Map(layout.buildings.map((b) => [b.id, b]));
  const byBuilding = new Map<string, UnitRow[]>();
  for (const u of units) if (buildings.has(u.buildingId)) byBuilding.set(u.buildingId, [...(byBuilding.get(u.buildingId) ?? []), u]);
  let unitIndex = 0;
  for (const [buildingId, rows] of byBuilding) {
    const b = buildings.get(buildingId)!;
    const entrances = [...new Set(rows.map((r) => r.entrance))];
    const floors = Math.max(...rows.map((r) => r.floor));
    entrances.forEach((entrance, i) => {
      const at = entrancePoint(b, i, entrances.length);
      const place = { kind: 'building', buildingId, entrance } as const;
      out.push({ id: entranceDeviceId(buildingId, entrance, 'door'), kind: 'door-reader', place, at });
      if (floors >= ELEVATOR_MIN_FLOORS) out.push({ id: entranceDeviceId(buildingId, entrance, 'elevator'), kind: 'elevator', place, at });
      out.push({ id: entranceDeviceId(buildingId, entrance, 'smoke'), kind: 'smoke', place, at });
      for (const r of rows.filter((x) => x.entrance === entrance)) {
        const unitId = unitIdOf(r);
        const uplace = { kind: 'unit', unitId, buildingId, entrance, floor: r.floor } as const;
        out.push(
          { id: unitDeviceId(unitId, 'smoke'), kind: 'smoke', place: uplace, at },
          { id: unitDeviceId(unitId, 'water'), kind: 'water-leak', place: uplace, at },
          { id: unitDeviceId(unitId, 'gas'), kind: 'gas', place: uplace, at },
          { id: unitDeviceId(unitId, 'meter'), kind: 'meter', place: uplace, at },
        );
        if (unitIndex % sosEvery === 0) out.push({ id: unitDeviceId(unitId, 'sos'), kind: 'sos-button', place: uplace, at, elderly: true });
        unitIndex++;
      }
    });
  }
  return out;
}
