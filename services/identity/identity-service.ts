/**
 * @module services/identity/identity-service
 * Who someone is and what they may do, for one community: hosts the community directory
 * (units, invites, memberships, roles), the credential store (phones, password hashes, sessions,
 * device secrets) and the security log as actors, and offers the flows built on them: first-admin
 * setup, invite redemption, sign-in with lock-outs, refresh-token rotation, session listing and
 * revocation, device sign-in, and the checks rooms and HTTP routes ask (`authenticate`, `admit`,
 * `mayPost`).
 * Owns: the order of steps of each flow and the security events they log. Does not: hash rules
 * (engine/auth), domain rules (actors/community, actors/identity), HTTP shapes (routes.ts).
 * Concurrency: each actor serialises its own commands; a flow that touches two actors checks the
 * first decision against the current state before committing anything.
 * Fan-out: every change that can take access away publishes `accessChanged` so open rooms re-check.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ActorDefinition } from '../../actors/_kit/index.ts';
import { COUNTED_INVITE_FAILURES, createDirectoryActor, DEFAULT_DIRECTORY_LIMITS, mayJoin, mayPost, redemptionRefusal, rolesOf } from '../../actors/community/directory.ts';
import { DirectoryError } from '../../actors/community/directory-errors.ts';
import type {
  DirectoryCommand, DirectoryEvent, DirectoryState, MessageType, Role, RoleGrant, RoomRef,
} from '../../actors/community/directory-protocol.ts';
import type { DirectoryErrorCode } from '../../actors/community/directory-errors.ts';
import {
  accountIdByDevice, accountIdByPhone, createCredentialsActor, credentialOf, DEFAULT_CREDENTIALS_LIMITS, knowsDevice, sessionOf,
  sessionStatus, sessionsOf,
} from '../../actors/identity/credentials.ts';
import type { CredentialsCommand, CredentialsEvent, CredentialsLimits, CredentialsState, SessionView } from '../../actors/identity/credentials-protocol.ts';
import { IdentityError, type IdentityErrorCode } from '../../actors/identity/identity-errors.ts';
import { passwordProblem } from '../../actors/identity/password-policy.ts';
import { maskPhone, normalizePhone } from '../../actors/identity/phone.ts';
import { EngineError } from '../../engine/errors.ts';
import { DeviceError } from '../../actors/devices/errors.ts';
import { FailureLimiter, type FailurePolicy } from './failure-limiter.ts';
import { HashQueue } from './hash-queue.ts';
import { ConnectionBudget } from './connection-budget.ts';
import { createSecurityLogActor, type SecurityEvent, type SecurityEventType, type SecurityLogState, type SecurityRecord } from '../../actors/identity/security-log.ts';
import { ActorHost } from '../../engine/actor-host.ts';
import { DEFAULT_SCRYPT, decoyHash, hashSecret, verifySecret } from '../../engine/auth/passwords.ts';
import { KeyRing, newId, newInviteCode, newSecret, normalizeInviteCode, SETUP_CODE_CHARS, sha256 } from '../../engine/auth/secrets.ts';
import { TokenSigner, type TokenKind } from '../../engine/auth/tokens.ts';
import { encodeJson, subjects, type Bus } from '../../engine/bus/contract.ts';
import { deviceNatsUser, type NatsUser } from './nats-devices.ts';
import type { Config } from '../../engine/config.ts';
import { LinliError } from '../../engine/errors.ts';
import { keepPrivate, type ActorRuntime } from '../../engine/actor-runtime.ts';
import type { JournalRecord } from '../../engine/journal/record.ts';
import type { Logger } from '../../engine/log.ts';
import type { Metrics } from '../../engine/metrics.ts';

/** Who is calling, after their access token was checked. */
export interface Principal {
  readonly accountId: string;
  readonly sid: string;
  readonly community: string;
  readonly kind: TokenKind;
}

export interface SignedIn {
  readonly accessToken: string;
  readonly accessExpiresAt: number;
  readonly refreshToken: string;
  readonly refreshExpiresAt: number;
  readonly me: Me;
}

export interface Me {
  readonly accountId: string;
  readonly community: string;
  readonly displayName: string | null;
  /** Masked (`138****8000`); the full number is never sent anywhere. */
  readonly phone: string | null;
  readonly roles: RoleGrant[];
}

export interface Caller {
  readonly ip: string | null;
  readonly userAgent: string;
  /**
   * The random key of the browser or app calling (cookie `linli_device` or header
   * `X-Linli-Device`), or null. A device an account signed in from before is "known" to it.
   */
  readonly device?: string | null;
}

/** A held-back source is logged once per this many ms (and counted in identity_signin_total{outcome="locked"} every time). */
const LOCK_LOG_EVERY_MS = 10_000;
const LOCK_LOG_KEYS = 10_000;

/** Security events that mean someone failed or was refused: also written to the server log at warn. */
const WARN_EVENTS: ReadonlySet<SecurityEventType> = new Set(['SignInFailed', 'SignInLockedOut', 'InviteFailed', 'InviteLockedOut', 'RefreshReused', 'TokenRejected', 'JoinDenied', 'ActionDenied']);

export interface IdentityDeps {
  readonly community: string;
  readonly actors: ActorRuntime;
  readonly bus: Bus;
  readonly config: Config;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly now: () => number;
  /** Whether a device id exists in this community (device credentials are only issued for those). */
  readonly knownDevice: (deviceId: string) => boolean;
  /** What a device is and where it talks (kind, place, subjects, MQTT topics), added to its credentials; the device registry answers. */
  readonly describeDevice?: (deviceId: string) => Record<string, unknown> | null;
}

type Code = string;
const fail = (code: Code, details?: Record<string, unknown>): never => { throw new LinliError(code, details); };

