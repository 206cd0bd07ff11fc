/**
 * Parking on a real server, through the official Colyseus SDK and real HTTP, with a controllable
 * clock (services.now, starting on a Friday morning; no sleeps): a forecast served over HTTP from
 * Birmingham history that went through the gateway, the lot rooms and analytics; live per-bay and
 * per-lot occupancy with the counter disagreeing with the bays; guidance (the system picks the
 * lot, the nearest bay is held with a route from a gate over the ways, a planned bay serves its
 * owner first, a held bay is not offered to others, double holds, non-residents and bad input are
 * refused with typed errors), the hold expiring on the clock, and a resident re-guided when
 * someone else takes the bay, then arriving. Every hold step is in analytics.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { forecastLot } from '../../actors/parking/forecast.ts';
import { metres } from '../../actors/parking/route.ts';
import type { CommunityServer } from '../../engine/community-server.ts';
import { accountFor, api, signUp, unitIn, type TestAccount, registeredPlate } from '../../engine/testing/accounts.ts';
import { startTestServer, TestClock, TestResident } from '../../engine/testing/test-server.ts';
import { until } from '../../engine/testing/until.ts';
import { DEFAULT_PARKING_SLICE, parseParkingSlice } from '../../devices/replay/parking-slice.ts';
import { mapRoomId } from '../community-map/community-map.room.ts';
import {
  bayReading, birminghamHistory, counterReading, expectedProfile, FakeBarrier, layoutWithPlannedBay, nearestBay, plateRead, recordsOf,
} from './testing/parking-kit.ts';

const BJ = 480;
const HOLD_S = 60;
const BUILDING_1 = 'bldg-594889490';
const PLANNED_FOR = unitIn(BUILDING_1, '201');
const planned = layoutWithPlannedBay(BUILDING_1, PLANNED_FOR);
const layout = planned.layout;
const C = layout.id;
/** Friday 2026-11-27 07:30 in Beijing; the clock runs on from there. */
const clock = new TestClock(Date.parse('2026-11-27T07:30:00+08:00'));
let srv: CommunityServer;
let barriers: FakeBarrier[];

before(async () => {
  srv = await startTestServer({
    communityFile: planned.file, parkingHoldS: HOLD_S, parkingForecastCacheS: 0, deviceMaxAgeMs: 40 * 86_400_000, deviceCommandAckWaitMs: 2000,
    accessTokenTtlS: 86_400, // tokens outlive the hours the clock is moved on
  }, { now: clock.now });
  barriers = layout.gates.map((g) => new FakeBarrier(srv.bus, C, g));
});
after(async () => {
  for (const b of barriers ?? []) b.stop();
  await srv?.close();
});

const busiest = layout.lots.reduce((a, b) => (b.capacity > a.capacity ? b : a));
const guided = layout.lots.find((l) => l.id === planned.lotId)!;
const other = layout.lots.find((l) => l.id !== busiest.id && l.id !== guided.id)!;
const bays = (r: TestResident) => (r.room.state?.bays ? Object.fromEntries([...r.room.state.bays.entries()].map(([id, c]: [string, any]) => [id, c.status])) : {}) as Record<string, string>;

