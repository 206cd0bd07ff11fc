/**
 * @module actors/community/directory
 * The directory of ONE community as a pure state machine: unit register, one-time invites,
 * memberships (owner, tenant, family), staff roles, display names, failed-invite counting; plus
 * the pure queries every room asks (`rolesOf`, `mayJoin`, `mayPost`).
 * Owns: who belongs to which unit and who holds which role, at an instant `at`. Does not: hash
 * codes, authenticate, close sessions (rooms react to AccountRevoked), or see other communities.
 * Concurrency: pure; the engine feeds one command at a time. Overflow: failed-attempt keys beyond
 * `attemptKeysKept` forget the key whose latest failure is oldest; imports are capped per command.
 */
import { accept, reject, assertNever, defineActor, type Decision } from '../_kit/index.ts';
import { DirectoryError, type DirectoryErrorCode } from './directory-errors.ts';
import { DEFAULT_DISPLAY_NAME_MAX_CHARS, normalizeDisplayName, usesReservedWord } from './display-name.ts';
import { unitIdOf, unitRowProblem } from './unit-register.ts';
import type {
  Account, AddMember, Admission, DirectoryCommand, DirectoryEvent, DirectoryLimits, DirectoryState, ImportUnits,
  IssueInvite, Membership, MessageType, RecordFailedAttempt, RedeemInvite, RemoveMember, RenameMember, ResidentRole,
  RevokeAccount, RoleGrant, RoomRef, StaffRole, Unit, VoidRedemption,
} from './directory-protocol.ts';

export const DEFAULT_DIRECTORY_LIMITS: DirectoryLimits = {
  maxInviteFailures: 5,
  maxInviteFailuresPerAddress: 50,
  inviteFailureWindowMs: 15 * 60_000,
  attemptKeysKept: 10_000,
  maxUnitsPerImport: 5_000,
  displayNameMaxChars: DEFAULT_DISPLAY_NAME_MAX_CHARS,
};

export const RESIDENT_ROLES: readonly ResidentRole[] = ['owner', 'tenant', 'family'];
export const STAFF_ROLES: readonly StaffRole[] = ['property_staff', 'property_admin', 'guard', 'merchant', 'carer', 'analyst'];
/** Rejections of RedeemInvite that count towards a lock-out: the ones a code guesser gets. */
export const COUNTED_INVITE_FAILURES: readonly DirectoryErrorCode[] = [
  DirectoryError.UNKNOWN_INVITE, DirectoryError.INVITE_EXPIRED, DirectoryError.INVITE_USED,
];
/** An engine-computed hash (hex or base64/base64url), never a raw short code. */
const CODE_HASH = /^[A-Za-z0-9+/=_-]{16,128}$/;

export const initialDirectory: DirectoryState = { founded: false, units: {}, invites: {}, accounts: {}, names: {}, failures: {} };
const emptyAccount: Account = { displayName: null, nameKey: null, revokedAt: null, units: {}, staffRoles: [] };

type D = Decision<DirectoryEvent, DirectoryErrorCode>;

/** Own-property lookup, so ids such as `__proto__` or `constructor` are plain keys. */
function own<T>(rec: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}

function without<T>(rec: Readonly<Record<string, T>>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(rec).filter(([k]) => k !== key));
}

const isActive = (m: Membership, at: number) => m.endsAt === null || at < m.endsAt;

function liveAccount(s: DirectoryState, id: string): Account | undefined {
  const a = own(s.accounts, id);
  return a && a.revokedAt === null ? a : undefined;
}

function holds(s: DirectoryState, id: string, ...roles: StaffRole[]): boolean {
  const a = liveAccount(s, id);
  return a !== undefined && a.staffRoles.some((r) => roles.includes(r));
}

const isStaff = (s: DirectoryState, id: string) => holds(s, id, 'property_staff', 'property_admin');
const isAdmin = (s: DirectoryState, id: string) => holds(s, id, 'property_admin');

/** Whether `id` is the only live admin; revoked accounts never count, as isAdmin asks liveAccount. */
function isLastAdmin(s: DirectoryState, id: string): boolean {
  if (!isAdmin(s, id)) return false;
  return !Object.keys(s.accounts).some((other) => other !== id && isAdmin(s, other));
}

