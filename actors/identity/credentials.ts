/**
 * @module actors/identity/credentials
 * The credential store of a deployment as a pure state machine: person accounts keyed by phone
 * within a community, device credentials keyed by device id, sessions with rotating refresh
 * tokens (a replayed old refresh token closes the session), and failed sign-ins per phone and per
 * address, which lock a key for a window.
 * Owns: which account a phone or device names, which sessions are open. Does not: hash or verify
 * secrets (the engine does, before OpenSession), know roles or units (actors/community/directory).
 * Concurrency: pure; the engine feeds one command at a time.
 * Overflow: attempt keys beyond `attemptKeysKept` forget the key whose latest failure is oldest;
 * sessions beyond `sessionsPerAccount` close the oldest; closed and expired sessions of an account
 * are dropped when it opens a new one.
 */
import { accept, reject, assertNever, defineActor, type Decision } from '../_kit/index.ts';
import { IdentityError, type IdentityErrorCode } from './identity-errors.ts';
import type {
  Credential, CredentialsCommand, CredentialsEvent, CredentialsLimits, CredentialsState, OpenSession, RefreshSession,
  Session, SessionStatus, SessionView,
} from './credentials-protocol.ts';

export const DEFAULT_CREDENTIALS_LIMITS: CredentialsLimits = {
  maxSignInFailures: 5,
  maxSignInFailuresPerAddress: 50,
  signInFailureWindowMs: 15 * 60_000,
  attemptKeysKept: 10_000,
  sessionsPerAccount: 20,
  devicesPerAccount: 10,
};

export const initialCredentials: CredentialsState = { accounts: {}, phones: {}, devices: {}, sessions: {}, failures: {} };
const HASH = /^[A-Za-z0-9+/=_$.:-]{16,512}$/;
const ID = /^[A-Za-z0-9_:.-]{1,128}$/;

type D = Decision<CredentialsEvent, IdentityErrorCode>;

function own<T>(rec: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}

export const phoneKey = (community: string, phone: string) => `${community}:${phone}`;
export const deviceKey = (community: string, deviceId: string) => `${community}:${deviceId}`;
/** The keys a failed sign-in counts against: the phone (or device) named, and the caller's address. */
export function signInKeys(community: string, login: string, ip: string | null): string[] {
  return ip === null ? [`login:${community}:${login}`] : [`login:${community}:${login}`, `ip:${ip}`];
}

/** Milliseconds until a sign-in against these keys is allowed again; 0 when it is now. */
export function signInLockout(s: CredentialsState, l: CredentialsLimits, keys: readonly string[], at: number): number {
  let wait = 0;
  for (const key of keys) {
    const times = own(s.failures, key) ?? [];
    const max = key.startsWith('ip:') ? l.maxSignInFailuresPerAddress : l.maxSignInFailures;
    if (times.length < max) continue;
    wait = Math.max(wait, times[times.length - max] + l.signInFailureWindowMs - at);
  }
  return Math.max(0, wait);
}

export function accountIdByPhone(s: CredentialsState, community: string, phone: string): string | undefined {
  return own(s.phones, phoneKey(community, phone));
}

export function accountIdByDevice(s: CredentialsState, community: string, deviceId: string): string | undefined {
  return own(s.devices, deviceKey(community, deviceId));
}

/** Whether the account signed in before from the device with this hash. */
export function knowsDevice(s: CredentialsState, accountId: string, deviceHash: string): boolean {
  return (own(s.knownDevices ?? {}, accountId) ?? []).includes(deviceHash);
}

export function credentialOf(s: CredentialsState, accountId: string): Credential | undefined {
  return own(s.accounts, accountId);
}

/** Whether a session may be used at `at`: it exists, is not closed, has not expired, and its account is not revoked. */
export function sessionStatus(s: CredentialsState, sid: string, at: number): SessionStatus {
  const session = own(s.sessions, sid);
  if (!session) return 'unknown';
  if (session.closedAt !== null || own(s.accounts, session.accountId)?.revokedAt != null) return 'revoked';
  return at >= session.expiresAt ? 'expired' : 'open';
}

export function sessionOf(s: CredentialsState, sid: string): Session | undefined {
  return own(s.sessions, sid);
}