test('parking forecast over HTTP: Birmingham history through the gateway into the lot rooms and chDB → next hours from the same weekday-hours, with today’s difference fading', async () => {
  const slice = parseParkingSlice(readFileSync(DEFAULT_PARKING_SLICE, 'utf8'));
  const history = birminghamHistory(slice, '2026-11-20', BJ); // a week before the clock's Friday
  const commands = history.get(busiest.id)!;
  for (const c of commands) if (c.type === 'RecordOccupancy') counterReading(srv.bus, C, c.deviceId, c.raw, c.at);
  const records = recordsOf(layout, busiest.id, commands);
  await until(`${records.length} readings committed by ${busiest.id}`, () => srv.parking.hub.lot(busiest.id)!.state().readings === records.length, 30_000, () => srv.parking.hub.lot(busiest.id)!.state().readings);
  await srv.ingestion!.flush();
  const stored = await srv.analytics!.query(`SELECT count() AS n FROM linli.room_events WHERE kind = 'parking-lot' AND actor_id = '${busiest.id}' AND type = 'OccupancyRecorded'`);
  assert.equal(Number(stored.rows[0]!.n), records.length, 'every committed occupancy event in analytics');
  const resident = await accountFor(srv, 'forecast-reader', 'owner', BUILDING_1);
  const r = await api(srv, `/api/parking/forecast?lotId=${busiest.id}&hours=6`, undefined, resident.accessToken);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.history, 'ok');
  const lot = r.json.lots[0];
  const current = lot.current;
  const last = records[records.length - 1]!.event as { total: number };
  assert.equal(current, last.total, 'the lot’s occupancy now is its last committed total');
  const profile = [...expectedProfile(records, BJ)].map(([k, v]) => { const [, dow, hour] = k.split('|'); return { dow: Number(dow), hour: Number(hour), ...v }; });
  const expected = forecastLot({ capacity: busiest.capacity, current, now: r.json.generatedAt, hours: 6, utcOffsetMin: BJ, profile });
  assert.deepEqual(lot.hours, expected);
  assert.deepEqual(lot.hours.map((h: any) => [h.hour, h.basis]), [[8, 'weekday-hour'], [9, 'weekday-hour'], [10, 'weekday-hour'], [11, 'weekday-hour'], [12, 'weekday-hour'], [13, 'weekday-hour']]);
  assert.match(r.json.method.en, /weekday and hour/);
  const bad = await api(srv, '/api/parking/forecast?lotId=lot-nope', undefined, resident.accessToken);
  assert.deepEqual([bad.status, bad.json.code], [404, 'PARKING_UNKNOWN_LOT']);
  const hours = await api(srv, `/api/parking/forecast?hours=99`, undefined, resident.accessToken);
  assert.deepEqual([hours.status, hours.json.code], [400, 'ENGINE_BAD_INPUT']);
  const anon = await api(srv, '/api/parking/forecast');
  assert.equal(anon.status, 401);
});

test('parking lot room: bay sensors and the counter → per-bay status and lot totals on the SDK client; the bays win, the disagreeing counter is flagged; the guards’ map shows the same total', async () => {
  const viewer = await TestResident.join(srv, other.id, { name: 'bay-watcher' });
  await until('bays in the state', () => Object.keys(bays(viewer)).length === other.capacity, 10_000, () => viewer.room.state?.toJSON?.());
  assert.ok(Object.values(bays(viewer)).every((s) => s === 'unknown'));
  const now = clock.now();
  counterReading(srv.bus, C, other.counterDeviceId, 1, now);
  await until('counter only', () => viewer.room.state.source === 'counter' && viewer.room.state.occupied === 1, 10_000, () => viewer.room.state.toJSON());
  other.bays.forEach((b, i) => bayReading(srv.bus, C, b, i < 4, now + 1000 + i));
  await until('every bay reported', () => viewer.room.state.baysKnown === other.capacity, 10_000, () => viewer.room.state.toJSON());
  const s = viewer.room.state;
  assert.deepEqual([s.occupied, s.free, s.source, s.agreement, s.counter], [4, other.capacity - 4, 'bays', 'disagree', 1]);
  assert.deepEqual(Object.values(bays(viewer)).filter((x) => x === 'occupied').length, 4);
  assert.equal(bays(viewer)[other.bays[0]!.id], 'occupied');
  assert.equal(s.available, other.capacity - 4 - other.bays.filter((b) => b.planned).length);
  const guard = await TestResident.join(srv, mapRoomId(C), { name: 'map-guard' });
  await until('the map follows the lot total', () => guard.room.state?.lots?.get(other.id)?.occupied === 4, 10_000, () => guard.room.state?.lots?.get(other.id)?.toJSON?.());
  counterReading(srv.bus, C, other.counterDeviceId, 4, now + 5000);
  await until('counter agrees now', () => viewer.room.state.agreement === 'agree', 10_000, () => viewer.room.state.toJSON());
  await viewer.leave();
  await guard.leave();
});

