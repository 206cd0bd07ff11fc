/**
 * The forecast's history query on real rows in embedded chDB: the Birmingham replay slice (lot
 * counters, five days in Oct–Nov 2016) and the Melbourne bay replay (the compound's bay sensors
 * over an afternoon) are folded through the real parking-lot actor, moved to recent weeks (whole
 * weeks, so weekdays stay), stored as room_events, and the profile the SQL builds is compared with
 * one computed here in plain code from the same events; the forecast built on it uses the
 * weekday-hour basis where the history has that weekday and falls back where it has not.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CommunityLayout } from '../../actors/community/layout.ts';
import { forecastLot } from '../../actors/parking/forecast.ts';
import type { LotCommand } from '../../actors/parking-lot/protocol.ts';
import { openTempChdbStore, type TempChdbStore } from '../../analytics/testing/temp-store.ts';
import { parseParkingSlice, DEFAULT_PARKING_SLICE } from '../../devices/replay/parking-slice.ts';
import { DEFAULT_BAY_REPLAY, parseBayReplay } from '../../devices/sim/fixtures.ts';
import { profileSql, profilesOf } from './forecast.ts';
import { birminghamHistory, expectedProfile, recordsOf } from './testing/parking-kit.ts';

const layout = JSON.parse(readFileSync(new URL('../../fixtures/shikeyuan/community.json', import.meta.url), 'utf8')) as CommunityLayout;
const C = layout.id;
const BJ = 480;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** "Now" for the forecast: Friday 2026-12-04 07:30 in Beijing. */
const NOW = Date.parse('2026-12-04T07:30:00+08:00');

let store: TempChdbStore;
before(async () => { store = await openTempChdbStore(); });
after(async () => { await store?.close(); });

async function profileFromChdb() {
  const r = await store.query(profileSql(C, NOW - 8 * WEEK, NOW, BJ), { maxRows: 10_000 });
  return profilesOf(r.rows);
}

function assertProfilesEqual(actual: Map<string, { dow: number; hour: number; mean: number; days: number }[]>, expected: ReturnType<typeof expectedProfile>, lots: readonly string[]) {
  let compared = 0;
  for (const lot of lots) {
    for (const row of actual.get(lot) ?? []) {
      const want = expected.get(`${lot}|${row.dow}|${row.hour}`);
      assert.ok(want, `${lot} ${row.dow}/${row.hour} in the expected profile`);
      assert.ok(Math.abs(row.mean - want.mean) < 1e-9, `${lot} ${row.dow}/${row.hour}: ${row.mean} vs ${want.mean}`);
      assert.equal(row.days, want.days);
      compared++;
    }
  }
  const expectedForLots = [...expected.keys()].filter((k) => lots.includes(k.split('|')[0]!)).length;
  assert.equal(compared, expectedForLots, 'every expected weekday-hour came back');
  return compared;
}

test('forecast history: the Birmingham slice through the real lot actor into chDB → the SQL profile equals the one computed from the events; Friday forecast on its weekday-hours', async () => {
  const slice = parseParkingSlice(readFileSync(DEFAULT_PARKING_SLICE, 'utf8'));
  assert.equal(slice.skipped.length, 0);
  // The slice's wall-clock times become the same wall-clock times in Beijing, on the same
  // weekdays three weeks before NOW: Friday 2016-10-28 → Friday 2026-11-13.
  const byLot = birminghamHistory(slice, '2026-11-13', BJ);
  const records = [...byLot].flatMap(([lotId, commands]) => recordsOf(layout, lotId, commands));
  assert.ok(records.length > 400, `${records.length} committed occupancy events`);
  assert.ok(records.some((r) => (r.event as { quality?: string }).quality === 'clamped_negative'), 'the slice’s negative counts are clamped');
  await store.insertRoomEvents(records);

  const profiles = await profileFromChdb();
  const lots = layout.lots.map((l) => l.id);
  const compared = assertProfilesEqual(profiles, expectedProfile(records, BJ), lots);
  assert.ok(compared >= 6 * 5 * 8, `${compared} weekday-hours (six lots, five days, about nine hours a day)`);

  const busiest = layout.lots.reduce((a, b) => (b.capacity > a.capacity ? b : a));
  const f = forecastLot({ capacity: busiest.capacity, current: null, now: NOW, hours: 6, utcOffsetMin: BJ, profile: profiles.get(busiest.id)! });
  assert.deepEqual(f.map((h) => h.hour), [8, 9, 10, 11, 12, 13]);
  assert.ok(f.every((h) => h.basis === 'weekday-hour' && h.days === 1), 'one Friday in the slice: every hour from its weekday');
  const expected = expectedProfile(records, BJ);
  for (const h of f) assert.equal(h.occupied, Math.round(expected.get(`${busiest.id}|5|${h.hour}`)!.mean), `${h.hour}:00`);
  assert.ok(f[5]!.occupied! > f[0]!.occupied!, 'the car park fills up through the morning, as in Birmingham');
});

test('forecast history: the Melbourne bay replay through the real lot actor → bay totals in the profile; hours the bays never saw fall back', async () => {
  const lot = layout.lots.reduce((a, b) => (b.capacity > a.capacity ? b : a));
  const replay = parseBayReplay(readFileSync(DEFAULT_BAY_REPLAY, 'utf8'));
  const bayOf = new Map(lot.bays.map((b) => [b.sensorDeviceId, b.id]));
  // One afternoon, from 11:18 (the first Melbourne snapshot) on Wednesday 2026-11-25.
  const start = Date.parse('2026-11-25T11:18:00+08:00');
  const commands: LotCommand[] = replay.steps.filter((s) => bayOf.has(s.deviceId))
    .map((s) => ({ type: 'RecordBay', bayId: bayOf.get(s.deviceId)!, deviceId: s.deviceId, occupied: s.value === 1, at: start + s.offsetS * 1000, holderInside: null }));
  assert.ok(commands.length > lot.capacity, 'every bay reports, and some change');
  const records = recordsOf(layout, lot.id, commands).map((r) => ({ ...r, actorId: `${lot.id}`, seq: r.seq + 100_000 }));
  assert.ok(records.every((r) => r.type === 'BayRecorded'));
  assert.equal((records[records.length - 1]!.event as { source: string }).source, 'bays', 'every bay known: the bays are the source');
  await store.insertRoomEvents(records);

  const profiles = await profileFromChdb();
  const wed = (profiles.get(lot.id) ?? []).filter((r) => r.dow === 3);
  const expected = expectedProfile(records, BJ);
  assert.deepEqual(wed.map((r) => r.hour), [11, 12, 13, 14, 15, 16]);
  for (const r of wed) assert.ok(Math.abs(r.mean - expected.get(`${lot.id}|3|${r.hour}`)!.mean) < 1e-9, `Wednesday ${r.hour}:00`);

  const wedMorning = Date.parse('2026-12-02T10:40:00+08:00');
  const f = forecastLot({ capacity: lot.capacity, current: 30, now: wedMorning, hours: 3, utcOffsetMin: BJ, profile: profiles.get(lot.id)! });
  assert.deepEqual(f.map((h) => [h.hour, h.basis]), [[11, 'weekday-hour'], [12, 'weekday-hour'], [13, 'weekday-hour']]);
  const night = forecastLot({ capacity: lot.capacity, current: 30, now: Date.parse('2026-12-02T01:10:00+08:00'), hours: 2, utcOffsetMin: BJ, profile: profiles.get(lot.id)! });
  assert.deepEqual(night.map((h) => [h.hour, h.basis, h.occupied]), [[2, 'current', 30], [3, 'current', 30]], 'no history at night: the occupancy now');
});
