/**
 * Property tests of the directory: over random command scripts (a small pool of accounts, units,
 * code hashes, names and times, so that commands collide often) the membership and role
 * invariants hold, and every script passes checkReplay and checkJson.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkJson, checkReplay, run } from '../_kit/scenario.ts';
import { createDirectoryActor, DEFAULT_DIRECTORY_LIMITS, mayJoin, rolesOf } from './directory.ts';
import type { DirectoryCommand, DirectoryState, InviteRedeemed, RoomRef, StaffRole } from './directory-protocol.ts';
import {
  add, B1, B11, DAY, failed, grant, hash, hire, HOUR, issue, redeem, remove, rename, revokeAccount, revokeRole, SETUP, T0, U1202, U301,
} from './directory.fixtures.ts';

const dir = createDirectoryActor({ ...DEFAULT_DIRECTORY_LIMITS, maxInviteFailures: 3 });
const ACCOUNTS = ['admin', 'staff', 'a1', 'a2', 'a3', 'g', '__proto__'];
const UNITS = [U1202, U301];
const NAMES = ['王阿姨', '王\u200b阿姨', 'Alice', 'Аlice', '\u200b', '小李😀'];
const ROOMS: RoomRef[] = [
  { kind: 'building', id: B1 }, { kind: 'building', id: B11 }, { kind: 'group', id: 'group-garden' },
  { kind: 'parking-lot', id: 'lot-1' }, { kind: 'community-map', id: 'map' }, { kind: 'analytics', id: 'analytics' },
];
const STAFF: StaffRole[] = ['property_staff', 'property_admin', 'guard', 'analyst'];

const account = fc.constantFrom(...ACCOUNTS);
const staffish = fc.constantFrom('staff', 'staff', 'admin', 'a1');
const unit = fc.constantFrom(...UNITS);
const code = fc.integer({ min: 1, max: 5 }).map(hash);
const offset = fc.constantFrom(-HOUR, HOUR, 5 * HOUR, DAY, 3 * DAY, 3 * DAY);
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

/** One command builder; `at` is filled in by position so that time moves forward as in the engine. */
const command: fc.Arbitrary<(at: number) => DirectoryCommand> = fc.oneof(
  w(3, fc.record({ c: code, u: unit, role: fc.constantFrom('owner', 'tenant', 'family' as const), exp: offset, end: offset, by: staffish })
    .map(({ c, u, role, exp, end, by }) => (at: number) => issue(c, u, role, { by, at, expiresAt: at + exp, tenancyEndsAt: role === 'tenant' ? at + end : null }))),
  w(4, fc.record({ c: code, a: account, n: fc.constantFrom(...NAMES), ip: fc.constantFrom('1.1.1.1', null) })
    .map(({ c, a, n, ip }) => (at: number) => redeem(c, a, n, { at, ip }))),
  w(1, fc.record({ a: account, ip: fc.constantFrom('1.1.1.1', null) }).map(({ a, ip }) => (at: number) => failed(a, ip, at))),
  w(2, fc.record({ by: fc.constantFrom('a1', 'a1', 'a2'), u: unit, a: account, tenant: fc.boolean(), end: offset })
    .map(({ by, u, a, tenant, end }) => (at: number) => add(by, u, a, tenant ? 'tenant' : 'family', { at, tenancyEndsAt: tenant ? at + end : null }))),
  w(1, fc.record({ by: account, u: unit, a: account }).map(({ by, u, a }) => (at: number) => remove(by, u, a, at))),
  w(1, fc.record({ by: fc.constantFrom('admin', 'a1'), a: account, r: fc.constantFrom(...STAFF) }).map(({ by, a, r }) => (at: number) => grant(by, a, r, at))),
  w(1, fc.record({ by: fc.constantFrom('admin', 'a1'), a: account, r: fc.constantFrom(...STAFF) }).map(({ by, a, r }) => (at: number) => revokeRole(by, a, r, at))),
  w(1, fc.record({ by: staffish, a: account }).map(({ by, a }) => (at: number) => revokeAccount(by, a, at))),
  w(1, fc.record({ a: account, n: fc.constantFrom(...NAMES) }).map(({ a, n }) => (at: number) => rename(a, n, at))),
);
/** Setup, then a1 owns 1202 and a tenant invite for 301 is open, so that member commands have something to act on. */
const PREFIX: DirectoryCommand[] = [
  ...SETUP, ...hire('g', 'guard', '保安老周', 1), issue(hash(9), U1202, 'owner'), redeem(hash(9), 'a1', '业主甲', { at: T0 }),
  issue(hash(1), U301, 'tenant', { tenancyEndsAt: T0 + DAY }),
];
const script = fc.array(fc.tuple(command, fc.integer({ min: 0, max: 6 * HOUR })), { minLength: 5, maxLength: 40 }).map((cs) => {
  let at = T0;
  return [...PREFIX, ...cs.map(([make, step]) => make((at += step)))];
});
/** Instants to probe: around every command's `at` and every tenancy end. */
function probes(s: DirectoryState, cmds: readonly DirectoryCommand[]): number[] {
  const ends = Object.values(s.accounts).flatMap((a) => Object.values(a.units).flatMap((m) => (m.endsAt === null ? [] : [m.endsAt - 1, m.endsAt, m.endsAt + DAY])));
  return [...new Set([...cmds.map((c) => c.at), ...ends])];
}