export class IdentityService {
  readonly community: string;
  private readonly keys: KeyRing;
  private readonly signer: TokenSigner;
  private readonly credLimits: CredentialsLimits;
  private readonly dirLimits = { ...DEFAULT_DIRECTORY_LIMITS };
  private readonly scrypt = { ...DEFAULT_SCRYPT };
  private setupCodeHash: string | null = null;
  /** Printed at start while the community has no administrator; null once it has one. */
  setupCode: string | null = null;
  /** Failed attempts per source (address, device), per phone and per account, in memory. */
  readonly failures: FailureLimiter;
  /** Renames per account within the hour. */
  private readonly renames: FailureLimiter;
  /** Admission to scrypt work for callers that are not signed in yet. */
  readonly hashes: HashQueue;
  /** Connections (and seat reservations) per account, per room and in this process. */
  readonly connections: ConnectionBudget;
  private readonly warnedAt = new Map<string, { at: number; suppressed: number }>();
  /** When a held-back key was last written to the security log: a flood of refused attempts is one event per key and window, the rest counted. */
  private readonly lockLogged = new Map<string, number>();

  private constructor(
    private readonly d: IdentityDeps,
    readonly directory: ActorHost<DirectoryState, DirectoryCommand, DirectoryEvent, DirectoryErrorCode>,
    readonly credentials: ActorHost<CredentialsState, CredentialsCommand, CredentialsEvent, IdentityErrorCode>,
    private readonly security: ActorHost<SecurityLogState, SecurityRecord, SecurityEvent, string>,
    secret: Uint8Array,
    credLimits: CredentialsLimits,
  ) {
    this.community = d.community;
    this.keys = new KeyRing(secret);
    this.signer = new TokenSigner(this.keys.tokenKey, d.config.accessTokenTtlS, d.now);
    this.credLimits = credLimits;
    this.dirLimits = dirLimitsOf(d.config);
    this.scrypt = { ...DEFAULT_SCRYPT, N: d.config.passwordHashCost };
    const c = d.config;
    const windowMs = c.signInLockoutS * 1000;
    // Sources (an address, a device) and signed-in accounts pay for their own failures up to the whole window;
    // a phone only slows devices its account never used, and never for longer than SIGNIN_MAX_DELAY_S.
    const source: FailurePolicy = { free: c.signInMaxFailuresPerAddress, baseDelayMs: 1000, maxDelayMs: windowMs, windowMs };
    const device: FailurePolicy = { free: c.signInMaxFailures, baseDelayMs: 1000, maxDelayMs: windowMs, windowMs };
    const target: FailurePolicy = { free: c.signInMaxFailures, baseDelayMs: 1000, maxDelayMs: c.signInMaxDelayS * 1000, windowMs };
    this.failures = new FailureLimiter(c.authFailureKeys, (k) => (k.startsWith('ip:') ? source : k.startsWith('phone:') || k.startsWith('device:') ? target : device));
    const hour = 3_600_000;
    this.renames = new FailureLimiter(c.authFailureKeys, () => ({ free: c.renamesPerHour, baseDelayMs: hour, maxDelayMs: hour, windowMs: hour }));
    this.connections = new ConnectionBudget({ perRoom: c.roomConnectionsPerAccount, perProcess: c.processConnectionsPerAccount });
    this.hashes = new HashQueue({ concurrency: c.authHashConcurrency, queued: c.authHashQueue, perSource: c.authHashPerSource },
      (reason) => d.metrics.inc('identity_hash_refused_total', 'Sign-in hash work refused because the queue or the source share was full', { reason }));
    d.metrics.collect(() => {
      d.metrics.set('identity_failure_keys', 'Addresses, devices and phones whose failed attempts are remembered', {}, this.failures.size);
      d.metrics.set('identity_failure_untracked', 'Failures not tracked because every remembered key was holding a delay (AUTH_FAILURE_KEYS full)', {}, this.failures.overflowed);
      d.metrics.set('identity_hash_waiting', 'Sign-ins waiting for a password-hash slot', {}, this.hashes.waiting);
    });
  }

  static async start(d: IdentityDeps): Promise<IdentityService> {
    const c = d.config;
    const credLimits: CredentialsLimits = {
      ...DEFAULT_CREDENTIALS_LIMITS, maxSignInFailures: c.signInMaxFailures, maxSignInFailuresPerAddress: c.signInMaxFailuresPerAddress,
      signInFailureWindowMs: c.signInLockoutS * 1000, sessionsPerAccount: c.sessionsPerAccount,
    };
    const dirLimits = dirLimitsOf(c);
    const host = <S, C, E extends { type: string; at: number }, K extends string>(def: ActorDefinition<S, C, E, K>, publish: (r: JournalRecord) => JournalRecord | null) =>
      d.actors.host(def, { community: d.community, kind: def.type, actorId: d.community }, { publish, mode: 'shared' }); // every node serves sign-ins
    const directory = await host(createDirectoryActor(dirLimits), redactDirectory);
    const credentials = await host(createCredentialsActor(credLimits), keepPrivate); // hashes and phones never leave the journal
    const security = await host(createSecurityLogActor(), (r) => r);
    const secret = c.tokenSecret ? new TextEncoder().encode(c.tokenSecret) : randomBytes(32);
    if (!c.tokenSecret) d.log.warn('TOKEN_SECRET is not set: a random one is used, so tokens and invite codes end with this process');
    const service = new IdentityService(d, directory, credentials, security, secret, credLimits);
    if (!directory.state.founded) service.newSetupCode();
    return service;
  }

  // --- setup of the first administrator

  private newSetupCode(): void {
    const code = newInviteCode(SETUP_CODE_CHARS);
    this.setupCode = code;
    this.setupCodeHash = this.keys.codeHash(normalizeInviteCode(code, SETUP_CODE_CHARS)!);
  }

