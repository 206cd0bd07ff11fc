/**
 * Device commands: who may open gates and doors and grant temporary access, the time-window
 * rules, the device's acknowledgement, revocation, and the bounded record, with replay and JSON checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkJson, checkReplay, scenario } from '../_kit/scenario.ts';
import { createDeviceCommandActor, DEFAULT_COMMAND_LIMITS, type DeviceCommandCommand, type GrantSpec, type IssueCommand } from './commands.ts';
import { DeviceError } from './errors.ts';

const T = Date.UTC(2026, 11, 3, 4);
const desk = createDeviceCommandActor();
const gate = { deviceId: 'gate-1-lpr', kind: 'gate', buildingId: null } as const;
const door = { deviceId: 'bldg-1-1-door', kind: 'door-reader', buildingId: 'bldg-1' } as const;
const elevator = { deviceId: 'bldg-1-1-elevator', kind: 'elevator', buildingId: 'bldg-1' } as const;
const guard = [{ role: 'guard' }];
const owner = [{ role: 'owner', buildingId: 'bldg-1' }];
const neighbour = [{ role: 'owner', buildingId: 'bldg-2' }];
const grant = (over: Partial<GrantSpec> = {}): GrantSpec => ({ grantId: 'g-1', holder: 'carer', label: '王阿姨', from: T, until: T + 4 * 3_600_000, pinHash: 'a'.repeat(64), ...over });
const issue = (over: Partial<IssueCommand>): IssueCommand => ({ type: 'IssueCommand', commandId: 'c-1', by: 'acct-1', roles: guard, target: gate, action: 'open', grant: null, at: T, ...over });

test('device commands: a guard opens a gate → CommandIssued with the role; a resident → DEVICE_COMMAND_FORBIDDEN', () => {
  scenario(desk).when(issue({})).expectEvents([{ type: 'CommandIssued', v: 1, commandId: 'c-1', deviceId: 'gate-1-lpr', deviceKind: 'gate', action: 'open', by: 'acct-1', role: 'guard', grant: null, at: T }]);
  scenario(desk).when(issue({ roles: owner })).expectError(DeviceError.COMMAND_FORBIDDEN, { action: 'open' });
  scenario(desk).when(issue({ roles: [{ role: 'property_staff' }], target: door })).expectState((s) => assert.equal(s.commands['c-1']!.action, 'open'));
  scenario(desk).when(issue({ by: 'system:parking', roles: [{ role: 'system' }] })).expectState((s) => assert.equal(s.commands['c-1']!.by, 'system:parking'));
  scenario(desk).when(issue({ by: 'system:parking', roles: [{ role: 'system' }], target: door, action: 'grant', grant: grant() })).expectError(DeviceError.COMMAND_FORBIDDEN);
});

test('device commands: an action the kind does not take → DEVICE_COMMAND_UNSUPPORTED', () => {
  scenario(desk).when(issue({ target: elevator })).expectError(DeviceError.COMMAND_UNSUPPORTED, { kind: 'elevator', action: 'open' });
  scenario(desk).when(issue({ action: 'grant', grant: grant() })).expectError(DeviceError.COMMAND_UNSUPPORTED);
});

test('device commands: a resident grants a carer their own building door and elevator → issued; another building → forbidden', () => {
  scenario(desk).when(issue({ roles: owner, target: door, action: 'grant', grant: grant() })).expectState((s) => assert.deepEqual(s.grants['g-1'], { by: 'acct-1', until: T + 4 * 3_600_000, deviceIds: ['bldg-1-1-door'] }));
  scenario(desk).givenCommands([issue({ roles: owner, target: door, action: 'grant', grant: grant() })])
    .when(issue({ commandId: 'c-2', roles: owner, target: elevator, action: 'grant', grant: grant() }))
    .expectState((s) => assert.deepEqual(s.grants['g-1']!.deviceIds, ['bldg-1-1-door', 'bldg-1-1-elevator']));
  scenario(desk).when(issue({ roles: neighbour, target: door, action: 'grant', grant: grant() })).expectError(DeviceError.COMMAND_FORBIDDEN);
});

test('device commands: a window that ended, is reversed, starts in the past or is too long → DEVICE_BAD_WINDOW; a bad label or PIN hash → DEVICE_BAD_COMMAND', () => {
  const bad = [grant({ until: T - 1, from: T - 10 }), grant({ from: T + 10, until: T + 5 }), grant({ from: T - 3_600_000 }), grant({ until: T + DEFAULT_COMMAND_LIMITS.maxGrantMs + 1 }), grant({ until: NaN })];
  for (const g of bad) scenario(desk).when(issue({ roles: owner, target: door, action: 'grant', grant: g })).expectError(DeviceError.BAD_WINDOW);
  for (const g of [grant({ label: ' ' }), grant({ label: 'x'.repeat(41) }), grant({ pinHash: '1234' })]) {
    scenario(desk).when(issue({ roles: owner, target: door, action: 'grant', grant: g })).expectError(DeviceError.BAD_COMMAND);
  }
  scenario(desk).when(issue({ roles: owner, target: door, action: 'grant', grant: null })).expectError(DeviceError.BAD_COMMAND);
});

test('device commands: the device answers → CommandAcknowledged with the latency; twice, or from another device → refused', () => {
  const s = scenario(desk).givenCommands([issue({})]);
  s.when({ type: 'AcknowledgeCommand', commandId: 'c-1', deviceId: 'gate-1-lpr', ok: true, code: null, at: T + 350 })
    .expectEvents([{ type: 'CommandAcknowledged', v: 1, commandId: 'c-1', deviceId: 'gate-1-lpr', ok: true, code: null, latencyMs: 350, at: T + 350 }]);
  s.when({ type: 'AcknowledgeCommand', commandId: 'c-1', deviceId: 'other', ok: true, code: null, at: T + 350 }).expectError(DeviceError.UNKNOWN_COMMAND);
  s.givenCommands([{ type: 'AcknowledgeCommand', commandId: 'c-1', deviceId: 'gate-1-lpr', ok: false, code: 'JAMMED', at: T + 1 }])
    .when({ type: 'AcknowledgeCommand', commandId: 'c-1', deviceId: 'gate-1-lpr', ok: true, code: null, at: T + 2 }).expectError(DeviceError.ALREADY_ACKNOWLEDGED);
  s.when(issue({})).expectError(DeviceError.DUPLICATE_COMMAND);
});

test('device commands: revocation → by the issuer or staff only; an unknown grant → DEVICE_UNKNOWN_COMMAND', () => {
  const s = scenario(desk).givenCommands([issue({ roles: owner, target: door, action: 'grant', grant: grant() })]);
  const revoke = (by: string, roles: IssueCommand['roles']) => issue({ commandId: `r-${by}`, by, roles, target: door, action: 'revoke-grant', grant: grant({ pinHash: '' }) });
  s.when(revoke('acct-other', [{ role: 'owner', buildingId: 'bldg-1' }])).expectError(DeviceError.COMMAND_FORBIDDEN);
  s.when(revoke('acct-1', owner)).expectState((st) => assert.deepEqual(st.grants, {}));
  s.when(revoke('acct-staff', [{ role: 'property_admin' }])).expectState((st) => assert.deepEqual(st.grants, {}));
  scenario(desk).when(revoke('acct-1', owner)).expectError(DeviceError.UNKNOWN_COMMAND);
});

const script: DeviceCommandCommand[] = [
  issue({}), { type: 'AcknowledgeCommand', commandId: 'c-1', deviceId: 'gate-1-lpr', ok: true, code: null, at: T + 100 },
  issue({ commandId: 'c-2', roles: owner, target: door, action: 'grant', grant: grant() }),
  issue({ commandId: 'c-3', roles: owner, target: elevator, action: 'grant', grant: grant() }),
  issue({ commandId: 'c-4', roles: owner, target: door, action: 'revoke-grant', grant: grant({ pinHash: '' }), at: T + 1000 }),
];

test('device commands: a day of commands → replay gives the same state; commands, events and states survive JSON; old commands forgotten past the bound', () => {
  checkReplay(desk, script);
  checkJson(desk, script);
  const small = createDeviceCommandActor({ ...DEFAULT_COMMAND_LIMITS, commandsKept: 2 });
  const r = checkReplay(small, script);
  assert.deepEqual(r.state.order, ['c-3', 'c-4']);
});
