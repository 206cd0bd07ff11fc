/**
 * @module actors/parking/parking
 * A community's parking office as a pure state machine: the tariff (set by staff), monthly passes
 * (staff) and visitor passes (a resident, for a plate and a time window), sessions opened by a
 * gate's `in` plate read and closed by its `out` read, fees (tariff.ts) and payments.
 * Gate rules: a car whose unit owns a planned bay, holds a valid pass, is a resident's registered
 * car, or (when the tariff admits them) anyone's car is let in; at the exit the gate opens when
 * nothing is due, else it waits for a payment. A read repeating the last one within `repeatReadMs`
 * changes nothing; an entry read while the car is already inside means its exit was missed (the
 * old session is closed as `missed-exit`, charged up to its last read); an exit read without an
 * entry is refused (`PARKING_NO_SESSION`) and recorded.
 * Owns: the rules. Does not: I/O, time, ids, or look up plates (facts arrive in the command).
 * Concurrency: pure; the engine feeds one command at a time.
 */
import { accept, reject, assertNever, defineActor, type Decision } from '../_kit/index.ts';
import { normalizePlate } from '../contact/plate.ts';
import { ParkingError, type ParkingErrorCode } from './errors.ts';
import type {
  ClosedSession, IssuePass, Pass, ParkingCommand, ParkingEvent, ParkingState, ReadPlate, RecordPayment, Session, SessionClass,
  SessionClosed, SetTariff, Tariff,
} from './protocol.ts';
import { PAYMENT_METHODS } from './protocol.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, feeOf, type Interval } from './tariff.ts';

export const DEFAULT_TARIFF: Tariff = {
  freeMinutes: 30, hourlyFen: 500, dailyCapFen: 3000, monthlyPassFen: 30000,
  exitGraceMinutes: 15, visitorPassMaxHours: 24, visitorPassesPerUnit: 5, admitUnregistered: true,
};

export interface ParkingLimits {
  /** The community's local time offset from UTC, minutes (days of the daily cap are local days). */
  readonly utcOffsetMin: number;
  /** A plate read repeating the car's last one within this many ms changes nothing. */
  readonly repeatReadMs: number;
  /** Closed sessions kept in state (older ones live in analytics). */
  readonly closedKept: number;
  /** Expired passes are dropped from state this long after they end. */
  readonly passRetentionMs: number;
  /** Longest monthly pass, ms. */
  readonly maxMonthlyPassMs: number;
}

export const DEFAULT_PARKING_LIMITS: ParkingLimits = {
  utcOffsetMin: 480, repeatReadMs: 120_000, closedKept: 200, passRetentionMs: 90 * DAY_MS, maxMonthlyPassMs: 400 * DAY_MS,
};

type D = Decision<ParkingEvent, ParkingErrorCode>;

/** Bounds of every tariff field: [min, max] integers, or a boolean. */
const TARIFF_BOUNDS: Readonly<Record<Exclude<keyof Tariff, 'admitUnregistered' | 'dailyCapFen'>, readonly [number, number]>> = {
  freeMinutes: [0, 1440], hourlyFen: [0, 100_000], monthlyPassFen: [0, 10_000_000],
  exitGraceMinutes: [0, 120], visitorPassMaxHours: [1, 720], visitorPassesPerUnit: [0, 100],
};
const DAILY_CAP_MAX_FEN = 1_000_000;

/** The first field of a tariff that is out of bounds, or null when it is a valid tariff. */
export function tariffProblem(t: Tariff): string | null {
  for (const [field, [min, max]] of Object.entries(TARIFF_BOUNDS)) {
    const v = (t as unknown as Record<string, unknown>)[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) return field;
  }
  if (t.dailyCapFen !== null && (!Number.isSafeInteger(t.dailyCapFen) || t.dailyCapFen < 0 || t.dailyCapFen > DAILY_CAP_MAX_FEN)) return 'dailyCapFen';
  if (typeof t.admitUnregistered !== 'boolean') return 'admitUnregistered';
  return null;
}

export function initialParking(tariff: Tariff = DEFAULT_TARIFF): ParkingState {
  return { tariff, passes: {}, open: {}, closed: [], sessions: 0, revenueFen: 0 };
}

/** The time a plate's passes make free: each pass's window, cut at its revocation. */
export function coverageOf(s: ParkingState, plate: string): Interval[] {
  return Object.values(s.passes).filter((p) => p.plate === plate)
    .map((p) => ({ from: p.from, until: p.revokedAt === null ? p.until : Math.min(p.until, p.revokedAt) }));
}

