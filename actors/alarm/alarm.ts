/**
 * @module actors/alarm/alarm
 * A community's alarm desk as a pure state machine. A reading that means danger (see
 * `alarmOfReading`) raises an alarm, offered first to the guard who came on duty first; when
 * nobody acknowledges it within `ackTimeoutMs` a Tick escalates it to the next guard on duty, then
 * to property staff (the last level). A guard or staff acknowledges (the escalation stops), takes
 * it (owns it) and resolves it with a note. One open alarm per device: a detector that keeps
 * reporting does not raise a second one.
 * Owns: the alarm lifecycle, who answers for it, response times and shifts. Does not: notify
 * anyone, know sockets or time (the engine sends `at` and the roster of guards on duty).
 * Concurrency: pure. Overflow: resolved alarms beyond `resolvedKept` are forgotten (they stay
 * in the journal and in analytics).
 */
import { accept, assertNever, cleanText, codePointLength, defineActor, isBlank, reject, type Decision } from '../_kit/index.ts';
import type { DeviceKind } from '../devices/protocol.ts';
import { AlarmError, type AlarmErrorCode } from './errors.ts';
import type {
  Alarm, AlarmCommand, AlarmEvent, AlarmKind, AlarmLimits, AlarmState, DeskRole, Responder, Severity,
} from './protocol.ts';

export const DEFAULT_ALARM_LIMITS: AlarmLimits = {
  ackTimeoutMs: 120_000,
  guardLevels: 2,
  noteMaxChars: 500,
  resolvedKept: 50,
  shiftStartHours: [8, 20],
  utcOffsetMin: 480,
};

/** Gas concentration (% of the lower explosive limit) from which a gas detector's reading is an alarm. */
export const GAS_ALARM_LEL = 20;

export const initialAlarmState: AlarmState = { alarms: {}, openByDevice: {}, resolved: [] };

type D = Decision<AlarmEvent, AlarmErrorCode>;
const events = (...e: AlarmEvent[]): D => accept(...e);

const RESPONDERS: readonly DeskRole[] = ['guard', 'property_staff', 'property_admin'];
const own = <T>(r: Readonly<Record<string, T>>, k: string): T | undefined => (Object.hasOwn(r, k) ? r[k] : undefined);

/**
 * The alarm a reading means, or null: a smoke or gas detector's `alarm` = 1, a gas `lel` at or
 * above GAS_ALARM_LEL, a water-leak `leak` = 1, a door reader's `forced` event, an SOS `press`.
 */
export function alarmOfReading(kind: DeviceKind, signal: string, value: number): { kind: AlarmKind; severity: Severity } | null {
  if (kind === 'smoke' && signal === 'alarm' && value >= 1) return { kind: 'smoke', severity: 'critical' };
  if (kind === 'gas' && ((signal === 'alarm' && value >= 1) || (signal === 'lel' && value >= GAS_ALARM_LEL))) return { kind: 'gas', severity: 'critical' };
  if (kind === 'water-leak' && signal === 'leak' && value >= 1) return { kind: 'water', severity: 'major' };
  if (kind === 'door-reader' && signal === 'forced') return { kind: 'forced-door', severity: 'major' };
  if (kind === 'sos-button' && signal === 'press') return { kind: 'sos', severity: 'critical' };
  return null;
}

/** The shift an instant falls in: the local date and start hour of that shift, e.g. `2026-12-03 20:00`. */
export function shiftOf(at: number, limits: Pick<AlarmLimits, 'shiftStartHours' | 'utcOffsetMin'>): string {
  const local = new Date(at + limits.utcOffsetMin * 60_000);
  const hour = local.getUTCHours();
  const starts = [...limits.shiftStartHours].sort((a, b) => a - b);
  let start = starts.filter((h) => h <= hour).pop();
  let day = local;
  // Before the first start of the day: still the previous day's last shift.
  if (start === undefined) {
    start = starts[starts.length - 1] ?? 0;
    day = new Date(local.getTime() - 86_400_000);
  }
  const ymd = day.toISOString().slice(0, 10);
  return `${ymd} ${String(start).padStart(2, '0')}:00`;
}

/** The next responder after `asked`: a guard on duty not asked yet while guard levels remain, else staff. */
function nextResponder(asked: readonly string[], guards: readonly string[], guardLevels: number): Responder {
  if (asked.length >= guardLevels) return { kind: 'staff' };
  const fresh = guards.find((g) => !asked.includes(g));
  return fresh ? { kind: 'guard', accountId: fresh } : { kind: 'staff' };
}

