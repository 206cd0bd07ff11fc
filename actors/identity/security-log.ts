/**
 * @module actors/identity/security-log
 * The community's security log as an actor: every sign-in, failure, lock-out, revocation and
 * denied door is one event, journaled and fanned out to analytics like any other actor's events.
 * Owns: the security event vocabulary and its size limits. Does not: decide anything about
 * access (it records what the identity service decided), or keep state beyond a count.
 * Concurrency: pure. Overflow: detail strings are cut to `DETAIL_MAX_CHARS`.
 */
import { accept, defineActor, reject, type Decision } from '../_kit/index.ts';

export const SECURITY_EVENT_TYPES = [
  'SignedIn', 'SignInFailed', 'SignInLockedOut', 'SignedOut', 'SessionRefreshed', 'RefreshReused', 'SessionRevoked',
  'InviteIssued', 'InviteRedeemed', 'InviteFailed', 'InviteLockedOut', 'AccountRevoked', 'RoleChanged', 'MemberChanged',
  'TokenRejected', 'JoinDenied', 'ActionDenied', 'DeviceSecretSet', 'DeviceSignedIn', 'SetupCompleted',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];
const DETAIL_MAX_CHARS = 200;

export interface SecurityRecord {
  readonly type: 'Record';
  readonly event: SecurityEventType;
  /** The account the event is about, or null (an unknown phone, a bad token). */
  readonly accountId: string | null;
  /** Who caused it when that is someone else (staff revoking, an owner removing a member). */
  readonly by: string | null;
  /** The error code of a denial, or null. */
  readonly code: string | null;
  /** Room, session id, role or masked phone: what a reviewer needs, never a secret or a full phone number. */
  readonly detail: string;
  readonly ip: string | null;
  readonly at: number;
}

export type SecurityEvent = Omit<SecurityRecord, 'type' | 'event'> & { readonly type: SecurityEventType; readonly v: 1 };
export type SecurityLogState = Readonly<{ count: number }>;

export function createSecurityLogActor() {
  return defineActor({
    type: 'security',
    initial: { count: 0 } as SecurityLogState,
    decide: (_s: SecurityLogState, c: SecurityRecord): Decision<SecurityEvent, 'SECURITY_UNKNOWN_EVENT'> => {
      if (!(SECURITY_EVENT_TYPES as readonly string[]).includes(c.event)) return reject('SECURITY_UNKNOWN_EVENT');
      return accept({
        type: c.event, v: 1, accountId: c.accountId, by: c.by, code: c.code,
        detail: String(c.detail).slice(0, DETAIL_MAX_CHARS), ip: c.ip === null ? null : String(c.ip).slice(0, 64), at: c.at,
      });
    },
    evolve: (s: SecurityLogState): SecurityLogState => ({ count: s.count + 1 }),
  });
}
