/**
 * @module services/identity/routes
 * The HTTP API of identity: first-admin setup, sign-up with an invite, sign-in, refresh,
 * sign-out, sessions, the caller's own profile, and device sign-in. Every answer is JSON; every
 * failure is `{ ok:false, code, message{zh-CN,en} }` with a 4xx status (429 carries Retry-After).
 */
import { json, type Route } from '../../engine/http/contract.ts';
import type { Logger } from '../../engine/log.ts';
import { bodyOf, callerOf, guarded, signedIn } from './http-kit.ts';
import type { IdentityService } from './identity-service.ts';

export function identityRoutes(identity: IdentityService, trustProxy: boolean, log: Logger): Route[] {
  const open = (handle: Parameters<typeof guarded>[1]) => guarded(log, handle);
  const authed = (handle: Parameters<typeof signedIn>[3]) => signedIn(identity, trustProxy, log, handle);
  const post = (path: string, handle: Route['handle']): Route => ({ method: 'POST', path, handle });
  const get = (path: string, handle: Route['handle']): Route => ({ method: 'GET', path, handle });
  return [
    post('/api/auth/setup', open(async (req) => json(200, { ok: true, ...await identity.setup(bodyOf(req) as never, callerOf(req, trustProxy)) }))),
    post('/api/auth/signup', open(async (req) => json(200, { ok: true, ...await identity.signUp(bodyOf(req) as never, callerOf(req, trustProxy)) }))),
    post('/api/auth/signin', open(async (req) => json(200, { ok: true, ...await identity.signIn(bodyOf(req) as never, callerOf(req, trustProxy)) }))),
    post('/api/auth/refresh', open(async (req) => json(200, { ok: true, ...await identity.refresh(bodyOf(req) as never, callerOf(req, trustProxy)) }))),
    post('/api/auth/device', open(async (req) => json(200, { ok: true, ...await identity.deviceSignIn(bodyOf(req) as never, callerOf(req, trustProxy)) }))),
    post('/api/auth/signout', authed(async (p, _req, caller) => { await identity.signOut(p, caller); return json(200, { ok: true }); })),
    get('/api/auth/sessions', authed((p, req) => json(200, { ok: true, sessions: identity.sessions(p, req.query.get('accountId') ?? p.accountId) }))),
    post('/api/auth/sessions/revoke', authed(async (p, req, caller) => { await identity.closeSession(p, bodyOf(req).sid, caller); return json(200, { ok: true }); })),
    get('/api/me', authed((p) => json(200, { ok: true, me: identity.me(p) }))),
    post('/api/me/redeem', authed(async (p, req, caller) => json(200, { ok: true, me: await identity.redeemInvite(p, bodyOf(req).code, caller) }))),
    post('/api/me/name', authed(async (p, req) => {
      await identity.direct(p, { type: 'RenameMember', accountId: p.accountId, displayName: String(bodyOf(req).displayName ?? ''), at: identity.now() });
      identity.changed(p.accountId, null);
      return json(200, { ok: true, me: identity.me(p) });
    })),
  ];
}