  /**
   * Creates the community's first property admin with the setup code printed at start. Wrong codes
   * count against the caller's address and device only: a stranger cannot lock the office out, and
   * a 100-bit code is not guessed at any rate.
   */
  async setup(input: { code: unknown; phone: unknown; password: unknown; displayName: unknown }, caller: Caller): Promise<SignedIn> {
    await this.current();
    const at = this.d.now();
    const sources = this.sourceKeys(caller);
    this.assertNotLocked(sources, at, 'SignInLockedOut', IdentityError.TOO_MANY_ATTEMPTS, { detail: 'setup', ip: caller.ip });
    if (this.directory.state.founded || this.setupCodeHash === null) fail(IdentityError.SETUP_DONE);
    const code = normalizeInviteCode(input.code, SETUP_CODE_CHARS);
    if (code === null || !safeEqual(this.keys.codeHash(code), this.setupCodeHash!)) {
      this.failures.record(sources, at);
      await this.log('SignInFailed', { code: IdentityError.BAD_SETUP_CODE, detail: 'setup', ip: caller.ip });
      fail(IdentityError.BAD_SETUP_CODE);
    }
    const { phone, password, name } = this.checkSignUp(input);
    const passwordHash = await this.hash(caller, password);
    const accountId = newId('acct');
    // The directory decides who founds the community (one winner, even across nodes); only the winner gets a credential.
    this.must(await this.directory.submit({ type: 'FoundDirectory', adminId: accountId, at }));
    this.setupCode = null;
    this.setupCodeHash = null;
    const created = await this.credentials.submit({ type: 'CreateAccount', accountId, community: this.community, phone, passwordHash, at });
    if (!created.ok) {
      this.d.log.error('the first admin was appointed but their credential could not be created', { code: created.code });
      fail(created.code);
    }
    this.must(await this.directory.submit({ type: 'RenameMember', accountId, displayName: name, at }));
    await this.log('SetupCompleted', { accountId, ip: caller.ip });
    return this.openSession(accountId, caller);
  }

  // --- sign-up with an invite, sign-in, refresh, sign-out

  /**
   * A new account redeems an invite code: it becomes owner, tenant, family or staff as the invite says.
   * The code is checked first (wrong codes count against the caller's address and device, never the
   * phone), so only someone holding a valid code can learn that a phone has an account, and each such
   * answer counts against them too. The directory redeems before any credential exists; the credential
   * is created for the winner only, and if its phone was taken meanwhile the redemption is voided.
   */
  async signUp(input: { code: unknown; phone: unknown; password: unknown; displayName: unknown }, caller: Caller): Promise<SignedIn> {
    await this.current();
    const at = this.d.now();
    const sources = this.sourceKeys(caller);
    this.assertNotLocked(sources, at, 'InviteLockedOut', DirectoryError.TOO_MANY_ATTEMPTS, { ip: caller.ip });
    // The code first, before phone, password and name: a wrong code (or one that is not text) is an
    // unknown invite whatever else the request holds, and nothing else is learned from it.
    const codeHash = this.codeHashOf(input.code);
    const refused = redemptionRefusal(this.directory.state, this.dirLimits, { codeHash, accountId: 'sign-up', ip: caller.ip, at });
    if (refused && !refused.ok) return this.inviteFailed(null, sources, refused.code, refused.details, caller);
    const { phone, password, name } = this.checkSignUp(input);
    const redeem = { type: 'RedeemInvite', codeHash, accountId: '', displayName: name, ip: caller.ip, at } as const;
    // Dry run against the current state: a wrong code must not cost a hash nor create anything.
    const dry = createDirectoryActor(this.dirLimits).decide(this.directory.state, { ...redeem, accountId: 'sign-up' });
    if (!dry.ok) return this.inviteFailed(null, sources, dry.code, dry.details, caller);
    if (accountIdByPhone(this.credentials.state, this.community, phone)) {
      this.failures.record(sources, at);
      await this.log('InviteFailed', { code: IdentityError.PHONE_TAKEN, ip: caller.ip });
      fail(IdentityError.PHONE_TAKEN);
    }
    const passwordHash = await this.hash(caller, password);
    const accountId = newId('acct');
    const out = await this.directory.submit({ ...redeem, accountId, at: this.d.now() });
    if (!out.ok) return this.inviteFailed(null, sources, out.code, out.details, caller);
    const created = await this.credentials.submit({ type: 'CreateAccount', accountId, community: this.community, phone, passwordHash, at: this.d.now() });
    if (!created.ok) {
      // Compensation: the phone was taken between the check and now (a concurrent sign-up); nothing of this one stays.
      const voided = await this.directory.submit({ type: 'VoidRedemption', codeHash, accountId, at: this.d.now() });
      if (!voided.ok) this.d.log.error('a redemption without a credential could not be voided', { accountId, code: voided.code });
      await this.log('InviteFailed', { code: created.code, ip: caller.ip });
      fail(created.code);
    }
    await this.log('InviteRedeemed', { accountId, detail: this.inviteDetail(out.events), ip: caller.ip });
    return this.openSession(accountId, caller);
  }

  /** A signed-in account redeems one more invite (a second unit, or a staff role). */
  async redeemInvite(p: Principal, code: unknown, caller: Caller): Promise<Me> {
    await this.current();
    this.requirePerson(p);
    const at = this.d.now();
    const keys = [...this.sourceKeys(caller), `account:${p.accountId}`];
    this.assertNotLocked(keys, at, 'InviteLockedOut', DirectoryError.TOO_MANY_ATTEMPTS, { accountId: p.accountId, ip: caller.ip });
    const account = this.directory.state.accounts[p.accountId];
    const redeem = { type: 'RedeemInvite', codeHash: this.codeHashOf(code), accountId: p.accountId, displayName: account?.displayName ?? '', ip: caller.ip, at } as const;
    const out = await this.directory.submit(redeem);
    if (!out.ok) return this.inviteFailed(p.accountId, keys, out.code, out.details, caller);
    await this.log('InviteRedeemed', { accountId: p.accountId, detail: this.inviteDetail(out.events), ip: caller.ip });
    this.changed(p.accountId, null);
    return this.me(p);
  }