/** The open sessions of an account, newest first. */
export function sessionsOf(s: CredentialsState, accountId: string, at: number): SessionView[] {
  return Object.entries(s.sessions)
    .filter(([sid, x]) => x.accountId === accountId && sessionStatus(s, sid, at) === 'open')
    .sort(([, a], [, b]) => b.openedAt - a.openedAt)
    .map(([sid, x]) => ({ sid, openedAt: x.openedAt, refreshedAt: x.refreshedAt, expiresAt: x.expiresAt, userAgent: x.userAgent, ip: x.ip }));
}

function decideOpen(s: CredentialsState, c: OpenSession): D {
  const account = own(s.accounts, c.accountId);
  if (!account) return reject(IdentityError.UNKNOWN_ACCOUNT);
  if (account.revokedAt !== null) return reject(IdentityError.ACCOUNT_REVOKED);
  if (!ID.test(c.sid)) return reject(IdentityError.UNKNOWN_SESSION);
  if (own(s.sessions, c.sid)) return reject(IdentityError.SESSION_EXISTS);
  if (!HASH.test(c.refreshHash) || !(c.expiresAt > c.at)) return reject(IdentityError.TOKEN_INVALID);
  return accept({
    type: 'SessionOpened', v: 1, sid: c.sid, accountId: c.accountId, refreshHash: c.refreshHash, expiresAt: c.expiresAt,
    userAgent: c.userAgent.slice(0, 200), ip: c.ip, at: c.at,
  });
}

function decideRefresh(s: CredentialsState, c: RefreshSession): D {
  const session = own(s.sessions, c.sid);
  if (!session) return reject(IdentityError.UNKNOWN_SESSION);
  const status = sessionStatus(s, c.sid, c.at);
  if (status === 'revoked') return reject(IdentityError.SESSION_REVOKED);
  if (status === 'expired') return reject(IdentityError.SESSION_EXPIRED);
  if (c.presentedHash === session.previousHash) {
    // The token this session already rotated away was presented again: someone else holds a copy.
    return accept({ type: 'SessionClosed', v: 1, sid: c.sid, accountId: session.accountId, reason: 'refresh-reused', by: null, at: c.at });
  }
  if (c.presentedHash !== session.refreshHash) return reject(IdentityError.UNKNOWN_SESSION);
  if (!HASH.test(c.nextHash) || !(c.expiresAt > c.at)) return reject(IdentityError.TOKEN_INVALID);
  return accept({ type: 'SessionRefreshed', v: 1, sid: c.sid, refreshHash: c.nextHash, previousHash: c.presentedHash, expiresAt: c.expiresAt, at: c.at });
}

function closeAll(s: CredentialsState, accountId: string, reason: string, by: string | null, at: number): CredentialsEvent[] {
  return Object.entries(s.sessions)
    .filter(([, x]) => x.accountId === accountId && x.closedAt === null && at < x.expiresAt)
    .map(([sid]): CredentialsEvent => ({ type: 'SessionClosed', v: 1, sid, accountId, reason, by, at }));
}