function validPass(s: ParkingState, plate: string, kind: Pass['kind'], at: number): Pass | undefined {
  return Object.values(s.passes).find((p) => p.plate === plate && p.kind === kind && p.revokedAt === null && p.from <= at && at < p.until);
}

/** What the stay has cost up to `at` (a payment ahead covers up to its own time plus the exit grace). */
export function feeDue(s: ParkingState, limits: ParkingLimits, session: Session, at: number): { feeFen: number; dueFen: number; until: number } {
  if (session.class === 'owner') return { feeFen: 0, dueFen: 0, until: at };
  const grace = s.tariff.exitGraceMinutes * MINUTE_MS;
  const until = session.paidUntil !== null && at <= session.paidUntil + grace ? session.paidUntil : at;
  const { feeFen } = feeOf({ from: session.enteredAt, until }, coverageOf(s, session.plate), s.tariff, limits.utcOffsetMin);
  return { feeFen, dueFen: Math.max(0, feeFen - session.paidFen), until };
}

function closeEvent(s: Session, gateId: string, feeFen: number, paidFen: number, exitedAt: number, reason: SessionClosed['reason'], at: number): SessionClosed {
  return {
    type: 'SessionClosed', v: 1, sessionId: s.sessionId, plate: s.plate, gateId, class: s.class, accountId: s.accountId,
    enteredAt: s.enteredAt, minutes: Math.max(0, Math.round((exitedAt - s.enteredAt) / MINUTE_MS)), feeFen, paidFen, reason,
    open: reason === 'exit', at,
  };
}

function sessionById(s: ParkingState, sessionId: string): Session | undefined {
  return Object.values(s.open).find((x) => x.sessionId === sessionId);
}

function classify(s: ParkingState, plate: string, c: ReadPlate): { class: SessionClass; passId: string | null } | null {
  if (c.facts.ownsPlannedBay) return { class: 'owner', passId: null };
  const monthly = validPass(s, plate, 'monthly', c.at);
  if (monthly) return { class: 'monthly', passId: monthly.passId };
  const visitor = validPass(s, plate, 'visitor', c.at);
  if (visitor) return { class: 'visitor', passId: visitor.passId };
  if (c.facts.accountId !== null) return { class: 'resident', passId: null };
  if (s.tariff.admitUnregistered) return { class: 'temporary', passId: null };
  return null;
}

function readPlate(s: ParkingState, l: ParkingLimits, c: ReadPlate): D {
  const n = normalizePlate(c.plate);
  const refused = (plate: string, code: ParkingErrorCode, reason: string) =>
    accept({ type: 'PlateRefused', v: 1, gateId: c.gateId, direction: c.direction, plate, code, reason, at: c.at } as const);
  if (!n.ok) return refused(String(c.plate).slice(0, 32), ParkingError.BAD_PLATE, n.reason);
  const plate = n.plate;
  const inside = Object.hasOwn(s.open, plate) ? s.open[plate]! : undefined;
  if (c.direction === 'in') {
    if (inside && c.at - inside.lastReadAt <= l.repeatReadMs) return accept();
    const kind = classify(s, plate, c);
    const missed: ParkingEvent[] = [];
    if (inside) {
      const fee = feeDue(s, l, inside, inside.lastReadAt);
      missed.push(closeEvent(inside, inside.entryGateId, fee.feeFen, inside.paidFen, inside.lastReadAt, 'missed-exit', c.at));
    }
    if (!kind) return accept(...missed, { type: 'PlateRefused', v: 1, gateId: c.gateId, direction: 'in', plate, code: ParkingError.UNKNOWN_PLATE, reason: 'unregistered', at: c.at });
    return accept(...missed, {
      type: 'SessionOpened', v: 1, sessionId: c.sessionId, plate, gateId: c.gateId, class: kind.class,
      accountId: c.facts.accountId, passId: kind.passId, at: c.at,
    });
  }
  if (!inside) {
    const last = [...s.closed].reverse().find((x) => x.plate === plate);
    if (last && c.at - last.exitedAt <= l.repeatReadMs) return accept();
    return refused(plate, ParkingError.NO_SESSION, 'no-entry');
  }
  if (inside.exit && inside.exit.gateId === c.gateId && c.at - inside.exit.at <= l.repeatReadMs) return accept();
  const fee = feeDue(s, l, inside, c.at);
  if (fee.dueFen === 0) return accept(closeEvent(inside, c.gateId, fee.feeFen, inside.paidFen, c.at, 'exit', c.at));
  return accept({ type: 'ExitRequested', v: 1, sessionId: inside.sessionId, plate, gateId: c.gateId, feeFen: fee.feeFen, paidFen: inside.paidFen, dueFen: fee.dueFen, at: c.at });
}

