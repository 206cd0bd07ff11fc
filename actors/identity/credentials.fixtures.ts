/**
 * Command builders and a small history shared by the credential store tests.
 * Why: most tests start from "alice has an account and one open session"; stating that once keeps
 * each test about its one command. Extend: add a builder per new command, overrides last.
 * Not imported by production code.
 */
import type {
  ChangePassword, CloseSession, CreateAccount, CredentialsCommand, OpenSession, RecordSignInFailure, RefreshSession,
  RevokeCredentials, SetDeviceSecret,
} from './credentials-protocol.ts';

export const T0 = 1_700_000_000_000;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Refresh-token lifetime used by the builders. */
export const TTL = 30 * DAY;

export const COMMUNITY = 'shikeyuan';
export const OTHER_COMMUNITY = 'huayuan';
export const PHONE = '13800138000';
export const PHONE_2 = '13900139000';
export const DEVICE = 'gate-east-1';

/** A well-formed hash (what the engine would compute), numbered for readability; matches HASH in credentials.ts. */
export const hash = (n: number) => `sha256-${String(n).padStart(24, '0')}`;

export const createAccount = (accountId: string, phone = PHONE, more: Partial<CreateAccount> = {}): CreateAccount => ({
  type: 'CreateAccount', accountId, community: COMMUNITY, phone, passwordHash: hash(100), at: T0, ...more,
});
export const setDeviceSecret = (accountId: string, deviceId = DEVICE, secretHash = hash(200), more: Partial<SetDeviceSecret> = {}): SetDeviceSecret => ({
  type: 'SetDeviceSecret', accountId, community: COMMUNITY, deviceId, secretHash, at: T0, ...more,
});
export const changePassword = (accountId: string, passwordHash = hash(101), at = T0 + 2 * HOUR): ChangePassword => ({
  type: 'ChangePassword', accountId, passwordHash, at,
});
export const open = (sid: string, accountId: string, refreshHash: string, more: Partial<OpenSession> = {}): OpenSession => {
  const at = more.at ?? T0 + MINUTE;
  return { type: 'OpenSession', sid, accountId, refreshHash, expiresAt: at + TTL, userAgent: 'Linli/1.0 (Android 14)', ip: '10.0.0.7', at, ...more };
};
export const refresh = (sid: string, presentedHash: string, nextHash: string, more: Partial<RefreshSession> = {}): RefreshSession => {
  const at = more.at ?? T0 + HOUR;
  return { type: 'RefreshSession', sid, presentedHash, nextHash, expiresAt: at + TTL, at, ...more };
};
export const close = (sid: string, by: string, more: Partial<CloseSession> = {}): CloseSession => ({
  type: 'CloseSession', sid, by, byStaff: false, reason: 'sign-out', at: T0 + 3 * HOUR, ...more,
});
export const revoke = (accountId: string, by = 'staff', at = T0 + 4 * HOUR): RevokeCredentials => ({ type: 'RevokeCredentials', accountId, by, at });
export const failure = (keys: readonly string[], at: number): RecordSignInFailure => ({ type: 'RecordSignInFailure', keys, at });

/** alice (PHONE in COMMUNITY) with session s1 holding refresh hash 1. */
export const WITH_ALICE: readonly CredentialsCommand[] = [createAccount('alice'), open('s1', 'alice', hash(1))];
/** WITH_ALICE plus bob (PHONE_2) with session b1, and the gate device with session d1. */
export const WITH_THREE: readonly CredentialsCommand[] = [
  ...WITH_ALICE, createAccount('bob', PHONE_2), open('b1', 'bob', hash(2)), setDeviceSecret('gate'), open('d1', 'gate', hash(3)),
];