function activeMembership(s: DirectoryState, accountId: string, unitId: string, at: number): Membership | undefined {
  const m = own(liveAccount(s, accountId)?.units ?? {}, unitId);
  return m && isActive(m, at) ? m : undefined;
}

/** The keys a failed redemption counts against. */
export function attemptKeysOf(accountId: string, ip: string | null): string[] {
  return ip === null ? [`account:${accountId}`] : [`account:${accountId}`, `ip:${ip}`];
}

/** Milliseconds until a redemption by this account from this address is allowed again; 0 when it is now. */
export function inviteLockout(s: DirectoryState, limits: DirectoryLimits, accountId: string, ip: string | null, at: number): number {
  let wait = 0;
  for (const key of attemptKeysOf(accountId, ip)) {
    const times = own(s.failures, key) ?? [];
    const max = key.startsWith('ip:') ? limits.maxInviteFailuresPerAddress : limits.maxInviteFailures;
    if (times.length < max) continue;
    const oldest = times[times.length - max];
    wait = Math.max(wait, oldest + limits.inviteFailureWindowMs - at);
  }
  return Math.max(0, wait);
}

/** The command that counts a rejected redemption, or null when the rejection does not count. */
export function failedAttemptOf(c: RedeemInvite, code: string): RecordFailedAttempt | null {
  return (COUNTED_INVITE_FAILURES as readonly string[]).includes(code)
    ? { type: 'RecordFailedAttempt', accountId: c.accountId, ip: c.ip, code, at: c.at }
    : null;
}

/** Longest tenancy an invite or AddMember may set: 30 years from now. */
export const MAX_TENANCY_MS = 30 * 365 * 86_400_000;
/** Roles whose holders speak for the property office and so may use its words in their names. */
const OFFICE_ROLES: readonly StaffRole[] = ['property_staff', 'property_admin', 'guard'];

function tenancyProblem(role: ResidentRole, tenancyEndsAt: number | null, at: number): boolean {
  return role === 'tenant'
    ? !(typeof tenancyEndsAt === 'number' && Number.isFinite(tenancyEndsAt) && tenancyEndsAt > at && tenancyEndsAt <= at + MAX_TENANCY_MS)
    : tenancyEndsAt !== null;
}

function decideImport(s: DirectoryState, c: ImportUnits, l: DirectoryLimits): D {
  if (!isStaff(s, c.by)) return reject(DirectoryError.NOT_STAFF);
  if (c.units.length > l.maxUnitsPerImport) return reject(DirectoryError.IMPORT_TOO_LARGE, { max: l.maxUnitsPerImport });
  const fresh: Unit[] = [];
  const ids = new Set<string>();
  for (const [index, row] of c.units.entries()) {
    const problem = unitRowProblem(row);
    if (problem) return reject(DirectoryError.BAD_UNIT, { index, column: problem.column });
    const id = unitIdOf(row);
    if (own(s.units, id) || ids.has(id)) continue; // idempotent per unit id: the first record wins
    ids.add(id);
    const { buildingId, entrance, floor, room, areaM2, ownerOfRecord } = row;
    fresh.push({ id, buildingId, entrance, floor, room, areaM2, ownerOfRecord });
  }
  return fresh.length === 0 ? accept() : accept({ type: 'UnitsImported', v: 1, by: c.by, units: fresh, at: c.at });
}

