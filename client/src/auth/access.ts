/**
 * @module client/auth/access
 * What a signed-in account may see, from its roles (`me.roles`): which building rooms, whether
 * groups, parking lots and the community map, and which panels (property office, reach a
 * neighbour). A mirror of the directory's admission rule (actors/community/directory mayJoin),
 * kept here because the client imports the actors' types only; access.test.ts checks the two agree.
 * Owns: the page's view of access and the reading of refusal codes. Does not: enforce anything
 * (the server admits or refuses every join and request).
 */
import type { CommunityLayout } from '../../../actors/community/layout.ts';
import type { RoleGrant, StaffRole } from '../protocol.ts';

export interface Access {
  /** Building rooms (by building id) the account may enter. */
  readonly buildings: ReadonlySet<string>;
  readonly groups: boolean;
  readonly lots: boolean;
  readonly map: boolean;
  /** property_staff or property_admin: the property panel and the notice form. */
  readonly staff: boolean;
  /** guard: the alarms, the map and the parking desk (sessions and cash, not the tariff). */
  readonly guard: boolean;
  /** property_admin: may also invite staff roles. */
  readonly admin: boolean;
  /** Holds an active owner, tenant or family membership. */
  readonly resident: boolean;
  /** Units the account owns now (owners may invite family and tenants to them). */
  readonly ownedUnits: readonly string[];
}

const PROPERTY: readonly StaffRole[] = ['property_staff', 'property_admin'];

function active(g: RoleGrant, now: number): boolean {
  return !('unitId' in g) || g.endsAt === null || now < g.endsAt;
}

export function accessOf(roles: readonly RoleGrant[], layout: CommunityLayout, now: number = Date.now()): Access {
  const live = roles.filter((g) => active(g, now));
  const has = (r: StaffRole) => live.some((g) => g.role === r);
  const staff = PROPERTY.some(has);
  const homes = live.flatMap((g) => ('buildingId' in g ? [g] : []));
  const resident = homes.length > 0;
  const buildings = new Set(staff ? layout.buildings.filter((b) => b.residential).map((b) => b.id) : homes.map((g) => g.buildingId));
  return {
    buildings,
    groups: staff || resident,
    lots: staff || resident || has('guard'),
    map: staff || has('guard'),
    staff,
    guard: has('guard'),
    admin: has('property_admin'),
    resident,
    ownedUnits: homes.filter((g) => g.role === 'owner').map((g) => g.unitId),
  };
}

/** Whether `roomId` is a chat room (a residential building or a group) this account may enter. */
export function mayChatIn(access: Access, layout: CommunityLayout, roomId: string | null): roomId is string {
  if (!roomId) return false;
  if (access.buildings.has(roomId)) return layout.buildings.some((b) => b.id === roomId && b.residential);
  return access.groups && layout.groups.some((g) => g.id === roomId);
}

/**
 * Codes that mean the session itself is gone (or never was): the page checks by refreshing once,
 * and goes back to sign-in when that fails too.
 */
const SESSION_GONE = new Set([
  'IDENTITY_TOKEN_MISSING', 'IDENTITY_TOKEN_INVALID', 'IDENTITY_SESSION_REVOKED', 'IDENTITY_SESSION_EXPIRED',
  'IDENTITY_REFRESH_REUSED', 'IDENTITY_UNKNOWN_SESSION', 'IDENTITY_ACCOUNT_REVOKED', 'DIRECTORY_ACCOUNT_REVOKED',
  'IDENTITY_WRONG_COMMUNITY',
]);

/** Codes that refuse this room for this account (roles changed): not retried until the roles change. */
const ROOM_DENIED = new Set(['DIRECTORY_ROOM_FORBIDDEN', 'DIRECTORY_UNKNOWN_ACCOUNT', 'IDENTITY_WRONG_TOKEN_KIND', 'IDENTITY_FORBIDDEN']);

export const TOKEN_EXPIRED = 'IDENTITY_TOKEN_EXPIRED';

export type Refusal = 'expired' | 'session-gone' | 'denied' | 'other';

export function refusalOf(code: string | undefined): Refusal {
  if (!code) return 'other';
  if (code === TOKEN_EXPIRED) return 'expired';
  if (SESSION_GONE.has(code)) return 'session-gone';
  if (ROOM_DENIED.has(code)) return 'denied';
  return 'other';
}

/** The code at the front of a join refusal's message (`IDENTITY_TOKEN_MISSING: Sign in first`). */
export function codeOfJoinError(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return /^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?::|$)/.exec(message)?.[1];
}

/** `bldg-594889490-1-1202` → its building and the rest (`1`, `1202`); entrance and room hold no `-`. */
export function splitUnitId(unitId: string): { buildingId: string; entrance: string; room: string } | null {
  const m = /^(.+)-([^-]+)-([^-]+)$/.exec(unitId);
  return m ? { buildingId: m[1]!, entrance: m[2]!, room: m[3]! } : null;
}
