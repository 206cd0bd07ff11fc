/**
 * Tests of the parking office actor: gate sessions from plate reads (entry, exit, repeated reads,
 * an exit without an entry, a missed exit, unknown and malformed plates), fees at the exit under
 * passes (monthly pass ending mid-stay, visitor pass expiring mid-stay), planned-bay owners,
 * payments (ahead in the app and at a waiting exit), the tariff (staff only, bounds) and passes;
 * every suite also checks replay, JSON round trips and a property over random read sequences.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkJson, checkReplay, scenario } from '../_kit/scenario.ts';
import { ParkingError } from './errors.ts';
import { createParkingActor, DEFAULT_PARKING_LIMITS, DEFAULT_TARIFF, feeDue } from './parking.ts';
import type { IssuePass, ParkingCommand, ParkingEvent, PlateFacts, ReadPlate, RecordPayment, SetTariff } from './protocol.ts';
import { HOUR_MS, MINUTE_MS } from './tariff.ts';

const office = createParkingActor();
const T = Date.parse('2026-03-02T10:00:00+08:00');
const NOBODY: PlateFacts = { accountId: null, ownsPlannedBay: false };
const RESIDENT: PlateFacts = { accountId: 'acct-r', ownsPlannedBay: false };
let n = 0;
const read = (plate: string, direction: 'in' | 'out', at: number, facts: PlateFacts = NOBODY, gateId = 'gate-n'): ReadPlate =>
  ({ type: 'ReadPlate', gateId, deviceId: `${gateId}-lpr`, plate, direction, facts, sessionId: `s-${++n}`, at });
const pay = (sessionId: string, amountFen: number, at: number, by = 'guard-1', role: RecordPayment['role'] = 'guard'): RecordPayment =>
  ({ type: 'RecordPayment', paymentId: `pay-${++n}`, sessionId, by, role, method: 'cash', amountFen, at });
const visitorPass = (plate: string, from: number, until: number, over: Partial<IssuePass> = {}): IssuePass => ({
  type: 'IssuePass', passId: `pass-${++n}`, kind: 'visitor', by: 'acct-r', role: 'resident', unitIds: ['u-101'], unitId: 'u-101',
  plate, from, until, amountFen: null, method: null, paymentId: null, at: from, ...over,
});
const monthlyPass = (plate: string, from: number, until: number, over: Partial<IssuePass> = {}): IssuePass => ({
  type: 'IssuePass', passId: `pass-${++n}`, kind: 'monthly', by: 'staff-1', role: 'staff', unitIds: [], unitId: null,
  plate, from, until, amountFen: 30000, method: 'wechat', paymentId: `pay-${++n}`, at: from, ...over,
});
const types = (events: readonly ParkingEvent[]) => events.map((e) => e.type);

test('parking: unknown plate in (temporary parking admitted) → SessionOpened; out after 20 min → SessionClosed fee 0, gate opens', () => {
  const s = scenario(office).givenCommands([read('京A12345', 'in', T)]);
  assert.equal(s.state.open['京A12345']?.class, 'temporary');
  const out = s.when(read('京A12345', 'out', T + 20 * MINUTE_MS)).events[0]!;
  assert.equal(out.type, 'SessionClosed');
  assert.deepEqual(out.type === 'SessionClosed' && [out.feeFen, out.paidFen, out.minutes, out.open, out.reason], [0, 0, 20, true, 'exit']);
});

test('parking: plate typed loosely by the reader (京a·12345) → normalised once; its exit finds the session', () => {
  const s = scenario(office).givenCommands([read(' 京a·12345 ', 'in', T)]);
  assert.ok(s.state.open['京A12345']);
  assert.equal(s.when(read('京A12345', 'out', T + MINUTE_MS)).events[0]!.type, 'SessionClosed');
});

test('parking: stay of 2 h 10 min → ExitRequested 1500 fen due, gate stays shut; cash payment at the exit → PaymentRecorded + SessionClosed, gate opens', () => {
  const s = scenario(office).givenCommands([read('京A12345', 'in', T), read('京A12345', 'out', T + 130 * MINUTE_MS)]);
  const session = s.state.open['京A12345']!;
  assert.deepEqual(session.exit, { gateId: 'gate-n', at: T + 130 * MINUTE_MS, dueFen: 1500 });
  const o = s.when(pay(session.sessionId, 1500, T + 132 * MINUTE_MS));
  assert.deepEqual(types(o.events), ['PaymentRecorded', 'SessionClosed']);
  const closed = o.events[1]!;
  assert.deepEqual(closed.type === 'SessionClosed' && [closed.feeFen, closed.paidFen, closed.open, closed.gateId], [1500, 1500, true, 'gate-n']);
  o.expectState((st) => { assert.equal(st.open['京A12345'], undefined); assert.equal(st.revenueFen, 1500); assert.equal(st.closed.length, 1); });
});

test('parking: wrong amount → PARKING_WRONG_AMOUNT with the due amount; nothing due → PARKING_NOTHING_DUE; bad method → PARKING_BAD_PAYMENT', () => {
  const s = scenario(office).givenCommands([read('京A12345', 'in', T)]);
  const id = s.state.open['京A12345']!.sessionId;
  s.when(pay(id, 400, T + 61 * MINUTE_MS)).expectError(ParkingError.WRONG_AMOUNT, { dueFen: 1000, amountFen: 400 });
  s.when(pay(id, 500, T + 10 * MINUTE_MS)).expectError(ParkingError.NOTHING_DUE);
  s.when({ ...pay(id, 1000, T + 61 * MINUTE_MS), method: 'bitcoin' as never }).expectError(ParkingError.BAD_PAYMENT, { field: 'method' });
  s.when({ ...pay(id, 1.5, T + 61 * MINUTE_MS) }).expectError(ParkingError.BAD_PAYMENT, { field: 'amountFen' });
  s.when(pay('s-none', 1000, T)).expectError(ParkingError.NO_SESSION);
});

test('parking: a resident pays ahead in the app → exit within the grace opens at once; after the grace the extra hours are due', () => {
  const s = scenario(office).givenCommands([read('京B88888', 'in', T, RESIDENT)]);
  const id = s.state.open['京B88888']!.sessionId;
  const paid = s.givenCommands([pay(id, 1000, T + 100 * MINUTE_MS, 'acct-r', 'resident')]);
  const within = paid.when(read('京B88888', 'out', T + 110 * MINUTE_MS)).events[0]!;
  assert.deepEqual(within.type === 'SessionClosed' && [within.feeFen, within.paidFen, within.open], [1000, 1000, true]);
  const late = paid.when(read('京B88888', 'out', T + 190 * MINUTE_MS)).events[0]!;
  assert.deepEqual(late.type === 'ExitRequested' && [late.feeFen, late.paidFen, late.dueFen], [2000, 1000, 1000]);
});

test('parking: a resident paying for someone else’s car → PARKING_NOT_YOURS', () => {
  const s = scenario(office).givenCommands([read('京A12345', 'in', T)]);
  s.when(pay(s.state.open['京A12345']!.sessionId, 1000, T + 61 * MINUTE_MS, 'acct-r', 'resident')).expectError(ParkingError.NOT_YOURS);
});

test('parking: the same in-read twice within the repeat window → one session, no new event', () => {
  const s = scenario(office).givenCommands([read('京A12345', 'in', T)]);
  s.when(read('京A12345', 'in', T + 5000)).expectNoEvents().expectState((st) => assert.equal(st.sessions, 1));
});

test('parking: repeated out-reads → the second within the window changes nothing (waiting exit and closed session alike)', () => {
  const waiting = scenario(office).givenCommands([read('京A12345', 'in', T), read('京A12345', 'out', T + 2 * HOUR_MS)]);
  waiting.when(read('京A12345', 'out', T + 2 * HOUR_MS + 3000)).expectNoEvents();
  const gone = scenario(office).givenCommands([read('京A12345', 'in', T), read('京A12345', 'out', T + 10 * MINUTE_MS)]);
  gone.when(read('京A12345', 'out', T + 10 * MINUTE_MS + 3000)).expectNoEvents();
});

test('parking: exit without an entry → PlateRefused PARKING_NO_SESSION, gate not opened', () => {
  scenario(office).when(read('京A12345', 'out', T)).expectEvents([
    { type: 'PlateRefused', v: 1, gateId: 'gate-n', direction: 'out', plate: '京A12345', code: ParkingError.NO_SESSION, reason: 'no-entry', at: T },
  ]);
});

test('parking: an in-read hours after the car entered (its exit was missed) → old session closed as missed-exit, a new one opened', () => {
  const s = scenario(office).givenCommands([read('京A12345', 'in', T)]);
  const o = s.when(read('京A12345', 'in', T + 5 * HOUR_MS));
  assert.deepEqual(types(o.events), ['SessionClosed', 'SessionOpened']);
  const closed = o.events[0]!;
  assert.deepEqual(closed.type === 'SessionClosed' && [closed.reason, closed.open, closed.feeFen], ['missed-exit', false, 0]);
  o.expectState((st) => { assert.equal(st.sessions, 2); assert.equal(st.open['京A12345']!.enteredAt, T + 5 * HOUR_MS); });
});

test('parking: malformed plate → PlateRefused PARKING_BAD_PLATE with the reason, nothing opened', () => {
  for (const [raw, reason] of [['ABC123', 'province'], ['京A1234', 'length'], ['', 'empty'], ['京1A2345', 'letter']] as const) {
    const o = scenario(office).when(read(raw, 'in', T));
    const e = o.events[0]!;
    assert.deepEqual(e.type === 'PlateRefused' && [e.code, e.reason], [ParkingError.BAD_PLATE, reason], raw);
    o.expectState((st) => assert.equal(Object.keys(st.open).length, 0));
  }
});

test('parking: tariff refusing unregistered plates → unknown plate refused (PARKING_UNKNOWN_PLATE); a resident’s registered plate still enters', () => {
  const strict = createParkingActor(DEFAULT_PARKING_LIMITS, { ...DEFAULT_TARIFF, admitUnregistered: false });
  const e = scenario(strict).when(read('京A12345', 'in', T)).events[0]!;
  assert.deepEqual(e.type === 'PlateRefused' && [e.code, e.reason], [ParkingError.UNKNOWN_PLATE, 'unregistered']);
  const r = scenario(strict).when(read('京B88888', 'in', T, RESIDENT)).events[0]!;
  assert.deepEqual(r.type === 'SessionOpened' && [r.class, r.accountId], ['resident', 'acct-r']);
});

test('parking: a car whose unit owns a planned bay → class owner, free however long it stays', () => {
  const s = scenario(office).givenCommands([read('京C11111', 'in', T, { accountId: 'acct-o', ownsPlannedBay: true })]);
  const e = s.when(read('京C11111', 'out', T + 50 * HOUR_MS)).events[0]!;
  assert.deepEqual(e.type === 'SessionClosed' && [e.class, e.feeFen], ['owner', 0]);
});

test('parking: monthly pass → class monthly, free; pass ending mid-stay → the hours after it are due', () => {
  const end = T + 3 * HOUR_MS + 15 * MINUTE_MS;
  const s = scenario(office).givenCommands([monthlyPass('京D22222', T - 29 * 24 * HOUR_MS, end, { at: T - 29 * 24 * HOUR_MS }), read('京D22222', 'in', T)]);
  assert.equal(s.state.open['京D22222']!.class, 'monthly');
  assert.equal(s.state.revenueFen, 30000, 'the pass price was recorded as a payment');
  const free = s.when(read('京D22222', 'out', T + 3 * HOUR_MS)).events[0]!;
  assert.deepEqual(free.type === 'SessionClosed' && free.feeFen, 0);
  const due = s.when(read('京D22222', 'out', T + 5 * HOUR_MS)).events[0]!;
  assert.deepEqual(due.type === 'ExitRequested' && due.dueFen, 1000, '03:15–05:00 after entry: billing hours 3 and 4');
});

test('parking: monthly pass starting mid-stay → only the time before it is charged', () => {
  const s = scenario(office).givenCommands([read('京D22222', 'in', T), monthlyPass('京D22222', T + 2 * HOUR_MS, T + 32 * 24 * HOUR_MS, { at: T + HOUR_MS })]);
  const e = s.when(read('京D22222', 'out', T + 6 * HOUR_MS)).events[0]!;
  assert.deepEqual(e.type === 'ExitRequested' && [e.feeFen, e.dueFen], [1000, 1000]);
});

test('parking: visitor pass expiring mid-stay → class visitor at entry; at the exit the time after the pass is due', () => {
  const s = scenario(office).givenCommands([visitorPass('京E33333', T, T + 2 * HOUR_MS + 20 * MINUTE_MS), read('京E33333', 'in', T + 5 * MINUTE_MS)]);
  assert.equal(s.state.open['京E33333']!.class, 'visitor');
  const e = s.when(read('京E33333', 'out', T + 4 * HOUR_MS)).events[0]!;
  // entry at 10:05; the pass covers to 12:20; billing hours from 10:05: 12:05–13:05 and 13:05–14:00 hold chargeable time
  assert.deepEqual(e.type === 'ExitRequested' && [e.feeFen, e.dueFen], [1000, 1000]);
});

test('parking: visitor pass rules → non-resident PARKING_NOT_RESIDENT; window too long or over → PARKING_BAD_WINDOW; one unit over the limit → PARKING_TOO_MANY_PASSES; bad plate → PARKING_BAD_PLATE', () => {
  scenario(office).when(visitorPass('京E33333', T, T + HOUR_MS, { role: 'guard' })).expectError(ParkingError.NOT_RESIDENT);
  scenario(office).when(visitorPass('京E33333', T, T + HOUR_MS, { unitId: 'u-999' })).expectError(ParkingError.NOT_RESIDENT);
  scenario(office).when(visitorPass('京E33333', T, T + 25 * HOUR_MS)).expectError(ParkingError.BAD_WINDOW, { maxHours: 24 });
  scenario(office).when(visitorPass('京E33333', T - 2 * HOUR_MS, T - HOUR_MS, { at: T })).expectError(ParkingError.BAD_WINDOW);
  scenario(office).when(visitorPass('E33333', T, T + HOUR_MS)).expectError(ParkingError.BAD_PLATE, { reason: 'province' });
  const five = Array.from({ length: 5 }, (_, i) => visitorPass(`京E3333${i}`, T, T + HOUR_MS));
  scenario(office).givenCommands(five).when(visitorPass('京E33339', T, T + HOUR_MS)).expectError(ParkingError.TOO_MANY_PASSES, { max: 5 });
});

test('parking: revoking a pass → by the issuer or staff only; revoked cover ends at the revocation; twice → PARKING_PASS_REVOKED', () => {
  const issue = visitorPass('京E33333', T, T + 6 * HOUR_MS);
  const s = scenario(office).givenCommands([issue, read('京E33333', 'in', T)]);
  s.when({ type: 'RevokePass', passId: issue.passId, by: 'someone', role: 'resident', at: T + HOUR_MS }).expectError(ParkingError.NOT_YOURS);
  s.when({ type: 'RevokePass', passId: 'nope', by: 'acct-r', role: 'resident', at: T }).expectError(ParkingError.UNKNOWN_PASS);
  const revoked = s.givenCommands([{ type: 'RevokePass', passId: issue.passId, by: 'acct-r', role: 'resident', at: T + HOUR_MS }]);
  revoked.when({ type: 'RevokePass', passId: issue.passId, by: 'staff-1', role: 'staff', at: T + HOUR_MS }).expectError(ParkingError.PASS_REVOKED);
  const e = revoked.when(read('京E33333', 'out', T + 3 * HOUR_MS)).events[0]!;
  assert.deepEqual(e.type === 'ExitRequested' && e.dueFen, 1000, 'charged from the revocation (hours 1 and 2)');
});

test('parking: monthly pass by a resident → PARKING_NOT_STAFF; priced without a method → PARKING_BAD_PAYMENT; reused id → PARKING_DUPLICATE_ID', () => {
  scenario(office).when(monthlyPass('京D22222', T, T + 30 * 24 * HOUR_MS, { role: 'resident' })).expectError(ParkingError.NOT_STAFF);
  scenario(office).when(monthlyPass('京D22222', T, T + 30 * 24 * HOUR_MS, { method: null })).expectError(ParkingError.BAD_PAYMENT, { field: 'method' });
  scenario(office).when(monthlyPass('京D22222', T, T + 500 * 24 * HOUR_MS)).expectError(ParkingError.BAD_WINDOW, { maxDays: 400 });
  const p = monthlyPass('京D22222', T, T + 30 * 24 * HOUR_MS);
  scenario(office).givenCommands([p]).when({ ...p, plate: '京D22223' }).expectError(ParkingError.DUPLICATE_ID);
});

test('parking: tariff change by a guard or resident → PARKING_NOT_STAFF; out of bounds → PARKING_BAD_TARIFF naming the field; by staff → TariffSet and the new rate applies at the next exit', () => {
  const set = (tariff: SetTariff['tariff'], role: SetTariff['role'] = 'staff'): SetTariff => ({ type: 'SetTariff', by: 'staff-1', role, tariff, at: T });
  scenario(office).when(set(DEFAULT_TARIFF, 'guard')).expectError(ParkingError.NOT_STAFF);
  scenario(office).when(set(DEFAULT_TARIFF, 'resident')).expectError(ParkingError.NOT_STAFF);
  scenario(office).when(set({ ...DEFAULT_TARIFF, hourlyFen: -1 })).expectError(ParkingError.BAD_TARIFF, { field: 'hourlyFen' });
  scenario(office).when(set({ ...DEFAULT_TARIFF, hourlyFen: 2.5 })).expectError(ParkingError.BAD_TARIFF, { field: 'hourlyFen' });
  scenario(office).when(set({ ...DEFAULT_TARIFF, dailyCapFen: -5 })).expectError(ParkingError.BAD_TARIFF, { field: 'dailyCapFen' });
  const s = scenario(office).givenCommands([read('京A12345', 'in', T), set({ ...DEFAULT_TARIFF, hourlyFen: 800, freeMinutes: 0 })]);
  const e = s.when(read('京A12345', 'out', T + 20 * MINUTE_MS)).events[0]!;
  assert.deepEqual(e.type === 'ExitRequested' && e.dueFen, 800);
});

const script: ParkingCommand[] = [
  monthlyPass('京D22222', T - HOUR_MS, T + 30 * 24 * HOUR_MS, { at: T - HOUR_MS }),
  read('京A12345', 'in', T), read('京A12345', 'in', T + 1000), read('京D22222', 'in', T + 2000), read('XX', 'in', T + 3000),
  read('京A12345', 'out', T + 3 * HOUR_MS), read('京Z99999', 'out', T + 3 * HOUR_MS),
  read('京D22222', 'out', T + 4 * HOUR_MS), read('京B88888', 'in', T + 5 * HOUR_MS, RESIDENT),
];

test('parking: a day at the gates → replay gives the same state; commands, events and states survive JSON', () => {
  const r = checkReplay(office, script);
  assert.deepEqual(types(r.events), ['PassIssued', 'PaymentRecorded', 'SessionOpened', 'SessionOpened', 'PlateRefused', 'ExitRequested', 'PlateRefused', 'SessionClosed', 'SessionOpened']);
  checkJson(office, script);
});

test('parking property: random reads at random times → fees and money are integer fen, at most one session per plate, every close matches an open', () => {
  const plates = ['京A12345', '京B88888', '京C11111', '京D2222'];
  const cmd = fc.tuple(fc.constantFrom(...plates), fc.constantFrom('in', 'out'), fc.integer({ min: 0, max: 4 * HOUR_MS }), fc.boolean());
  fc.assert(fc.property(fc.array(cmd, { maxLength: 40 }), (steps) => {
    let at = T;
    const commands: ParkingCommand[] = [];
    for (const [plate, dir, dt, payNow] of steps) {
      at += dt;
      commands.push(read(plate, dir as 'in' | 'out', at));
      if (payNow) commands.push(pay('s-unknown', 500, at));
    }
    const r = checkReplay(office, commands);
    const opened = new Set<string>();
    for (const e of r.events) {
      if (e.type === 'SessionOpened') opened.add(e.sessionId);
      if (e.type === 'SessionClosed') {
        assert.ok(opened.has(e.sessionId));
        assert.ok(Number.isSafeInteger(e.feeFen) && e.feeFen >= 0 && e.paidFen >= 0);
      }
      if (e.type === 'ExitRequested') assert.ok(Number.isSafeInteger(e.dueFen) && e.dueFen > 0);
    }
    for (const s of Object.values(r.state.open)) {
      const due = feeDue(r.state, DEFAULT_PARKING_LIMITS, s, at);
      assert.ok(Number.isSafeInteger(due.dueFen) && due.dueFen >= 0);
    }
    assert.equal(new Set(Object.values(r.state.open).map((s) => s.sessionId)).size, Object.keys(r.state.open).length);
  }), { numRuns: 200 });
});