function decideIssue(s: DirectoryState, c: IssueInvite): D {
  const staffInvite = (STAFF_ROLES as readonly string[]).includes(c.role);
  // An owner invites family and tenants to their own unit; everything else is the property office's.
  const householdRole = c.role === 'family' || c.role === 'tenant';
  const ownerInvite = householdRole && c.unitId !== null && activeMembership(s, c.by, c.unitId, c.at)?.role === 'owner';
  if (staffInvite ? !isAdmin(s, c.by) : !isStaff(s, c.by) && !ownerInvite) {
    // Family and tenants may be invited by the unit's owner, so that refusal names the owner; owner invites are the office's alone.
    return reject(staffInvite ? DirectoryError.NOT_ADMIN : householdRole ? DirectoryError.NOT_OWNER : DirectoryError.NOT_STAFF);
  }
  const existing = own(s.invites, c.codeHash);
  if (existing) {
    const same = existing.redeemedBy === null && existing.unitId === c.unitId && existing.role === c.role
      && existing.expiresAt === c.expiresAt && existing.tenancyEndsAt === c.tenancyEndsAt;
    return same ? accept() : reject(DirectoryError.INVITE_EXISTS);
  }
  if (staffInvite) {
    if (c.unitId !== null || c.tenancyEndsAt !== null) return reject(DirectoryError.BAD_ROLE, { role: c.role });
  } else {
    if (!RESIDENT_ROLES.includes(c.role as ResidentRole)) return reject(DirectoryError.BAD_ROLE, { role: c.role });
    if (c.unitId === null || !own(s.units, c.unitId)) return reject(DirectoryError.UNKNOWN_UNIT, { unitId: c.unitId });
    if (tenancyProblem(c.role as ResidentRole, c.tenancyEndsAt, c.at)) return reject(DirectoryError.BAD_TENANCY);
  }
  if (typeof c.codeHash !== 'string' || !CODE_HASH.test(c.codeHash)) return reject(DirectoryError.BAD_CODE_HASH);
  if (!Number.isFinite(c.expiresAt) || c.expiresAt <= c.at) return reject(DirectoryError.BAD_EXPIRY);
  return accept({
    type: 'InviteIssued', v: 1, by: c.by, codeHash: c.codeHash, unitId: c.unitId, role: c.role,
    expiresAt: c.expiresAt, tenancyEndsAt: c.tenancyEndsAt, at: c.at,
  });
}

/** Name checks shared by RedeemInvite and RenameMember: valid, and no other account holds its key. */
function checkName(s: DirectoryState, accountId: string, raw: string, l: DirectoryLimits, office: boolean):
  Decision<never, DirectoryErrorCode> & { ok: false } | { ok: true; name: string; key: string } {
  const r = normalizeDisplayName(raw, l.displayNameMaxChars);
  if (!r.ok) return { ok: false, code: r.code, ...(r.code === DirectoryError.NAME_TOO_LONG ? { details: { maxChars: l.displayNameMaxChars } } : {}) };
  if (!office && usesReservedWord(r.key)) return { ok: false, code: DirectoryError.NAME_RESERVED };
  const holder = own(s.names, r.key);
  if (holder !== undefined && holder !== accountId) return { ok: false, code: DirectoryError.NAME_TAKEN };
  return r;
}

/**
 * Why a redemption of this code by this account would be refused, looking at the code and the
 * account only (lock-out, unknown, used or expired code, revoked account, already a member), or
 * null. Sign-up asks this before it looks at the phone, password or name, so a wrong code is
 * told first; RedeemInvite asks it before the name.
 */
export function redemptionRefusal(s: DirectoryState, l: DirectoryLimits, c: Pick<RedeemInvite, 'codeHash' | 'accountId' | 'ip' | 'at'>):
  Decision<never, DirectoryErrorCode> | null {
  const wait = inviteLockout(s, l, c.accountId, c.ip, c.at);
  if (wait > 0) return reject(DirectoryError.TOO_MANY_ATTEMPTS, { retryAfterMs: wait });
  const invite = own(s.invites, c.codeHash);
  if (!invite) return reject(DirectoryError.UNKNOWN_INVITE);
  if (invite.redeemedBy === c.accountId) return null; // a retry by whoever redeemed it
  if (invite.redeemedBy !== null) return reject(DirectoryError.INVITE_USED);
  if (c.at >= Math.min(invite.expiresAt, invite.tenancyEndsAt ?? Infinity)) return reject(DirectoryError.INVITE_EXPIRED);
  if (own(s.accounts, c.accountId)?.revokedAt != null) return reject(DirectoryError.ACCOUNT_REVOKED);
  if (invite.unitId !== null && activeMembership(s, c.accountId, invite.unitId, c.at)) return reject(DirectoryError.ALREADY_MEMBER, { unitId: invite.unitId });
  return null;
}