test('guidance: resident lets the system pick → nearest lot, nearest bay held for PARKING_HOLD_S, route from a gate over the ways; pushed to the resident; the planned bay goes to its owner', async () => {
  const a = await accountFor(srv, 'owner-a', 'owner', BUILDING_1);
  const watch = await TestResident.join(srv, guided.id, { token: a.accessToken });
  await until('lot state', () => viewer(watch));
  const r = await api(srv, '/api/parking/holds', { lotId: 'auto', key: 'ask-1' }, a.accessToken);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const hold = r.json.hold;
  assert.equal(hold.lotId, guided.id, 'the lot nearest to 1号楼');
  assert.notEqual(hold.bayId, planned.bayId, 'the planned bay is not offered to a neighbour');
  const home = layout.buildings.find((b) => b.id === BUILDING_1)!;
  const expectedBay = nearestBay({ bays: guided.bays.filter((b) => b.id !== planned.bayId) }, centre(home.footprint));
  assert.equal(hold.bayId, expectedBay.id, 'the nearest bay to the building that may be offered');
  assert.equal(hold.until, r.json.hold.until);
  assert.ok(Math.abs(hold.until - clock.now() - HOLD_S * 1000) < 5000);
  assert.ok(hold.route.onWays && hold.route.points.length > 2, 'a route over the ways');
  const gate = layout.gates.find((g) => g.id === hold.gateId)!;
  assert.deepEqual(hold.route.points[0], gate.at);
  assert.deepEqual(hold.route.points[hold.route.points.length - 1], expectedBay.at);
  assert.ok(hold.route.lengthM >= metres(gate.at, expectedBay.at));
  await until('the bay shows held', () => bays(watch)[hold.bayId] === 'held', 10_000, () => bays(watch));
  const push = await watch.waitFor('parking', (n) => n.kind === 'hold' && n.step === 'held');
  assert.equal(push.hold.bayId, hold.bayId);

  const again = await api(srv, '/api/parking/holds', { lotId: 'auto', key: 'ask-1' }, a.accessToken);
  assert.deepEqual([again.status, again.json.hold.holdId], [200, hold.holdId], 'the same key → the same hold');
  const twice = await api(srv, '/api/parking/holds', { lotId: 'auto', key: 'ask-2' }, a.accessToken);
  assert.deepEqual([twice.status, twice.json.code], [409, 'PARKING_ALREADY_HOLDING']);
  assert.match(twice.json.message['zh-CN'], /已有/);
  const mine = await api(srv, '/api/parking/holds', undefined, a.accessToken);
  assert.equal(mine.json.hold.holdId, hold.holdId);

  const p = await signUp(srv, 'owner-p', 'owner', PLANNED_FOR);
  const ph = await api(srv, '/api/parking/holds', { lotId: guided.id }, p.accessToken);
  assert.equal(ph.json.hold?.bayId, planned.bayId, 'the owner of the planned bay gets it first');
  const b = await signUp(srv, 'owner-b', 'owner', unitIn(BUILDING_1, '102'));
  const bh = await api(srv, '/api/parking/holds', { lotId: guided.id }, b.accessToken);
  assert.ok(![hold.bayId, planned.bayId].includes(bh.json.hold.bayId), 'held bays are not offered to others');
  await until('three bays held', () => watch.room.state.held === 3, 10_000, () => watch.room.state.toJSON());
  for (const who of [p, b]) assert.equal((await api(srv, '/api/parking/holds/cancel', {}, who.accessToken)).status, 200);
  const none = await api(srv, '/api/parking/holds/cancel', {}, b.accessToken);
  assert.deepEqual([none.status, none.json.code], [404, 'PARKING_NO_HOLD']);
  await watch.leave();
});