function decideWith(l: AlarmLimits, s: AlarmState, c: AlarmCommand): D {
  const shift = shiftOf(c.at, l);
  switch (c.type) {
    case 'RaiseAlarm': {
      if (own(s.alarms, c.alarmId)) return reject(AlarmError.DUPLICATE_ID, { alarmId: c.alarmId });
      const open = own(s.openByDevice, c.deviceId);
      if (open) return reject(AlarmError.ALREADY_OPEN, { alarmId: open });
      const responder = nextResponder([], c.guards, l.guardLevels);
      return accept({
        type: 'AlarmRaised', v: 1, alarmId: c.alarmId, deviceId: c.deviceId, kind: c.kind, severity: c.severity, place: c.place,
        elderly: c.elderly, responder, escalateAt: c.at + l.ackTimeoutMs, shift, at: c.at,
      });
    }
    case 'Tick': {
      const events: AlarmEvent[] = [];
      for (const a of Object.values(s.alarms)) {
        if (a.status !== 'raised' || a.escalateAt === null || a.escalateAt > c.at) continue;
        const responder = nextResponder(a.asked, c.guards, l.guardLevels);
        events.push({
          type: 'AlarmEscalated', v: 1, alarmId: a.id, level: a.level + 1, responder,
          escalateAt: responder.kind === 'staff' ? null : c.at + l.ackTimeoutMs, overdueMs: c.at - a.escalateAt, shift, at: c.at,
        });
      }
      return accept(...events);
    }
    case 'AcknowledgeAlarm':
    case 'TakeAlarm':
    case 'ResolveAlarm': {
      const a = own(s.alarms, c.alarmId);
      if (!a) return reject(AlarmError.UNKNOWN, { alarmId: c.alarmId });
      if (!RESPONDERS.includes(c.role)) return reject(AlarmError.NOT_RESPONDER);
      if (a.status === 'resolved') return reject(AlarmError.RESOLVED, { alarmId: a.id });
      const ack: AlarmEvent = { type: 'AlarmAcknowledged', v: 1, alarmId: a.id, by: c.by, role: c.role, responseMs: c.at - a.raisedAt, level: a.level, shift, at: c.at };
      if (c.type === 'AcknowledgeAlarm') return a.status === 'raised' ? accept(ack) : reject(AlarmError.ALREADY_ACKNOWLEDGED, { by: a.acknowledgedBy });
      const staff = c.role !== 'guard';
      if (a.takenBy !== null && a.takenBy !== c.by && !(staff && c.type === 'ResolveAlarm')) return reject(AlarmError.TAKEN_BY_OTHER, { by: a.takenBy });
      if (c.type === 'TakeAlarm') {
        if (a.takenBy === c.by) return accept();
        const take: AlarmEvent = { type: 'AlarmTaken', v: 1, alarmId: a.id, by: c.by, role: c.role, shift, at: c.at };
        return a.status === 'raised' ? events(ack, take) : events(take);
      }
      const note = cleanText(typeof c.note === 'string' ? c.note : '').trim();
      if (isBlank(note)) return reject(AlarmError.NOTE_REQUIRED);
      if (codePointLength(note) > l.noteMaxChars) return reject(AlarmError.NOTE_TOO_LONG, { maxChars: l.noteMaxChars });
      const resolved: AlarmEvent = { type: 'AlarmResolved', v: 1, alarmId: a.id, by: c.by, role: c.role, note, durationMs: c.at - a.raisedAt, shift, at: c.at };
      return a.status === 'raised' ? events(ack, resolved) : events(resolved);
    }
    default:
      return assertNever(c);
  }
}

function put(s: AlarmState, a: Alarm): AlarmState {
  return { ...s, alarms: { ...s.alarms, [a.id]: a } };
}

function evolveWith(l: AlarmLimits, s: AlarmState, e: AlarmEvent): AlarmState {
  if (e.type === 'AlarmRaised') {
    const a: Alarm = {
      id: e.alarmId, deviceId: e.deviceId, kind: e.kind, severity: e.severity, place: e.place, elderly: e.elderly, status: 'raised',
      raisedAt: e.at, level: 0, responder: e.responder, asked: e.responder.kind === 'guard' ? [e.responder.accountId] : [],
      escalateAt: e.escalateAt, acknowledgedBy: null, acknowledgedAt: null, takenBy: null, takenAt: null, resolvedBy: null, resolvedAt: null, note: null,
    };
    return { ...put(s, a), openByDevice: { ...s.openByDevice, [e.deviceId]: e.alarmId } };
  }
  const a = own(s.alarms, e.alarmId);
  if (!a) return s;
  switch (e.type) {
    case 'AlarmEscalated':
      return put(s, { ...a, level: e.level, responder: e.responder, escalateAt: e.escalateAt, asked: e.responder.kind === 'guard' ? [...a.asked, e.responder.accountId] : a.asked });
    case 'AlarmAcknowledged':
      return put(s, { ...a, status: 'acknowledged', acknowledgedBy: e.by, acknowledgedAt: e.at, escalateAt: null });
    case 'AlarmTaken':
      return put(s, { ...a, status: 'taken', takenBy: e.by, takenAt: e.at, escalateAt: null });
    case 'AlarmResolved': {
      const resolved = [...s.resolved, a.id];
      const dropped = resolved.length > l.resolvedKept ? resolved.splice(0, resolved.length - l.resolvedKept) : [];
      const alarms = { ...s.alarms, [a.id]: { ...a, status: 'resolved' as const, resolvedBy: e.by, resolvedAt: e.at, note: e.note, escalateAt: null } };
      for (const id of dropped) delete alarms[id];
      const openByDevice = Object.fromEntries(Object.entries(s.openByDevice).filter(([, id]) => id !== a.id));
      return { alarms, openByDevice, resolved };
    }
    default:
      return s;
  }
}

/**
 * @example
 * const desk = createAlarmActor({ ...DEFAULT_ALARM_LIMITS, ackTimeoutMs: 60_000 });
 * desk.decide(desk.initial, { type: 'Tick', guards: [], at: Date.UTC(2026, 0, 1) });
 */
export function createAlarmActor(limits: AlarmLimits = DEFAULT_ALARM_LIMITS) {
  return defineActor({
    type: 'alarm',
    initial: initialAlarmState,
    decide: (s: AlarmState, c: AlarmCommand): D => decideWith(limits, s, c),
    evolve: (s: AlarmState, e: AlarmEvent): AlarmState => evolveWith(limits, s, e),
  });
}

/** Open alarms first (newest first), then the kept resolved ones (newest first). */
export function alarmsInOrder(s: AlarmState): Alarm[] {
  return Object.values(s.alarms).sort((a, b) => (a.status === 'resolved') !== (b.status === 'resolved') ? (a.status === 'resolved' ? 1 : -1) : b.raisedAt - a.raisedAt);
}