function decideWith(s: CredentialsState, c: CredentialsCommand): D {
  switch (c.type) {
    case 'CreateAccount': {
      if (!ID.test(c.accountId) || !HASH.test(c.passwordHash)) return reject(IdentityError.TOKEN_INVALID);
      if (own(s.accounts, c.accountId)) return reject(IdentityError.ACCOUNT_EXISTS);
      if (own(s.phones, phoneKey(c.community, c.phone))) return reject(IdentityError.PHONE_TAKEN);
      return accept({ type: 'AccountCreated', v: 1, accountId: c.accountId, community: c.community, phone: c.phone, passwordHash: c.passwordHash, at: c.at });
    }
    case 'SetDeviceSecret': {
      if (!ID.test(c.accountId) || !HASH.test(c.secretHash)) return reject(IdentityError.TOKEN_INVALID);
      const holder = own(s.devices, deviceKey(c.community, c.deviceId));
      if (holder !== undefined && holder !== c.accountId) return reject(IdentityError.ACCOUNT_EXISTS);
      if (holder === undefined && own(s.accounts, c.accountId)) return reject(IdentityError.ACCOUNT_EXISTS);
      const rotated = holder === undefined ? [] : closeAll(s, c.accountId, 'secret-rotated', null, c.at);
      return accept(...rotated, { type: 'DeviceSecretSet', v: 1, accountId: c.accountId, community: c.community, deviceId: c.deviceId, secretHash: c.secretHash, at: c.at });
    }
    case 'ChangePassword': {
      const account = own(s.accounts, c.accountId);
      if (!account || account.kind !== 'person') return reject(IdentityError.UNKNOWN_ACCOUNT);
      if (account.revokedAt !== null) return reject(IdentityError.ACCOUNT_REVOKED);
      if (!HASH.test(c.passwordHash)) return reject(IdentityError.TOKEN_INVALID);
      return accept(...closeAll(s, c.accountId, 'password-changed', c.accountId, c.at), { type: 'PasswordChanged', v: 1, accountId: c.accountId, passwordHash: c.passwordHash, at: c.at });
    }
    case 'OpenSession': return decideOpen(s, c);
    case 'RecordSignInFailure':
      return c.keys.length === 0 ? accept() : accept({ type: 'SignInFailed', v: 1, keys: [...c.keys], at: c.at });
    case 'RefreshSession': return decideRefresh(s, c);
    case 'CloseSession': {
      const session = own(s.sessions, c.sid);
      if (!session) return reject(IdentityError.UNKNOWN_SESSION);
      if (session.accountId !== c.by && !c.byStaff) return reject(IdentityError.NOT_YOUR_SESSION);
      if (session.closedAt !== null) return accept();
      return accept({ type: 'SessionClosed', v: 1, sid: c.sid, accountId: session.accountId, reason: c.reason.slice(0, 40), by: c.by, at: c.at });
    }
    case 'RememberDevice': {
      if (!own(s.accounts, c.accountId) || !HASH.test(c.deviceHash)) return reject(IdentityError.UNKNOWN_ACCOUNT);
      const known = own(s.knownDevices ?? {}, c.accountId) ?? [];
      if (known[known.length - 1] === c.deviceHash) return accept();
      return accept({ type: 'DeviceRemembered', v: 1, accountId: c.accountId, deviceHash: c.deviceHash, at: c.at });
    }
    case 'RevokeCredentials': {
      const account = own(s.accounts, c.accountId);
      if (!account) return reject(IdentityError.UNKNOWN_ACCOUNT);
      if (account.revokedAt !== null) return accept();
      return accept(...closeAll(s, c.accountId, 'account-revoked', c.by, c.at), { type: 'CredentialsRevoked', v: 1, accountId: c.accountId, by: c.by, at: c.at });
    }
    default: return assertNever(c);
  }
}

// --- evolve

function withSession(s: CredentialsState, sid: string, change: (x: Session) => Session): CredentialsState {
  const x = own(s.sessions, sid);
  return x ? { ...s, sessions: { ...s.sessions, [sid]: change(x) } } : s;
}

function opened(s: CredentialsState, e: Extract<CredentialsEvent, { type: 'SessionOpened' }>, l: CredentialsLimits): CredentialsState {
  const sessions: Array<[string, Session]> = [];
  const mine: Array<[string, Session]> = [];
  for (const [sid, x] of Object.entries(s.sessions)) {
    if (x.accountId !== e.accountId) sessions.push([sid, x]);
    else if (x.closedAt === null && e.at < x.expiresAt) mine.push([sid, x]); // closed and expired ones are dropped
  }
  mine.sort(([, a], [, b]) => a.openedAt - b.openedAt);
  const over = Math.max(0, mine.length + 1 - l.sessionsPerAccount);
  for (const [i, [sid, x]] of mine.entries()) sessions.push([sid, i < over ? { ...x, closedAt: e.at, closeReason: 'limit' } : x]);
  sessions.push([e.sid, {
    accountId: e.accountId, openedAt: e.at, expiresAt: e.expiresAt, refreshHash: e.refreshHash, previousHash: null,
    refreshedAt: e.at, userAgent: e.userAgent, ip: e.ip, closedAt: null, closeReason: null,
  }]);
  // fromEntries defines own properties even for `__proto__` (a valid sid); assignment would set the prototype.
  return { ...s, sessions: Object.fromEntries(sessions) };
}

