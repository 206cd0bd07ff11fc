/**
 * @module services/identity/directory-routes
 * The property office's HTTP API (and an owner's, for their own unit): import the unit register
 * from CSV, issue invite codes, list units and accounts, remove members, grant and revoke staff
 * roles, revoke accounts, and issue device secrets. Owners list their unit's members and invite
 * family and tenants. Every refusal is typed; every change that takes access away is applied to
 * open rooms at once (IdentityService.changed).
 * Limits: a register file is limited by HTTP_MAX_BODY_BYTES and 20 000 rows; every problem is
 * reported by line (the first 100, with their count) and nothing of a file with errors is imported.
 */
import { DEFAULT_REGISTER_MAX_ROWS, parseUnitRegister } from '../../actors/community/unit-register.ts';
import { DirectoryError } from '../../actors/community/directory-errors.ts';
import type { Role, UnitRow } from '../../actors/community/directory-protocol.ts';
import { rolesOf } from '../../actors/community/directory.ts';
import { newInviteCode } from '../../engine/auth/secrets.ts';
import { EngineError, failure, LinliError } from '../../engine/errors.ts';
import { json, type Route } from '../../engine/http/contract.ts';
import type { Logger } from '../../engine/log.ts';
import { bodyOf, signedIn } from './http-kit.ts';
import type { IdentityService } from './identity-service.ts';

export interface DirectoryRouteDeps {
  readonly identity: IdentityService;
  readonly buildingIds: ReadonlySet<string>;
  readonly inviteTtlHours: number;
  readonly trustProxy: boolean;
  readonly log: Logger;
  readonly now: () => number;
}

/** Line errors listed in one answer; `errorCount` says how many there were in all. */
const MAX_LISTED_ERRORS = 100;

const str = (v: unknown, field: string, max = 128): string => {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new LinliError(EngineError.BAD_INPUT, { field });
  return v;
};