test('directory invariant: a revoked account → admitted to no room at any instant and holds no roles', () => {
  fc.assert(fc.property(script, (cmds) => {
    const { state } = run(dir, cmds);
    for (const [id, a] of Object.entries(state.accounts)) {
      if (a.revokedAt === null) continue;
      for (const at of probes(state, cmds)) {
        assert.deepEqual(rolesOf(state, id, at), []);
        for (const room of ROOMS) assert.equal(mayJoin(state, id, room, at).ok, false, `${id} revoked yet admitted to ${room.kind}`);
      }
    }
  }), { numRuns: 200 });
});

test('directory invariant: an expired tenancy → not admitted to its building after its end unless another grant admits', () => {
  fc.assert(fc.property(script, (cmds) => {
    const { state } = run(dir, cmds);
    for (const [id, a] of Object.entries(state.accounts)) {
      for (const m of Object.values(a.units)) {
        if (m.endsAt === null) continue;
        for (const at of [m.endsAt, m.endsAt + DAY]) {
          const grants = rolesOf(state, id, at);
          assert.ok(!grants.some((g) => 'unitId' in g && g.unitId === m.unitId), 'an ended tenancy is not a role');
          const other = grants.some((g) => ('buildingId' in g && g.buildingId === m.buildingId) || g.role === 'property_staff' || g.role === 'property_admin');
          assert.equal(mayJoin(state, id, { kind: 'building', id: m.buildingId }, at).ok, other);
        }
      }
    }
  }), { numRuns: 200 });
});

test('directory invariant: a code hash → redeemed at most once (one InviteRedeemed per hash), and by the account the state records', () => {
  fc.assert(fc.property(script, (cmds) => {
    const { events, state } = run(dir, cmds);
    const redeemed = events.filter((e): e is InviteRedeemed => e.type === 'InviteRedeemed');
    const hashes = redeemed.map((e) => e.codeHash);
    assert.equal(new Set(hashes).size, hashes.length);
    for (const e of redeemed) assert.equal(state.invites[e.codeHash].redeemedBy, e.accountId);
  }), { numRuns: 300 });
});

test('directory invariant: names unique by nameKey, at least one live admin, admission matches rolesOf', () => {
  fc.assert(fc.property(script, (cmds) => {
    const { state } = run(dir, cmds);
    for (const [key, id] of Object.entries(state.names)) assert.equal(state.accounts[id].nameKey, key);
    const keys = Object.values(state.accounts).map((a) => a.nameKey).filter((k) => k !== null);
    assert.equal(new Set(keys).size, keys.length);
    assert.ok(Object.values(state.accounts).some((a) => a.revokedAt === null && a.staffRoles.includes('property_admin')));
    for (const id of ACCOUNTS) {
      for (const at of probes(state, cmds)) {
        const roles = rolesOf(state, id, at).map((g) => g.role);
        const admin = roles.includes('property_admin');
        assert.equal(mayJoin(state, id, { kind: 'analytics', id: 'analytics' }, at).ok, admin || roles.includes('analyst'));
        assert.equal(mayJoin(state, id, { kind: 'community-map', id: 'map' }, at).ok, admin || roles.includes('property_staff') || roles.includes('guard'));
      }
    }
  }), { numRuns: 200 });
});

test('directory invariant: a role is granted or revoked only on an account the directory already knows; every live admin is a known account', () => {
  fc.assert(fc.property(script, (cmds) => {
    const { steps, state } = run(dir, cmds);
    for (const [i, step] of steps.entries()) {
      const before = i === 0 ? dir.initial : steps[i - 1].state;
      for (const e of step.decision.ok ? step.decision.events : []) {
        if (e.type === 'RoleGranted' || e.type === 'RoleRevoked') assert.ok(Object.hasOwn(before.accounts, e.accountId), `${e.type} for unknown ${e.accountId}`);
      }
    }
    const known = new Set(steps.flatMap((st) => (st.decision.ok ? st.decision.events : [])).flatMap((e) =>
      e.type === 'DirectoryFounded' ? [e.adminId] : e.type === 'InviteRedeemed' || e.type === 'MemberAdded' ? [e.accountId] : []));
    for (const [id, a] of Object.entries(state.accounts)) if (a.staffRoles.includes('property_admin')) assert.ok(known.has(id), `admin ${id} never joined`);
  }), { numRuns: 200 });
});

test('directory: random scripts → checkReplay and checkJson pass', () => {
  fc.assert(fc.property(script, (cmds) => {
    checkReplay(dir, cmds);
    checkJson(dir, cmds);
  }), { numRuns: 100 });
});
