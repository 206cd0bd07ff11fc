/**
 * @module services/identity/routes
 * The HTTP API of identity: first-admin setup, sign-up with an invite, sign-in, refresh,
 * sign-out, sessions, the caller's own profile, and device sign-in. Every answer is JSON; every
 * failure is `{ ok:false, code, message{zh-CN,en} }` with a 4xx status (429 carries Retry-After).
 */
import { randomBytes } from 'node:crypto';
import { json, type HttpRequest, type HttpResponse, type Route } from '../../engine/http/contract.ts';
import type { Logger } from '../../engine/log.ts';
import { bodyOf, callerOf, DEVICE_COOKIE, failed, guarded, signedIn } from './http-kit.ts';
import type { Caller, IdentityService } from './identity-service.ts';

const DEVICE_COOKIE_MAX_AGE_S = 400 * 86_400;

/**
 * A sign-in route that names the caller's device: a browser without the `linli_device` cookie gets
 * one (HttpOnly, SameSite=Strict), and every answer carries `deviceKey` for apps that send it back
 * as `X-Linli-Device`. Failures carry the cookie too, so a device's own failures count against it.
 */
function withDevice(trustProxy: boolean, log: Logger, handle: (req: HttpRequest, caller: Caller) => Promise<object>): Route['handle'] {
  return async (req) => {
    const found = callerOf(req, trustProxy);
    const caller = found.device ? found : { ...found, device: randomBytes(32).toString('base64url') };
    const cookie = `${DEVICE_COOKIE}=${caller.device}; Path=/api/auth; Max-Age=${DEVICE_COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Strict`;
    let out: HttpResponse;
    try {
      out = json(200, { ok: true, ...await handle(req, caller), deviceKey: caller.device });
    } catch (err) {
      out = failed(err, log);
    }
    return { ...out, headers: { ...out.headers, 'set-cookie': cookie } };
  };
}

export function identityRoutes(identity: IdentityService, trustProxy: boolean, log: Logger): Route[] {
  const open = (handle: Parameters<typeof guarded>[1]) => guarded(log, handle);
  const authed = (handle: Parameters<typeof signedIn>[3]) => signedIn(identity, trustProxy, log, handle);
  const post = (path: string, handle: Route['handle']): Route => ({ method: 'POST', path, handle });
  const get = (path: string, handle: Route['handle']): Route => ({ method: 'GET', path, handle });
  return [
    post('/api/auth/setup', withDevice(trustProxy, log, (req, caller) => identity.setup(bodyOf(req) as never, caller))),
    post('/api/auth/signup', withDevice(trustProxy, log, (req, caller) => identity.signUp(bodyOf(req) as never, caller))),
    post('/api/auth/signin', withDevice(trustProxy, log, (req, caller) => identity.signIn(bodyOf(req) as never, caller))),
    post('/api/auth/refresh', open(async (req) => json(200, { ok: true, ...await identity.refresh(bodyOf(req) as never, callerOf(req, trustProxy)) }))),
    post('/api/auth/device', open(async (req) => json(200, { ok: true, ...await identity.deviceSignIn(bodyOf(req) as never, callerOf(req, trustProxy)) }))),
    post('/api/auth/signout', authed(async (p, _req, caller) => { await identity.signOut(p, caller); return json(200, { ok: true }); })),
    get('/api/auth/sessions', authed((p, req) => json(200, { ok: true, sessions: identity.sessions(p, req.query.get('accountId') ?? p.accountId) }))),
    post('/api/auth/sessions/revoke', authed(async (p, req, caller) => { await identity.closeSession(p, bodyOf(req).sid, caller); return json(200, { ok: true }); })),
    get('/api/me', authed((p) => json(200, { ok: true, me: identity.me(p) }))),
    post('/api/me/redeem', authed(async (p, req, caller) => json(200, { ok: true, me: await identity.redeemInvite(p, bodyOf(req).code, caller) }))),
    post('/api/me/name', authed(async (p, req, caller) => json(200, { ok: true, me: await identity.rename(p, bodyOf(req).displayName, caller) }))),
  ];
}