  /**
   * Failed sign-ins count against the caller's address and device and, for devices the account
   * never used, against the phone. A device the account already signed in from is held back only
   * by its own failures: an attacker who floods a phone or shares an address cannot lock its owner out.
   */
  async signIn(input: { phone: unknown; password: unknown }, caller: Caller): Promise<SignedIn> {
    await this.current();
    const at = this.d.now();
    const phone = normalizePhone(input.phone) ?? fail(IdentityError.BAD_PHONE);
    const accountId = accountIdByPhone(this.credentials.state, this.community, phone);
    const known = accountId !== undefined && caller.device != null && knowsDevice(this.credentials.state, accountId, deviceHashOf(caller.device));
    const sources = this.sourceKeys(caller);
    const counted = known ? sources : [...sources, `phone:${phone}`];
    const holding = known ? sources.filter((k) => k.startsWith('dev:')) : counted;
    this.assertNotLocked(holding, at, 'SignInLockedOut', IdentityError.TOO_MANY_ATTEMPTS, { accountId: accountId ?? null, detail: accountId ? '' : this.pseudonym(phone), ip: caller.ip });
    const password = typeof input.password === 'string' && input.password.length <= 512 ? input.password : '';
    const stored = accountId ? credentialOf(this.credentials.state, accountId)?.secretHash : undefined;
    const decoy = await decoyHash;
    // A known device has its own share of the queue and goes first: a flood from its address does not hold it back.
    const ok = await this.hashes.run(known ? `dev:${caller.device}` : this.sourceOf(caller), known, () => verifySecret(password, stored ?? decoy));
    if (!ok || !accountId) {
      this.failures.record(counted, at);
      await this.log('SignInFailed', { accountId: accountId ?? null, code: IdentityError.BAD_CREDENTIALS, detail: accountId ? (known ? 'known device' : '') : this.pseudonym(phone), ip: caller.ip });
      this.d.metrics.inc('identity_signin_total', 'Sign-in attempts by outcome', { outcome: 'bad_credentials' });
      fail(IdentityError.BAD_CREDENTIALS);
    }
    if (credentialOf(this.credentials.state, accountId!)?.revokedAt != null || this.directory.state.accounts[accountId!]?.revokedAt != null) {
      await this.log('SignInFailed', { accountId: accountId!, code: IdentityError.ACCOUNT_REVOKED, ip: caller.ip });
      fail(IdentityError.ACCOUNT_REVOKED);
    }
    if (!this.directory.state.accounts[accountId!]) {
      await this.log('SignInFailed', { accountId: accountId!, code: IdentityError.NO_DIRECTORY_ACCOUNT, ip: caller.ip });
      fail(IdentityError.NO_DIRECTORY_ACCOUNT);
    }
    this.failures.clear(`phone:${phone}`);
    for (const k of sources) if (k.startsWith('dev:')) this.failures.clear(k);
    this.d.metrics.inc('identity_signin_total', 'Sign-in attempts by outcome', { outcome: 'ok' });
    return this.openSession(accountId!, caller);
  }

  async refresh(input: { refreshToken: unknown }, caller: Caller): Promise<SignedIn> {
    await this.current();
    const at = this.d.now();
    const token = typeof input.refreshToken === 'string' && input.refreshToken.length <= 200 ? input.refreshToken : '';
    const sid = token.split('.')[0] ?? '';
    const session = sessionOf(this.credentials.state, sid);
    if (!session) fail(IdentityError.UNKNOWN_SESSION);
    const next = `${sid}.${newSecret()}`;
    const expiresAt = at + this.d.config.refreshTokenTtlS * 1000;
    const out = await this.credentials.submit({ type: 'RefreshSession', sid, presentedHash: sha256(token), nextHash: sha256(next), expiresAt, at });
    if (!out.ok) fail(out.code);
    const closed = out.ok && out.events.find((e) => e.type === 'SessionClosed');
    if (closed) {
      await this.log('RefreshReused', { accountId: session!.accountId, detail: sid, code: IdentityError.REFRESH_REUSED, ip: caller.ip });
      this.changed(session!.accountId, sid);
      fail(IdentityError.REFRESH_REUSED);
    }
    const access = await this.signer.sign({ accountId: session!.accountId, community: this.community, sid, kind: this.kindOf(session!.accountId) });
    return { accessToken: access.token, accessExpiresAt: access.expiresAt, refreshToken: next, refreshExpiresAt: expiresAt, me: this.meOf(session!.accountId) };
  }

  async signOut(p: Principal, caller: Caller): Promise<void> {
    await this.closeSession(p, p.sid, caller);
  }

  sessions(p: Principal, accountId: string = p.accountId): SessionView[] {
    if (accountId !== p.accountId) this.requireOverseer(p, accountId);
    return sessionsOf(this.credentials.state, accountId, this.d.now()).map((s) => ({ ...s, current: s.sid === p.sid }));
  }

  /** Staff may see and end others' sessions, but an administrator's only another administrator may. */
  private requireOverseer(p: Principal, accountId: string): void {
    this.requireStaff(p);
    if (this.isAdmin(accountId) && !this.isAdmin(p.accountId)) fail(DirectoryError.NOT_ADMIN);
  }

  isAdmin(accountId: string): boolean {
    return rolesOf(this.directory.state, accountId, this.d.now()).some((g) => g.role === 'property_admin');
  }