function decideRedeem(s: DirectoryState, c: RedeemInvite, l: DirectoryLimits): D {
  const refused = redemptionRefusal(s, l, c);
  if (refused) return refused;
  const invite = own(s.invites, c.codeHash)!;
  if (invite.redeemedBy === c.accountId) return accept(); // a retry by whoever redeemed it
  const office = (OFFICE_ROLES as readonly string[]).includes(invite.role) || holds(s, c.accountId, ...OFFICE_ROLES);
  const name = checkName(s, c.accountId, c.displayName, l, office);
  if (!name.ok) return name;
  return accept({
    type: 'InviteRedeemed', v: 1, codeHash: c.codeHash, accountId: c.accountId, unitId: invite.unitId,
    buildingId: invite.unitId === null ? null : own(s.units, invite.unitId)!.buildingId, role: invite.role, endsAt: invite.tenancyEndsAt,
    displayName: name.name, nameKey: name.key, at: c.at,
  });
}

function decideAdd(s: DirectoryState, c: AddMember): D {
  const unit = own(s.units, c.unitId);
  if (!unit) return reject(DirectoryError.UNKNOWN_UNIT, { unitId: c.unitId });
  if (activeMembership(s, c.by, c.unitId, c.at)?.role !== 'owner') return reject(DirectoryError.NOT_OWNER);
  if (c.role !== 'family' && c.role !== 'tenant') return reject(DirectoryError.BAD_ROLE, { role: c.role });
  if (tenancyProblem(c.role, c.tenancyEndsAt, c.at)) return reject(DirectoryError.BAD_TENANCY);
  if (own(s.accounts, c.accountId)?.revokedAt != null) return reject(DirectoryError.ACCOUNT_REVOKED);
  const current = activeMembership(s, c.accountId, c.unitId, c.at);
  if (current) {
    return current.role === c.role && current.endsAt === c.tenancyEndsAt ? accept() : reject(DirectoryError.ALREADY_MEMBER, { unitId: c.unitId });
  }
  return accept({
    type: 'MemberAdded', v: 1, by: c.by, unitId: c.unitId, buildingId: unit.buildingId, accountId: c.accountId,
    role: c.role, endsAt: c.tenancyEndsAt, at: c.at,
  });
}

function decideRemove(s: DirectoryState, c: RemoveMember): D {
  if (!own(s.units, c.unitId)) return reject(DirectoryError.UNKNOWN_UNIT, { unitId: c.unitId });
  const staff = isStaff(s, c.by);
  const self = c.by === c.accountId && liveAccount(s, c.by) !== undefined;
  if (!staff && !self && activeMembership(s, c.by, c.unitId, c.at)?.role !== 'owner') return reject(DirectoryError.NOT_OWNER);
  const target = own(own(s.accounts, c.accountId)?.units ?? {}, c.unitId);
  if (!target) return reject(DirectoryError.NOT_MEMBER, { unitId: c.unitId });
  // Only the property office takes an owner off a unit (a sale, a court order); owners cannot remove each other.
  if (target.role === 'owner' && !staff) return reject(DirectoryError.NOT_STAFF);
  return accept({ type: 'MemberRemoved', v: 1, by: c.by, unitId: c.unitId, accountId: c.accountId, at: c.at });
}

function decideRevokeAccount(s: DirectoryState, c: RevokeAccount): D {
  if (!isStaff(s, c.by)) return reject(DirectoryError.NOT_STAFF);
  const target = own(s.accounts, c.accountId);
  if (!target) return reject(DirectoryError.UNKNOWN_ACCOUNT);
  if (target.revokedAt !== null) return accept();
  if (target.staffRoles.includes('property_admin') && !isAdmin(s, c.by)) return reject(DirectoryError.NOT_ADMIN);
  if (isLastAdmin(s, c.accountId)) return reject(DirectoryError.LAST_ADMIN);
  return accept({ type: 'AccountRevoked', v: 1, by: c.by, accountId: c.accountId, at: c.at });
}

function decideRename(s: DirectoryState, c: RenameMember, l: DirectoryLimits): D {
  const account = own(s.accounts, c.accountId);
  if (!account) return reject(DirectoryError.UNKNOWN_ACCOUNT);
  if (account.revokedAt !== null) return reject(DirectoryError.ACCOUNT_REVOKED);
  const name = checkName(s, c.accountId, c.displayName, l, holds(s, c.accountId, ...OFFICE_ROLES));
  if (!name.ok) return name;
  if (name.name === account.displayName) return accept();
  return accept({ type: 'MemberRenamed', v: 1, accountId: c.accountId, displayName: name.name, nameKey: name.key, at: c.at });
}

