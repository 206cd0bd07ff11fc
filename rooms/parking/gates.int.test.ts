/**
 * Gate sessions on a real server with a controllable clock: plate reads on the bus open and close
 * sessions, the barrier opens through the audited device commands (and the fake barrier answers),
 * fees follow the tariff staff set over HTTP (and the lot rooms push it to their clients), a
 * resident pays in the app, a guard records cash at a waiting exit, a visitor pass from a
 * resident expires mid-stay, a monthly pass from staff lets a car in free; repeated reads, exits without entries, malformed and unregistered plates change
 * nothing but are recorded; tariff changes by non-staff are refused. Sessions, fees and payments
 * are queryable in analytics, without account ids.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommunityServer } from '../../engine/community-server.ts';
import { accountFor, api, type TestAccount, registeredPlate } from '../../engine/testing/accounts.ts';
import { startTestServer, TestClock, TestResident } from '../../engine/testing/test-server.ts';
import { until } from '../../engine/testing/until.ts';
import { FakeBarrier, plateRead } from './testing/parking-kit.ts';

const BUILDING_1 = 'bldg-594889490';
const HOUR = 3_600_000;
const clock = new TestClock(Date.parse('2026-11-27T09:00:00+08:00'));
let srv: CommunityServer;
let north: FakeBarrier;
let south: FakeBarrier;
let resident: TestAccount;
let staff: TestAccount;
let guard: TestAccount;

before(async () => {
  // Access tokens outlive the hours the clock is moved on, so the people need not sign in again.
  srv = await startTestServer({ deviceCommandAckWaitMs: 2000, parkingRepeatReadS: 60, accessTokenTtlS: 86_400 }, { now: clock.now });
  north = new FakeBarrier(srv.bus, srv.community.id, srv.community.gates[0]!);
  south = new FakeBarrier(srv.bus, srv.community.id, srv.community.gates[1]!);
  resident = await accountFor(srv, 'driver', 'owner', BUILDING_1);
  staff = await accountFor(srv, 'cashier', 'property_staff');
  guard = await accountFor(srv, 'booth-guard', 'guard');
});
after(async () => {
  north?.stop();
  south?.stop();
  await srv?.close();
});

const C = () => srv.community.id;
const open = (plate: string) => srv.parking.state.open[plate];
const reads = (outcome: string) => srv.metrics.get('parking_plate_reads_total', { outcome });

test('tariff: staff set it over HTTP → 200, in force and pushed to the lot rooms\' clients; a resident or a guard → 403 PARKING_NOT_STAFF; out of bounds or wrong type → 400 PARKING_BAD_TARIFF', async () => {
  const body = { freeMinutes: 15, hourlyFen: 600, dailyCapFen: 4000, admitUnregistered: false };
  for (const who of [resident, guard]) {
    const r = await api(srv, '/api/parking/tariff', body, who.accessToken);
    assert.deepEqual([r.status, r.json.code], [403, 'PARKING_NOT_STAFF']);
    assert.match(r.json.message['zh-CN'], /物业/);
  }
  for (const [bad, field] of [[{ hourlyFen: -5 }, 'hourlyFen'], [{ hourlyFen: '600' }, 'hourlyFen'], [{ dailyCapFen: 1.5 }, 'dailyCapFen'], [{ rate: 1 }, 'rate']] as const) {
    const r = await api(srv, '/api/parking/tariff', bad, staff.accessToken);
    assert.deepEqual([r.status, r.json.code, r.json.details?.field], [400, 'PARKING_BAD_TARIFF', field], JSON.stringify(bad));
  }
  for (const empty of [{}, { key: 'tariff-no-field' }]) {
    const r = await api(srv, '/api/parking/tariff', empty, staff.accessToken);
    assert.deepEqual([r.status, r.json.code, r.json.details?.problem, r.json.details?.field], [400, 'PARKING_BAD_TARIFF', 'no field', null], JSON.stringify(empty));
    assert.ok(r.json.message['zh-CN'] && r.json.message.en);
  }
  const lot = await TestResident.join(srv, srv.community.lots[0]!.id, { token: resident.accessToken });
  const ok = await api(srv, '/api/parking/tariff', body, staff.accessToken);
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  assert.deepEqual((await api(srv, '/api/parking/tariff', undefined, resident.accessToken)).json.tariff, { ...ok.json.tariff, ...body });
  // Open pages learn it live: the lot room tells every client.
  const pushed = await lot.waitFor('parking', (n) => n.kind === 'tariff');
  assert.deepEqual(pushed.tariff, ok.json.tariff);
  await lot.leave();
});

test('gate: a resident’s registered car in → session, barrier opened and acknowledged, pushed to the resident; a repeated read changes nothing; out after 2 h 10 min → 1800 fen due, barrier shut; in-app payment → closed, barrier opens', async () => {
  await registeredPlate(srv, resident, '京A10001');
  const room = await TestResident.join(srv, BUILDING_1, { token: resident.accessToken });
  await room.waitFor('welcome');
  plateRead(srv.bus, C(), srv.community.gates[0]!, '京a·10001', 'in', clock.now());
  await until('the session', () => open('京A10001'), 10_000);
  assert.equal(open('京A10001')!.class, 'resident');
  await until('the barrier opened and acknowledged', () => north.opens === 1 && srv.metrics.get('parking_gate_opens_total', { status: 'acknowledged' }) === 1, 10_000);
  assert.equal((await room.waitFor('parking', (n) => n.kind === 'session' && n.step === 'opened')).plate, '京A10001');
  plateRead(srv.bus, C(), srv.community.gates[0]!, '京A10001', 'in', clock.now() + 2000);
  await until('the repeat counted', () => reads('repeat') === 1, 10_000);
  assert.equal(north.opens, 1, 'a repeated read opens nothing');

  clock.advance(2 * HOUR + 10 * 60_000);
  plateRead(srv.bus, C(), srv.community.gates[1]!, '京A10001', 'out', clock.now());
  const due = await room.waitFor('parking', (n) => n.kind === 'session' && n.step === 'due');
  assert.equal(due.dueFen, 1800, 'three started hours at 600 fen');
  assert.equal(south.opens, 0, 'the barrier stays down while money is due');
  const sessions = await api(srv, '/api/parking/sessions', undefined, resident.accessToken);
  const mine = sessions.json.open.find((s: any) => s.plate === '京A10001');
  assert.deepEqual([mine.dueFen, mine.exit.gateId], [1800, srv.community.gates[1]!.id]);
  const wrong = await api(srv, '/api/parking/payments', { sessionId: mine.sessionId, amountFen: 1000, method: 'app' }, resident.accessToken);
  assert.deepEqual([wrong.status, wrong.json.code, wrong.json.details.dueFen], [409, 'PARKING_WRONG_AMOUNT', 1800]);
  const badMethod = await api(srv, '/api/parking/payments', { sessionId: mine.sessionId, amountFen: 1800, method: 'iou' }, resident.accessToken);
  assert.deepEqual([badMethod.status, badMethod.json.code], [400, 'PARKING_BAD_PAYMENT']);
  const paid = await api(srv, '/api/parking/payments', { sessionId: mine.sessionId, amountFen: 1800, method: 'app', key: 'pay-1' }, resident.accessToken);
  assert.equal(paid.status, 200, JSON.stringify(paid.json));
  assert.deepEqual([paid.json.paid.amountFen, paid.json.closed.feeFen, paid.json.closed.open], [1800, 1800, true]);
  await until('the exit barrier opened', () => south.opens === 1, 10_000);
  const again = await api(srv, '/api/parking/payments', { sessionId: mine.sessionId, amountFen: 1800, method: 'app', key: 'pay-1' }, resident.accessToken);
  assert.deepEqual([again.status, again.json.paid.paymentId], [200, paid.json.paid.paymentId], 'the same key → the first outcome');
  assert.equal(south.opens, 1, 'and no second opening');
  assert.equal(open('京A10001'), undefined);
  await room.waitFor('parking', (n) => n.kind === 'session' && n.step === 'closed' && n.feeFen === 1800);
  await room.leave();
});

test('gate: exit without entry, malformed plate, an unregistered plate when the tariff admits none → recorded refusals, no barrier opened', async () => {
  const opens = north.opens + south.opens;
  plateRead(srv.bus, C(), srv.community.gates[0]!, '京Z99999', 'out', clock.now());
  plateRead(srv.bus, C(), srv.community.gates[0]!, 'XYZ-1', 'in', clock.now());
  plateRead(srv.bus, C(), srv.community.gates[0]!, '沪C77777', 'in', clock.now());
  await until('three refusals', () => reads('PlateRefused') === 3, 10_000, () => srv.metrics.get('parking_plate_reads_total', { outcome: 'PlateRefused' }));
  assert.equal(north.opens + south.opens, opens);
  assert.equal(open('沪C77777'), undefined);
});

test('visitor pass: a resident issues one for a window; the visitor enters free, stays past it → the hours after are due; a guard records cash at the exit → barrier opens. Non-residents → 403; bad plate → 400', async () => {
  const from = clock.now();
  const pass = await api(srv, '/api/parking/passes', { kind: 'visitor', plate: '苏E 55555', until: from + 2 * HOUR }, resident.accessToken);
  assert.equal(pass.status, 200, JSON.stringify(pass.json));
  assert.equal(pass.json.pass.plate, '苏E55555');
  const byGuard = await api(srv, '/api/parking/passes', { kind: 'visitor', plate: '苏E55556', until: from + HOUR }, guard.accessToken);
  assert.deepEqual([byGuard.status, byGuard.json.code], [403, 'PARKING_NOT_RESIDENT']);
  const badPlate = await api(srv, '/api/parking/passes', { kind: 'visitor', plate: 'E55555', until: from + HOUR }, resident.accessToken);
  assert.deepEqual([badPlate.status, badPlate.json.code], [400, 'PARKING_BAD_PLATE']);
  const tooLong = await api(srv, '/api/parking/passes', { kind: 'visitor', plate: '苏E55557', until: from + 48 * HOUR }, resident.accessToken);
  assert.deepEqual([tooLong.status, tooLong.json.code], [400, 'PARKING_BAD_WINDOW']);
  const monthlyByResident = await api(srv, '/api/parking/passes', { kind: 'monthly', plate: '苏E55558', until: from + 30 * 24 * HOUR }, resident.accessToken);
  assert.deepEqual([monthlyByResident.status, monthlyByResident.json.code], [403, 'PARKING_NOT_STAFF']);

  plateRead(srv.bus, C(), srv.community.gates[0]!, '苏E55555', 'in', clock.now() + 60_000);
  await until('the visitor inside', () => open('苏E55555')?.class === 'visitor', 10_000);
  clock.advance(3 * HOUR);
  plateRead(srv.bus, C(), srv.community.gates[0]!, '苏E55555', 'out', clock.now());
  await until('waiting at the exit', () => open('苏E55555')?.exit, 10_000);
  const s = open('苏E55555')!;
  assert.equal(s.exit!.dueFen, 1200, 'two started hours after the pass ended at 600 fen');
  const opens = north.opens;
  const cash = await api(srv, '/api/parking/payments', { sessionId: s.sessionId, amountFen: 1200, method: 'cash' }, guard.accessToken);
  assert.equal(cash.status, 200, JSON.stringify(cash.json));
  await until('the barrier opens for the visitor', () => north.opens === opens + 1, 10_000);
  const notYours = await api(srv, '/api/parking/passes/revoke', { passId: pass.json.pass.passId }, guard.accessToken);
  assert.deepEqual([notYours.status, notYours.json.code], [403, 'PARKING_NOT_YOURS']);
  assert.equal((await api(srv, '/api/parking/passes/revoke', { passId: pass.json.pass.passId }, resident.accessToken)).status, 200);
});

test('monthly pass: staff issue one with its price → payment recorded; the car comes and goes free; a stranger paying for it → 403', async () => {
  const now = clock.now();
  const m = await api(srv, '/api/parking/passes', { kind: 'monthly', plate: '京M30000', from: now - HOUR, until: now + 30 * 24 * HOUR, amountFen: 30000, method: 'wechat' }, staff.accessToken);
  assert.equal(m.status, 200, JSON.stringify(m.json));
  plateRead(srv.bus, C(), srv.community.gates[1]!, '京M30000', 'in', now);
  await until('monthly inside', () => open('京M30000')?.class === 'monthly', 10_000);
  const sessions = await api(srv, '/api/parking/sessions', undefined, resident.accessToken);
  assert.ok(!sessions.json.open.some((x: any) => x.plate === '京M30000'), 'a resident sees only their own cars');
  const staffView = await api(srv, '/api/parking/sessions', undefined, guard.accessToken);
  const id = staffView.json.open.find((x: any) => x.plate === '京M30000').sessionId;
  const stranger = await api(srv, '/api/parking/payments', { sessionId: id, amountFen: 100, method: 'app' }, resident.accessToken);
  assert.deepEqual([stranger.status, stranger.json.code], [403, 'PARKING_NOT_YOURS']);
  clock.advance(5 * HOUR);
  const opens = south.opens;
  plateRead(srv.bus, C(), srv.community.gates[1]!, '京M30000', 'out', clock.now());
  await until('left free', () => !open('京M30000') && south.opens === opens + 1, 10_000);
});

test('analytics: sessions, fees and payments are rows of room_events (kind parking), without account ids', async () => {
  await srv.ingestion!.flush();
  const q = await srv.analytics!.query(`SELECT type, count() AS n FROM linli.room_events WHERE kind = 'parking' GROUP BY type ORDER BY type`);
  const got = Object.fromEntries(q.rows.map((r) => [r.type, Number(r.n)]));
  assert.deepEqual(got, { ExitRequested: 2, PassIssued: 2, PassRevoked: 1, PaymentRecorded: 3, PlateRefused: 3, SessionClosed: 3, SessionOpened: 3, TariffSet: 1 });
  const fees = await srv.analytics!.query(`SELECT JSONExtractString(event, 'class') AS class, sum(JSONExtractUInt(event, 'feeFen')) AS fen, count() AS n
    FROM linli.room_events WHERE kind = 'parking' AND type = 'SessionClosed' GROUP BY class ORDER BY class`);
  assert.deepEqual(fees.rows.map((r) => [r.class, Number(r.fen), Number(r.n)]), [['monthly', 0, 1], ['resident', 1800, 1], ['visitor', 1200, 1]]);
  const revenue = await srv.analytics!.query(`SELECT JSONExtractString(event, 'method') AS method, sum(JSONExtractUInt(event, 'amountFen')) AS fen FROM linli.room_events WHERE kind = 'parking' AND type = 'PaymentRecorded' GROUP BY method ORDER BY method`);
  assert.deepEqual(revenue.rows.map((r) => [r.method, Number(r.fen)]), [['app', 1800], ['cash', 1200], ['wechat', 30000]]);
  const refused = await srv.analytics!.query(`SELECT JSONExtractString(event, 'code') AS code FROM linli.room_events WHERE kind = 'parking' AND type = 'PlateRefused' ORDER BY code`);
  assert.deepEqual(refused.rows.map((r) => r.code), ['PARKING_BAD_PLATE', 'PARKING_NO_SESSION', 'PARKING_UNKNOWN_PLATE']);
  const leaks = await srv.analytics!.query(`SELECT count() AS n FROM linli.room_events WHERE kind = 'parking' AND (position(event, '${resident.accountId}') > 0 OR author = '${resident.accountId}')`);
  assert.equal(Number(leaks.rows[0]!.n), 0, 'no account id of the resident leaves the journal');
});