  async closeSession(p: Principal, sid: unknown, caller: Caller): Promise<void> {
    const target = typeof sid === 'string' ? sid : '';
    const holder = sessionOf(this.credentials.state, target)?.accountId;
    if (holder !== undefined && holder !== p.accountId && this.isStaff(p.accountId)) this.requireOverseer(p, holder);
    const byStaff = this.isStaff(p.accountId);
    const out = await this.credentials.submit({ type: 'CloseSession', sid: target, by: p.accountId, byStaff, reason: target === p.sid ? 'sign-out' : byStaff ? 'revoked-by-staff' : 'revoked-by-owner', at: this.d.now() });
    if (!out.ok) fail(out.code);
    const owner = sessionOf(this.credentials.state, target)?.accountId ?? p.accountId;
    await this.log(target === p.sid ? 'SignedOut' : 'SessionRevoked', { accountId: owner, by: p.accountId, detail: target, ip: caller.ip });
    this.changed(owner, target);
  }

  /** Renames the caller, at most RENAMES_PER_HOUR times an hour (each rename is a directory event and re-checks open rooms). */
  async rename(p: Principal, displayName: unknown, caller: Caller): Promise<Me> {
    this.requirePerson(p);
    if (typeof displayName !== 'string') fail(EngineError.BAD_INPUT, { field: 'displayName', problem: 'must be text' });
    const at = this.d.now();
    const key = `rename:${p.accountId}`;
    const wait = this.renames.waitMs(key, at);
    if (wait > 0) {
      await this.log('ActionDenied', { accountId: p.accountId, code: DirectoryError.RENAME_TOO_OFTEN, detail: 'RenameMember', ip: caller.ip });
      fail(DirectoryError.RENAME_TOO_OFTEN, { retryAfterMs: wait });
    }
    // Counted before the await, so concurrent renames cannot all pass the check; taken back when nothing changed.
    this.renames.record([key], at);
    const before = this.displayNameOf(p.accountId);
    try {
      await this.direct(p, { type: 'RenameMember', accountId: p.accountId, displayName: displayName as string, at });
    } finally {
      if (this.displayNameOf(p.accountId) === before) this.renames.forgive(key);
    }
    if (this.displayNameOf(p.accountId) !== before) this.changed(p.accountId, null);
    return this.me(p);
  }

  /**
   * Staff revoke an account: the directory account and the credential. A credential with no
   * directory account (left by an older version's lost sign-up race) is revoked too.
   */
  async revokeAccount(p: Principal, accountId: string, caller: Caller): Promise<void> {
    this.requireStaff(p);
    const at = this.d.now();
    const inDirectory = Object.hasOwn(this.directory.state.accounts, accountId);
    if (inDirectory || !credentialOf(this.credentials.state, accountId)) {
      await this.direct(p, { type: 'RevokeAccount', by: p.accountId, accountId, at });
    }
    await this.credentials.submit({ type: 'RevokeCredentials', accountId, by: p.accountId, at });
    await this.log('AccountRevoked', { accountId, by: p.accountId, detail: inDirectory ? '' : 'credential without directory account', ip: caller.ip });
    this.changed(accountId, null);
  }

  /** Person credentials that no directory account matches; staff see them in the account list. */
  orphanCredentials(): Array<{ accountId: string; createdAt: number; revokedAt: number | null }> {
    return Object.entries(this.credentials.state.accounts)
      .filter(([id, c]) => c.kind === 'person' && c.community === this.community && !Object.hasOwn(this.directory.state.accounts, id))
      .map(([accountId, c]) => ({ accountId, createdAt: c.createdAt, revokedAt: c.revokedAt }));
  }

  // --- devices

  /** Issues (or rotates) a device's secret; returned once, stored only as a hash. */
  async setDeviceSecret(p: Principal, deviceId: unknown, caller: Caller): Promise<{ deviceId: string; secret: string; nats: NatsUser; device: Record<string, unknown> | null }> {
    this.requireStaff(p);
    // Staff asking for a device the registry lacks: not found (404), not a failed sign-in (IDENTITY_UNKNOWN_DEVICE is the device's own 401).
    if (typeof deviceId !== 'string' || !this.d.knownDevice(deviceId)) fail(DeviceError.UNKNOWN, { deviceId: typeof deviceId === 'string' ? deviceId.slice(0, 96) : null });
    const id = deviceId as string;
    const secret = newSecret();
    const accountId = accountIdByDevice(this.credentials.state, this.community, id) ?? newId('dev');
    this.must(await this.credentials.submit({ type: 'SetDeviceSecret', accountId, community: this.community, deviceId: id, secretHash: await hashSecret(secret, this.scrypt), at: this.d.now() }));
    await this.log('DeviceSecretSet', { accountId, by: p.accountId, detail: id, ip: caller.ip });
    this.changed(accountId, null);
    return { deviceId: id, secret, nats: deviceNatsUser(this.keys, this.community, id), device: this.d.describeDevice?.(id) ?? null };
  }

  async deviceSignIn(input: { deviceId: unknown; secret: unknown }, caller: Caller): Promise<{ accessToken: string; accessExpiresAt: number; deviceId: string }> {
    await this.current();
    const at = this.d.now();
    const deviceId = typeof input.deviceId === 'string' && input.deviceId.length <= 128 ? input.deviceId : '';
    const keys = [...this.sourceKeys(caller), `device:${deviceId}`];
    this.assertNotLocked(keys, at, 'SignInLockedOut', IdentityError.TOO_MANY_ATTEMPTS, { detail: `device ${deviceId.slice(0, 64)}`, ip: caller.ip });
    const accountId = accountIdByDevice(this.credentials.state, this.community, deviceId);
    const stored = accountId ? credentialOf(this.credentials.state, accountId) : undefined;
    const decoy = await decoyHash;
    const ok = await this.hashes.run(this.sourceOf(caller), false, () => verifySecret(typeof input.secret === 'string' ? input.secret.slice(0, 200) : '', stored?.secretHash ?? decoy));
    if (!ok || !accountId || stored?.revokedAt != null) {
      this.failures.record(keys, at);
      await this.log('SignInFailed', { accountId: accountId ?? null, code: IdentityError.UNKNOWN_DEVICE, detail: `device ${deviceId.slice(0, 64)}`, ip: caller.ip });
      fail(IdentityError.UNKNOWN_DEVICE);
    }
    const sid = newId('ses');
    const secret = `${sid}.${newSecret()}`;
    this.must(await this.credentials.submit({ type: 'OpenSession', sid, accountId: accountId!, refreshHash: sha256(secret), expiresAt: at + this.d.config.refreshTokenTtlS * 1000, userAgent: caller.userAgent, ip: caller.ip, at }));
    const access = await this.signer.sign({ accountId: accountId!, community: this.community, sid, kind: 'device' });
    await this.log('DeviceSignedIn', { accountId: accountId!, detail: deviceId, ip: caller.ip });
    return { accessToken: access.token, accessExpiresAt: access.expiresAt, deviceId };
  }

