/**
 * Scenario tests of the directory actor: every command's success and each of its errors, the
 * failed-invite lock-out, and the queries rolesOf, mayJoin and mayPost; with replay and JSON checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, checkReplay, checkJson, run } from '../_kit/scenario.ts';
import { DirectoryError as E } from './directory-errors.ts';
import {
  createDirectoryActor, DEFAULT_DIRECTORY_LIMITS, failedAttemptOf, inviteLockout, mayJoin, mayPost, redemptionRefusal, rolesOf,
} from './directory.ts';
import type { DirectoryCommand, DirectoryLimits, RoomRef } from './directory-protocol.ts';
import {
  add, B1, B11, DAY, failed, found, grant, hash, hire, HOUR, importUnits, issue, redeem, remove, rename, revokeAccount,
  revokeRole, ROW_1202, ROW_301, SETUP, T0, U1202, U301, WITH_OWNER,
} from './directory.fixtures.ts';

const dir = createDirectoryActor(DEFAULT_DIRECTORY_LIMITS);
const limited = (l: Partial<DirectoryLimits>) => createDirectoryActor({ ...DEFAULT_DIRECTORY_LIMITS, ...l });
const setup = scenario(dir).givenCommands(SETUP);
const withOwner = scenario(dir).givenCommands(WITH_OWNER);
const building = (id: string): RoomRef => ({ kind: 'building', id });
const GROUP: RoomRef = { kind: 'group', id: 'group-garden' };
const LOT: RoomRef = { kind: 'parking-lot', id: 'lot-595108700' };
const MAP: RoomRef = { kind: 'community-map', id: 'map' };
const ANALYTICS: RoomRef = { kind: 'analytics', id: 'analytics' };

// --- FoundDirectory

test('directory FoundDirectory: empty directory → DirectoryFounded; the admin holds property_admin', () => {
  scenario(dir).when(found('admin')).expectEvents([{ type: 'DirectoryFounded', v: 1, adminId: 'admin', at: T0 }])
    .expectState((s) => assert.deepEqual(rolesOf(s, 'admin', T0), [{ role: 'property_admin' }]));
});

test('directory FoundDirectory: already founded → DIRECTORY_ALREADY_FOUNDED', () => {
  setup.when(found('intruder')).expectError(E.ALREADY_FOUNDED);
});

// --- ImportUnits

test('directory ImportUnits: staff imports rows → UnitsImported with ids <building>-<entrance>-<room>', () => {
  scenario(dir).givenCommands([found('admin')]).when(importUnits('admin', [ROW_1202]))
    .expectEvents([{ type: 'UnitsImported', v: 1, by: 'admin', units: [{ id: U1202, ...ROW_1202 }], at: T0 }]);
});

test('directory ImportUnits: known units and duplicates in one batch → only new units, first record wins; all known → no events', () => {
  const row = { ...ROW_1202, room: '1201' };
  setup.when(importUnits('staff', [ROW_1202, row, { ...row, areaM2: 1 }]))
    .expectEvents([{ type: 'UnitsImported', v: 1, by: 'staff', units: [{ id: 'bldg-594889490-1-1201', ...row }], at: T0 }]);
  setup.when(importUnits('staff', [ROW_301, { ...ROW_1202, ownerOfRecord: '别人' }])).expectNoEvents();
});

test('directory ImportUnits: caller not property staff (resident, guard, stranger) → DIRECTORY_NOT_STAFF', () => {
  const s = withOwner.givenCommands(hire('guard', 'guard', '保安老周', 1));
  for (const by of ['owner', 'guard', 'nobody']) s.when(importUnits(by, [ROW_1202])).expectError(E.NOT_STAFF);
});

test('directory ImportUnits: more rows than maxUnitsPerImport → DIRECTORY_IMPORT_TOO_LARGE', () => {
  scenario(limited({ maxUnitsPerImport: 1 })).givenCommands([found('admin')]).when(importUnits('admin', [ROW_1202, ROW_301]))
    .expectError(E.IMPORT_TOO_LARGE, { max: 1 });
});

test('directory ImportUnits: a malformed row → DIRECTORY_BAD_UNIT naming its index and column; nothing imported', () => {
  setup.when(importUnits('staff', [{ ...ROW_1202, room: '12' }, { ...ROW_1202, floor: 1.5 }]))
    .expectError(E.BAD_UNIT, { index: 1, column: 'floor' });
  setup.when(importUnits('staff', [{ ...ROW_1202, entrance: '1-2' }])).expectError(E.BAD_UNIT, { index: 0, column: 'entrance' });
});

// --- IssueInvite

test('directory IssueInvite: staff issues a tenant invite → InviteIssued storing only the code hash', () => {
  setup.when(issue(hash(2), U1202, 'tenant')).expectEvents([{
    type: 'InviteIssued', v: 1, by: 'staff', codeHash: hash(2), unitId: U1202, role: 'tenant',
    expiresAt: T0 + 7 * DAY, tenancyEndsAt: T0 + 30 * DAY, at: T0,
  }]).expectState((s) => assert.equal(s.invites[hash(2)].redeemedBy, null));
});

test('directory IssueInvite: same invite again → no events; another invite under a taken hash → DIRECTORY_INVITE_EXISTS', () => {
  const s = setup.givenCommands([issue(hash(2), U1202, 'owner')]);
  s.when(issue(hash(2), U1202, 'owner')).expectNoEvents();
  s.when(issue(hash(2), U301, 'owner')).expectError(E.INVITE_EXISTS);
  withOwner.when(issue(hash(1), U1202, 'owner')).expectError(E.INVITE_EXISTS);
});

test('directory IssueInvite: caller neither staff nor the owner of the unit → family/tenant DIRECTORY_NOT_OWNER, owner DIRECTORY_NOT_STAFF', () => {
  withOwner.when(issue(hash(2), U1202, 'family', { by: 'stranger' })).expectError(E.NOT_OWNER);
  withOwner.when(issue(hash(2), U1202, 'tenant', { by: 'stranger' })).expectError(E.NOT_OWNER);
  withOwner.when(issue(hash(2), U1202, 'owner', { by: 'stranger' })).expectError(E.NOT_STAFF);
});

test('directory IssueInvite: unknown unit → DIRECTORY_UNKNOWN_UNIT', () => {
  setup.when(issue(hash(2), 'bldg-594889490-9-999', 'owner')).expectError(E.UNKNOWN_UNIT, { unitId: 'bldg-594889490-9-999' });
});

test('directory IssueInvite: unknown role, or a staff role tied to a unit → DIRECTORY_BAD_ROLE', () => {
  setup.when(issue(hash(2), U1202, 'mayor' as never)).expectError(E.BAD_ROLE, { role: 'mayor' });
  setup.when(issue(hash(2), U1202, 'guard' as never, { by: 'admin' })).expectError(E.BAD_ROLE, { role: 'guard' });
});

test('directory IssueInvite: a staff-role invite by property staff (not an admin) → DIRECTORY_NOT_ADMIN', () => {
  setup.when(issue(hash(2), null as never, 'property_admin' as never, { tenancyEndsAt: null })).expectError(E.NOT_ADMIN);
});

test('directory IssueInvite: an owner invites family or a tenant to their own unit → issued; for another unit → DIRECTORY_NOT_OWNER; an owner invite → DIRECTORY_NOT_STAFF', () => {
  withOwner.when(issue(hash(4), U1202, 'family', { by: 'owner' })).expectEvents([{ type: 'InviteIssued', v: 1, by: 'owner', codeHash: hash(4), unitId: U1202, role: 'family', expiresAt: T0 + 7 * DAY, tenancyEndsAt: null, at: T0 }]);
  withOwner.when(issue(hash(4), U1202, 'tenant', { by: 'owner' })).expectEvents([{ type: 'InviteIssued', v: 1, by: 'owner', codeHash: hash(4), unitId: U1202, role: 'tenant', expiresAt: T0 + 7 * DAY, tenancyEndsAt: T0 + 30 * DAY, at: T0 }]);
  withOwner.when(issue(hash(4), U1202, 'owner', { by: 'owner' })).expectError(E.NOT_STAFF);
  withOwner.when(issue(hash(4), U301, 'family', { by: 'owner' })).expectError(E.NOT_OWNER);
  withOwner.when(issue(hash(4), U301, 'tenant', { by: 'owner' })).expectError(E.NOT_OWNER);
  withOwner.when(issue(hash(4), U301, 'owner', { by: 'owner' })).expectError(E.NOT_STAFF);
});

test('directory staff invite: admin issues a guard invite with no unit → redeemed, the account holds guard and its name', () => {
  scenario(dir).givenCommands([...SETUP, issue(hash(3), null as never, 'guard' as never, { by: 'admin', tenancyEndsAt: null })])
    .when(redeem(hash(3), 'guard-1', '保安老李'))
    .expectEvents([{ type: 'InviteRedeemed', v: 1, codeHash: hash(3), accountId: 'guard-1', unitId: null, buildingId: null, role: 'guard', endsAt: null, displayName: '保安老李', nameKey: '保安老李', at: T0 + HOUR }])
    .expectState((s) => {
      assert.deepEqual(rolesOf(s, 'guard-1', T0 + HOUR), [{ role: 'guard' }]);
      assert.equal(mayJoin(s, 'guard-1', MAP, T0 + HOUR).ok, true);
      assert.equal(mayJoin(s, 'guard-1', building(B1), T0 + HOUR).ok, false);
    });
});

test('directory IssueInvite: short or malformed code hash (a raw code) → DIRECTORY_BAD_CODE_HASH', () => {
  for (const codeHash of ['123456', 'x'.repeat(129), 'has spaces in it but long enough']) {
    setup.when(issue(codeHash, U1202, 'owner')).expectError(E.BAD_CODE_HASH);
  }
});

test('directory IssueInvite: expiry not after `at` → DIRECTORY_BAD_EXPIRY', () => {
  setup.when(issue(hash(2), U1202, 'owner', { expiresAt: T0 })).expectError(E.BAD_EXPIRY);
});

test('directory IssueInvite: tenant without a future tenancy end, or owner with one → DIRECTORY_BAD_TENANCY', () => {
  setup.when(issue(hash(2), U1202, 'tenant', { tenancyEndsAt: null })).expectError(E.BAD_TENANCY);
  setup.when(issue(hash(2), U1202, 'tenant', { tenancyEndsAt: T0 })).expectError(E.BAD_TENANCY);
  setup.when(issue(hash(2), U1202, 'owner', { tenancyEndsAt: T0 + DAY })).expectError(E.BAD_TENANCY);
});

// --- RedeemInvite

test('directory RedeemInvite: valid code → InviteRedeemed; the account is owner of 1202 in 1号楼 with the normalised name', () => {
  setup.givenCommands([issue(hash(1), U1202, 'owner')]).when(redeem(hash(1), 'owner', ' 张\u200b先生\u202e '))
    .expectEvents([{
      type: 'InviteRedeemed', v: 1, codeHash: hash(1), accountId: 'owner', unitId: U1202, buildingId: B1,
      role: 'owner', endsAt: null, displayName: '张先生', nameKey: '张先生', at: T0 + HOUR,
    }])
    .expectState((s) => {
      assert.deepEqual(rolesOf(s, 'owner', T0 + HOUR), [{ role: 'owner', unitId: U1202, buildingId: B1, endsAt: null }]);
      assert.equal(s.accounts.owner.displayName, '张先生');
      assert.equal(s.invites[hash(1)].redeemedBy, 'owner');
    });
});

test('directory RedeemInvite: unknown code hash → DIRECTORY_UNKNOWN_INVITE', () => {
  withOwner.when(redeem(hash(99), 'a2', '小李')).expectError(E.UNKNOWN_INVITE);
});

test('directory RedeemInvite: code already redeemed by someone else → DIRECTORY_INVITE_USED; a retry by the redeemer → no events', () => {
  withOwner.when(redeem(hash(1), 'a2', '小李')).expectError(E.INVITE_USED);
  withOwner.when(redeem(hash(1), 'owner', '张先生')).expectNoEvents();
});

test('directory RedeemInvite: at or after expiry, or after the tenancy ends → DIRECTORY_INVITE_EXPIRED', () => {
  const s = setup.givenCommands([issue(hash(2), U1202, 'owner'), issue(hash(3), U1202, 'tenant', { expiresAt: T0 + 60 * DAY })]);
  s.when(redeem(hash(2), 'a2', '小李', { at: T0 + 7 * DAY })).expectError(E.INVITE_EXPIRED);
  s.when(redeem(hash(2), 'a2', '小李', { at: T0 + 7 * DAY - 1 })).expectEvents([{
    type: 'InviteRedeemed', v: 1, codeHash: hash(2), accountId: 'a2', unitId: U1202, buildingId: B1,
    role: 'owner', endsAt: null, displayName: '小李', nameKey: '小李', at: T0 + 7 * DAY - 1,
  }]);
  s.when(redeem(hash(3), 'a3', '租客', { at: T0 + 30 * DAY })).expectError(E.INVITE_EXPIRED);
});

test('directory RedeemInvite: revoked account → DIRECTORY_ACCOUNT_REVOKED', () => {
  withOwner.givenCommands([revokeAccount('staff', 'owner'), issue(hash(2), U301, 'owner')])
    .when(redeem(hash(2), 'owner', '张先生')).expectError(E.ACCOUNT_REVOKED);
});

test('directory RedeemInvite: already an active member of the unit → DIRECTORY_ALREADY_MEMBER', () => {
  withOwner.givenCommands([issue(hash(2), U1202, 'family')]).when(redeem(hash(2), 'owner', '张先生'))
    .expectError(E.ALREADY_MEMBER, { unitId: U1202 });
});

test('directory RedeemInvite: invisible-only name → DIRECTORY_NAME_BLANK; a lookalike of a neighbour\'s name → DIRECTORY_NAME_TAKEN', () => {
  const s = withOwner.givenCommands([issue(hash(2), U1202, 'family')]);
  s.when(redeem(hash(2), 'a2', '\u200b\u3164\u200d')).expectError(E.NAME_BLANK);
  s.when(redeem(hash(2), 'a2', '张\u200c先\u2060生')).expectError(E.NAME_TAKEN);
});

test('directory RedeemInvite: an account with a second unit → both memberships; the given name replaces its own', () => {
  withOwner.givenCommands([issue(hash(2), U301, 'owner')]).when(redeem(hash(2), 'owner', '老张'))
    .expectState((s) => {
      assert.deepEqual(rolesOf(s, 'owner', T0 + HOUR).map((g) => 'unitId' in g && g.unitId), [U1202, U301]);
      assert.deepEqual(s.names, { 物业小刘: 'staff', 老张: 'owner' });
    });
});

test('directory redemptionRefusal: asks about the code and account only → unknown/used code refused; a good code → null, whatever name comes later', () => {
  const s = withOwner.givenCommands([issue(hash(2), U1202, 'family')]).state;
  const ask = (codeHash: string, accountId = 'sign-up') => redemptionRefusal(s, DEFAULT_DIRECTORY_LIMITS, { codeHash, accountId, ip: null, at: T0 + HOUR });
  assert.deepEqual(ask(hash(77)), { ok: false, code: E.UNKNOWN_INVITE });
  assert.deepEqual(ask(hash(1)), { ok: false, code: E.INVITE_USED });
  assert.equal(ask(hash(1), 'owner'), null, 'a retry by whoever redeemed it');
  assert.equal(ask(hash(2)), null);
});

// --- failed attempts and lock-out

test('directory RecordFailedAttempt: counted code → InviteAttemptFailed keyed by account and ip; uncounted code → no events', () => {
  setup.when(failed('a2', '10.0.0.7', T0)).expectEvents([
    { type: 'InviteAttemptFailed', v: 1, keys: ['account:a2', 'ip:10.0.0.7'], code: E.UNKNOWN_INVITE, at: T0 },
  ]);
  setup.when(failed('a2', null, T0)).expectEvents([{ type: 'InviteAttemptFailed', v: 1, keys: ['account:a2'], code: E.UNKNOWN_INVITE, at: T0 }]);
  setup.when(failed('a2', '10.0.0.7', T0, E.NAME_TAKEN)).expectNoEvents();
});

test('directory RedeemInvite: N failures within the window for the account → DIRECTORY_TOO_MANY_ATTEMPTS, even with the right code', () => {
  const N = DEFAULT_DIRECTORY_LIMITS.maxInviteFailures;
  const W = DEFAULT_DIRECTORY_LIMITS.inviteFailureWindowMs;
  const fails = Array.from({ length: N }, (_, i) => failed('a2', `10.0.0.${i}`, T0 + i * 1000));
  const s = setup.givenCommands([issue(hash(2), U1202, 'family'), ...fails]);
  const at = T0 + N * 1000;
  s.when(redeem(hash(2), 'a2', '小李', { at, ip: '10.9.9.9' })).expectError(E.TOO_MANY_ATTEMPTS, { retryAfterMs: T0 + W - at });
  assert.equal(inviteLockout(s.state, DEFAULT_DIRECTORY_LIMITS, 'a2', null, at), T0 + W - at);
  // the window slides: once the oldest failure is older than the window, the account may try again
  s.when(redeem(hash(2), 'a2', '小李', { at: T0 + W, ip: '10.9.9.9' })).expectEvents([{
    type: 'InviteRedeemed', v: 1, codeHash: hash(2), accountId: 'a2', unitId: U1202, buildingId: B1,
    role: 'family', endsAt: null, displayName: '小李', nameKey: '小李', at: T0 + W,
  }]);
  // N-1 failures do not lock
  setup.givenCommands(fails.slice(1)).when(redeem(hash(9), 'a2', '小李', { at })).expectError(E.UNKNOWN_INVITE);
});

test('directory RedeemInvite: maxInviteFailuresPerAddress failures from one ip across accounts → DIRECTORY_TOO_MANY_ATTEMPTS for a new account from that ip', () => {
  const N = DEFAULT_DIRECTORY_LIMITS.maxInviteFailuresPerAddress;
  const s = setup.givenCommands(Array.from({ length: N }, (_, i) => failed(`guess-${i}`, '6.6.6.6', T0 + i)));
  s.when(redeem(hash(9), 'fresh', '小李', { ip: '6.6.6.6', at: T0 + N })).expectError(E.TOO_MANY_ATTEMPTS);
  s.when(redeem(hash(9), 'fresh', '小李', { ip: '10.0.0.1', at: T0 + N })).expectError(E.UNKNOWN_INVITE);
});

test('directory failedAttemptOf: counted rejection → the RecordFailedAttempt to send; other codes → null', () => {
  const c = redeem(hash(9), 'a2', '小李');
  assert.deepEqual(failedAttemptOf(c, E.INVITE_USED), { type: 'RecordFailedAttempt', accountId: 'a2', ip: '10.0.0.7', code: E.INVITE_USED, at: c.at });
  assert.equal(failedAttemptOf(c, E.NAME_TAKEN), null);
  assert.equal(failedAttemptOf(c, E.TOO_MANY_ATTEMPTS), null);
});

test('directory InviteAttemptFailed: more keys than attemptKeysKept → the key with the oldest latest failure is forgotten', () => {
  const d = limited({ attemptKeysKept: 2 });
  const r = checkReplay(d, [found('admin'), failed('a', null, T0), failed('b', null, T0 + 1), failed('a', null, T0 + 2), failed('c', null, T0 + 3)]);
  assert.deepEqual(Object.keys(r.state.failures).sort(), ['account:a', 'account:c']);
  const stale = checkReplay(d, [failed('a', null, T0), failed('b', null, T0 + DEFAULT_DIRECTORY_LIMITS.inviteFailureWindowMs)]);
  assert.deepEqual(Object.keys(stale.state.failures), ['account:b'], 'keys whose failures left the window are dropped');
});

// --- AddMember / RemoveMember

test('directory AddMember: owner adds family and a tenant → MemberAdded; the tenant is a resident until the tenancy ends, then DIRECTORY_TENANCY_ENDED', () => {
  withOwner.when(add('owner', U1202, 'kid', 'family')).expectEvents([{
    type: 'MemberAdded', v: 1, by: 'owner', unitId: U1202, buildingId: B1, accountId: 'kid', role: 'family', endsAt: null, at: T0 + 2 * HOUR,
  }]);
  withOwner.when(add('owner', U1202, 'renter', 'tenant', { tenancyEndsAt: T0 + 10 * DAY })).expectState((s) => {
    assert.ok(mayJoin(s, 'renter', building(B1), T0 + 10 * DAY - 1).ok);
    assert.deepEqual(mayJoin(s, 'renter', building(B1), T0 + 10 * DAY), { ok: false, code: E.TENANCY_ENDED });
    assert.deepEqual(mayJoin(s, 'renter', building(B11), T0 + 10 * DAY), { ok: false, code: E.ROOM_FORBIDDEN }, 'another building is simply not theirs');
    assert.deepEqual(rolesOf(s, 'renter', T0 + 10 * DAY), []);
  });
});

test('directory AddMember: same member again → no events; different role → DIRECTORY_ALREADY_MEMBER', () => {
  const s = withOwner.givenCommands([add('owner', U1202, 'kid', 'family')]);
  s.when(add('owner', U1202, 'kid', 'family')).expectNoEvents();
  s.when(add('owner', U1202, 'kid', 'tenant')).expectError(E.ALREADY_MEMBER, { unitId: U1202 });
  withOwner.when(add('owner', U1202, 'owner', 'family')).expectError(E.ALREADY_MEMBER, { unitId: U1202 });
});

test('directory AddMember: caller not an active owner of that unit (family, tenant, staff, owner elsewhere) → DIRECTORY_NOT_OWNER', () => {
  const s = withOwner.givenCommands([add('owner', U1202, 'kid', 'family'), add('owner', U1202, 'renter', 'tenant')]);
  for (const by of ['kid', 'renter', 'staff', 'admin']) s.when(add(by, U1202, 'x', 'family')).expectError(E.NOT_OWNER);
  s.when(add('owner', U301, 'x', 'family')).expectError(E.NOT_OWNER);
});

test('directory AddMember: unknown unit → DIRECTORY_UNKNOWN_UNIT', () => {
  withOwner.when(add('owner', 'bldg-1-1-1', 'kid', 'family')).expectError(E.UNKNOWN_UNIT, { unitId: 'bldg-1-1-1' });
});

test('directory AddMember: role owner → DIRECTORY_BAD_ROLE; tenant without an end or family with one → DIRECTORY_BAD_TENANCY', () => {
  withOwner.when(add('owner', U1202, 'x', 'owner' as never)).expectError(E.BAD_ROLE, { role: 'owner' });
  withOwner.when(add('owner', U1202, 'x', 'tenant', { tenancyEndsAt: null })).expectError(E.BAD_TENANCY);
  withOwner.when(add('owner', U1202, 'x', 'family', { tenancyEndsAt: T0 + DAY })).expectError(E.BAD_TENANCY);
});

test('directory AddMember: revoked account → DIRECTORY_ACCOUNT_REVOKED', () => {
  withOwner.givenCommands([add('owner', U1202, 'kid', 'family'), revokeAccount('staff', 'kid')])
    .when(add('owner', U1202, 'kid', 'tenant')).expectError(E.ACCOUNT_REVOKED);
});

test('directory RemoveMember: owner removes family; staff removes an owner; a tenant leaves → MemberRemoved', () => {
  const s = withOwner.givenCommands([add('owner', U1202, 'kid', 'family'), add('owner', U1202, 'renter', 'tenant')]);
  s.when(remove('owner', U1202, 'kid')).expectEvents([{ type: 'MemberRemoved', v: 1, by: 'owner', unitId: U1202, accountId: 'kid', at: T0 + 3 * HOUR }])
    .expectState((st) => assert.deepEqual(mayJoin(st, 'kid', building(B1), T0 + 3 * HOUR), { ok: false, code: E.ROOM_FORBIDDEN }));
  s.when(remove('staff', U1202, 'owner')).expectEvents([{ type: 'MemberRemoved', v: 1, by: 'staff', unitId: U1202, accountId: 'owner', at: T0 + 3 * HOUR }]);
  s.when(remove('renter', U1202, 'renter')).expectEvents([{ type: 'MemberRemoved', v: 1, by: 'renter', unitId: U1202, accountId: 'renter', at: T0 + 3 * HOUR }]);
});

test('directory RemoveMember: caller neither owner, staff nor the member → DIRECTORY_NOT_OWNER', () => {
  const s = withOwner.givenCommands([add('owner', U1202, 'kid', 'family'), add('owner', U1202, 'kid2', 'family')]);
  s.when(remove('kid2', U1202, 'kid')).expectError(E.NOT_OWNER);
  s.when(remove('stranger', U1202, 'kid')).expectError(E.NOT_OWNER);
});

test('directory RemoveMember: owner removing another owner (or themself) → DIRECTORY_NOT_STAFF', () => {
  const s = withOwner.givenCommands([issue(hash(2), U1202, 'owner'), redeem(hash(2), 'co-owner', '张太太')]);
  s.when(remove('owner', U1202, 'co-owner')).expectError(E.NOT_STAFF);
  s.when(remove('owner', U1202, 'owner')).expectError(E.NOT_STAFF);
});

test('directory RemoveMember: not a member of that unit → DIRECTORY_NOT_MEMBER; unknown unit → DIRECTORY_UNKNOWN_UNIT', () => {
  withOwner.when(remove('owner', U1202, 'nobody')).expectError(E.NOT_MEMBER, { unitId: U1202 });
  withOwner.when(remove('staff', 'bldg-1-1-1', 'owner')).expectError(E.UNKNOWN_UNIT, { unitId: 'bldg-1-1-1' });
});

// --- GrantRole / RevokeRole

test('directory GrantRole: admin grants guard → RoleGranted; granting it again → no events', () => {
  withOwner.when(grant('admin', 'owner', 'guard')).expectEvents([{ type: 'RoleGranted', v: 1, by: 'admin', accountId: 'owner', role: 'guard', at: T0 }])
    .expectState((s) => assert.deepEqual(rolesOf(s, 'owner', T0).map((g) => g.role), ['owner', 'guard']));
  withOwner.givenCommands([grant('admin', 'owner', 'guard')]).when(grant('admin', 'owner', 'guard')).expectNoEvents();
});

test('directory GrantRole: an account the directory does not know → DIRECTORY_UNKNOWN_ACCOUNT, so no phantom admin can exist', () => {
  setup.when(grant('admin', 'acct-ghost', 'property_admin')).expectError(E.UNKNOWN_ACCOUNT);
  setup.when(grant('admin', '__proto__', 'guard')).expectError(E.UNKNOWN_ACCOUNT);
  // The defect this guards against: a phantom admin let the only real admin give up their role.
  const r = run(dir, [...SETUP, grant('admin', 'acct-ghost', 'property_admin'), revokeRole('admin', 'admin', 'property_admin')]);
  assert.deepEqual(r.steps.slice(-2).map((step) => !step.decision.ok && step.decision.code), [E.UNKNOWN_ACCOUNT, E.LAST_ADMIN]);
  assert.equal(Object.hasOwn(r.state.accounts, 'acct-ghost'), false);
});

test('directory GrantRole: caller not a property admin (staff, owner) → DIRECTORY_NOT_ADMIN', () => {
  withOwner.when(grant('staff', 'owner', 'guard')).expectError(E.NOT_ADMIN);
  withOwner.when(grant('owner', 'owner', 'property_admin')).expectError(E.NOT_ADMIN);
});

test('directory GrantRole: resident role or unknown role → DIRECTORY_BAD_ROLE; revoked target → DIRECTORY_ACCOUNT_REVOKED', () => {
  setup.when(grant('admin', 'staff', 'owner' as never)).expectError(E.BAD_ROLE, { role: 'owner' });
  withOwner.givenCommands([revokeAccount('staff', 'owner')]).when(grant('admin', 'owner', 'guard')).expectError(E.ACCOUNT_REVOKED);
});

test('directory RevokeRole: admin revokes a role → RoleRevoked; a role not held → no events', () => {
  setup.when(revokeRole('admin', 'staff', 'property_staff'))
    .expectEvents([{ type: 'RoleRevoked', v: 1, by: 'admin', accountId: 'staff', role: 'property_staff', at: T0 + HOUR }])
    .expectState((s) => assert.deepEqual(rolesOf(s, 'staff', T0 + HOUR), []));
  setup.when(revokeRole('admin', 'staff', 'guard')).expectNoEvents();
});

test('directory RevokeRole: caller not admin → DIRECTORY_NOT_ADMIN; bad role → DIRECTORY_BAD_ROLE; last admin → DIRECTORY_LAST_ADMIN', () => {
  setup.when(revokeRole('staff', 'admin', 'property_admin')).expectError(E.NOT_ADMIN);
  setup.when(revokeRole('admin', 'staff', 'tenant' as never)).expectError(E.BAD_ROLE, { role: 'tenant' });
  setup.when(revokeRole('admin', 'admin', 'property_admin')).expectError(E.LAST_ADMIN);
  setup.givenCommands([grant('admin', 'staff', 'property_admin')]).when(revokeRole('staff', 'admin', 'property_admin'))
    .expectEvents([{ type: 'RoleRevoked', v: 1, by: 'staff', accountId: 'admin', role: 'property_admin', at: T0 + HOUR }]);
});

test('directory RevokeRole: an account the directory does not know → DIRECTORY_UNKNOWN_ACCOUNT', () => {
  setup.when(revokeRole('admin', 'acct-ghost', 'property_admin')).expectError(E.UNKNOWN_ACCOUNT);
  setup.when(revokeRole('admin', 'constructor', 'guard')).expectError(E.UNKNOWN_ACCOUNT);
});

test('directory last admin: a revoked admin does not count → revoking the remaining admin\'s role or account → DIRECTORY_LAST_ADMIN', () => {
  const s = setup.givenCommands([...hire('admin2', 'property_admin', '物业老王', 1), revokeAccount('admin', 'admin2')]);
  s.when(revokeRole('admin', 'admin', 'property_admin')).expectError(E.LAST_ADMIN);
  s.when(revokeAccount('admin', 'admin')).expectError(E.LAST_ADMIN);
  s.when(grant('admin', 'admin2', 'property_admin')).expectError(E.ACCOUNT_REVOKED);
});

// --- RevokeAccount

test('directory RevokeAccount: staff revokes a resident → AccountRevoked; from then the account is admitted nowhere', () => {
  withOwner.when(revokeAccount('staff', 'owner')).expectEvents([{ type: 'AccountRevoked', v: 1, by: 'staff', accountId: 'owner', at: T0 + 4 * HOUR }])
    .expectState((s) => {
      assert.deepEqual(rolesOf(s, 'owner', T0 + 4 * HOUR), []);
      for (const room of [building(B1), GROUP, LOT, MAP, ANALYTICS]) {
        assert.deepEqual(mayJoin(s, 'owner', room, T0 + 4 * HOUR), { ok: false, code: E.ACCOUNT_REVOKED });
        assert.deepEqual(mayJoin(s, 'owner', room, T0), { ok: false, code: E.ACCOUNT_REVOKED }, 'an earlier `at` does not bypass revocation');
      }
    });
  withOwner.givenCommands([revokeAccount('staff', 'owner')]).when(revokeAccount('admin', 'owner')).expectNoEvents();
});

test('directory RevokeAccount: caller not staff → DIRECTORY_NOT_STAFF; unknown account → DIRECTORY_UNKNOWN_ACCOUNT', () => {
  withOwner.when(revokeAccount('owner', 'staff')).expectError(E.NOT_STAFF);
  withOwner.when(revokeAccount('staff', 'ghost')).expectError(E.UNKNOWN_ACCOUNT);
});

test('directory RevokeAccount: staff revoking an admin → DIRECTORY_NOT_ADMIN; the last admin → DIRECTORY_LAST_ADMIN', () => {
  const s = setup.givenCommands(hire('admin2', 'property_admin', '物业老王', 1));
  s.when(revokeAccount('staff', 'admin2')).expectError(E.NOT_ADMIN);
  s.when(revokeAccount('admin', 'admin2')).expectEvents([{ type: 'AccountRevoked', v: 1, by: 'admin', accountId: 'admin2', at: T0 + 4 * HOUR }]);
  setup.when(revokeAccount('admin', 'admin')).expectError(E.LAST_ADMIN);
});

// --- RenameMember

test('directory RenameMember: new valid name → MemberRenamed; the old name is free for others', () => {
  const s = withOwner.givenCommands([rename('owner', '老张')]);
  assert.deepEqual(s.state.names, { 物业小刘: 'staff', 老张: 'owner' });
  withOwner.when(rename('owner', '老张')).expectEvents([{ type: 'MemberRenamed', v: 1, accountId: 'owner', displayName: '老张', nameKey: '老张', at: T0 + 5 * HOUR }]);
  s.givenCommands([issue(hash(2), U301, 'owner'), redeem(hash(2), 'a2', '张先生', { at: T0 + 6 * HOUR })])
    .expectState((st) => assert.deepEqual(st.names, { 物业小刘: 'staff', 老张: 'owner', 张先生: 'a2' }));
});

test('directory RenameMember: same shown name → no events; a spacing variant of one\'s own name → renamed', () => {
  withOwner.when(rename('owner', '张先生\u200b')).expectNoEvents();
  withOwner.when(rename('owner', '张 先生')).expectEvents([{ type: 'MemberRenamed', v: 1, accountId: 'owner', displayName: '张 先生', nameKey: '张先生', at: T0 + 5 * HOUR }]);
});

test('directory RenameMember: lookalike of another member\'s name (zero-width, full-width, Cyrillic) → DIRECTORY_NAME_TAKEN', () => {
  const s = withOwner.givenCommands([add('owner', U1202, 'kid', 'family'), rename('kid', 'Alice')]);
  for (const name of ['Ａｌｉｃｅ', 'Аlice', 'al\u200bice', 'alice\u202e', 'A l i c e']) s.when(rename('owner', name)).expectError(E.NAME_TAKEN);
  s.when(rename('kid', '张\u2060先生')).expectError(E.NAME_TAKEN);
});

test('directory RenameMember: invalid names → DIRECTORY_NAME_BLANK, DIRECTORY_NAME_TOO_LONG, DIRECTORY_NAME_BAD_TEXT', () => {
  withOwner.when(rename('owner', '\u200b\ufeff')).expectError(E.NAME_BLANK);
  withOwner.when(rename('owner', '长'.repeat(DEFAULT_DIRECTORY_LIMITS.displayNameMaxChars + 1)))
    .expectError(E.NAME_TOO_LONG, { maxChars: DEFAULT_DIRECTORY_LIMITS.displayNameMaxChars });
  withOwner.when(rename('owner', '张\ud800')).expectError(E.NAME_BAD_TEXT);
});

test('directory RenameMember: unknown account → DIRECTORY_UNKNOWN_ACCOUNT; revoked → DIRECTORY_ACCOUNT_REVOKED', () => {
  withOwner.when(rename('ghost', '鬼')).expectError(E.UNKNOWN_ACCOUNT);
  withOwner.givenCommands([revokeAccount('staff', 'owner')]).when(rename('owner', '新名字')).expectError(E.ACCOUNT_REVOKED);
});

test('directory names: a revoked account keeps its name, so nobody can take it over', () => {
  withOwner.givenCommands([revokeAccount('staff', 'owner'), issue(hash(2), U301, 'owner', { at: T0 + 5 * HOUR })])
    .when(redeem(hash(2), 'a2', '张先生', { at: T0 + 6 * HOUR })).expectError(E.NAME_TAKEN);
});

// --- queries

test('directory mayJoin: building room → residents of that building and property staff; a resident of another building → DIRECTORY_ROOM_FORBIDDEN', () => {
  const s = withOwner.givenCommands([issue(hash(2), U301, 'owner'), redeem(hash(2), 'other', '李四'), ...hire('g', 'guard', '保安老周', 1), ...hire('an', 'analyst', '分析师', 2)]).state;
  const at = T0 + 2 * HOUR;
  assert.deepEqual(mayJoin(s, 'owner', building(B1), at), { ok: true });
  assert.deepEqual(mayJoin(s, 'other', building(B1), at), { ok: false, code: E.ROOM_FORBIDDEN });
  assert.deepEqual(mayJoin(s, 'other', building(B11), at), { ok: true });
  assert.deepEqual(mayJoin(s, 'other', { kind: 'building', id: 'room-x', buildingId: B1 }, at), { ok: false, code: E.ROOM_FORBIDDEN });
  for (const staff of ['staff', 'admin']) assert.ok(mayJoin(s, staff, building(B1), at).ok);
  for (const denied of ['g', 'an']) assert.deepEqual(mayJoin(s, denied, building(B1), at), { ok: false, code: E.ROOM_FORBIDDEN });
  assert.deepEqual(mayJoin(s, 'stranger', building(B1), at), { ok: false, code: E.UNKNOWN_ACCOUNT });
});

test('directory mayJoin: group, parking lot, community map and analytics → the roles each admits', () => {
  const s = withOwner.givenCommands([
    ...hire('g', 'merchant', '小周', 1), grant('admin', 'g', 'guard'), revokeRole('admin', 'g', 'merchant'),
    ...hire('an', 'analyst', '分析师', 2), ...hire('m', 'merchant', '便利店', 3), ...hire('c', 'carer', '护工', 4),
  ]).state;
  const at = T0 + 2 * HOUR;
  const admitted = (room: RoomRef) => ['owner', 'staff', 'admin', 'g', 'an', 'm', 'c'].filter((a) => mayJoin(s, a, room, at).ok);
  assert.deepEqual(admitted(GROUP), ['owner', 'staff', 'admin']);
  assert.deepEqual(admitted(LOT), ['owner', 'staff', 'admin', 'g']);
  assert.deepEqual(admitted(MAP), ['staff', 'admin', 'g']);
  assert.deepEqual(admitted(ANALYTICS), ['admin', 'an']);
  assert.deepEqual(mayJoin(s, 'admin', { kind: 'sauna' as never, id: 'x' }, at), { ok: false, code: E.ROOM_FORBIDDEN });
});

test('directory mayPost: notices → property staff only (DIRECTORY_NOTICE_STAFF_ONLY for residents); chat → anyone admitted', () => {
  const s = withOwner.state;
  const at = T0 + 2 * HOUR;
  assert.deepEqual(mayPost(s, 'owner', building(B1), 'chat', at), { ok: true });
  assert.deepEqual(mayPost(s, 'owner', building(B1), 'notice', at), { ok: false, code: E.NOTICE_STAFF_ONLY });
  assert.deepEqual(mayPost(s, 'staff', building(B1), 'notice', at), { ok: true });
  assert.deepEqual(mayPost(s, 'owner', building(B11), 'chat', at), { ok: false, code: E.ROOM_FORBIDDEN });
});

test('directory rolesOf: resident roles with unit and building, then staff roles; ended tenancies omitted', () => {
  const s = withOwner.givenCommands([grant('admin', 'owner', 'carer'), issue(hash(2), U301, 'tenant', { tenancyEndsAt: T0 + 2 * DAY }), redeem(hash(2), 'owner', '张先生')]).state;
  assert.deepEqual(rolesOf(s, 'owner', T0 + DAY), [
    { role: 'owner', unitId: U1202, buildingId: B1, endsAt: null },
    { role: 'tenant', unitId: U301, buildingId: B11, endsAt: T0 + 2 * DAY },
    { role: 'carer' },
  ]);
  assert.deepEqual(rolesOf(s, 'owner', T0 + 2 * DAY).map((g) => g.role), ['owner', 'carer']);
  assert.deepEqual(rolesOf(s, 'nobody', T0), []);
});

// --- replay and JSON

const MIXED: DirectoryCommand[] = [
  ...WITH_OWNER,
  issue(hash(2), U1202, 'tenant'), redeem(hash(2), 'renter', 'Renter 😀'), redeem(hash(2), 'thief', '小偷'),
  failed('thief', '6.6.6.6', T0 + HOUR), add('owner', U1202, 'kid', 'family'), add('owner', U1202, 'kid', 'family'),
  ...hire('g', 'merchant', '小周', 1), grant('admin', 'g', 'guard'), revokeRole('admin', 'g', 'guard'), grant('admin', 'ghost', 'guard'),
  rename('kid', '小明 ❤️'), rename('renter', '小明\u200b ❤️'),
  remove('owner', U1202, 'kid'), revokeAccount('staff', 'renter'), importUnits('staff', [ROW_1202, { ...ROW_301, room: '302' }]),
  ...hire('__proto__', 'merchant', 'Proto', 2), grant('admin', '__proto__', 'analyst'), rename('__proto__', '__proto__'), found('again'),
];

test('directory: a mixed script → checkReplay (folding events gives the live state) passes', () => {
  const r = checkReplay(dir, MIXED);
  assert.ok(r.steps.some((s) => !s.decision.ok), 'the script includes rejections');
  assert.equal(r.state.names.__proto__, '__proto__');
  assert.equal(Object.getPrototypeOf(r.state.names), Object.prototype);
});

test('directory: a mixed script → checkJson (commands, events, states and snapshots survive JSON) passes', () => {
  checkJson(dir, MIXED);
});
