/**
 * @module analytics/testing/records
 * Builders for journal records and device readings used by the analytics tests. Deterministic:
 * the same arguments give the same rows, so counts and sums can be asserted exactly.
 */
import type { DeviceReading } from '../../devices/reading.ts';
import type { JournalRecord } from '../../engine/journal/record.ts';

export const T0 = Date.UTC(2025, 0, 1, 8, 0, 0);

export function journalRecords(community: string, actorId: string, n: number, firstSeq = 1): JournalRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    community,
    kind: 'building',
    actorId,
    seq: firstSeq + i,
    type: 'ChatPosted',
    v: 1,
    author: 'r-1202',
    key: `k-${firstSeq + i}`,
    at: T0 + (firstSeq + i) * 1000,
    event: { type: 'ChatPosted', v: 1, text: `楼上漏水了 ${firstSeq + i}`, residentId: 'r-1202' },
  }));
}

export function readings(community: string, deviceId: string, n: number): DeviceReading[] {
  return Array.from({ length: n }, (_, i) => ({
    community,
    deviceId,
    signal: 'occupancy',
    at: T0 + i * 60_000,
    value: i % 2,
    raw: i % 2,
    quality: 'ok',
  }));
}