  deviceIdOf(p: Principal): string | null {
    return p.kind === 'device' ? credentialOf(this.credentials.state, p.accountId)?.deviceId ?? null : null;
  }

  // --- checks rooms and routes ask

  /** Checks an access token: signature, expiry, community, and that its session is still open. */
  /**
   * Read-your-writes across nodes: the directory and credentials as every node has committed them
   * (an invite issued, an account created or a session opened on another node a moment ago).
   * One look at the journal's end each; called before anything decided from their state.
   */
  private async current(): Promise<void> {
    await Promise.all([this.directory.refresh(), this.credentials.refresh()]);
  }

  async authenticate(token: string | undefined | null, ip: string | null): Promise<Principal> {
    if (!token) fail(IdentityError.TOKEN_MISSING);
    const v = await this.signer.verify(token!);
    if (!v.ok) {
      const code = v.reason === 'expired' ? IdentityError.TOKEN_EXPIRED : IdentityError.TOKEN_INVALID;
      if (code === IdentityError.TOKEN_INVALID) await this.log('TokenRejected', { code, ip });
      fail(code);
    }
    const c = v.ok ? v.claims : fail(IdentityError.TOKEN_INVALID);
    if (c.community !== this.community) {
      await this.log('TokenRejected', { accountId: c.accountId, code: IdentityError.WRONG_COMMUNITY, detail: c.community.slice(0, 64), ip });
      fail(IdentityError.WRONG_COMMUNITY);
    }
    let session = sessionOf(this.credentials.state, c.sid);
    if (!session) {
      // Signed with our key but not known here: another node may have opened it a moment ago.
      await Promise.all([this.credentials.refresh(), this.directory.refresh()]);
      session = sessionOf(this.credentials.state, c.sid);
    }
    if (!session || session.accountId !== c.accountId) fail(IdentityError.TOKEN_INVALID);
    const status = sessionStatus(this.credentials.state, c.sid, this.d.now());
    if (status === 'revoked') fail(IdentityError.SESSION_REVOKED);
    if (status === 'expired') fail(IdentityError.SESSION_EXPIRED);
    const account = this.directory.state.accounts[c.accountId];
    if (account?.revokedAt != null) fail(DirectoryError.ACCOUNT_REVOKED);
    // A credential without a directory account (left by an older version's lost sign-up race) opens nothing.
    if (c.kind === 'person' && !account) fail(IdentityError.NO_DIRECTORY_ACCOUNT);
    return { accountId: c.accountId, sid: c.sid, community: c.community, kind: c.kind };
  }

  /** Whether the principal may join the room now; throws the typed reason when not, and logs the denial. */
  async admit(p: Principal, room: RoomRef, ip: string | null): Promise<{ displayName: string; roles: RoleGrant[] }> {
    if (p.kind !== 'person') {
      await this.log('JoinDenied', { accountId: p.accountId, code: IdentityError.WRONG_TOKEN_KIND, detail: `${room.kind}/${room.id}`, ip });
      fail(IdentityError.WRONG_TOKEN_KIND);
    }
    const at = this.d.now();
    const verdict = mayJoin(this.directory.state, p.accountId, room, at);
    if (!verdict.ok) {
      await this.log('JoinDenied', { accountId: p.accountId, code: verdict.code, detail: `${room.kind}/${room.id}`, ip });
      this.d.metrics.inc('identity_join_denied_total', 'Room joins refused', { kind: room.kind, code: verdict.code });
      fail(verdict.code);
    }
    return { displayName: this.shownNameOf(p.accountId) ?? p.accountId, roles: rolesOf(this.directory.state, p.accountId, at) };
  }

  /**
   * The name rooms show: the display name, with the office's badge for property staff （物业） and
   * guards （保安）. Nobody else may use those words in a name (DIRECTORY_NAME_RESERVED), so the
   * badge cannot be imitated.
   */
  shownNameOf(accountId: string): string | null {
    const name = this.displayNameOf(accountId);
    if (name === null) return null;
    const roles = rolesOf(this.directory.state, accountId, this.d.now()).map((g) => g.role);
    const badge = roles.includes('property_admin') || roles.includes('property_staff') ? '（物业）' : roles.includes('guard') ? '（保安）' : '';
    return `${name}${badge}`;
  }

  /** Re-check of an open connection: its session is open and it may still be in the room. Never throws. */
  stillAdmitted(p: Principal, room: RoomRef): { ok: true } | { ok: false; code: string } {
    // The account first: a revoked person is told so, not merely that their session ended.
    if (this.directory.state.accounts[p.accountId]?.revokedAt != null || credentialOf(this.credentials.state, p.accountId)?.revokedAt != null) {
      return { ok: false, code: DirectoryError.ACCOUNT_REVOKED };
    }
    const status = sessionStatus(this.credentials.state, p.sid, this.d.now());
    if (status !== 'open') return { ok: false, code: status === 'expired' ? IdentityError.SESSION_EXPIRED : IdentityError.SESSION_REVOKED };
    const verdict = mayJoin(this.directory.state, p.accountId, room, this.d.now());
    return verdict.ok ? { ok: true } : { ok: false, code: verdict.code };
  }