test('guidance: the holder does not arrive → released on the clock at the deadline, pushed as expired, the bay offered again', async () => {
  const a = await accountFor(srv, 'owner-a', 'owner', BUILDING_1);
  const watch = await TestResident.join(srv, guided.id, { token: a.accessToken });
  await until('lot state', () => viewer(watch));
  const hold = (await api(srv, '/api/parking/holds', undefined, a.accessToken)).json.hold;
  assert.ok(hold, 'the hold of the previous test');
  clock.advance(HOLD_S * 1000 - 5000);
  assert.equal(bays(watch)[hold.bayId], 'held', 'not yet');
  clock.advance(6000);
  const push = await watch.waitFor('parking', (n) => n.step === 'released', 10_000);
  assert.deepEqual([push.reason, push.holdId, push.hold], ['expired', hold.holdId, null]);
  await until('the bay is no longer held', () => bays(watch)[hold.bayId] !== 'held', 10_000, () => bays(watch));
  const mine = await api(srv, '/api/parking/holds', undefined, a.accessToken);
  assert.equal(mine.json.hold, null);
  await watch.leave();
});

test('guidance: someone else parks in the held bay → the resident is re-guided to the next bay with a new route; their car enters by plate and parks → fulfilled', async () => {
  const b = await accountFor(srv, 'owner-b2', 'owner', layout.buildings.find((x) => x.residential && x.id !== BUILDING_1)!.id);
  await registeredPlate(srv, b, '京B66666');
  const watch = await TestResident.join(srv, guided.id, { token: b.accessToken });
  await until('lot state', () => viewer(watch));
  const first = (await api(srv, '/api/parking/holds', { lotId: guided.id, gateId: layout.gates[0]!.id }, b.accessToken)).json.hold;
  assert.equal(first.plate, '京B66666', 'the resident’s one registered plate');
  assert.equal(first.gateId, layout.gates[0]!.id);
  const taken = guided.bays.find((x) => x.id === first.bayId)!;
  bayReading(srv.bus, C, taken, true, clock.now());
  const moved = await watch.waitFor('parking', (n) => n.step === 'moved');
  assert.equal(moved.reason, 'taken');
  assert.notEqual(moved.hold.bayId, first.bayId);
  const next = guided.bays.find((x) => x.id === moved.hold.bayId)!;
  assert.deepEqual(moved.hold.route.points[moved.hold.route.points.length - 1], next.at, 'the new route ends at the new bay');
  assert.deepEqual(moved.hold.route.points[0], layout.gates[0]!.at, 'from the gate the resident enters by');
  assert.ok(moved.hold.until > first.until, 'a fresh deadline');
  await until('the taken bay shows occupied, the new one held', () => bays(watch)[first.bayId] === 'occupied' && bays(watch)[next.id] === 'held', 10_000, () => bays(watch));

  plateRead(srv.bus, C, layout.gates[0]!, '京B66666', 'in', clock.now());
  await until('the car is inside', () => srv.parking.plateInside('京B66666'), 10_000);
  await watch.waitFor('parking', (n) => n.kind === 'session' && n.step === 'opened');
  await until('the entry barrier opened and acknowledged', () => barriers[0]!.opens >= 1 && srv.metrics.get('parking_gate_opens_total', { status: 'acknowledged' }) >= 1, 10_000);
  clock.advance(90_000);
  bayReading(srv.bus, C, next, true, clock.now());
  const done = await watch.waitFor('parking', (n) => n.step === 'fulfilled');
  assert.equal(done.bayId, next.id);
  await until('the bay occupied, no longer held', () => bays(watch)[next.id] === 'occupied', 10_000, () => bays(watch));
  await watch.leave();
});

