/**
 * @module client/map/occupancy
 * How full a car park is, as a colour band shared by the map and the parking list:
 * green below 70 %, amber from 70 % to below 90 %, red from 90 %, grey while no reading exists.
 * Owns: the thresholds and colours. Does not: draw.
 */
import type { LotLive } from '../protocol.ts';

export type OccupancyBand = 'none' | 'low' | 'mid' | 'high';

export const AMBER_FROM = 0.7;
export const RED_FROM = 0.9;

export const BAND_COLOURS: Readonly<Record<OccupancyBand, number>> = {
  none: 0x9e9e9e,
  low: 0x2e9e4f,
  mid: 0xf0a020,
  high: 0xd64541,
};

export function occupancyBand(live: LotLive | undefined): OccupancyBand {
  if (!live || !(live.capacity > 0) || !Number.isFinite(live.occupied)) return 'none';
  const ratio = live.occupied / live.capacity;
  if (ratio >= RED_FROM) return 'high';
  if (ratio >= AMBER_FROM) return 'mid';
  return 'low';
}

export function cssColour(colour: number): string {
  return `#${colour.toString(16).padStart(6, '0')}`;
}