  mayPost(p: Principal, room: RoomRef, type: MessageType): { ok: true } | { ok: false; code: string } {
    return mayPost(this.directory.state, p.accountId, room, type, this.d.now());
  }

  /** Staff-only and admin-only HTTP routes call these; they throw IDENTITY_FORBIDDEN. */
  requireStaff(p: Principal): void {
    this.requirePerson(p);
    if (!this.isStaff(p.accountId)) fail(IdentityError.FORBIDDEN);
  }

  requireRoom(p: Principal, room: RoomRef): void {
    this.requirePerson(p);
    const verdict = mayJoin(this.directory.state, p.accountId, room, this.d.now());
    if (!verdict.ok) fail(IdentityError.FORBIDDEN);
  }

  /** The current members of a unit (tenancies not ended, none revoked), with their role there. */
  unitMembers(unitId: string): { accountId: string; role: ResidentRoleOf }[] {
    const at = this.d.now();
    return Object.entries(this.directory.state.accounts)
      .filter(([, a]) => a.revokedAt === null && Object.hasOwn(a.units, unitId) && (a.units[unitId]!.endsAt === null || at < a.units[unitId]!.endsAt!))
      .map(([accountId, a]) => ({ accountId, role: a.units[unitId]!.role }));
  }

  /** Accounts holding property_staff or property_admin now. */
  staffAccounts(): string[] {
    return Object.keys(this.directory.state.accounts).filter((id) => this.isStaff(id));
  }

  /** The roles an account holds now (none when revoked). */
  roles(accountId: string): RoleGrant[] {
    return rolesOf(this.directory.state, accountId, this.d.now());
  }

  isStaff(accountId: string): boolean {
    return rolesOf(this.directory.state, accountId, this.d.now()).some((g) => g.role === 'property_staff' || g.role === 'property_admin');
  }

  /** The service clock (injectable in tests). */
  now(): number {
    return this.d.now();
  }

  me(p: Principal): Me {
    return this.meOf(p.accountId);
  }

  displayNameOf(accountId: string): string | null {
    return this.directory.state.accounts[accountId]?.displayName ?? null;
  }

  // --- shared steps

  /** Every denial and sign-in goes to the security log (and from there to analytics). */
  async log(event: SecurityEventType, f: Partial<Omit<SecurityRecord, 'type' | 'event' | 'at'>>): Promise<void> {
    const at = this.d.now();
    if (WARN_EVENTS.has(event)) this.warn(event, f, at);
    const out = await this.security.submit({ type: 'Record', event, accountId: f.accountId ?? null, by: f.by ?? null, code: f.code ?? null, detail: f.detail ?? '', ip: f.ip ?? null, at });
    if (!out.ok) this.d.log.warn('security log refused an event', { event, code: out.code });
  }

  /** Failures and refusals reach the server log at warn: at most one line per event type and second, with the count it stands for. */
  private warn(event: SecurityEventType, f: Partial<SecurityRecord>, at: number): void {
    const last = this.warnedAt.get(event);
    if (last && at - last.at < 1000) { last.suppressed++; return; }
    this.warnedAt.set(event, { at, suppressed: 0 });
    this.d.log.warn(`security: ${event}`, { event, code: f.code ?? null, accountId: f.accountId ?? null, ip: f.ip ?? null, detail: f.detail ?? '', alsoInLastSecond: last?.suppressed ?? 0 });
  }

  /** Tells open rooms that an account's access may have changed (sid: one session, null: all). */
  changed(accountId: string, sid: string | null): void {
    this.d.bus.publish(subjects.accessChanged(this.community), encodeJson({ accountId, sid }));
  }

  /** A directory command by a signed-in person; the result or its typed rejection. */
  async direct(p: Principal, command: DirectoryCommand): Promise<readonly DirectoryEvent[]> {
    this.requirePerson(p);
    const out = await this.directory.submit(command);
    if (!out.ok) {
      await this.log('ActionDenied', { accountId: p.accountId, code: out.code, detail: command.type });
      fail(out.code as Code, out.details as Record<string, unknown> | undefined);
    }
    return out.ok ? out.events : [];
  }

  async hashCode(code: string): Promise<string> {
    return this.keys.codeHash(normalizeInviteCode(code)!);
  }

  requirePerson(p: Principal): void {
    if (p.kind !== 'person') fail(IdentityError.WRONG_TOKEN_KIND);
  }

  private kindOf(accountId: string): TokenKind {
    return credentialOf(this.credentials.state, accountId)?.kind === 'device' ? 'device' : 'person';
  }

  private meOf(accountId: string): Me {
    const cred = credentialOf(this.credentials.state, accountId);
    return {
      accountId, community: this.community, displayName: this.displayNameOf(accountId),
      phone: cred?.phone ? maskPhone(cred.phone) : null, roles: rolesOf(this.directory.state, accountId, this.d.now()),
    };
  }

  private checkSignUp(input: { phone: unknown; password: unknown; displayName: unknown }): { phone: string; password: string; name: string } {
    const phone = normalizePhone(input.phone) ?? fail(IdentityError.BAD_PHONE);
    const problem = passwordProblem(input.password);
    if (problem) fail(IdentityError.WEAK_PASSWORD, { problem });
    if (typeof input.displayName !== 'string') fail(EngineError.BAD_INPUT, { field: 'displayName', problem: 'must be text' });
    if ((input.displayName as string).length > 400) fail(DirectoryError.NAME_TOO_LONG, { maxChars: this.dirLimits.displayNameMaxChars });
    return { phone, password: input.password as string, name: input.displayName as string };
  }

  private codeHashOf(raw: unknown): string {
    const code = normalizeInviteCode(raw);
    // A malformed code is hashed too: it is simply unknown, and counts as a failed attempt.
    return this.keys.codeHash(code ?? `malformed:${typeof raw === 'string' ? raw.slice(0, 40) : ''}`);
  }