/**
 * Undoes a sign-up whose credential could not be created (its phone was taken in the meantime):
 * the account the redemption made goes, and the invite is usable again. Only for an account
 * that holds nothing but what this one redemption gave it.
 */
function decideVoid(s: DirectoryState, c: VoidRedemption): D {
  const invite = own(s.invites, c.codeHash);
  const account = own(s.accounts, c.accountId);
  if (!invite || invite.redeemedBy !== c.accountId || !account) return reject(DirectoryError.NOT_REDEEMED);
  const gave = Object.keys(account.units).length + account.staffRoles.length;
  if (gave > 1) return reject(DirectoryError.NOT_REDEEMED);
  return accept({ type: 'RedemptionVoided', v: 1, codeHash: c.codeHash, accountId: c.accountId, at: c.at });
}

function decideWith(l: DirectoryLimits, s: DirectoryState, c: DirectoryCommand): D {
  switch (c.type) {
    case 'FoundDirectory':
      return s.founded ? reject(DirectoryError.ALREADY_FOUNDED) : accept({ type: 'DirectoryFounded', v: 1, adminId: c.adminId, at: c.at });
    case 'ImportUnits': return decideImport(s, c, l);
    case 'IssueInvite': return decideIssue(s, c);
    case 'RedeemInvite': return decideRedeem(s, c, l);
    case 'RecordFailedAttempt':
      return (COUNTED_INVITE_FAILURES as readonly string[]).includes(c.code)
        ? accept({ type: 'InviteAttemptFailed', v: 1, keys: attemptKeysOf(c.accountId, c.ip), code: c.code, at: c.at })
        : accept(); // a rejection that does not count (bad name, revoked account, lock-out itself)
    case 'AddMember': return decideAdd(s, c);
    case 'RemoveMember': return decideRemove(s, c);
    case 'GrantRole': {
      if (!isAdmin(s, c.by)) return reject(DirectoryError.NOT_ADMIN);
      if (!STAFF_ROLES.includes(c.role)) return reject(DirectoryError.BAD_ROLE, { role: c.role });
      // Only an account the directory knows (it founded or redeemed an invite) takes a role: a grant
      // to an unknown id would create a phantom admin that no one can sign in as, yet that the
      // last-admin rule would count.
      const target = own(s.accounts, c.accountId);
      if (!target) return reject(DirectoryError.UNKNOWN_ACCOUNT);
      if (target.revokedAt !== null) return reject(DirectoryError.ACCOUNT_REVOKED);
      if (target.staffRoles.includes(c.role)) return accept();
      return accept({ type: 'RoleGranted', v: 1, by: c.by, accountId: c.accountId, role: c.role, at: c.at });
    }
    case 'RevokeRole': {
      if (!isAdmin(s, c.by)) return reject(DirectoryError.NOT_ADMIN);
      if (!STAFF_ROLES.includes(c.role)) return reject(DirectoryError.BAD_ROLE, { role: c.role });
      const target = own(s.accounts, c.accountId);
      if (!target) return reject(DirectoryError.UNKNOWN_ACCOUNT);
      if (!target.staffRoles.includes(c.role)) return accept();
      if (c.role === 'property_admin' && isLastAdmin(s, c.accountId)) return reject(DirectoryError.LAST_ADMIN);
      return accept({ type: 'RoleRevoked', v: 1, by: c.by, accountId: c.accountId, role: c.role, at: c.at });
    }
    case 'RevokeAccount': return decideRevokeAccount(s, c);
    case 'RenameMember': return decideRename(s, c, l);
    case 'VoidRedemption': return decideVoid(s, c);
    default: return assertNever(c);
  }
}

// --- evolve

function withAccount(s: DirectoryState, id: string, change: (a: Account) => Account): DirectoryState {
  return { ...s, accounts: { ...s.accounts, [id]: change(own(s.accounts, id) ?? emptyAccount) } };
}

function withName(s: DirectoryState, id: string, displayName: string, nameKey: string): DirectoryState {
  const old = own(s.accounts, id)?.nameKey ?? null;
  const kept = old !== null && own(s.names, old) === id ? without(s.names, old) : s.names;
  // A computed key defines an own property even for `__proto__`; assignment would set the prototype.
  return { ...withAccount(s, id, (a) => ({ ...a, displayName, nameKey })), names: { ...kept, [nameKey]: id } };
}

