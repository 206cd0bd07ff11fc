/**
 * Command builders and a founded, populated history shared by the directory test files.
 * Why: every directory test starts from "an admin, a staff member, two units"; stating that once
 * keeps each test about its one command. Extend: add a builder per new command, defaults last.
 * Not imported by production code.
 */
import type {
  AddMember, DirectoryCommand, GrantRole, ImportUnits, IssueInvite, RecordFailedAttempt, RedeemInvite, RemoveMember,
  RenameMember, ResidentRole, RevokeAccount, RevokeRole, StaffRole, UnitRow,
} from './directory-protocol.ts';

export const T0 = 1_700_000_000_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const ROW_1202: UnitRow = { buildingId: 'bldg-594889490', entrance: '1', floor: 12, room: '1202', areaM2: 89.5, ownerOfRecord: '张三' };
export const ROW_301: UnitRow = { buildingId: 'bldg-594912252', entrance: '2', floor: 3, room: '301', areaM2: 72, ownerOfRecord: null };
export const U1202 = 'bldg-594889490-1-1202';
export const U301 = 'bldg-594912252-2-301';
export const B1 = 'bldg-594889490';
export const B11 = 'bldg-594912252';

/** A well-formed code hash (what the engine would compute), numbered for readability. */
export const hash = (n: number) => `sha256-${String(n).padStart(24, '0')}`;

export const found = (adminId = 'admin', at = T0): DirectoryCommand => ({ type: 'FoundDirectory', adminId, at });
export const importUnits = (by: string, units: readonly UnitRow[], at = T0): ImportUnits => ({ type: 'ImportUnits', by, units, at });
export const issue = (codeHash: string, unitId: string, role: ResidentRole, more: Partial<IssueInvite> = {}): IssueInvite => ({
  type: 'IssueInvite', by: 'staff', unitId, role, codeHash, expiresAt: T0 + 7 * DAY,
  tenancyEndsAt: role === 'tenant' ? T0 + 30 * DAY : null, at: T0, ...more,
});
/** A staff invite from the admin: no unit, no tenancy. */
export const issueStaff = (codeHash: string, role: StaffRole, more: Partial<IssueInvite> = {}): IssueInvite => ({
  type: 'IssueInvite', by: 'admin', unitId: null, role, codeHash, expiresAt: T0 + 7 * DAY, tenancyEndsAt: null, at: T0, ...more,
});
/**
 * `accountId` joins as `role` through staff invite number `n` (code hashes from 100 up, clear of the
 * tests' own), the way a real staff member does: GrantRole only takes accounts the directory knows.
 */
export const hire = (accountId: string, role: StaffRole, displayName: string, n: number, at = T0): DirectoryCommand[] => [
  issueStaff(hash(100 + n), role, { at }), redeem(hash(100 + n), accountId, displayName, { at }),
];
export const redeem = (codeHash: string, accountId: string, displayName: string, more: Partial<RedeemInvite> = {}): RedeemInvite => ({
  type: 'RedeemInvite', codeHash, accountId, displayName, ip: '10.0.0.7', at: T0 + HOUR, ...more,
});
export const failed = (accountId: string, ip: string | null, at: number, code = 'DIRECTORY_UNKNOWN_INVITE'): RecordFailedAttempt => ({
  type: 'RecordFailedAttempt', accountId, ip, code, at,
});
export const add = (by: string, unitId: string, accountId: string, role: 'family' | 'tenant', more: Partial<AddMember> = {}): AddMember => ({
  type: 'AddMember', by, unitId, accountId, role, tenancyEndsAt: role === 'tenant' ? T0 + 30 * DAY : null, at: T0 + 2 * HOUR, ...more,
});
export const remove = (by: string, unitId: string, accountId: string, at = T0 + 3 * HOUR): RemoveMember => ({ type: 'RemoveMember', by, unitId, accountId, at });
export const grant = (by: string, accountId: string, role: StaffRole, at = T0): GrantRole => ({ type: 'GrantRole', by, accountId, role, at });
export const revokeRole = (by: string, accountId: string, role: StaffRole, at = T0 + HOUR): RevokeRole => ({ type: 'RevokeRole', by, accountId, role, at });
export const revokeAccount = (by: string, accountId: string, at = T0 + 4 * HOUR): RevokeAccount => ({ type: 'RevokeAccount', by, accountId, at });
export const rename = (accountId: string, displayName: string, at = T0 + 5 * HOUR): RenameMember => ({ type: 'RenameMember', accountId, displayName, at });

/** Founded by `admin`; `staff` is property staff; units 1号楼 1-1202 and 11号楼 2-301 imported. */
export const SETUP: readonly DirectoryCommand[] = [found('admin'), ...hire('staff', 'property_staff', '物业小刘', 0), importUnits('staff', [ROW_1202, ROW_301])];
/** SETUP plus `owner` (张先生) owning 1202 through an owner invite. */
export const WITH_OWNER: readonly DirectoryCommand[] = [...SETUP, issue(hash(1), U1202, 'owner'), redeem(hash(1), 'owner', '张先生')];
