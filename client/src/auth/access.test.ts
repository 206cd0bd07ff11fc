import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initialDirectory, mayJoin, rolesOf, RESIDENT_ROLES, STAFF_ROLES } from '../../../actors/community/directory.ts';
import type { Account, DirectoryState, ResidentRole, StaffRole } from '../../../actors/community/directory-protocol.ts';
import { directoryErrorSpecs } from '../../../actors/community/directory-errors.ts';
import { identityErrorSpecs } from '../../../actors/identity/identity-errors.ts';
import { loadCommunityFile } from '../../../engine/community-file.ts';
import { testConfig } from '../../../engine/config.ts';
import { accessOf, codeOfJoinError, mayChatIn, refusalOf, splitUnitId } from './access.ts';
import { failureOfJoinError, JOIN_REFUSALS } from './refusals.ts';

const layout = loadCommunityFile(testConfig().communityFile);
const homes = layout.buildings.filter((b) => b.residential).map((b) => b.id);
const NOW = 1_800_000_000_000;

function stateWith(units: { building: string; role: ResidentRole; endsAt: number | null }[], staffRoles: StaffRole[]): DirectoryState {
  const account: Account = {
    displayName: 'x', nameKey: 'x', revokedAt: null, staffRoles: [...new Set(staffRoles)].sort(),
    units: Object.fromEntries(units.map((u, i) => {
      const unitId = `${u.building}-1-${100 + i}`;
      return [unitId, { unitId, buildingId: u.building, role: u.role, since: 0, endsAt: u.endsAt }];
    })),
  };
  return { ...initialDirectory, accounts: { a: account } };
}

test('accessOf: agrees with the directory\'s mayJoin for every room, whatever roles the account holds', () => {
  const unit = fc.record({
    building: fc.constantFrom(...homes),
    role: fc.constantFrom(...RESIDENT_ROLES),
    endsAt: fc.option(fc.constantFrom(NOW - 1, NOW + 1), { nil: null }),
  });
  fc.assert(fc.property(fc.array(unit, { maxLength: 3 }), fc.subarray([...STAFF_ROLES]), (units, staff) => {
    const s = stateWith(units, staff);
    const access = accessOf(rolesOf(s, 'a', NOW), layout, NOW);
    for (const id of homes) assert.equal(access.buildings.has(id), mayJoin(s, 'a', { kind: 'building', id }, NOW).ok, `building ${id}`);
    for (const g of layout.groups) {
      assert.equal(access.groups, mayJoin(s, 'a', { kind: 'group', id: g.id }, NOW).ok, 'groups');
      assert.equal(mayChatIn(access, layout, g.id), access.groups);
    }
    for (const l of layout.lots) assert.equal(access.lots, mayJoin(s, 'a', { kind: 'parking-lot', id: l.id }, NOW).ok, 'lots');
    assert.equal(access.map, mayJoin(s, 'a', { kind: 'community-map', id: `map-${layout.id}` }, NOW).ok, 'map');
  }));
});

test('accessOf: staff see every building and the property panel; an owner owns; a guard gets the map only', () => {
  const owner = accessOf([{ role: 'owner', unitId: `${homes[0]}-1-101`, buildingId: homes[0]!, endsAt: null }], layout, NOW);
  assert.deepEqual([...owner.buildings], [homes[0]]);
  assert.deepEqual(owner.ownedUnits, [`${homes[0]}-1-101`]);
  assert.equal(owner.staff, false);
  const admin = accessOf([{ role: 'property_admin' }], layout, NOW);
  assert.equal(admin.buildings.size, homes.length);
  assert.equal(admin.admin && admin.staff && admin.map, true);
  const guard = accessOf([{ role: 'guard' }], layout, NOW);
  assert.equal(guard.buildings.size, 0);
  assert.equal(guard.groups, false);
  assert.equal(guard.map && guard.lots, true);
  assert.equal(mayChatIn(guard, layout, homes[0]!), false);
});

test('refusals: a join refusal\'s code is read from its message and classified', () => {
  assert.equal(codeOfJoinError(new Error('IDENTITY_TOKEN_MISSING: Sign in first')), 'IDENTITY_TOKEN_MISSING');
  assert.equal(codeOfJoinError(new Error('DIRECTORY_ROOM_FORBIDDEN')), 'DIRECTORY_ROOM_FORBIDDEN');
  assert.equal(codeOfJoinError(new Error('Failed to fetch')), undefined);
  assert.equal(codeOfJoinError(new Error('HTTP: 503')), undefined);
  assert.equal(refusalOf('IDENTITY_TOKEN_EXPIRED'), 'expired');
  assert.equal(refusalOf('IDENTITY_SESSION_REVOKED'), 'session-gone');
  assert.equal(refusalOf('DIRECTORY_ACCOUNT_REVOKED'), 'session-gone');
  assert.equal(refusalOf('DIRECTORY_ROOM_FORBIDDEN'), 'denied');
  assert.equal(refusalOf('ENGINE_ACTOR_BUSY'), 'other');
  assert.equal(refusalOf(undefined), 'other');
  const f = failureOfJoinError(new Error('DIRECTORY_ROOM_FORBIDDEN: You are not allowed into this room'));
  assert.equal(f?.message['zh-CN'], '你没有进入该房间的权限');
  const unknown = failureOfJoinError(new Error('SOME_NEW_CODE: Something new'));
  assert.deepEqual(unknown?.message, { 'zh-CN': 'Something new', en: 'Something new' }, 'the server\'s English for a code unknown here');
});

test('refusals: a refusal carrying both languages as JSON (the server\'s form) → those texts, for codes unknown here too', () => {
  const f = failureOfJoinError(new Error('IDENTITY_TOO_MANY_CONNECTIONS: {"zh-CN":"连接太多","en":"Too many connections"}'));
  assert.deepEqual([f?.code, f?.message], ['IDENTITY_TOO_MANY_CONNECTIONS', { 'zh-CN': '连接太多', en: 'Too many connections' }]);
  const broken = failureOfJoinError(new Error('SOME_CODE: {not json'));
  assert.deepEqual(broken?.message, { 'zh-CN': '{not json', en: '{not json' });
});

test('refusals: the client\'s copy of the join-refusal texts equals the server catalogue', () => {
  const server: Record<string, { message: { 'zh-CN': string; en: string } }> = { ...identityErrorSpecs, ...directoryErrorSpecs };
  for (const [code, text] of Object.entries(JOIN_REFUSALS)) assert.deepEqual(text, server[code]?.message, code);
});

test('splitUnitId: building ids with dashes, entrance and room from the right', () => {
  assert.deepEqual(splitUnitId('bldg-594889490-1-1202'), { buildingId: 'bldg-594889490', entrance: '1', room: '1202' });
  assert.equal(splitUnitId('nodash'), null);
});
