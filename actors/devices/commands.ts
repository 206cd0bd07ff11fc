/**
 * @module actors/devices/commands
 * The audit trail of commands to devices as a pure state machine: who may open a gate or a
 * door, who may grant a visitor or a carer temporary access to a building's door and elevator
 * (and revoke it), every command issued with its issuer and role, and the device's answer.
 * Rules: open a gate or a door: guards and property staff, or the platform itself (role
 * `system`, e.g. the parking service opening a gate for a recognised plate). Grant or revoke access: property
 * staff, guards, and residents of that building (owner, tenant, family) for its devices only;
 * the window must lie ahead, start before it ends, and last at most `maxGrantMs`.
 * Owns: the rules and the record. Does not: send anything, make ids or PINs (the engine does;
 * the event keeps a PIN's hash only), or know time (commands carry `at`).
 * Overflow: commands beyond `commandsKept` forget the oldest (journal and analytics keep all).
 */
import { accept, assertNever, cleanText, codePointLength, defineActor, isBlank, reject, type Decision } from '../_kit/index.ts';
import { DEVICE_KINDS } from './catalog.ts';
import { DeviceError, type DeviceErrorCode } from './errors.ts';
import type { DeviceAction, DeviceKind } from './protocol.ts';

/** A role the caller holds now; resident roles name their building. */
export type CallerRole = { readonly role: string; readonly buildingId?: string };

export interface CommandTarget {
  readonly deviceId: string;
  readonly kind: DeviceKind;
  /** The building the device serves (door readers, elevators); null for gates. */
  readonly buildingId: string | null;
}

export interface GrantSpec {
  readonly grantId: string;
  readonly holder: 'visitor' | 'carer';
  /** Shown to staff only (the device gets no name), e.g. "王阿姨 (carer)". */
  readonly label: string;
  readonly from: number;
  readonly until: number;
  /** sha256 of the PIN the visitor types; the PIN itself goes to the issuer and the device only. */
  readonly pinHash: string;
}

export type IssueCommand = {
  type: 'IssueCommand'; commandId: string; by: string; roles: readonly CallerRole[]; target: CommandTarget;
  action: Exclude<DeviceAction, 'backoff'>; grant: GrantSpec | null; at: number;
};
export type AcknowledgeCommand = { type: 'AcknowledgeCommand'; commandId: string; deviceId: string; ok: boolean; code: string | null; at: number };
export type DeviceCommandCommand = IssueCommand | AcknowledgeCommand;

export type CommandIssued = {
  type: 'CommandIssued'; v: 1; commandId: string; deviceId: string; deviceKind: DeviceKind; action: IssueCommand['action'];
  by: string; role: string; grant: GrantSpec | null; at: number;
};
export type CommandAcknowledged = { type: 'CommandAcknowledged'; v: 1; commandId: string; deviceId: string; ok: boolean; code: string | null; latencyMs: number; at: number };
export type DeviceCommandEvent = CommandIssued | CommandAcknowledged;

export interface CommandRecord {
  readonly deviceId: string;
  readonly action: IssueCommand['action'];
  readonly by: string;
  readonly at: number;
  readonly grantId: string | null;
  readonly ack: { readonly ok: boolean; readonly code: string | null; readonly at: number } | null;
}

export type DeviceCommandState = Readonly<{
  commands: Readonly<Record<string, CommandRecord>>;
  /** Command ids, oldest first (at most `commandsKept`). */
  order: readonly string[];
  /** Grants not revoked, by id: who issued them and until when. */
  grants: Readonly<Record<string, { readonly by: string; readonly until: number; readonly deviceIds: readonly string[] }>>;
}>;

export interface CommandLimits {
  readonly maxGrantMs: number;
  readonly labelMaxChars: number;
  readonly commandsKept: number;
}

export const DEFAULT_COMMAND_LIMITS: CommandLimits = { maxGrantMs: 7 * 86_400_000, labelMaxChars: 40, commandsKept: 1000 };
export const initialCommandState: DeviceCommandState = { commands: {}, order: [], grants: {} };

type D = Decision<DeviceCommandEvent, DeviceErrorCode>;
const STAFF = ['property_staff', 'property_admin'];
const PIN_HASH = /^[0-9a-f]{64}$/;
const own = <T>(r: Readonly<Record<string, T>>, k: string): T | undefined => (Object.hasOwn(r, k) ? r[k] : undefined);

/** The role under which `roles` may send `action` to `target`, or null when none may. */
export function roleFor(roles: readonly CallerRole[], target: CommandTarget, action: IssueCommand['action']): string | null {
  const staff = roles.find((r) => STAFF.includes(r.role));
  const guard = roles.find((r) => r.role === 'guard');
  if (action === 'open') return (staff ?? guard ?? roles.find((r) => r.role === 'system'))?.role ?? null;
  const resident = target.buildingId !== null ? roles.find((r) => ['owner', 'tenant', 'family'].includes(r.role) && r.buildingId === target.buildingId) : undefined;
  return (staff ?? guard ?? resident)?.role ?? null;
}