function recordPayment(s: ParkingState, l: ParkingLimits, c: RecordPayment): D {
  const session = sessionById(s, c.sessionId);
  if (!session) return reject(ParkingError.NO_SESSION, { sessionId: c.sessionId });
  const mayPay = c.role === 'staff' || c.role === 'guard' || (c.role === 'resident' && session.accountId === c.by);
  if (!mayPay) return reject(ParkingError.NOT_YOURS, { sessionId: c.sessionId });
  if (!PAYMENT_METHODS.includes(c.method)) return reject(ParkingError.BAD_PAYMENT, { field: 'method' });
  if (!Number.isSafeInteger(c.amountFen) || c.amountFen < 1) return reject(ParkingError.BAD_PAYMENT, { field: 'amountFen' });
  const fee = feeDue(s, l, session, c.at);
  if (fee.dueFen === 0) return reject(ParkingError.NOTHING_DUE, { sessionId: c.sessionId });
  if (c.amountFen !== fee.dueFen) return reject(ParkingError.WRONG_AMOUNT, { dueFen: fee.dueFen, amountFen: c.amountFen });
  const paid: ParkingEvent = {
    type: 'PaymentRecorded', v: 1, paymentId: c.paymentId, sessionId: session.sessionId, passId: null, plate: session.plate,
    amountFen: c.amountFen, method: c.method, by: c.by, role: c.role, at: c.at,
  };
  if (!session.exit) return accept(paid);
  return accept<ParkingEvent>(paid, closeEvent(session, session.exit.gateId, fee.feeFen, session.paidFen + c.amountFen, c.at, 'exit', c.at));
}

function issuePass(s: ParkingState, l: ParkingLimits, c: IssuePass): D {
  const n = normalizePlate(c.plate);
  if (!n.ok) return reject(ParkingError.BAD_PLATE, { reason: n.reason });
  if (Object.hasOwn(s.passes, c.passId)) return reject(ParkingError.DUPLICATE_ID, { passId: c.passId });
  const badWindow = !Number.isSafeInteger(c.from) || !Number.isSafeInteger(c.until) || c.until <= c.from || c.until <= c.at;
  if (c.kind === 'monthly') {
    if (c.role !== 'staff') return reject(ParkingError.NOT_STAFF);
    if (badWindow || c.until - c.from > l.maxMonthlyPassMs) return reject(ParkingError.BAD_WINDOW, { maxDays: l.maxMonthlyPassMs / DAY_MS });
    if (c.amountFen !== null && (!Number.isSafeInteger(c.amountFen) || c.amountFen < 0)) return reject(ParkingError.BAD_PAYMENT, { field: 'amountFen' });
    if (c.amountFen !== null && c.amountFen > 0 && (c.method === null || !PAYMENT_METHODS.includes(c.method) || c.paymentId === null)) return reject(ParkingError.BAD_PAYMENT, { field: 'method' });
  } else {
    if (c.role !== 'resident' || c.unitId === null || !c.unitIds.includes(c.unitId)) return reject(ParkingError.NOT_RESIDENT);
    if (badWindow || c.until - c.from > s.tariff.visitorPassMaxHours * HOUR_MS) return reject(ParkingError.BAD_WINDOW, { maxHours: s.tariff.visitorPassMaxHours });
    const active = Object.values(s.passes).filter((p) => p.kind === 'visitor' && p.unitId === c.unitId && p.revokedAt === null && p.until > c.at).length;
    if (active >= s.tariff.visitorPassesPerUnit) return reject(ParkingError.TOO_MANY_PASSES, { max: s.tariff.visitorPassesPerUnit });
  }
  const pass: Pass = { passId: c.passId, kind: c.kind, plate: n.plate, from: c.from, until: c.until, issuedBy: c.by, unitId: c.unitId, revokedAt: null };
  const issued: ParkingEvent = { type: 'PassIssued', v: 1, pass, at: c.at };
  if (c.kind === 'monthly' && c.amountFen !== null && c.amountFen > 0) {
    return accept<ParkingEvent>(issued, {
      type: 'PaymentRecorded', v: 1, paymentId: c.paymentId!, sessionId: null, passId: c.passId, plate: n.plate,
      amountFen: c.amountFen, method: c.method!, by: c.by, role: c.role, at: c.at,
    });
  }
  return accept(issued);
}

