/**
 * @module services/identity/access-routes
 * Puts existing HTTP routes behind a door (analytics: analysts and property admins only) and
 * offers devices their one HTTP way in: a device, signed in with its own secret, posts readings
 * for itself only, straight to the device gateway, and hears its verdict.
 */
import type { RoomRef } from '../../actors/community/directory-protocol.ts';
import { EngineError, LinliError } from '../../engine/errors.ts';
import { json, type Route } from '../../engine/http/contract.ts';
import type { Logger } from '../../engine/log.ts';
import { IdentityError } from '../../actors/identity/identity-errors.ts';
import { signedIn } from './http-kit.ts';
import { rejectCode } from '../../actors/devices/catalog.ts';
import type { RejectReason } from '../../actors/devices/protocol.ts';
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
 * The device gateway's verdict on one reading (DeviceGateway.submit, wired by the engine): every
 * check it makes, its counters and its rate and sequence state, decided before the route answers.
 */
export type ReadingSubmit = (deviceId: string, signal: string, data: Uint8Array) =>
  { readonly ok: true } | { readonly ok: false; readonly reason: RejectReason; readonly retryAfterMs?: number };

/**
 * A device posts a reading for itself and gets the gateway's verdict: 202 only when it accepted
 * the reading; else its typed code (DEVICE_TOO_LARGE 413, DEVICE_REPLAYED_SEQ 409, DEVICE_FLOOD
 * 429 with Retry-After, DEVICE_NOT_JSON, DEVICE_OUT_OF_RANGE, DEVICE_FUTURE_TIME … 400).
 */
export function deviceRoutes(identity: IdentityService, submit: ReadingSubmit, trustProxy: boolean, log: Logger): Route[] {
  return [{
    method: 'POST', path: '/api/devices/readings',
    handle: signedIn(identity, trustProxy, log, (p, req) => {
      const deviceId = identity.deviceIdOf(p);
      if (deviceId === null) throw new LinliError(IdentityError.WRONG_TOKEN_KIND);
      const signal = req.query.get('signal') ?? '';
      if (!SIGNAL.test(signal)) throw new LinliError(EngineError.BAD_INPUT, { field: 'signal' });
      const verdict = submit(deviceId, signal, req.body);
      if (!verdict.ok) {
        throw new LinliError(rejectCode(verdict.reason), { reason: verdict.reason, ...(verdict.retryAfterMs !== undefined ? { retryAfterMs: verdict.retryAfterMs } : {}) });
      }
      return json(202, { ok: true, deviceId, signal });
    }),
  }];
}