function decideWith(l: CommandLimits, s: DeviceCommandState, c: DeviceCommandCommand): D {
  switch (c.type) {
    case 'IssueCommand': {
      if (own(s.commands, c.commandId)) return reject(DeviceError.DUPLICATE_COMMAND, { commandId: c.commandId });
      if (!(DEVICE_KINDS[c.target.kind]?.actions ?? []).includes(c.action)) return reject(DeviceError.COMMAND_UNSUPPORTED, { kind: c.target.kind, action: c.action });
      const role = roleFor(c.roles, c.target, c.action);
      if (role === null) return reject(DeviceError.COMMAND_FORBIDDEN, { action: c.action });
      if (c.action === 'open') return accept({ type: 'CommandIssued', v: 1, commandId: c.commandId, deviceId: c.target.deviceId, deviceKind: c.target.kind, action: c.action, by: c.by, role, grant: null, at: c.at });
      const g = c.grant;
      if (!g) return reject(DeviceError.BAD_COMMAND, { field: 'grant' });
      if (c.action === 'revoke-grant') {
        const existing = own(s.grants, g.grantId);
        if (!existing) return reject(DeviceError.UNKNOWN_COMMAND, { grantId: g.grantId });
        if (existing.by !== c.by && !STAFF.includes(role)) return reject(DeviceError.COMMAND_FORBIDDEN, { action: c.action });
        return accept({ type: 'CommandIssued', v: 1, commandId: c.commandId, deviceId: c.target.deviceId, deviceKind: c.target.kind, action: c.action, by: c.by, role, grant: { ...g, pinHash: '' }, at: c.at });
      }
      if (!Number.isFinite(g.from) || !Number.isFinite(g.until) || g.until <= g.from || g.until <= c.at || g.until - g.from > l.maxGrantMs || g.from < c.at - 60_000) {
        return reject(DeviceError.BAD_WINDOW, { maxHours: l.maxGrantMs / 3_600_000 });
      }
      const label = cleanText(g.label).trim();
      if (isBlank(label) || codePointLength(label) > l.labelMaxChars || !PIN_HASH.test(g.pinHash) || (g.holder !== 'visitor' && g.holder !== 'carer')) return reject(DeviceError.BAD_COMMAND, { field: 'grant' });
      return accept({ type: 'CommandIssued', v: 1, commandId: c.commandId, deviceId: c.target.deviceId, deviceKind: c.target.kind, action: 'grant', by: c.by, role, grant: { ...g, label }, at: c.at });
    }
    case 'AcknowledgeCommand': {
      const cmd = own(s.commands, c.commandId);
      if (!cmd || cmd.deviceId !== c.deviceId) return reject(DeviceError.UNKNOWN_COMMAND, { commandId: c.commandId });
      if (cmd.ack) return reject(DeviceError.ALREADY_ACKNOWLEDGED, { commandId: c.commandId });
      return accept({ type: 'CommandAcknowledged', v: 1, commandId: c.commandId, deviceId: c.deviceId, ok: c.ok, code: c.code, latencyMs: Math.max(0, c.at - cmd.at), at: c.at });
    }
    default:
      return assertNever(c);
  }
}

function evolveWith(l: CommandLimits, s: DeviceCommandState, e: DeviceCommandEvent): DeviceCommandState {
  if (e.type === 'CommandIssued') {
    const order = [...s.order, e.commandId];
    const commands: Record<string, CommandRecord> = { ...s.commands, [e.commandId]: { deviceId: e.deviceId, action: e.action, by: e.by, at: e.at, grantId: e.grant?.grantId ?? null, ack: null } };
    for (const old of order.length > l.commandsKept ? order.splice(0, order.length - l.commandsKept) : []) delete commands[old];
    let grants = s.grants;
    if (e.grant && e.action === 'grant') {
      const prev = own(grants, e.grant.grantId);
      grants = { ...grants, [e.grant.grantId]: { by: e.by, until: e.grant.until, deviceIds: [...(prev?.deviceIds ?? []), e.deviceId] } };
    }
    if (e.grant && e.action === 'revoke-grant') grants = Object.fromEntries(Object.entries(grants).filter(([id]) => id !== e.grant!.grantId));
    // Grants that ended long ago are forgotten (a day after their end).
    grants = Object.fromEntries(Object.entries(grants).filter(([, g]) => g.until + 86_400_000 > e.at));
    return { commands, order, grants };
  }
  if (e.type === 'CommandAcknowledged') {
    const cmd = own(s.commands, e.commandId);
    if (!cmd) return s;
    return { ...s, commands: { ...s.commands, [e.commandId]: { ...cmd, ack: { ok: e.ok, code: e.code, at: e.at } } } };
  }
  return s;
}

export function createDeviceCommandActor(limits: CommandLimits = DEFAULT_COMMAND_LIMITS) {
  return defineActor({
    type: 'device-commands',
    initial: initialCommandState,
    decide: (s: DeviceCommandState, c: DeviceCommandCommand): D => decideWith(limits, s, c),
    evolve: (s: DeviceCommandState, e: DeviceCommandEvent): DeviceCommandState => evolveWith(limits, s, e),
  });
}
