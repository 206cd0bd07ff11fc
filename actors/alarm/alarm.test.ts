/**
 * The alarm desk: which readings raise alarms, one open alarm per device, the guard on duty asked
 * first, escalation on a controllable clock (the next guard, then property staff), acknowledge,
 * take and resolve with a note, response times and shifts, with replay, JSON and property checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkJson, checkReplay, scenario } from '../_kit/scenario.ts';
import { alarmOfReading, alarmsInOrder, createAlarmActor, DEFAULT_ALARM_LIMITS, shiftOf } from './alarm.ts';
import { AlarmError } from './errors.ts';
import type { AlarmCommand, AlarmPlace, RaiseAlarm } from './protocol.ts';

const T0 = Date.UTC(2026, 11, 3, 2, 0); // 10:00 in Beijing
const limits = { ...DEFAULT_ALARM_LIMITS, ackTimeoutMs: 60_000 };
const desk = createAlarmActor(limits);
const place: AlarmPlace = { buildingId: 'bldg-1', unitId: 'bldg-1-1-101', entrance: '1', floor: 1, lotId: null, point: [116.35, 39.99] };
const raise = (over: Partial<RaiseAlarm> = {}): RaiseAlarm => ({
  type: 'RaiseAlarm', alarmId: 'al-1', deviceId: 'bldg-1-1-101-smoke', kind: 'smoke', severity: 'critical', place, elderly: false, guards: ['g-a', 'g-b'], at: T0, ...over,
});
const tick = (at: number, guards: string[] = ['g-a', 'g-b']): AlarmCommand => ({ type: 'Tick', guards, at });

test('alarm of reading: smoke/gas alarm, high gas, leak, forced door, SOS press → an alarm; other readings → none', () => {
  assert.deepEqual(alarmOfReading('smoke', 'alarm', 1), { kind: 'smoke', severity: 'critical' });
  assert.deepEqual(alarmOfReading('gas', 'lel', 25), { kind: 'gas', severity: 'critical' });
  assert.deepEqual(alarmOfReading('water-leak', 'leak', 1), { kind: 'water', severity: 'major' });
  assert.deepEqual(alarmOfReading('door-reader', 'forced', 1), { kind: 'forced-door', severity: 'major' });
  assert.deepEqual(alarmOfReading('sos-button', 'press', 1), { kind: 'sos', severity: 'critical' });
  for (const [k, s, v] of [['smoke', 'alarm', 0], ['smoke', 'temperature', 80], ['gas', 'lel', 5], ['water-leak', 'leak', 0], ['door-reader', 'access', 1], ['meter', 'power', 99]] as const) {
    assert.equal(alarmOfReading(k, s, v), null, `${k}.${s}=${v}`);
  }
});

test('alarm desk: raised → offered to the first guard on duty, escalation due after the timeout', () => {
  scenario(desk).when(raise()).expectEvents([{
    type: 'AlarmRaised', v: 1, alarmId: 'al-1', deviceId: 'bldg-1-1-101-smoke', kind: 'smoke', severity: 'critical', place, elderly: false,
    responder: { kind: 'guard', accountId: 'g-a' }, escalateAt: T0 + 60_000, shift: '2026-12-03 08:00', at: T0,
  }]);
});

test('alarm desk: no guard on duty → property staff answer at once', () => {
  scenario(desk).when(raise({ guards: [] })).expectState((s) => assert.deepEqual(s.alarms['al-1']!.responder, { kind: 'staff' }));
});

test('alarm desk: a second danger reading from the same device while open → ALARM_ALREADY_OPEN; after resolution a new one is raised', () => {
  const s = scenario(desk).givenCommands([raise()]);
  s.when(raise({ alarmId: 'al-2' })).expectError(AlarmError.ALREADY_OPEN, { alarmId: 'al-1' });
  s.when(raise()).expectError(AlarmError.DUPLICATE_ID);
  s.givenCommands([{ type: 'TakeAlarm', alarmId: 'al-1', by: 'g-a', role: 'guard', at: T0 + 1 }, { type: 'ResolveAlarm', alarmId: 'al-1', by: 'g-a', role: 'guard', note: 'burnt toast', at: T0 + 2 }])
    .when(raise({ alarmId: 'al-2', at: T0 + 3 })).expectState((st) => assert.equal(st.openByDevice['bldg-1-1-101-smoke'], 'al-2'));
});

test('alarm desk: unacknowledged past the timeout → the next guard; past it again → property staff; then no more escalation', () => {
  const s = scenario(desk).givenCommands([raise()]);
  s.when(tick(T0 + 59_999)).expectNoEvents();
  const once = s.givenCommands([tick(T0 + 60_000)]);
  once.expectState((st) => {
    const a = st.alarms['al-1']!;
    assert.deepEqual([a.level, a.responder, a.escalateAt, a.asked], [1, { kind: 'guard', accountId: 'g-b' }, T0 + 120_000, ['g-a', 'g-b']]);
  });
  once.when(tick(T0 + 120_500)).expectEvents([{ type: 'AlarmEscalated', v: 1, alarmId: 'al-1', level: 2, responder: { kind: 'staff' }, escalateAt: null, overdueMs: 500, shift: '2026-12-03 08:00', at: T0 + 120_500 }]);
  once.givenCommands([tick(T0 + 120_500)]).when(tick(T0 + 10 * 60_000)).expectNoEvents();
});

test('alarm desk: only one guard on duty → after them, property staff', () => {
  scenario(desk).givenCommands([raise({ guards: ['g-a'] })]).when(tick(T0 + 60_000, ['g-a'])).expectState((s) => assert.deepEqual(s.alarms['al-1']!.responder, { kind: 'staff' }));
});

test('alarm desk: acknowledged in time → response time recorded, escalation stops', () => {
  const s = scenario(desk).givenCommands([raise()]);
  s.when({ type: 'AcknowledgeAlarm', alarmId: 'al-1', by: 'g-a', role: 'guard', at: T0 + 42_000 })
    .expectEvents([{ type: 'AlarmAcknowledged', v: 1, alarmId: 'al-1', by: 'g-a', role: 'guard', responseMs: 42_000, level: 0, shift: '2026-12-03 08:00', at: T0 + 42_000 }]);
  const acked = s.givenCommands([{ type: 'AcknowledgeAlarm', alarmId: 'al-1', by: 'g-a', role: 'guard', at: T0 + 42_000 }]);
  acked.when(tick(T0 + 3_600_000)).expectNoEvents();
  acked.when({ type: 'AcknowledgeAlarm', alarmId: 'al-1', by: 'g-b', role: 'guard', at: T0 + 43_000 }).expectError(AlarmError.ALREADY_ACKNOWLEDGED);
});

test('alarm desk: taking an unacknowledged alarm → acknowledged and taken; another guard cannot take it', () => {
  const s = scenario(desk).givenCommands([raise()]);
  s.when({ type: 'TakeAlarm', alarmId: 'al-1', by: 'g-b', role: 'guard', at: T0 + 5000 }).expectEvents([
    { type: 'AlarmAcknowledged', v: 1, alarmId: 'al-1', by: 'g-b', role: 'guard', responseMs: 5000, level: 0, shift: '2026-12-03 08:00', at: T0 + 5000 },
    { type: 'AlarmTaken', v: 1, alarmId: 'al-1', by: 'g-b', role: 'guard', shift: '2026-12-03 08:00', at: T0 + 5000 },
  ]);
  const taken = s.givenCommands([{ type: 'TakeAlarm', alarmId: 'al-1', by: 'g-b', role: 'guard', at: T0 + 5000 }]);
  taken.when({ type: 'TakeAlarm', alarmId: 'al-1', by: 'g-a', role: 'guard', at: T0 + 6000 }).expectError(AlarmError.TAKEN_BY_OTHER, { by: 'g-b' });
  taken.when({ type: 'TakeAlarm', alarmId: 'al-1', by: 'g-b', role: 'guard', at: T0 + 6000 }).expectNoEvents();
  taken.when({ type: 'ResolveAlarm', alarmId: 'al-1', by: 'g-a', role: 'guard', note: 'x', at: T0 + 7000 }).expectError(AlarmError.TAKEN_BY_OTHER);
  taken.when({ type: 'ResolveAlarm', alarmId: 'al-1', by: 's-1', role: 'property_staff', note: 'closed by the office', at: T0 + 7000 }).expectState((st) => assert.equal(st.alarms['al-1']!.status, 'resolved'));
});

test('alarm desk: resolution → needs a note (cleaned, bounded); residents and others cannot handle alarms; resolved is final', () => {
  const s = scenario(desk).givenCommands([raise(), { type: 'TakeAlarm', alarmId: 'al-1', by: 'g-a', role: 'guard', at: T0 + 1000 }]);
  s.when({ type: 'ResolveAlarm', alarmId: 'al-1', by: 'g-a', role: 'guard', note: '  \u200b ', at: T0 + 2000 }).expectError(AlarmError.NOTE_REQUIRED);
  s.when({ type: 'ResolveAlarm', alarmId: 'al-1', by: 'g-a', role: 'guard', note: 'x'.repeat(501), at: T0 + 2000 }).expectError(AlarmError.NOTE_TOO_LONG, { maxChars: 500 });
  s.when({ type: 'AcknowledgeAlarm', alarmId: 'al-1', by: 'r-1', role: 'other', at: T0 + 2000 }).expectError(AlarmError.NOT_RESPONDER);
  s.when({ type: 'AcknowledgeAlarm', alarmId: 'nope', by: 'g-a', role: 'guard', at: T0 + 2000 }).expectError(AlarmError.UNKNOWN);
  const done = s.givenCommands([{ type: 'ResolveAlarm', alarmId: 'al-1', by: 'g-a', role: 'guard', note: ' pipe fixed ', at: T0 + 300_000 }]);
  done.expectState((st) => {
    const a = st.alarms['al-1']!;
    assert.deepEqual([a.status, a.note, a.resolvedBy, st.openByDevice], ['resolved', 'pipe fixed', 'g-a', {}]);
  });
  done.when({ type: 'TakeAlarm', alarmId: 'al-1', by: 'g-a', role: 'guard', at: T0 + 400_000 }).expectError(AlarmError.RESOLVED);
});

test('shift: Beijing 08:00–20:00 and 20:00–08:00 → the shift instance; after midnight → the previous night', () => {
  assert.equal(shiftOf(Date.UTC(2026, 11, 3, 0, 0), DEFAULT_ALARM_LIMITS), '2026-12-03 08:00');
  assert.equal(shiftOf(Date.UTC(2026, 11, 3, 11, 59), DEFAULT_ALARM_LIMITS), '2026-12-03 08:00');
  assert.equal(shiftOf(Date.UTC(2026, 11, 3, 12, 0), DEFAULT_ALARM_LIMITS), '2026-12-03 20:00');
  assert.equal(shiftOf(Date.UTC(2026, 11, 3, 18, 30), DEFAULT_ALARM_LIMITS), '2026-12-03 20:00', '02:30 the next morning');
  assert.equal(shiftOf(Date.UTC(2026, 11, 3, 23, 59), DEFAULT_ALARM_LIMITS), '2026-12-03 20:00', '07:59 the next morning');
});

test('alarm desk: more resolved alarms than kept → the oldest forgotten, open ones kept', () => {
  const small = createAlarmActor({ ...limits, resolvedKept: 2 });
  const cmds: AlarmCommand[] = [];
  for (let i = 0; i < 4; i++) {
    cmds.push(raise({ alarmId: `al-${i}`, deviceId: `dev-${i}`, at: T0 + i }));
    cmds.push({ type: 'ResolveAlarm', alarmId: `al-${i}`, by: 'g-a', role: 'guard', note: 'ok', at: T0 + i });
  }
  cmds.push(raise({ alarmId: 'al-open', deviceId: 'dev-x', at: T0 + 10 }));
  const r = checkReplay(small, cmds);
  assert.deepEqual(alarmsInOrder(r.state).map((a) => a.id), ['al-open', 'al-3', 'al-2']);
});

const script: AlarmCommand[] = [
  raise(), tick(T0 + 60_000), raise({ alarmId: 'al-2', deviceId: 'bldg-1-1-102-water', kind: 'water', severity: 'major', at: T0 + 61_000 }),
  { type: 'AcknowledgeAlarm', alarmId: 'al-2', by: 'g-b', role: 'guard', at: T0 + 70_000 }, tick(T0 + 130_000),
  { type: 'TakeAlarm', alarmId: 'al-1', by: 's-1', role: 'property_staff', at: T0 + 140_000 },
  { type: 'ResolveAlarm', alarmId: 'al-1', by: 's-1', role: 'property_staff', note: '误报 false alarm', at: T0 + 200_000 },
];

test('alarm desk: a shift of alarms → replay gives the same state; commands, events and states survive JSON', () => {
  const r = checkReplay(desk, script);
  assert.deepEqual(r.events.map((e) => e.type), ['AlarmRaised', 'AlarmEscalated', 'AlarmRaised', 'AlarmAcknowledged', 'AlarmEscalated', 'AlarmAcknowledged', 'AlarmTaken', 'AlarmResolved']);
  checkJson(desk, script);
});

test('alarm desk: random ticks and acknowledgements → the level never passes staff; an acknowledged alarm never escalates', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.nat(200_000), fc.boolean()), { maxLength: 30 }), (steps) => {
    let at = T0;
    const cmds: AlarmCommand[] = [raise()];
    for (const [dt, ack] of steps) {
      at += dt;
      cmds.push(ack ? { type: 'AcknowledgeAlarm', alarmId: 'al-1', by: 'g-a', role: 'guard', at } : tick(at));
    }
    const r = checkReplay(desk, cmds);
    let acked = false;
    for (const step of r.steps) {
      const a = step.state.alarms['al-1']!;
      assert.ok(a.level <= limits.guardLevels);
      if (acked && step.decision.ok) assert.ok(!step.decision.events.some((e) => e.type === 'AlarmEscalated'));
      if (a.status === 'acknowledged') acked = true;
    }
  }));
});
