/**
 * @module rooms/parking/routes
 * The parking HTTP API: the tariff (read by anyone signed in, set by staff), forecasts, guidance
 * holds (residents), passes (monthly by staff, visitor by residents), open sessions and payments.
 *   GET  /api/parking/tariff                 · POST /api/parking/tariff {…fields, key?}
 *   GET  /api/parking/forecast?lotId=&hours= (lotId may repeat; default every lot)
 *   POST /api/parking/holds {lotId?, gateId?, plate?, key?} · GET /api/parking/holds (both → {hold, now}) · POST /api/parking/holds/cancel {key?}
 *   GET  /api/parking/passes · POST /api/parking/passes {kind, plate, from?, until, unitId?, amountFen?, method?, key?}
 *   POST /api/parking/passes/revoke {passId, key?}
 *   GET  /api/parking/sessions · POST /api/parking/payments {sessionId, amountFen, method, key?}
 * Owns: body shapes and HTTP statuses of PARKING_* codes. Does not: any rule.
 */
import { ParkingError } from '../../actors/parking/errors.ts';
import { PAYMENT_METHODS, type PaymentMethod, type Tariff } from '../../actors/parking/protocol.ts';
import { EngineError, LinliError, failure } from '../../engine/errors.ts';
import { json, type HttpRequest, type HttpResponse, type Route } from '../../engine/http/contract.ts';
import type { Logger } from '../../engine/log.ts';
import { bearerOf, bodyOf, callerOf, failed } from '../../services/identity/http-kit.ts';
import type { IdentityService, Principal } from '../../services/identity/identity-service.ts';
import type { ParkingForecast } from './forecast.ts';
import type { Guidance } from './guidance.ts';
import type { ParkingOffice } from './office.ts';

const E = ParkingError;
const STATUS: Readonly<Record<string, number>> = {
  [E.NOT_STAFF]: 403, [E.NOT_RESIDENT]: 403, [E.NOT_YOURS]: 403,
  [E.UNKNOWN_LOT]: 404, [E.UNKNOWN_GATE]: 404, [E.UNKNOWN_PASS]: 404, [E.NO_SESSION]: 404, [E.NO_HOLD]: 404,
  [E.ALREADY_HOLDING]: 409, [E.NO_FREE_BAY]: 409, [E.DUPLICATE_ID]: 409, [E.PASS_REVOKED]: 409, [E.NOTHING_DUE]: 409, [E.WRONG_AMOUNT]: 409,
};
const KEY = /^[A-Za-z0-9_.:-]{1,64}$/;

export interface ParkingRouteDeps {
  readonly identity: IdentityService;
  readonly office: ParkingOffice;
  readonly guidance: Guidance;
  readonly forecast: ParkingForecast;
  readonly lotIds: readonly string[];
  readonly defaultHours: number;
  readonly trustProxy: boolean;
  readonly log: Logger;
  /** The server clock: hold answers carry it so a page can count down to `until` whatever its own clock says. */
  readonly now: () => number;
}

const bad = (field: string, problem: string) => new LinliError(EngineError.BAD_INPUT, { field, problem });

function text(b: Record<string, unknown>, field: string, opts: { optional: true }): string | null;
function text(b: Record<string, unknown>, field: string): string;
function text(b: Record<string, unknown>, field: string, opts: { optional?: boolean } = {}): string | null {
  const v = b[field];
  if ((v === undefined || v === null) && opts.optional) return null;
  if (typeof v !== 'string' || v.length > 256) throw bad(field, 'expected a string of at most 256 characters');
  return v;
}

function integer(b: Record<string, unknown>, field: string, opts: { optional?: boolean } = {}): number | null {
  const v = b[field];
  if ((v === undefined || v === null) && opts.optional) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad(field, 'expected an integer');
  return v;
}

function keyOf(b: Record<string, unknown>): string | null {
  const k = b.key;
  if (k === undefined || k === null) return null;
  if (typeof k !== 'string' || !KEY.test(k)) throw bad('key', 'expected 1–64 letters, digits or _.:-');
  return k;
}

function methodOf(b: Record<string, unknown>, optional = false): PaymentMethod | null {
  const m = b.method;
  if ((m === undefined || m === null) && optional) return null;
  if (typeof m !== 'string' || !(PAYMENT_METHODS as readonly string[]).includes(m)) throw new LinliError(E.BAD_PAYMENT, { field: 'method', allowed: PAYMENT_METHODS });
  return m as PaymentMethod;
}

/**
 * The current tariff with the body's fields over it; a field of the wrong type, an unknown field,
 * or no tariff field at all (`{}`, only a `key`: a no-op the caller surely did not mean) is PARKING_BAD_TARIFF.
 */
