/**
 * @module actors/identity/credentials-protocol
 * Commands, events, state and limits of the credential store: accounts by phone (people) or by
 * device id (devices), password and secret hashes, sessions with rotating refresh tokens, and
 * failed sign-ins. Types only.
 * Every hash here is computed by the engine (scrypt for passwords and device secrets, SHA-256 for
 * refresh tokens); the actor compares and stores hashes, never secrets.
 */
import type { IdentityErrorCode } from './identity-errors.ts';

export type CredentialKind = 'person' | 'device';

// --- commands

export type CreateAccount = { type: 'CreateAccount'; accountId: string; community: string; phone: string; passwordHash: string; at: number };
/** Creates a device's credential or rotates its secret. */
export type SetDeviceSecret = { type: 'SetDeviceSecret'; accountId: string; community: string; deviceId: string; secretHash: string; at: number };
export type ChangePassword = { type: 'ChangePassword'; accountId: string; passwordHash: string; at: number };
/** Sent by the engine after it verified the password or device secret. */
export type OpenSession = {
  type: 'OpenSession'; sid: string; accountId: string; refreshHash: string; expiresAt: number;
  userAgent: string; ip: string | null; at: number;
};
export type RecordSignInFailure = { type: 'RecordSignInFailure'; keys: readonly string[]; at: number };
export type RefreshSession = { type: 'RefreshSession'; sid: string; presentedHash: string; nextHash: string; expiresAt: number; at: number };
/** `byStaff` is set by the engine when the directory says the caller is property staff. */
export type CloseSession = { type: 'CloseSession'; sid: string; by: string; byStaff: boolean; reason: string; at: number };
/** Every session of the account closes; its credential never opens a session again. */
export type RevokeCredentials = { type: 'RevokeCredentials'; accountId: string; by: string; at: number };

/**
 * After a successful sign-in: the browser or app it came from (a random key the server set in a
 * cookie, stored here as a hash) is known to the account, so the phone's lock-out never applies to it.
 */
export type RememberDevice = { type: 'RememberDevice'; accountId: string; deviceHash: string; at: number };

export type CredentialsCommand =
  | CreateAccount | SetDeviceSecret | ChangePassword | OpenSession | RecordSignInFailure
  | RefreshSession | CloseSession | RevokeCredentials | RememberDevice;

// --- events

export type AccountCreated = { type: 'AccountCreated'; v: 1; accountId: string; community: string; phone: string; passwordHash: string; at: number };
export type DeviceSecretSet = { type: 'DeviceSecretSet'; v: 1; accountId: string; community: string; deviceId: string; secretHash: string; at: number };
export type PasswordChanged = { type: 'PasswordChanged'; v: 1; accountId: string; passwordHash: string; at: number };
export type SessionOpened = {
  type: 'SessionOpened'; v: 1; sid: string; accountId: string; refreshHash: string; expiresAt: number;
  userAgent: string; ip: string | null; at: number;
};
export type SignInFailed = { type: 'SignInFailed'; v: 1; keys: readonly string[]; at: number };
export type SessionRefreshed = { type: 'SessionRefreshed'; v: 1; sid: string; refreshHash: string; previousHash: string; expiresAt: number; at: number };
/** reason: `sign-out`, `revoked-by-staff`, `refresh-reused`, `account-revoked`, `password-changed`, `limit`. */
export type SessionClosed = { type: 'SessionClosed'; v: 1; sid: string; accountId: string; reason: string; by: string | null; at: number };
export type CredentialsRevoked = { type: 'CredentialsRevoked'; v: 1; accountId: string; by: string; at: number };

export type DeviceRemembered = { type: 'DeviceRemembered'; v: 1; accountId: string; deviceHash: string; at: number };

export type CredentialsEvent =
  | AccountCreated | DeviceSecretSet | PasswordChanged | SessionOpened | SignInFailed
  | SessionRefreshed | SessionClosed | CredentialsRevoked | DeviceRemembered;

// --- state

export interface Credential {
  readonly kind: CredentialKind;
  readonly community: string;
  /** Normalised phone of a person; null for a device. */
  readonly phone: string | null;
  /** Device id of a device; null for a person. */
  readonly deviceId: string | null;
  readonly secretHash: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

export interface Session {
  readonly accountId: string;
  readonly openedAt: number;
  readonly expiresAt: number;
  readonly refreshHash: string;
  /** The hash the last refresh replaced: presenting it again means the token was stolen. */
  readonly previousHash: string | null;
  readonly refreshedAt: number;
  readonly userAgent: string;
  readonly ip: string | null;
  readonly closedAt: number | null;
  readonly closeReason: string | null;
}

export type CredentialsState = Readonly<{
  accounts: Readonly<Record<string, Credential>>;
  /** `<community>:<phone>` → account id. */
  phones: Readonly<Record<string, string>>;
  /** `<community>:<deviceId>` → account id. */
  devices: Readonly<Record<string, string>>;
  sessions: Readonly<Record<string, Session>>;
  /** attempt key → times of its latest failures, oldest first, at most maxSignInFailures (journals before the in-memory limiter). */
  failures: Readonly<Record<string, readonly number[]>>;
  /** account id → hashes of the devices it signed in from, newest last, at most `devicesPerAccount`. Absent in older snapshots. */
  knownDevices?: Readonly<Record<string, readonly string[]>>;
}>;

export interface CredentialsLimits {
  /** Failed sign-ins per key (phone, address) within the window that lock the key. */
  readonly maxSignInFailures: number;
  /** Failed sign-ins from one address (`ip:` keys) that lock it; higher, as a whole compound may share one address. */
  readonly maxSignInFailuresPerAddress: number;
  readonly signInFailureWindowMs: number;
  /** Attempt keys remembered; beyond it the key whose latest failure is oldest is forgotten. */
  readonly attemptKeysKept: number;
  /** Open sessions per account; opening one more closes the oldest (reason `limit`). */
  readonly sessionsPerAccount: number;
  /** Devices remembered per account; one more forgets the oldest. */
  readonly devicesPerAccount?: number;
}

export type SessionStatus = 'open' | 'unknown' | 'revoked' | 'expired';

/** A session as its owner (or staff) sees it in a list. */
export interface SessionView {
  readonly sid: string;
  readonly openedAt: number;
  readonly refreshedAt: number;
  readonly expiresAt: number;
  readonly userAgent: string;
  readonly ip: string | null;
}

export type CredentialsCode = IdentityErrorCode;
