/**
 * @module client/parking/parking-log
 * What the page knows of the account's parking: its hold (from the HTTP answer, then every
 * `parking` push), the last step to tell the person about, and money due at an exit for each of
 * its cars. Every room forwards the account's pushes, so the same push arrives once per open
 * room: a step is applied once (by hold or session, step and time).
 * Owns: merging answers and pushes. Does not: fetch or draw.
 * Concurrency: pure functions; the hook keeps the value in Preact state.
 */
import type { HoldNotification, HoldView, SessionNotification } from '../protocol.ts';

/** A step of this account's own parking (a hold, a gate session); the tariff push is not one. */
export type ParkingStep = HoldNotification | SessionNotification;

export interface DueAtExit {
  readonly sessionId: string;
  readonly plate: string;
  readonly gateId: string;
  readonly dueFen: number;
}

export interface ParkingLog {
  readonly hold: HoldView | null;
  /** The newest step, for a one-line message (null until something happened). */
  readonly last: ParkingStep | null;
  readonly dues: Readonly<Record<string, DueAtExit>>;
  /** Keys of applied pushes, newest last (bounded). */
  readonly seen: readonly string[];
}

export const EMPTY_PARKING_LOG: ParkingLog = { hold: null, last: null, dues: {}, seen: [] };
const SEEN_KEPT = 200;

function keyOf(n: ParkingStep): string {
  return n.kind === 'hold' ? `h|${n.holdId}|${n.step}|${n.at}` : `s|${n.sessionId}|${n.step}|${n.at}`;
}

/** The hold the server answered with (a request, or the page loading). */
export function withHold(log: ParkingLog, hold: HoldView | null): ParkingLog {
  return { ...log, hold };
}

export function applyPush(log: ParkingLog, n: ParkingStep): ParkingLog {
  const k = keyOf(n);
  if (log.seen.includes(k)) return log;
  const seen = [...log.seen, k].slice(-SEEN_KEPT);
  if (n.kind === 'session') {
    const dues = { ...log.dues };
    if (n.step === 'due') dues[n.sessionId] = { sessionId: n.sessionId, plate: n.plate, gateId: n.gateId, dueFen: n.dueFen };
    else delete dues[n.sessionId];
    return { ...log, last: n, dues, seen };
  }
  // A push about another hold than the one shown (an older one) moves nothing but is still told.
  const current = log.hold && log.hold.holdId !== n.holdId && n.step !== 'held' ? log.hold : undefined;
  const hold = current ?? (n.step === 'held' || n.step === 'moved' ? n.hold : null);
  return { ...log, hold, last: n, seen };
}