function setTariff(c: SetTariff): D {
  if (c.role !== 'staff') return reject(ParkingError.NOT_STAFF);
  const field = tariffProblem(c.tariff);
  if (field) return reject(ParkingError.BAD_TARIFF, { field });
  return accept({ type: 'TariffSet', v: 1, tariff: c.tariff, by: c.by, at: c.at });
}

export function decide(s: ParkingState, c: ParkingCommand, l: ParkingLimits = DEFAULT_PARKING_LIMITS): D {
  switch (c.type) {
    case 'SetTariff': return setTariff(c);
    case 'IssuePass': return issuePass(s, l, c);
    case 'RevokePass': {
      const p = Object.hasOwn(s.passes, c.passId) ? s.passes[c.passId]! : undefined;
      if (!p) return reject(ParkingError.UNKNOWN_PASS, { passId: c.passId });
      if (p.revokedAt !== null) return reject(ParkingError.PASS_REVOKED, { passId: c.passId });
      if (c.role !== 'staff' && p.issuedBy !== c.by) return reject(ParkingError.NOT_YOURS, { passId: c.passId });
      return accept({ type: 'PassRevoked', v: 1, passId: c.passId, by: c.by, at: c.at });
    }
    case 'ReadPlate': return readPlate(s, l, c);
    case 'RecordPayment': return recordPayment(s, l, c);
    default: return assertNever(c);
  }
}

function withoutKey<T>(r: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(r)) if (k !== key) out[k] = v;
  return out;
}

export function evolve(s: ParkingState, e: ParkingEvent, l: ParkingLimits = DEFAULT_PARKING_LIMITS): ParkingState {
  switch (e.type) {
    case 'TariffSet': return { ...s, tariff: e.tariff };
    case 'PassIssued': {
      const passes: Record<string, Pass> = {};
      for (const [id, p] of Object.entries(s.passes)) if (p.until + l.passRetentionMs > e.at) passes[id] = p;
      passes[e.pass.passId] = e.pass;
      return { ...s, passes };
    }
    case 'PassRevoked': {
      const p = s.passes[e.passId];
      return p ? { ...s, passes: { ...s.passes, [e.passId]: { ...p, revokedAt: e.at } } } : s;
    }
    case 'PaymentRecorded': {
      const session = e.sessionId === null ? undefined : sessionById(s, e.sessionId);
      const open = session ? { ...s.open, [session.plate]: { ...session, paidFen: session.paidFen + e.amountFen, paidUntil: e.at } } : s.open;
      return { ...s, open, revenueFen: s.revenueFen + e.amountFen };
    }
    case 'SessionOpened': {
      const session: Session = {
        sessionId: e.sessionId, plate: e.plate, class: e.class, accountId: e.accountId, passId: e.passId, enteredAt: e.at,
        entryGateId: e.gateId, lastReadAt: e.at, paidFen: 0, paidUntil: null, exit: null,
      };
      return { ...s, open: { ...s.open, [e.plate]: session }, sessions: s.sessions + 1 };
    }
    case 'ExitRequested': {
      const session = s.open[e.plate];
      if (!session) return s;
      return { ...s, open: { ...s.open, [e.plate]: { ...session, lastReadAt: e.at, exit: { gateId: e.gateId, at: e.at, dueFen: e.dueFen } } } };
    }
    case 'SessionClosed': {
      const session = s.open[e.plate];
      if (!session || session.sessionId !== e.sessionId) return s;
      const closed: ClosedSession = {
        sessionId: e.sessionId, plate: e.plate, class: e.class, accountId: e.accountId, enteredAt: e.enteredAt,
        exitedAt: e.reason === 'exit' ? e.at : session.lastReadAt, feeFen: e.feeFen, paidFen: e.paidFen, reason: e.reason,
      };
      return { ...s, open: withoutKey(s.open, e.plate), closed: [...s.closed, closed].slice(-l.closedKept) };
    }
    case 'PlateRefused': return s;
    default: return s;
  }
}

export function createParkingActor(limits: ParkingLimits = DEFAULT_PARKING_LIMITS, tariff: Tariff = DEFAULT_TARIFF) {
  return defineActor({
    type: 'parking',
    initial: initialParking(tariff),
    decide: (s: ParkingState, c: ParkingCommand) => decide(s, c, limits),
    evolve: (s: ParkingState, e: ParkingEvent) => evolve(s, e, limits),
  });
}