function withMembership(s: DirectoryState, id: string, m: Membership): DirectoryState {
  return withAccount(s, id, (a) => ({ ...a, units: { ...a.units, [m.unitId]: m } }));
}

function setRole(a: Account, role: StaffRole, on: boolean): Account {
  const rest = a.staffRoles.filter((r) => r !== role);
  return { ...a, staffRoles: on ? [...rest, role].sort() : rest };
}

function recordFailure(s: DirectoryState, keys: readonly string[], at: number, l: DirectoryLimits): DirectoryState {
  const failures: Record<string, readonly number[]> = {};
  for (const [key, times] of Object.entries(s.failures)) {
    if (times[times.length - 1] > at - l.inviteFailureWindowMs) failures[key] = times; // forget stale keys
  }
  for (const key of keys) failures[key] = [...(own(failures, key) ?? []), at].slice(-(key.startsWith('ip:') ? l.maxInviteFailuresPerAddress : l.maxInviteFailures));
  const entries = Object.entries(failures);
  if (entries.length <= l.attemptKeysKept) return { ...s, failures };
  entries.sort(([ka, a], [kb, b]) => b[b.length - 1] - a[a.length - 1] || (ka < kb ? -1 : ka > kb ? 1 : 0));
  return { ...s, failures: Object.fromEntries(entries.slice(0, l.attemptKeysKept)) };
}

function evolveWith(l: DirectoryLimits, s: DirectoryState, e: DirectoryEvent): DirectoryState {
  switch (e.type) {
    case 'DirectoryFounded': return { ...withAccount(s, e.adminId, (a) => setRole(a, 'property_admin', true)), founded: true };
    case 'UnitsImported': {
      const fresh = e.units.filter((u) => !own(s.units, u.id)).map((u) => [u.id, u] as const);
      return { ...s, units: { ...s.units, ...Object.fromEntries(fresh) } };
    }
    case 'InviteIssued': {
      const invite = { unitId: e.unitId, role: e.role, expiresAt: e.expiresAt, tenancyEndsAt: e.tenancyEndsAt, issuedBy: e.by, issuedAt: e.at, redeemedBy: null };
      return { ...s, invites: { ...s.invites, [e.codeHash]: invite } };
    }
    case 'InviteRedeemed': {
      const invite = own(s.invites, e.codeHash);
      const invites = invite ? { ...s.invites, [e.codeHash]: { ...invite, redeemedBy: e.accountId } } : s.invites;
      const joined = e.unitId === null || e.buildingId === null || !RESIDENT_ROLES.includes(e.role as ResidentRole)
        ? withAccount({ ...s, invites }, e.accountId, (a) => setRole(a, e.role as StaffRole, true))
        : withMembership({ ...s, invites }, e.accountId, { unitId: e.unitId, buildingId: e.buildingId, role: e.role as ResidentRole, since: e.at, endsAt: e.endsAt });
      return withName(joined, e.accountId, e.displayName, e.nameKey);
    }
    case 'InviteAttemptFailed': return recordFailure(s, e.keys, e.at, l);
    case 'MemberAdded':
      return withMembership(s, e.accountId, { unitId: e.unitId, buildingId: e.buildingId, role: e.role, since: e.at, endsAt: e.endsAt });
    case 'MemberRemoved': return withAccount(s, e.accountId, (a) => ({ ...a, units: without(a.units, e.unitId) }));
    case 'RoleGranted': return withAccount(s, e.accountId, (a) => setRole(a, e.role, true));
    case 'RoleRevoked': return withAccount(s, e.accountId, (a) => setRole(a, e.role, false));
    case 'AccountRevoked': return withAccount(s, e.accountId, (a) => (a.revokedAt === null ? { ...a, revokedAt: e.at } : a));
    case 'MemberRenamed': return withName(s, e.accountId, e.displayName, e.nameKey);
    case 'RedemptionVoided': {
      const invite = own(s.invites, e.codeHash);
      const account = own(s.accounts, e.accountId);
      const key = account?.nameKey ?? null;
      return {
        ...s,
        invites: invite ? { ...s.invites, [e.codeHash]: { ...invite, redeemedBy: null } } : s.invites,
        accounts: without(s.accounts, e.accountId),
        names: key !== null && own(s.names, key) === e.accountId ? without(s.names, key) : s.names,
      };
    }
    default: return s; // unknown (future) event versions leave state unchanged; evolve never throws
  }
}

