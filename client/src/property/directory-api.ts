/**
 * @module client/property/directory-api
 * The property office's HTTP API (services/identity/directory-routes.ts) as the page calls it:
 * import the unit register, list units and accounts, issue invites, revoke accounts. Owners use
 * the same invite call for family and tenants of their own units. Every call is signed in.
 * Owns: paths and bodies. Does not: check roles (the server refuses with a typed failure).
 */
import { ApiError } from '../api.ts';
import type { Authed } from '../auth/auth-api.ts';
import type { AccountListing, ImportResult, Invite, RegisterLineError, Role, UnitListing } from '../protocol.ts';

/** A register the server refused: its lines with errors and the building ids it does not know. */
export interface RegisterRefusal {
  readonly errors: readonly RegisterLineError[];
  readonly unknownBuildings: readonly string[];
}

export function registerRefusalOf(error: unknown): RegisterRefusal | null {
  if (!(error instanceof ApiError) || !error.failure) return null;
  const d = error.failure as unknown as Partial<RegisterRefusal>;
  return Array.isArray(d.errors) || Array.isArray(d.unknownBuildings) ? { errors: d.errors ?? [], unknownBuildings: d.unknownBuildings ?? [] } : null;
}

/** The register is sent as the CSV text it is. */
export const importUnits = (call: Authed, csv: string) => call<ImportResult>('/api/directory/units', csv);

export const listUnits = (call: Authed, buildingId?: string) =>
  call<{ units: UnitListing[] }>(`/api/directory/units${buildingId ? `?buildingId=${encodeURIComponent(buildingId)}` : ''}`).then((r) => r.units);

export interface InviteRequest {
  readonly unitId: string | null;
  readonly role: Role;
  /** Epoch ms; required for a tenant, absent otherwise. */
  readonly tenancyEndsAt?: number;
}

export const issueInvite = (call: Authed, r: InviteRequest) => call<Invite>('/api/directory/invites', r);
export const listAccounts = (call: Authed) => call<{ accounts: AccountListing[] }>('/api/directory/accounts').then((r) => r.accounts);
export const revokeAccount = (call: Authed, accountId: string) => call<{ ok: true }>('/api/directory/accounts/revoke', { accountId });
