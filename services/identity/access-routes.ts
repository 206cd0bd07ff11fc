/**
 * @module services/identity/access-routes
 * Puts existing HTTP routes behind a door (analytics: analysts and property admins only) and
 * offers devices their one HTTP way in: a device, signed in with its own secret, posts readings
 * for itself only, onto the subject the device gateway reads.
 */
import type { RoomRef } from '../../actors/community/directory-protocol.ts';
import { subjects, type Bus } from '../../engine/bus/contract.ts';
import { EngineError, LinliError } from '../../engine/errors.ts';
import { json, type Route } from '../../engine/http/contract.ts';
import type { Logger } from '../../engine/log.ts';
import { IdentityError } from '../../actors/identity/identity-errors.ts';
import { signedIn } from './http-kit.ts';
import { checkPayload, rejectCode, type CheckLimits } from '../../actors/devices/catalog.ts';
import type { RejectReason, SignalSchema } from '../../actors/devices/protocol.ts';
import type { IdentityService } from './identity-service.ts';

/** The same routes, answering only callers the directory admits to `room`; others get 401/403 typed. */
export function behindDoor(routes: readonly Route[], identity: IdentityService, room: RoomRef, trustProxy: boolean, log: Logger): Route[] {
  return routes.map((r) => ({
    ...r,
    handle: signedIn(identity, trustProxy, log, async (p, req, caller) => {
      try {
        identity.requireRoom(p, room);
      } catch (err) {
        await identity.log('ActionDenied', { accountId: p.accountId, code: IdentityError.FORBIDDEN, detail: `${req.method} ${req.path}`, ip: caller.ip });
        throw err;
      }
      return r.handle(req);
    }),
  }));
}

const SIGNAL = /^[a-z][a-z0-9_]{0,31}$/;

/**
 * The gateway's own acceptance rule for one payload (devices/gateway/parse.ts, wired by the engine):
 * the HTTP answer tells the device what the gateway would do with its reading.
 */
export type ReadingCheck = (deviceId: string, signal: string, data: Uint8Array) => { readonly ok: true } | { readonly ok: false; readonly reason: RejectReason };

/** What the gateway's stateless checks need; the engine hands over the registry's schemas and the gateway's decoder. */
export interface ReadingRules {
  schemaOf(deviceId: string, signal: string): SignalSchema | undefined;
  decode(data: Uint8Array): { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly reason: RejectReason };
  readonly limits: CheckLimits;
  now(): number;
}

/** The gateway's stateless checks (schema, decoding, ranges, times); rate and sequence numbers stay the gateway's. */
export function readingCheck(r: ReadingRules): ReadingCheck {
  return (deviceId, signal, data) => {
    const schema = r.schemaOf(deviceId, signal);
    if (!schema) return { ok: false, reason: 'unknown_signal' };
    const decoded = r.decode(data);
    if (!decoded.ok) return decoded;
    const checked = checkPayload(schema, decoded.body, r.now(), r.limits);
    return checked.ok ? { ok: true } : { ok: false, reason: checked.reason };
  };
}

/**
 * A device posts a reading for itself. A reading the gateway would drop (not JSON, out of range,
 * far in the future, too large) is refused here with the gateway's own typed code (DEVICE_TOO_LARGE
 * 413, DEVICE_NOT_JSON, DEVICE_OUT_OF_RANGE, DEVICE_FUTURE_TIME … 400) instead of 202; accepted
 * ones go to the gateway (which alone judges rate and sequence numbers).
 */
export function deviceRoutes(identity: IdentityService, bus: Bus, trustProxy: boolean, log: Logger, check: ReadingCheck = () => ({ ok: true })): Route[] {
  return [{
    method: 'POST', path: '/api/devices/readings',
    handle: signedIn(identity, trustProxy, log, (p, req) => {
      const deviceId = identity.deviceIdOf(p);
      if (deviceId === null) throw new LinliError(IdentityError.WRONG_TOKEN_KIND);
      const signal = req.query.get('signal') ?? '';
      if (!SIGNAL.test(signal)) throw new LinliError(EngineError.BAD_INPUT, { field: 'signal' });
      const verdict = check(deviceId, signal, req.body);
      if (!verdict.ok) throw new LinliError(rejectCode(verdict.reason), { reason: verdict.reason });
      bus.publish(subjects.device(identity.community, deviceId, signal), req.body);
      return json(202, { ok: true, deviceId, signal });
    }),
  }];
}