export function tariffFrom(current: Tariff, b: Record<string, unknown>): Tariff {
  const out: Record<string, unknown> = { ...current };
  const fields = Object.keys(current);
  // Unknown fields are named below; a body with nothing but (at most) its key changes nothing.
  if (!Object.keys(b).some((k) => k !== 'key')) {
    throw new LinliError(E.BAD_TARIFF, { field: null, problem: 'no field', allowed: fields });
  }
  for (const field of Object.keys(current) as (keyof Tariff)[]) {
    if (!(field in b)) continue;
    const v = b[field];
    const ok = field === 'admitUnregistered' ? typeof v === 'boolean' : field === 'dailyCapFen' ? v === null || typeof v === 'number' : typeof v === 'number';
    if (!ok) throw new LinliError(E.BAD_TARIFF, { field });
    out[field] = v;
  }
  for (const field of Object.keys(b)) if (field !== 'key' && !(field in current)) throw new LinliError(E.BAD_TARIFF, { field: field.slice(0, 64) });
  return out as unknown as Tariff;
}

export function parkingRoutes(d: ParkingRouteDeps): Route[] {
  const authed = (handle: (p: Principal, req: HttpRequest) => Promise<HttpResponse> | HttpResponse) => async (req: HttpRequest): Promise<HttpResponse> => {
    try {
      const caller = callerOf(req, d.trustProxy);
      const p = await d.identity.authenticate(bearerOf(req), caller.ip);
      return await handle(p, req);
    } catch (err) {
      if (err instanceof LinliError && STATUS[err.code] !== undefined) return json(STATUS[err.code]!, failure(err.code, err.details));
      return failed(err, d.log);
    }
  };
  const ok = (value: Record<string, unknown>) => json(200, { ok: true, ...value });
  return [
    { method: 'GET', path: '/api/parking/tariff', handle: authed(() => ok({ tariff: d.office.state.tariff })) },
    { method: 'POST', path: '/api/parking/tariff', handle: authed(async (p, req) => {
      const b = bodyOf(req);
      return ok({ tariff: await d.office.setTariff(p, tariffFrom(d.office.state.tariff, b), keyOf(b)) });
    }) },
    { method: 'GET', path: '/api/parking/forecast', handle: authed(async (p, req) => {
      const asked = req.query.getAll('lotId');
      for (const id of asked) if (!d.lotIds.includes(id)) throw new LinliError(E.UNKNOWN_LOT, { lotId: id.slice(0, 64) });
      const lotIds = asked.length > 0 ? [...new Set(asked)] : d.lotIds;
      if (lotIds.length > 0) d.identity.requireRoom(p, { kind: 'parking-lot', id: lotIds[0]! });
      const raw = req.query.get('hours');
      const hours = raw === null ? d.defaultHours : Number(raw);
      if (!Number.isInteger(hours) || hours < 1 || hours > 24) throw bad('hours', 'expected an integer 1–24');
      return ok({ ...await d.forecast.forecast(lotIds, hours) });
    }) },
    { method: 'POST', path: '/api/parking/holds', handle: authed(async (p, req) => {
      const b = bodyOf(req);
      const lotId = text(b, 'lotId', { optional: true });
      const hold = await d.guidance.request(p, {
        lotId: lotId === 'auto' ? null : lotId, gateId: text(b, 'gateId', { optional: true }), plate: text(b, 'plate', { optional: true }), key: keyOf(b),
      });
      return ok({ hold, now: d.now() });
    }) },
    { method: 'GET', path: '/api/parking/holds', handle: authed((p) => ok({ hold: d.guidance.mine(p), now: d.now() })) },
    { method: 'POST', path: '/api/parking/holds/cancel', handle: authed(async (p, req) => {
      await d.guidance.cancel(p, keyOf(bodyOf(req)));
      return ok({});
    }) },
    { method: 'GET', path: '/api/parking/passes', handle: authed((p) => ok({ passes: d.office.passes(p) })) },
    { method: 'POST', path: '/api/parking/passes', handle: authed(async (p, req) => {
      const b = bodyOf(req);
      const kind = b.kind === 'monthly' || b.kind === 'visitor' ? b.kind : null;
      if (!kind) throw bad('kind', 'expected monthly or visitor');
      const pass = await d.office.issuePass(p, {
        kind, plate: text(b, 'plate'), from: integer(b, 'from', { optional: true }), until: integer(b, 'until')!, unitId: text(b, 'unitId', { optional: true }),
        amountFen: integer(b, 'amountFen', { optional: true }), method: methodOf(b, true),
      }, keyOf(b));
      return ok({ pass });
    }) },
    { method: 'POST', path: '/api/parking/passes/revoke', handle: authed(async (p, req) => {
      const b = bodyOf(req);
      await d.office.revokePass(p, text(b, 'passId'), keyOf(b));
      return ok({});
    }) },
    { method: 'GET', path: '/api/parking/sessions', handle: authed((p) => ok(d.office.sessions(p))) },
    { method: 'POST', path: '/api/parking/payments', handle: authed(async (p, req) => {
      const b = bodyOf(req);
      const amountFen = b.amountFen;
      if (typeof amountFen !== 'number') throw new LinliError(E.BAD_PAYMENT, { field: 'amountFen' });
      return ok(await d.office.pay(p, { sessionId: text(b, 'sessionId'), amountFen, method: methodOf(b)! }, keyOf(b)));
    }) },
  ];
}
