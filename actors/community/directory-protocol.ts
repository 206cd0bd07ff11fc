/**
 * @module actors/community/directory-protocol
 * Commands, events, state and limits of a community's directory: its unit register, invites,
 * memberships, staff roles, display names and failed invite attempts. Types only.
 * Every command carries `at` (ms since the epoch); ids, code hashes and the caller's identity
 * (`by`, `accountId`, `ip`) are filled in by the engine after authentication, never by a client.
 */
import type { DirectoryErrorCode } from './directory-errors.ts';

export type ResidentRole = 'owner' | 'tenant' | 'family';
export type StaffRole = 'property_staff' | 'property_admin' | 'guard' | 'merchant' | 'carer' | 'analyst';
export type Role = ResidentRole | StaffRole;

/** One row of the unit register, as the CSV parser returns it and ImportUnits takes it. */
export interface UnitRow {
  /** Building room id from the community file, e.g. `bldg-594889490`. */
  readonly buildingId: string;
  /** 单元 (entrance / stairwell), e.g. `1`. */
  readonly entrance: string;
  readonly floor: number;
  /** Room number as written on the door, e.g. `1202`. */
  readonly room: string;
  readonly areaM2: number;
  /** 产权人 as registered with the property office; staff-only data. Null when not known. */
  readonly ownerOfRecord: string | null;
}

/** A unit: its row plus its id `<building>-<entrance>-<room>`, e.g. `bldg-594889490-1-1202`. */
export interface Unit extends UnitRow {
  readonly id: string;
}

// --- commands

/** Appoints the first property admin. Sent once by the engine from configuration, never by a client. */
export type FoundDirectory = { type: 'FoundDirectory'; adminId: string; at: number };
export type ImportUnits = { type: 'ImportUnits'; by: string; units: readonly UnitRow[]; at: number };
/**
 * A one-time invite. Resident roles name a unit (staff may issue); staff roles name no unit and
 * only a property admin may issue them.
 */
export type IssueInvite = {
  type: 'IssueInvite'; by: string; unitId: string | null; role: Role;
  /** Hash of the one-time code; the engine hashes, the directory never sees the code. */
  codeHash: string;
  expiresAt: number;
  /** Required for tenants, null for owners and family. */
  tenancyEndsAt: number | null;
  at: number;
};
export type RedeemInvite = {
  type: 'RedeemInvite'; codeHash: string; accountId: string; displayName: string;
  /** Peer address, a second key for counting failed attempts; null when the engine has none. */
  ip: string | null;
  at: number;
};
/** Counts one failed RedeemInvite; the engine sends it after a rejection (see `failedAttemptOf`). */
export type RecordFailedAttempt = { type: 'RecordFailedAttempt'; accountId: string; ip: string | null; code: string; at: number };
export type AddMember = {
  type: 'AddMember'; by: string; unitId: string; accountId: string; role: 'family' | 'tenant';
  tenancyEndsAt: number | null; at: number;
};
export type RemoveMember = { type: 'RemoveMember'; by: string; unitId: string; accountId: string; at: number };
export type GrantRole = { type: 'GrantRole'; by: string; accountId: string; role: StaffRole; at: number };
export type RevokeRole = { type: 'RevokeRole'; by: string; accountId: string; role: StaffRole; at: number };
export type RevokeAccount = { type: 'RevokeAccount'; by: string; accountId: string; at: number };
/** Renames the caller's own display name. */
export type RenameMember = { type: 'RenameMember'; accountId: string; displayName: string; at: number };
/** Sent by the engine when the credential of a just-redeemed sign-up could not be created. */
export type VoidRedemption = { type: 'VoidRedemption'; codeHash: string; accountId: string; at: number };

export type DirectoryCommand =
  | FoundDirectory | ImportUnits | IssueInvite | RedeemInvite | RecordFailedAttempt
  | AddMember | RemoveMember | GrantRole | RevokeRole | RevokeAccount | RenameMember | VoidRedemption;

// --- events (display names travel with their nameKey, so replay never re-runs Unicode normalisation)