  private inviteDetail(events: readonly DirectoryEvent[]): string {
    const e = events.find((x) => x.type === 'InviteRedeemed');
    return e && e.type === 'InviteRedeemed' ? `${e.role}${e.unitId ? ` ${e.unitId}` : ''}` : 'retry';
  }

  private async inviteFailed(accountId: string | null, keys: readonly string[], code: DirectoryErrorCode | string, details: unknown, caller: Caller): Promise<never> {
    if ((COUNTED_INVITE_FAILURES as readonly string[]).includes(code)) this.failures.record(keys, this.d.now());
    await this.log('InviteFailed', { accountId, code, ip: caller.ip });
    this.d.metrics.inc('identity_invite_failures_total', 'Invite redemptions refused', { code });
    return fail(code as Code, details as Record<string, unknown> | undefined);
  }

  /** Throws the typed lock-out (429 with Retry-After) while any of `keys` must wait; nothing is hashed then. */
  private assertNotLocked(keys: readonly string[], at: number, event: SecurityEventType, code: string, f: Partial<SecurityRecord>): void {
    const wait = this.failures.waitAny(keys, at);
    if (wait > 0) {
      const key = keys.join('|');
      const last = this.lockLogged.get(key);
      if (last === undefined || at - last >= LOCK_LOG_EVERY_MS) {
        this.lockLogged.delete(key);
        this.lockLogged.set(key, at);
        if (this.lockLogged.size > LOCK_LOG_KEYS) this.lockLogged.delete(this.lockLogged.keys().next().value!);
        void this.log(event, { ...f, code });
      }
      this.d.metrics.inc('identity_signin_total', 'Sign-in attempts by outcome', { outcome: 'locked' });
      fail(code, { retryAfterMs: wait });
    }
  }

  /** The keys a caller's failures count against: its address and its device. */
  private sourceKeys(caller: Caller): string[] {
    const keys: string[] = [];
    if (caller.ip) keys.push(`ip:${caller.ip}`);
    if (caller.device) keys.push(`dev:${deviceHashOf(caller.device)}`);
    return keys;
  }

  private sourceOf(caller: Caller): string {
    return caller.ip ?? (caller.device ? `dev:${caller.device}` : 'unknown');
  }

  /** scrypt through the bounded queue. */
  private hash(caller: Caller, password: string): Promise<string> {
    return this.hashes.run(this.sourceOf(caller), false, () => hashSecret(password, this.scrypt));
  }

  /** A stable keyed name for a phone that has no account: reviewers can group attempts, nobody can read digits. */
  private pseudonym(phone: string): string {
    return `phone#${this.keys.codeHash(`phone:${phone}`).slice(0, 10)}`;
  }

  /** Remembers the caller's device for the account (its lock-outs then no longer apply to it). */
  private async rememberDevice(accountId: string, caller: Caller): Promise<void> {
    if (!caller.device) return;
    const out = await this.credentials.submit({ type: 'RememberDevice', accountId, deviceHash: deviceHashOf(caller.device), at: this.d.now() });
    if (!out.ok) this.d.log.warn('device not remembered', { code: out.code });
  }

  private async createAccount(accountId: string, phone: string, password: string, at: number): Promise<void> {
    const passwordHash = await hashSecret(password, this.scrypt);
    this.must(await this.credentials.submit({ type: 'CreateAccount', accountId, community: this.community, phone, passwordHash, at }));
  }

  private async openSession(accountId: string, caller: Caller): Promise<SignedIn> {
    const at = this.d.now();
    const sid = newId('ses');
    const refreshToken = `${sid}.${newSecret()}`;
    const refreshExpiresAt = at + this.d.config.refreshTokenTtlS * 1000;
    this.must(await this.credentials.submit({ type: 'OpenSession', sid, accountId, refreshHash: sha256(refreshToken), expiresAt: refreshExpiresAt, userAgent: caller.userAgent, ip: caller.ip, at }));
    const access = await this.signer.sign({ accountId, community: this.community, sid, kind: 'person' });
    await this.rememberDevice(accountId, caller);
    await this.log('SignedIn', { accountId, detail: sid, ip: caller.ip });
    return { accessToken: access.token, accessExpiresAt: access.expiresAt, refreshToken, refreshExpiresAt, me: this.meOf(accountId) };
  }

  private must<T extends { ok: boolean; code?: string; details?: unknown }>(out: T): T {
    if (!out.ok) fail(out.code as Code, out.details as Record<string, unknown> | undefined);
    return out;
  }
}

function dirLimitsOf(c: Config) {
  return { ...DEFAULT_DIRECTORY_LIMITS, maxInviteFailures: c.signInMaxFailures, maxInviteFailuresPerAddress: c.signInMaxFailuresPerAddress, inviteFailureWindowMs: c.signInLockoutS * 1000 };
}

/** The stored form of a device key. */
export function deviceHashOf(deviceKey: string): string {
  return sha256(`device:${deviceKey}`);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.byteLength === y.byteLength && timingSafeEqual(x, y);
}

/** Directory events on the bus (and in analytics) carry no owner-of-record names and no code hashes. */
function redactDirectory(r: JournalRecord): JournalRecord {
  const e = r.event as DirectoryEvent;
  if (e.type === 'UnitsImported') return { ...r, event: { ...e, units: e.units.map((u) => ({ ...u, ownerOfRecord: null })) } };
  if (e.type === 'InviteIssued' || e.type === 'InviteRedeemed' || e.type === 'RedemptionVoided') return { ...r, event: { ...e, codeHash: '' } };
  if (e.type === 'InviteAttemptFailed') return { ...r, event: { ...e, keys: [] } };
  return r;
}

export type { Role, RoomRef };
type ResidentRoleOf = 'owner' | 'tenant' | 'family';