test('gate: a car of the unit that owns a planned bay → class owner, out hours later free, both barriers opened', async () => {
  const member = await signUp(srv, 'family-p', 'family', PLANNED_FOR);
  await registeredPlate(srv, member, '京P20100');
  const gate = layout.gates[1]!;
  const barrier = barriers[1]!;
  const opens = barrier.opens;
  plateRead(srv.bus, C, gate, '京P20100', 'in', clock.now());
  await until('inside as the bay owner', () => srv.parking.state.open['京P20100']?.class === 'owner', 10_000);
  clock.advance(3 * 3_600_000);
  plateRead(srv.bus, C, gate, '京P20100', 'out', clock.now());
  await until('left', () => srv.parking.state.closed.some((x) => x.plate === '京P20100'), 10_000);
  assert.equal(srv.parking.state.closed.find((x) => x.plate === '京P20100')!.feeFen, 0);
  await until('the barrier opened twice', () => barrier.opens === opens + 2, 10_000);
});

test('guidance: non-residents, bad input → typed errors in zh-CN and en, nothing held', async () => {
  const guard = await accountFor(srv, 'gate-guard', 'guard');
  const staff = await accountFor(srv, 'office-1', 'property_staff');
  for (const who of [guard, staff]) {
    const r = await api(srv, '/api/parking/holds', { lotId: 'auto' }, who.accessToken);
    assert.deepEqual([r.status, r.json.code], [403, 'PARKING_NOT_RESIDENT']);
    assert.ok(r.json.message.en && r.json.message['zh-CN']);
  }
  const a: TestAccount = await accountFor(srv, 'owner-a', 'owner', BUILDING_1);
  const cases: [unknown, number, string][] = [
    [{ lotId: 'lot-nope' }, 404, 'PARKING_UNKNOWN_LOT'],
    [{ lotId: guided.id, gateId: 'gate-nope' }, 404, 'PARKING_UNKNOWN_GATE'],
    [{ lotId: guided.id, plate: 'ABC-123' }, 400, 'PARKING_BAD_PLATE'],
    [{ lotId: guided.id, key: 'has spaces' }, 400, 'ENGINE_BAD_INPUT'],
    [{ lotId: 17 }, 400, 'ENGINE_BAD_INPUT'],
    ['not json', 400, 'ENGINE_BAD_INPUT'],
  ];
  for (const [body, status, code] of cases) {
    const r = await api(srv, '/api/parking/holds', body, a.accessToken);
    assert.deepEqual([r.status, r.json.code], [status, code], JSON.stringify(body));
  }
  assert.equal((await api(srv, '/api/parking/holds', undefined, a.accessToken)).json.hold, null);
});

test('guidance in analytics: every hold step is a room_events row of its lot, without the plate or where the holder lives', async () => {
  await srv.ingestion!.flush();
  const q = await srv.analytics!.query(`SELECT type, JSONExtractString(event, 'reason') AS reason, count() AS n FROM linli.room_events
    WHERE kind = 'parking-lot' AND actor_id = '${guided.id}' AND type IN ('BayHeld', 'HoldMoved', 'HoldFulfilled', 'HoldReleased') GROUP BY type, reason ORDER BY type, reason`);
  const got = Object.fromEntries(q.rows.map((r) => [`${r.type}${r.reason ? `:${r.reason}` : ''}`, Number(r.n)]));
  assert.deepEqual(got, { BayHeld: 4, HoldFulfilled: 1, HoldMoved: 1, 'HoldReleased:cancelled': 2, 'HoldReleased:expired': 1 });
  const leaks = await srv.analytics!.query(`SELECT count() AS n FROM linli.room_events WHERE kind = 'parking-lot' AND type = 'BayHeld' AND (position(event, '京B') > 0 OR JSONExtractRaw(event, 'near') != 'null')`);
  assert.equal(Number(leaks.rows[0]!.n), 0);
});

function viewer(r: TestResident): boolean {
  return Boolean(r.room.state?.lotId);
}

function centre(ring: readonly (readonly [number, number])[]): readonly [number, number] {
  const pts = ring.slice(0, -1);
  return [pts.reduce((n, p) => n + p[0], 0) / pts.length, pts.reduce((n, p) => n + p[1], 0) / pts.length];
}