export type DirectoryFounded = { type: 'DirectoryFounded'; v: 1; adminId: string; at: number };
export type UnitsImported = { type: 'UnitsImported'; v: 1; by: string; units: readonly Unit[]; at: number };
export type InviteIssued = {
  type: 'InviteIssued'; v: 1; by: string; codeHash: string; unitId: string | null; role: Role;
  expiresAt: number; tenancyEndsAt: number | null; at: number;
};
export type InviteRedeemed = {
  type: 'InviteRedeemed'; v: 1; codeHash: string; accountId: string; unitId: string | null; buildingId: string | null;
  role: Role; endsAt: number | null; displayName: string; nameKey: string; at: number;
};
export type InviteAttemptFailed = { type: 'InviteAttemptFailed'; v: 1; keys: readonly string[]; code: string; at: number };
export type MemberAdded = {
  type: 'MemberAdded'; v: 1; by: string; unitId: string; buildingId: string; accountId: string;
  role: 'family' | 'tenant'; endsAt: number | null; at: number;
};
export type MemberRemoved = { type: 'MemberRemoved'; v: 1; by: string; unitId: string; accountId: string; at: number };
export type RoleGranted = { type: 'RoleGranted'; v: 1; by: string; accountId: string; role: StaffRole; at: number };
export type RoleRevoked = { type: 'RoleRevoked'; v: 1; by: string; accountId: string; role: StaffRole; at: number };
/** Rooms react to this at once: every open session of the account is closed. */
export type AccountRevoked = { type: 'AccountRevoked'; v: 1; by: string; accountId: string; at: number };
export type MemberRenamed = { type: 'MemberRenamed'; v: 1; accountId: string; displayName: string; nameKey: string; at: number };
/** The sign-up that redeemed `codeHash` is undone: its account is gone and the invite is unused again. */
export type RedemptionVoided = { type: 'RedemptionVoided'; v: 1; codeHash: string; accountId: string; at: number };

export type DirectoryEvent =
  | DirectoryFounded | UnitsImported | InviteIssued | InviteRedeemed | InviteAttemptFailed
  | MemberAdded | MemberRemoved | RoleGranted | RoleRevoked | AccountRevoked | MemberRenamed | RedemptionVoided;

// --- state

export interface Invite {
  /** Null for a staff invite. */
  readonly unitId: string | null;
  readonly role: Role;
  readonly expiresAt: number;
  readonly tenancyEndsAt: number | null;
  readonly issuedBy: string;
  readonly issuedAt: number;
  /** Who redeemed it; null while unused. An invite is redeemed at most once. */
  readonly redeemedBy: string | null;
}

export interface Membership {
  readonly unitId: string;
  readonly buildingId: string;
  readonly role: ResidentRole;
  readonly since: number;
  /** End of a tenancy: the membership is inactive from this instant on. Null: open-ended. */
  readonly endsAt: number | null;
}

export interface Account {
  readonly displayName: string | null;
  readonly nameKey: string | null;
  /** Set once and never cleared: a revoked account is never admitted again. */
  readonly revokedAt: number | null;
  /** Memberships by unit id (ended ones are removed; an expired tenancy stays until replaced or removed). */
  readonly units: Readonly<Record<string, Membership>>;
  /** Sorted. */
  readonly staffRoles: readonly StaffRole[];
}

export type DirectoryState = Readonly<{
  founded: boolean;
  units: Readonly<Record<string, Unit>>;
  invites: Readonly<Record<string, Invite>>;
  accounts: Readonly<Record<string, Account>>;
  /** nameKey → accountId; a revoked account keeps its name so nobody can take it over. */
  names: Readonly<Record<string, string>>;
  /** attempt key (`account:<id>`, `ip:<addr>`) → times of its latest failures, oldest first, at most maxInviteFailures. */
  failures: Readonly<Record<string, readonly number[]>>;
}>;

export interface DirectoryLimits {
  /** Failed redemptions per key within the window that lock the key. */
  readonly maxInviteFailures: number;
  /** Failed redemptions from one address (`ip:` keys) that lock it; higher, as a whole compound may share one address. */
  readonly maxInviteFailuresPerAddress: number;
  readonly inviteFailureWindowMs: number;
  /** Attempt keys remembered; beyond it the key with the oldest latest failure is forgotten. */
  readonly attemptKeysKept: number;
  /** Units per ImportUnits command; more is rejected with DIRECTORY_IMPORT_TOO_LARGE. */
  readonly maxUnitsPerImport: number;
  /** In code points. */
  readonly displayNameMaxChars: number;
}

// --- queries

/** A role an account holds now; resident roles name their unit and building. */
export type RoleGrant =
  | { readonly role: StaffRole }
  | { readonly role: ResidentRole; readonly unitId: string; readonly buildingId: string; readonly endsAt: number | null };

export type RoomKind = 'building' | 'group' | 'parking-lot' | 'community-map' | 'analytics' | 'commons';
/** A room to check; for a building room `buildingId` defaults to `id` (building rooms are named by building id). */
export type RoomRef = { readonly kind: RoomKind; readonly id: string; readonly buildingId?: string };
export type MessageType = 'chat' | 'notice';
/** The answer of `mayJoin` and `mayPost`. */
export type Admission = { readonly ok: true } | { readonly ok: false; readonly code: DirectoryErrorCode };