export function directoryRoutes(d: DirectoryRouteDeps): Route[] {
  const { identity } = d;
  const authed = (handle: Parameters<typeof signedIn>[3]) => signedIn(identity, d.trustProxy, d.log, handle);
  const state = () => identity.directory.state;

  return [
    {
      method: 'POST', path: '/api/directory/units',
      handle: authed(async (p, req) => {
        identity.requireStaff(p);
        let text: string;
        try { text = new TextDecoder('utf-8', { fatal: true }).decode(req.body); } catch { throw new LinliError(EngineError.BAD_INPUT, { problem: 'the register is not UTF-8 text' }); }
        const parsed = parseUnitRegister(text, DEFAULT_REGISTER_MAX_ROWS, d.buildingIds);
        if (parsed.errors.length > 0) {
          // The typed failure (code, message, retryable from the catalogue), plus every problem by line.
          return json(400, {
            ...failure(DirectoryError.REGISTER_REJECTED), imported: 0, errorCount: parsed.errors.length, errors: parsed.errors.slice(0, MAX_LISTED_ERRORS),
            unknownBuildings: parsed.unknownBuildings.slice(0, MAX_LISTED_ERRORS),
          });
        }
        const before = Object.keys(state().units).length;
        for (let i = 0; i < parsed.rows.length; i += 1000) {
          await identity.direct(p, { type: 'ImportUnits', by: p.accountId, units: parsed.rows.slice(i, i + 1000) as UnitRow[], at: d.now() });
        }
        const imported = Object.keys(state().units).length - before;
        return json(200, { ok: true, rows: parsed.rows.length, imported, alreadyKnown: parsed.rows.length - imported });
      }),
    },
    {
      method: 'GET', path: '/api/directory/units',
      handle: authed((p, req) => {
        const staff = identity.isStaff(p.accountId);
        const at = d.now();
        const building = req.query.get('buildingId');
        const accounts = Object.entries(state().accounts);
        const units = Object.values(state().units)
          .filter((u) => (building ? u.buildingId === building : true))
          .filter((u) => staff || accounts.some(([id, a]) => id === p.accountId && a.units[u.id]?.role === 'owner' && (a.units[u.id].endsAt === null || at < a.units[u.id].endsAt!)))
          .map((u) => ({
            ...u, ownerOfRecord: staff ? u.ownerOfRecord : null,
            members: accounts.filter(([, a]) => a.revokedAt === null && a.units[u.id]).map(([id, a]) => ({ accountId: id, displayName: a.displayName, role: a.units[u.id].role, endsAt: a.units[u.id].endsAt })),
          }));
        return json(200, { ok: true, units });
      }),
    },
    {
      method: 'POST', path: '/api/directory/invites',
      handle: authed(async (p, req) => {
        const b = bodyOf(req);
        const role = str(b.role, 'role', 32) as Role;
        const unitId = b.unitId === null || b.unitId === undefined ? null : str(b.unitId, 'unitId');
        const ttlHours = b.ttlHours === undefined ? d.inviteTtlHours : Number(b.ttlHours);
        if (!Number.isFinite(ttlHours) || ttlHours <= 0 || ttlHours > 2160) throw new LinliError(EngineError.BAD_INPUT, { field: 'ttlHours' });
        const tenancyEndsAt = b.tenancyEndsAt === undefined || b.tenancyEndsAt === null ? null : Number(b.tenancyEndsAt);
        if (tenancyEndsAt !== null && (!Number.isSafeInteger(tenancyEndsAt) || tenancyEndsAt < 0)) throw new LinliError(EngineError.BAD_INPUT, { field: 'tenancyEndsAt', problem: 'ms since the epoch' });
        const at = d.now();
        const code = newInviteCode();
        const expiresAt = at + ttlHours * 3_600_000;
        await identity.direct(p, { type: 'IssueInvite', by: p.accountId, unitId, role, codeHash: await identity.hashCode(code), expiresAt, tenancyEndsAt, at });
        await identity.log('InviteIssued', { accountId: null, by: p.accountId, detail: `${role}${unitId ? ` ${unitId}` : ''}` });
        return json(200, { ok: true, code, unitId, role, expiresAt, tenancyEndsAt });
      }),
    },
    {
      method: 'POST', path: '/api/directory/members/remove',
      handle: authed(async (p, req) => {
        const b = bodyOf(req);
        const accountId = str(b.accountId, 'accountId');
        await identity.direct(p, { type: 'RemoveMember', by: p.accountId, unitId: str(b.unitId, 'unitId'), accountId, at: d.now() });
        await identity.log('MemberChanged', { accountId, by: p.accountId, detail: `removed from ${String(b.unitId)}` });
        identity.changed(accountId, null);
        return json(200, { ok: true });
      }),
    },
    {
      method: 'POST', path: '/api/directory/accounts/revoke',
      handle: authed(async (p, req, caller) => {
        await identity.revokeAccount(p, str(bodyOf(req).accountId, 'accountId'), caller);
        return json(200, { ok: true });
      }),
    },
    ...(['grant', 'revoke'] as const).map((op): Route => ({
      method: 'POST', path: `/api/directory/roles/${op}`,
      handle: authed(async (p, req) => {
        const b = bodyOf(req);
        const accountId = str(b.accountId, 'accountId');
        const role = str(b.role, 'role', 32) as never;
        const at = d.now();
        await identity.direct(p, op === 'grant' ? { type: 'GrantRole', by: p.accountId, accountId, role, at } : { type: 'RevokeRole', by: p.accountId, accountId, role, at });
        await identity.log('RoleChanged', { accountId, by: p.accountId, detail: `${op} ${String(role)}` });
        identity.changed(accountId, null);
        return json(200, { ok: true });
      }),
    })),
    {
      method: 'GET', path: '/api/directory/accounts',
      handle: authed((p) => {
        identity.requireStaff(p);
        const at = d.now();
        const accounts = Object.entries(state().accounts).map(([id, a]) => ({
          accountId: id, displayName: a.displayName, revokedAt: a.revokedAt, roles: a.revokedAt === null ? rolesOf(state(), id, at) : [],
        }));
        // Credentials no directory account matches (a lost sign-up race of an older version): listed so staff can revoke them.
        const orphans = identity.orphanCredentials().map((o) => ({ accountId: o.accountId, displayName: null, revokedAt: o.revokedAt, roles: [], orphan: true }));
        return json(200, { ok: true, accounts: [...accounts, ...orphans] });
      }),
    },
    {
      method: 'POST', path: '/api/devices/credentials',
      handle: authed(async (p, req, caller) => json(200, { ok: true, ...await identity.setDeviceSecret(p, bodyOf(req).deviceId, caller) })),
    },
  ];
}
