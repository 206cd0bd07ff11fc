/**
 * @module client/auth/auth-api
 * The identity HTTP API as the web app calls it: first-admin setup, sign-up with an invite,
 * sign-in, refresh, sign-out, sessions, the caller's profile. Shapes: services/identity/routes.ts.
 * Owns: paths and bodies. Does not: keep tokens (session.ts does) or retry.
 */
import { requestJson } from '../api.ts';
import type { Me, SessionRow, SignedIn } from '../protocol.ts';

export interface Credentials {
  readonly phone: string;
  readonly password: string;
}

/** Setup (with the code `npm start` prints) and sign-up (with an invite code) take the same fields. */
export interface NewAccount extends Credentials {
  readonly code: string;
  readonly displayName: string;
}

export const signIn = (c: Credentials) => requestJson<SignedIn>('/api/auth/signin', { body: c });
export const signUp = (a: NewAccount) => requestJson<SignedIn>('/api/auth/signup', { body: a });
export const setUp = (a: NewAccount) => requestJson<SignedIn>('/api/auth/setup', { body: a });
export const refresh = (refreshToken: string) => requestJson<SignedIn>('/api/auth/refresh', { body: { refreshToken } });
export const signOut = (token: string) => requestJson<{ ok: true }>('/api/auth/signout', { body: {}, token });

/** Signed-in calls take the access token; session.ts supplies a fresh one and retries once on expiry. */
export type Authed = <T>(path: string, body?: unknown) => Promise<T>;

export const fetchMe = (call: Authed) => call<{ me: Me }>('/api/me').then((r) => r.me);
export const redeemInvite = (call: Authed, code: string) => call<{ me: Me }>('/api/me/redeem', { code }).then((r) => r.me);
export const rename = (call: Authed, displayName: string) => call<{ me: Me }>('/api/me/name', { displayName }).then((r) => r.me);
export const listSessions = (call: Authed) => call<{ sessions: SessionRow[] }>('/api/auth/sessions').then((r) => r.sessions);
export const revokeSession = (call: Authed, sid: string) => call<{ ok: true }>('/api/auth/sessions/revoke', { sid });