function failed(s: CredentialsState, keys: readonly string[], at: number, l: CredentialsLimits): CredentialsState {
  // A Map, then fromEntries: keys arrive from the command, and assigning `__proto__` would set the prototype.
  const failures = new Map<string, readonly number[]>();
  for (const [key, times] of Object.entries(s.failures)) {
    if (times[times.length - 1] > at - l.signInFailureWindowMs) failures.set(key, times);
  }
  for (const key of keys) failures.set(key, [...(failures.get(key) ?? []), at].slice(-(key.startsWith('ip:') ? l.maxSignInFailuresPerAddress : l.maxSignInFailures)));
  const entries = [...failures];
  if (entries.length <= l.attemptKeysKept) return { ...s, failures: Object.fromEntries(entries) };
  entries.sort(([ka, a], [kb, b]) => b[b.length - 1] - a[a.length - 1] || (ka < kb ? -1 : ka > kb ? 1 : 0));
  return { ...s, failures: Object.fromEntries(entries.slice(0, l.attemptKeysKept)) };
}

function evolveWith(l: CredentialsLimits, s: CredentialsState, e: CredentialsEvent): CredentialsState {
  switch (e.type) {
    case 'AccountCreated': {
      const account: Credential = { kind: 'person', community: e.community, phone: e.phone, deviceId: null, secretHash: e.passwordHash, createdAt: e.at, revokedAt: null };
      return { ...s, accounts: { ...s.accounts, [e.accountId]: account }, phones: { ...s.phones, [phoneKey(e.community, e.phone)]: e.accountId } };
    }
    case 'DeviceSecretSet': {
      const old = own(s.accounts, e.accountId);
      const account: Credential = { kind: 'device', community: e.community, phone: null, deviceId: e.deviceId, secretHash: e.secretHash, createdAt: old?.createdAt ?? e.at, revokedAt: old?.revokedAt ?? null };
      return { ...s, accounts: { ...s.accounts, [e.accountId]: account }, devices: { ...s.devices, [deviceKey(e.community, e.deviceId)]: e.accountId } };
    }
    case 'PasswordChanged': {
      const a = own(s.accounts, e.accountId);
      return a ? { ...s, accounts: { ...s.accounts, [e.accountId]: { ...a, secretHash: e.passwordHash } } } : s;
    }
    case 'SessionOpened': return opened(s, e, l);
    case 'SignInFailed': return failed(s, e.keys, e.at, l);
    case 'SessionRefreshed':
      return withSession(s, e.sid, (x) => ({ ...x, refreshHash: e.refreshHash, previousHash: e.previousHash, expiresAt: e.expiresAt, refreshedAt: e.at }));
    case 'SessionClosed':
      return withSession(s, e.sid, (x) => (x.closedAt === null ? { ...x, closedAt: e.at, closeReason: e.reason } : x));
    case 'CredentialsRevoked': {
      const a = own(s.accounts, e.accountId);
      return a && a.revokedAt === null ? { ...s, accounts: { ...s.accounts, [e.accountId]: { ...a, revokedAt: e.at } } } : s;
    }
    case 'DeviceRemembered': {
      const all = s.knownDevices ?? {};
      const mine = (own(all, e.accountId) ?? []).filter((h) => h !== e.deviceHash);
      const kept = [...mine, e.deviceHash].slice(-(l.devicesPerAccount ?? 10));
      return { ...s, knownDevices: { ...all, [e.accountId]: kept } };
    }
    default: return s; // unknown (future) event versions leave state unchanged; evolve never throws
  }
}

/**
 * The credential store.
 * @example
 * const creds = createCredentialsActor();
 * creds.decide(creds.initial, { type: 'CreateAccount', accountId: 'acct-1', community: 'shikeyuan', phone: '13800138000', passwordHash, at });
 */
export function createCredentialsActor(limits: CredentialsLimits = DEFAULT_CREDENTIALS_LIMITS) {
  return defineActor({
    type: 'credentials',
    initial: initialCredentials,
    decide: (s: CredentialsState, c: CredentialsCommand): D => decideWith(s, c),
    evolve: (s: CredentialsState, e: CredentialsEvent): CredentialsState => evolveWith(limits, s, e),
  });
}