/**
 * The directory actor of one community.
 * @example
 * const directory = createDirectoryActor();
 * directory.decide(directory.initial, { type: 'FoundDirectory', adminId: 'acct-admin', at: 0 });
 */
export function createDirectoryActor(limits: DirectoryLimits = DEFAULT_DIRECTORY_LIMITS) {
  return defineActor({
    type: 'directory',
    initial: initialDirectory,
    decide: (s: DirectoryState, c: DirectoryCommand): D => decideWith(limits, s, c),
    evolve: (s: DirectoryState, e: DirectoryEvent): DirectoryState => evolveWith(limits, s, e),
  });
}

// --- queries

/** Roles the account holds at `at`: active resident memberships (sorted by unit), then staff roles. None when revoked. */
export function rolesOf(s: DirectoryState, accountId: string, at: number): RoleGrant[] {
  const a = liveAccount(s, accountId);
  if (!a) return [];
  const resident: RoleGrant[] = Object.values(a.units)
    .filter((m) => isActive(m, at))
    .sort((x, y) => (x.unitId < y.unitId ? -1 : x.unitId > y.unitId ? 1 : 0))
    .map((m) => ({ role: m.role, unitId: m.unitId, buildingId: m.buildingId, endsAt: m.endsAt }));
  return [...resident, ...a.staffRoles.map((role) => ({ role }))];
}

const ADMITTED_STAFF: Readonly<Record<RoomRef['kind'], readonly StaffRole[]>> = {
  'building': ['property_staff', 'property_admin'],
  'group': ['property_staff', 'property_admin'],
  'parking-lot': ['property_staff', 'property_admin', 'guard'],
  'community-map': ['property_staff', 'property_admin', 'guard'],
  'analytics': ['property_admin', 'analyst'],
  'commons': ['property_staff', 'property_admin'],
};

/**
 * Whether the account may join the room at `at`. Building rooms admit that building's residents
 * and property staff; groups any resident or staff; parking lots residents, staff and guards; the
 * community map guards and staff; analytics analysts and admins; the commons (owners' votes and
 * public accounts) any resident and property staff.
 */
export function mayJoin(s: DirectoryState, accountId: string, room: RoomRef, at: number): Admission {
  const account = own(s.accounts, accountId);
  if (!account) return { ok: false, code: DirectoryError.UNKNOWN_ACCOUNT };
  if (account.revokedAt !== null) return { ok: false, code: DirectoryError.ACCOUNT_REVOKED };
  const staff = own(ADMITTED_STAFF, room.kind);
  if (!staff) return { ok: false, code: DirectoryError.ROOM_FORBIDDEN };
  if (account.staffRoles.some((r) => staff.includes(r))) return { ok: true };
  const units = Object.values(account.units).filter((m) => isActive(m, at));
  const buildingId = room.buildingId ?? room.id;
  const fits = (list: readonly Membership[]) => (room.kind === 'building' ? list.some((m) => m.buildingId === buildingId)
    : room.kind === 'group' || room.kind === 'parking-lot' || room.kind === 'commons' ? list.length > 0
    : false);
  if (fits(units)) return { ok: true };
  // Told apart from "not yours": a tenant whose tenancy ended would have been admitted before.
  const ended = Object.values(account.units).filter((m) => !isActive(m, at));
  return { ok: false, code: fits(ended) ? DirectoryError.TENANCY_ENDED : DirectoryError.ROOM_FORBIDDEN };
}

/** Whether the account may post this message type in the room: chat for anyone admitted, notices for property staff only. */
export function mayPost(s: DirectoryState, accountId: string, room: RoomRef, messageType: MessageType, at: number): Admission {
  const joined = mayJoin(s, accountId, room, at);
  if (!joined.ok) return joined;
  if (messageType === 'chat') return joined;
  if (messageType === 'notice') return isStaff(s, accountId) ? joined : { ok: false, code: DirectoryError.NOTICE_STAFF_ONLY };
  return { ok: false, code: DirectoryError.ROOM_FORBIDDEN };
}
