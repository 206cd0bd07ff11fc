/**
 * Scenario tests of the credential store: every command's success and each of its errors, refresh
 * rotation and reuse detection, the session limit, the sign-in lock-out, and the queries; with
 * replay and JSON checks, and one property test over random command scripts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scenario, checkReplay, checkJson, run } from '../_kit/scenario.ts';
import { IdentityError as E } from './identity-errors.ts';
import {
  accountIdByDevice, accountIdByPhone, createCredentialsActor, credentialOf, DEFAULT_CREDENTIALS_LIMITS, sessionOf,
  sessionsOf, sessionStatus, signInKeys, signInLockout,
} from './credentials.ts';
import type { CredentialsCommand, CredentialsLimits, SessionOpened } from './credentials-protocol.ts';
import {
  changePassword, close, COMMUNITY, createAccount, DAY, DEVICE, failure, hash, HOUR, MINUTE, open, OTHER_COMMUNITY, PHONE,
  PHONE_2, refresh, revoke, setDeviceSecret, T0, TTL, WITH_ALICE, WITH_THREE,
} from './credentials.fixtures.ts';

const L = DEFAULT_CREDENTIALS_LIMITS;
const creds = createCredentialsActor();
const limited = (l: Partial<CredentialsLimits>) => createCredentialsActor({ ...L, ...l });
const alice = scenario(creds).givenCommands(WITH_ALICE);
const three = scenario(creds).givenCommands(WITH_THREE);
const UA = 'Linli/1.0 (Android 14)';
/** Malformed hashes: too short, a raw password with spaces, a character outside the alphabet, too long. */
const BAD_HASHES = ['abc123', 'correct horse battery staple', 'sha256-00000000000000000,1', 'x'.repeat(513), ''];
const BAD_IDS = ['', 'has space', 'a/b', 'x'.repeat(129)];
const opened = (sid: string, accountId: string, refreshHash: string, at: number, expiresAt = at + TTL): SessionOpened => ({
  type: 'SessionOpened', v: 1, sid, accountId, refreshHash, expiresAt, userAgent: UA, ip: '10.0.0.7', at,
});

// --- CreateAccount

test('credentials CreateAccount: new phone → AccountCreated; the phone names a person credential holding the hash', () => {
  scenario(creds).when(createAccount('alice'))
    .expectEvents([{ type: 'AccountCreated', v: 1, accountId: 'alice', community: COMMUNITY, phone: PHONE, passwordHash: hash(100), at: T0 }])
    .expectState((s) => {
      assert.equal(accountIdByPhone(s, COMMUNITY, PHONE), 'alice');
      assert.deepEqual(credentialOf(s, 'alice'), {
        kind: 'person', community: COMMUNITY, phone: PHONE, deviceId: null, secretHash: hash(100), createdAt: T0, revokedAt: null,
      });
    });
});

test('credentials CreateAccount: an engine scrypt hash (scrypt$N$r$p$salt$key, base64url) → accepted', () => {
  const passwordHash = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0$a2V5LWtleS1rZXkta2V5LWtleS1rZXk';
  scenario(creds).when(createAccount('alice', PHONE, { passwordHash }))
    .expectState((s) => assert.equal(credentialOf(s, 'alice')?.secretHash, passwordHash));
});

test('credentials CreateAccount: phone already registered in the community (even by a revoked account) → IDENTITY_PHONE_TAKEN', () => {
  alice.when(createAccount('alice2')).expectError(E.PHONE_TAKEN);
  alice.givenCommands([revoke('alice')]).when(createAccount('alice2', PHONE, { at: T0 + DAY })).expectError(E.PHONE_TAKEN);
});

test('credentials CreateAccount: same phone in another community → a second, separate account', () => {
  alice.when(createAccount('alice-hy', PHONE, { community: OTHER_COMMUNITY }))
    .expectEvents([{ type: 'AccountCreated', v: 1, accountId: 'alice-hy', community: OTHER_COMMUNITY, phone: PHONE, passwordHash: hash(100), at: T0 }])
    .expectState((s) => {
      assert.equal(accountIdByPhone(s, COMMUNITY, PHONE), 'alice');
      assert.equal(accountIdByPhone(s, OTHER_COMMUNITY, PHONE), 'alice-hy');
      assert.equal(accountIdByPhone(s, 'third-community', PHONE), undefined);
    });
});

test('credentials CreateAccount: account id taken by a person or a device → IDENTITY_ACCOUNT_EXISTS', () => {
  three.when(createAccount('alice', '13700137000')).expectError(E.ACCOUNT_EXISTS);
  three.when(createAccount('gate', '13700137000')).expectError(E.ACCOUNT_EXISTS);
});

test('credentials CreateAccount: malformed password hash or account id → IDENTITY_TOKEN_INVALID', () => {
  for (const passwordHash of BAD_HASHES) scenario(creds).when(createAccount('alice', PHONE, { passwordHash })).expectError(E.TOKEN_INVALID);
  for (const accountId of BAD_IDS) scenario(creds).when(createAccount(accountId)).expectError(E.TOKEN_INVALID);
  // the bounds of the hash pattern: 16 and 512 characters pass
  for (const passwordHash of ['a'.repeat(16), 'a'.repeat(512)]) scenario(creds).when(createAccount('alice', PHONE, { passwordHash })).expectEvents([
    { type: 'AccountCreated', v: 1, accountId: 'alice', community: COMMUNITY, phone: PHONE, passwordHash, at: T0 },
  ]);
  scenario(creds).when(createAccount('alice', PHONE, { passwordHash: 'a'.repeat(15) })).expectError(E.TOKEN_INVALID);
});

// --- SetDeviceSecret

test('credentials SetDeviceSecret: new device → DeviceSecretSet; the device id names a device credential', () => {
  scenario(creds).when(setDeviceSecret('gate'))
    .expectEvents([{ type: 'DeviceSecretSet', v: 1, accountId: 'gate', community: COMMUNITY, deviceId: DEVICE, secretHash: hash(200), at: T0 }])
    .expectState((s) => {
      assert.equal(accountIdByDevice(s, COMMUNITY, DEVICE), 'gate');
      assert.equal(accountIdByDevice(s, OTHER_COMMUNITY, DEVICE), undefined);
      assert.deepEqual(credentialOf(s, 'gate'), {
        kind: 'device', community: COMMUNITY, phone: null, deviceId: DEVICE, secretHash: hash(200), createdAt: T0, revokedAt: null,
      });
    });
});

test('credentials SetDeviceSecret: rotation by the holder → its open sessions close (secret-rotated), then DeviceSecretSet; others keep theirs', () => {
  const s = three.givenCommands([open('d2', 'gate', hash(4), { at: T0 + 2 * MINUTE })]);
  const at = T0 + DAY;
  s.when(setDeviceSecret('gate', DEVICE, hash(201), { at })).expectEvents([
    { type: 'SessionClosed', v: 1, sid: 'd1', accountId: 'gate', reason: 'secret-rotated', by: null, at },
    { type: 'SessionClosed', v: 1, sid: 'd2', accountId: 'gate', reason: 'secret-rotated', by: null, at },
    { type: 'DeviceSecretSet', v: 1, accountId: 'gate', community: COMMUNITY, deviceId: DEVICE, secretHash: hash(201), at },
  ]).expectState((st) => {
    assert.equal(sessionStatus(st, 'd1', at), 'revoked');
    assert.equal(sessionStatus(st, 'd2', at), 'revoked');
    assert.equal(sessionStatus(st, 's1', at), 'open');
    assert.equal(sessionStatus(st, 'b1', at), 'open');
    assert.equal(credentialOf(st, 'gate')?.secretHash, hash(201));
    assert.equal(credentialOf(st, 'gate')?.createdAt, T0, 'rotation keeps the creation time');
  });
});

test('credentials SetDeviceSecret: device held by another account, or an account id already in use → IDENTITY_ACCOUNT_EXISTS', () => {
  three.when(setDeviceSecret('gate-2')).expectError(E.ACCOUNT_EXISTS);
  three.when(setDeviceSecret('alice', 'gate-west-1')).expectError(E.ACCOUNT_EXISTS);
  three.when(setDeviceSecret('gate', 'gate-west-1')).expectError(E.ACCOUNT_EXISTS);
});

test('credentials SetDeviceSecret: same device id in another community → a separate device account', () => {
  three.when(setDeviceSecret('gate-hy', DEVICE, hash(202), { community: OTHER_COMMUNITY })).expectState((s) => {
    assert.equal(accountIdByDevice(s, COMMUNITY, DEVICE), 'gate');
    assert.equal(accountIdByDevice(s, OTHER_COMMUNITY, DEVICE), 'gate-hy');
  });
});

test('credentials SetDeviceSecret: malformed secret hash or account id → IDENTITY_TOKEN_INVALID', () => {
  for (const secretHash of BAD_HASHES) three.when(setDeviceSecret('gate', DEVICE, secretHash)).expectError(E.TOKEN_INVALID);
  for (const accountId of BAD_IDS) scenario(creds).when(setDeviceSecret(accountId)).expectError(E.TOKEN_INVALID);
});

test('credentials SetDeviceSecret: rotating a revoked device\'s secret → it stays revoked and opens no session', () => {
  three.givenCommands([revoke('gate'), setDeviceSecret('gate', DEVICE, hash(201), { at: T0 + 5 * HOUR })])
    .expectState((s) => assert.equal(credentialOf(s, 'gate')?.revokedAt, T0 + 4 * HOUR))
    .when(open('d9', 'gate', hash(9), { at: T0 + 6 * HOUR })).expectError(E.ACCOUNT_REVOKED);
});

// --- ChangePassword

test('credentials ChangePassword: person → their open sessions close (password-changed, by them), then PasswordChanged with the new hash', () => {
  const s = three.givenCommands([open('s2', 'alice', hash(5), { at: T0 + 2 * MINUTE })]);
  const at = T0 + 2 * HOUR;
  s.when(changePassword('alice', hash(101), at)).expectEvents([
    { type: 'SessionClosed', v: 1, sid: 's1', accountId: 'alice', reason: 'password-changed', by: 'alice', at },
    { type: 'SessionClosed', v: 1, sid: 's2', accountId: 'alice', reason: 'password-changed', by: 'alice', at },
    { type: 'PasswordChanged', v: 1, accountId: 'alice', passwordHash: hash(101), at },
  ]).expectState((st) => {
    assert.equal(credentialOf(st, 'alice')?.secretHash, hash(101));
    assert.deepEqual(sessionsOf(st, 'alice', at), []);
    assert.equal(sessionStatus(st, 'b1', at), 'open');
  });
});

test('credentials ChangePassword: expired or already closed sessions → not closed again', () => {
  const s = alice.givenCommands([
    open('s2', 'alice', hash(5), { at: T0 + 2 * MINUTE, expiresAt: T0 + HOUR }),
    open('s3', 'alice', hash(6), { at: T0 + 3 * MINUTE }),
    close('s3', 'alice', { at: T0 + 30 * MINUTE }),
  ]);
  const at = T0 + 2 * HOUR;
  s.when(changePassword('alice', hash(101), at)).expectEvents([
    { type: 'SessionClosed', v: 1, sid: 's1', accountId: 'alice', reason: 'password-changed', by: 'alice', at },
    { type: 'PasswordChanged', v: 1, accountId: 'alice', passwordHash: hash(101), at },
  ]).expectState((st) => assert.equal(sessionOf(st, 's3')?.closeReason, 'sign-out', 'the earlier close reason stands'));
});

test('credentials ChangePassword: unknown account or a device → IDENTITY_UNKNOWN_ACCOUNT; revoked → IDENTITY_ACCOUNT_REVOKED; malformed hash → IDENTITY_TOKEN_INVALID', () => {
  three.when(changePassword('ghost')).expectError(E.UNKNOWN_ACCOUNT);
  three.when(changePassword('gate')).expectError(E.UNKNOWN_ACCOUNT);
  three.givenCommands([revoke('alice')]).when(changePassword('alice', hash(101), T0 + 5 * HOUR)).expectError(E.ACCOUNT_REVOKED);
  for (const passwordHash of BAD_HASHES) three.when(changePassword('alice', passwordHash)).expectError(E.TOKEN_INVALID);
});

// --- OpenSession

test('credentials OpenSession: known account → SessionOpened; the session is open until its expiry', () => {
  const at = T0 + MINUTE;
  scenario(creds).givenCommands([createAccount('alice')]).when(open('s1', 'alice', hash(1)))
    .expectEvents([opened('s1', 'alice', hash(1), at)])
    .expectState((s) => {
      assert.deepEqual(sessionOf(s, 's1'), {
        accountId: 'alice', openedAt: at, expiresAt: at + TTL, refreshHash: hash(1), previousHash: null, refreshedAt: at,
        userAgent: UA, ip: '10.0.0.7', closedAt: null, closeReason: null,
      });
      assert.equal(sessionStatus(s, 's1', at + TTL - 1), 'open');
      assert.equal(sessionStatus(s, 's1', at + TTL), 'expired');
    });
});

test('credentials OpenSession: a device with its verified secret → SessionOpened; a user agent over 200 characters → cut to 200', () => {
  const at = T0 + MINUTE;
  scenario(creds).givenCommands([setDeviceSecret('gate')]).when(open('d1', 'gate', hash(3), { userAgent: 'u'.repeat(300), ip: null }))
    .expectEvents([{ ...opened('d1', 'gate', hash(3), at), userAgent: 'u'.repeat(200), ip: null }]);
});

test('credentials OpenSession: unknown account → IDENTITY_UNKNOWN_ACCOUNT; revoked account → IDENTITY_ACCOUNT_REVOKED', () => {
  alice.when(open('s2', 'ghost', hash(5))).expectError(E.UNKNOWN_ACCOUNT);
  alice.givenCommands([revoke('alice')]).when(open('s2', 'alice', hash(5), { at: T0 + 5 * HOUR })).expectError(E.ACCOUNT_REVOKED);
});

test('credentials OpenSession: sid in use (open, another account\'s, or closed) → IDENTITY_SESSION_EXISTS; malformed sid → IDENTITY_UNKNOWN_SESSION', () => {
  alice.when(open('s1', 'alice', hash(9))).expectError(E.SESSION_EXISTS);
  three.when(open('s1', 'bob', hash(9))).expectError(E.SESSION_EXISTS);
  alice.givenCommands([close('s1', 'alice')]).when(open('s1', 'alice', hash(9), { at: T0 + 4 * HOUR })).expectError(E.SESSION_EXISTS);
  for (const sid of BAD_IDS) alice.when(open(sid, 'alice', hash(9))).expectError(E.UNKNOWN_SESSION);
});

test('credentials OpenSession: malformed refresh hash, or expiry not after `at` → IDENTITY_TOKEN_INVALID', () => {
  for (const refreshHash of BAD_HASHES) alice.when(open('s2', 'alice', refreshHash)).expectError(E.TOKEN_INVALID);
  alice.when(open('s2', 'alice', hash(5), { at: T0 + HOUR, expiresAt: T0 + HOUR })).expectError(E.TOKEN_INVALID);
  alice.when(open('s2', 'alice', hash(5), { at: T0 + HOUR, expiresAt: Number.NaN })).expectError(E.TOKEN_INVALID);
});

test('credentials OpenSession: one more than sessionsPerAccount → the oldest open session closes with reason limit; other accounts untouched', () => {
  const s = scenario(limited({ sessionsPerAccount: 2 })).givenCommands([
    createAccount('alice'), createAccount('bob', PHONE_2), open('b1', 'bob', hash(2), { at: T0 }),
    open('s1', 'alice', hash(1), { at: T0 + MINUTE }), open('s2', 'alice', hash(5), { at: T0 + 2 * MINUTE }),
  ]);
  const at = T0 + 3 * MINUTE;
  s.when(open('s3', 'alice', hash(6), { at })).expectEvents([opened('s3', 'alice', hash(6), at)]).expectState((st) => {
    assert.equal(sessionStatus(st, 's1', at), 'revoked');
    assert.equal(sessionOf(st, 's1')?.closeReason, 'limit');
    assert.equal(sessionOf(st, 's1')?.closedAt, at);
    assert.deepEqual(sessionsOf(st, 'alice', at).map((v) => v.sid), ['s3', 's2']);
    assert.equal(sessionStatus(st, 'b1', at), 'open');
  });
  // a session signed out before does not count, so nothing is closed for the limit
  s.givenCommands([close('s1', 'alice', { at: at - 1 })]).when(open('s3', 'alice', hash(6), { at }))
    .expectState((st) => assert.deepEqual(sessionsOf(st, 'alice', at).map((v) => v.sid), ['s3', 's2']));
});

test('credentials OpenSession: closed and expired sessions of the account → dropped from the state; other accounts keep theirs', () => {
  const s = three.givenCommands([
    open('s2', 'alice', hash(5), { at: T0 + 2 * MINUTE, expiresAt: T0 + HOUR }), close('s1', 'alice'), close('b1', 'bob'),
  ]);
  s.when(open('s3', 'alice', hash(6), { at: T0 + 4 * HOUR }))
    .expectState((st) => assert.deepEqual(Object.keys(st.sessions).sort(), ['b1', 'd1', 's3']));
});

// --- RefreshSession

test('credentials RefreshSession: the current refresh hash → SessionRefreshed; the session holds the next hash and remembers the presented one', () => {
  const at = T0 + HOUR;
  alice.when(refresh('s1', hash(1), hash(11)))
    .expectEvents([{ type: 'SessionRefreshed', v: 1, sid: 's1', refreshHash: hash(11), previousHash: hash(1), expiresAt: at + TTL, at }])
    .expectState((s) => {
      assert.deepEqual(sessionOf(s, 's1'), {
        accountId: 'alice', openedAt: T0 + MINUTE, expiresAt: at + TTL, refreshHash: hash(11), previousHash: hash(1), refreshedAt: at,
        userAgent: UA, ip: '10.0.0.7', closedAt: null, closeReason: null,
      });
      assert.equal(sessionStatus(s, 's1', T0 + MINUTE + TTL), 'open', 'the expiry moved forward');
    });
});

test('credentials RefreshSession: the previous hash presented again → SessionClosed (refresh-reused); the current hash then → IDENTITY_SESSION_REVOKED', () => {
  const rotated = alice.givenCommands([refresh('s1', hash(1), hash(11))]);
  const at = T0 + 2 * HOUR;
  rotated.when(refresh('s1', hash(1), hash(12), { at }))
    .expectEvents([{ type: 'SessionClosed', v: 1, sid: 's1', accountId: 'alice', reason: 'refresh-reused', by: null, at }])
    .expectState((s) => {
      assert.equal(sessionStatus(s, 's1', at), 'revoked');
      assert.equal(sessionOf(s, 's1')?.closeReason, 'refresh-reused');
      assert.deepEqual(sessionsOf(s, 'alice', at), []);
    });
  const reused = rotated.givenCommands([refresh('s1', hash(1), hash(12), { at })]);
  reused.when(refresh('s1', hash(11), hash(13), { at: at + 1 })).expectError(E.SESSION_REVOKED);
  reused.when(refresh('s1', hash(1), hash(13), { at: at + 1 })).expectError(E.SESSION_REVOKED);
});

test('credentials RefreshSession: a hash neither current nor previous (or from two rotations ago) → IDENTITY_UNKNOWN_SESSION; unknown sid → IDENTITY_UNKNOWN_SESSION', () => {
  const twice = alice.givenCommands([refresh('s1', hash(1), hash(11)), refresh('s1', hash(11), hash(12), { at: T0 + 2 * HOUR })]);
  const at = T0 + 3 * HOUR;
  twice.when(refresh('s1', hash(99), hash(13), { at })).expectError(E.UNKNOWN_SESSION);
  twice.when(refresh('s1', hash(1), hash(13), { at })).expectError(E.UNKNOWN_SESSION);
  twice.when(refresh('s1', hash(11), hash(13), { at }))
    .expectEvents([{ type: 'SessionClosed', v: 1, sid: 's1', accountId: 'alice', reason: 'refresh-reused', by: null, at }]);
  twice.when(refresh('s1', hash(12), hash(13), { at }))
    .expectEvents([{ type: 'SessionRefreshed', v: 1, sid: 's1', refreshHash: hash(13), previousHash: hash(12), expiresAt: at + TTL, at }]);
  alice.when(refresh('ghost', hash(1), hash(11))).expectError(E.UNKNOWN_SESSION);
  three.when(refresh('b1', hash(1), hash(11))).expectError(E.UNKNOWN_SESSION);
});

test('credentials RefreshSession: at or after expiry → IDENTITY_SESSION_EXPIRED; closed session or revoked account → IDENTITY_SESSION_REVOKED', () => {
  const expiry = T0 + MINUTE + TTL;
  alice.when(refresh('s1', hash(1), hash(11), { at: expiry })).expectError(E.SESSION_EXPIRED);
  alice.when(refresh('s1', hash(1), hash(11), { at: expiry - 1 }))
    .expectEvents([{ type: 'SessionRefreshed', v: 1, sid: 's1', refreshHash: hash(11), previousHash: hash(1), expiresAt: expiry - 1 + TTL, at: expiry - 1 }]);
  alice.givenCommands([close('s1', 'alice')]).when(refresh('s1', hash(1), hash(11), { at: T0 + 4 * HOUR })).expectError(E.SESSION_REVOKED);
  alice.givenCommands([revoke('alice')]).when(refresh('s1', hash(1), hash(11), { at: T0 + 5 * HOUR })).expectError(E.SESSION_REVOKED);
});

test('credentials RefreshSession: malformed next hash, or expiry not after `at` → IDENTITY_TOKEN_INVALID', () => {
  for (const nextHash of BAD_HASHES) alice.when(refresh('s1', hash(1), nextHash)).expectError(E.TOKEN_INVALID);
  alice.when(refresh('s1', hash(1), hash(11), { expiresAt: T0 + HOUR })).expectError(E.TOKEN_INVALID);
});

// --- CloseSession

test('credentials CloseSession: the owner signs out → SessionClosed; the session reads revoked and leaves sessionsOf', () => {
  const at = T0 + 3 * HOUR;
  three.when(close('s1', 'alice')).expectEvents([{ type: 'SessionClosed', v: 1, sid: 's1', accountId: 'alice', reason: 'sign-out', by: 'alice', at }])
    .expectState((s) => {
      assert.equal(sessionStatus(s, 's1', at), 'revoked');
      assert.deepEqual(sessionsOf(s, 'alice', at), []);
      assert.equal(sessionStatus(s, 'b1', at), 'open');
    });
});

test('credentials CloseSession: staff closes another account\'s session → SessionClosed by the staff member', () => {
  const at = T0 + 3 * HOUR;
  three.when(close('b1', 'staff', { byStaff: true, reason: 'revoked-by-staff' }))
    .expectEvents([{ type: 'SessionClosed', v: 1, sid: 'b1', accountId: 'bob', reason: 'revoked-by-staff', by: 'staff', at }]);
});

test('credentials CloseSession: another account, not staff → IDENTITY_NOT_YOUR_SESSION; unknown sid → IDENTITY_UNKNOWN_SESSION', () => {
  three.when(close('b1', 'alice')).expectError(E.NOT_YOUR_SESSION);
  three.givenCommands([close('b1', 'bob')]).when(close('b1', 'alice')).expectError(E.NOT_YOUR_SESSION);
  three.when(close('ghost', 'alice')).expectError(E.UNKNOWN_SESSION);
  three.when(close('ghost', 'staff', { byStaff: true })).expectError(E.UNKNOWN_SESSION);
});

test('credentials CloseSession: already closed → no events (owner or staff); a reason over 40 characters → cut to 40', () => {
  const closed = three.givenCommands([close('s1', 'alice')]);
  closed.when(close('s1', 'alice', { at: T0 + 5 * HOUR })).expectNoEvents();
  closed.when(close('s1', 'staff', { byStaff: true, at: T0 + 5 * HOUR })).expectNoEvents();
  three.when(close('s1', 'alice', { reason: 'r'.repeat(100) }))
    .expectEvents([{ type: 'SessionClosed', v: 1, sid: 's1', accountId: 'alice', reason: 'r'.repeat(40), by: 'alice', at: T0 + 3 * HOUR }]);
});

// --- RevokeCredentials

test('credentials RevokeCredentials: open sessions close (account-revoked), then CredentialsRevoked; every session of the account reads revoked', () => {
  const s = three.givenCommands([open('s2', 'alice', hash(5), { at: T0 + 2 * MINUTE, expiresAt: T0 + HOUR })]);
  const at = T0 + 4 * HOUR;
  s.when(revoke('alice')).expectEvents([
    { type: 'SessionClosed', v: 1, sid: 's1', accountId: 'alice', reason: 'account-revoked', by: 'staff', at },
    { type: 'CredentialsRevoked', v: 1, accountId: 'alice', by: 'staff', at },
  ]).expectState((st) => {
    assert.equal(credentialOf(st, 'alice')?.revokedAt, at);
    assert.equal(sessionStatus(st, 's1', at), 'revoked');
    assert.equal(sessionStatus(st, 's2', at), 'revoked', 'an expired session of a revoked account reads revoked');
    assert.equal(sessionStatus(st, 's1', T0), 'revoked', 'an earlier `at` does not bypass revocation');
    assert.equal(sessionStatus(st, 'b1', at), 'open');
    assert.equal(sessionStatus(st, 'd1', at), 'open');
  });
});

test('credentials RevokeCredentials: later OpenSession → IDENTITY_ACCOUNT_REVOKED; again → no events; unknown account → IDENTITY_UNKNOWN_ACCOUNT', () => {
  const revoked = three.givenCommands([revoke('alice')]);
  revoked.when(open('s9', 'alice', hash(9), { at: T0 + DAY })).expectError(E.ACCOUNT_REVOKED);
  revoked.when(revoke('alice', 'admin', T0 + DAY)).expectNoEvents();
  three.when(revoke('ghost')).expectError(E.UNKNOWN_ACCOUNT);
  three.when(revoke('gate')).expectEvents([
    { type: 'SessionClosed', v: 1, sid: 'd1', accountId: 'gate', reason: 'account-revoked', by: 'staff', at: T0 + 4 * HOUR },
    { type: 'CredentialsRevoked', v: 1, accountId: 'gate', by: 'staff', at: T0 + 4 * HOUR },
  ]);
});

// --- failed sign-ins and lock-out

test('credentials signInKeys: with an address → the login key and the ip key; without → the login key only', () => {
  assert.deepEqual(signInKeys(COMMUNITY, PHONE, '10.0.0.7'), [`login:${COMMUNITY}:${PHONE}`, 'ip:10.0.0.7']);
  assert.deepEqual(signInKeys(COMMUNITY, PHONE, null), [`login:${COMMUNITY}:${PHONE}`]);
  assert.notDeepEqual(signInKeys(OTHER_COMMUNITY, PHONE, null), signInKeys(COMMUNITY, PHONE, null));
});

test('credentials RecordSignInFailure: keys → SignInFailed; no keys → no events', () => {
  const keys = signInKeys(COMMUNITY, PHONE, '10.0.0.7');
  scenario(creds).when(failure(keys, T0)).expectEvents([{ type: 'SignInFailed', v: 1, keys, at: T0 }])
    .expectState((s) => assert.deepEqual(s.failures, { [keys[0]]: [T0], [keys[1]]: [T0] }));
  scenario(creds).when(failure([], T0)).expectNoEvents();
});

test('credentials signInLockout: 5 failures within 15 minutes → the key is locked until the oldest leaves the window; 4 → not locked', () => {
  const N = L.maxSignInFailures;
  const W = L.signInFailureWindowMs;
  assert.equal(N, 5);
  assert.equal(W, 15 * MINUTE);
  const keys = signInKeys(COMMUNITY, PHONE, null);
  const fails = Array.from({ length: N }, (_, i) => failure(keys, T0 + i * MINUTE));
  const at = T0 + N * MINUTE;
  assert.equal(signInLockout(scenario(creds).givenCommands(fails.slice(0, N - 1)).state, L, keys, at), 0);
  const s = scenario(creds).givenCommands(fails).state;
  assert.equal(signInLockout(s, L, keys, at), T0 + W - at);
  assert.equal(signInLockout(s, L, keys, T0 + W - 1), 1);
  assert.equal(signInLockout(s, L, keys, T0 + W), 0);
  assert.equal(signInLockout(s, L, signInKeys(COMMUNITY, PHONE_2, null), at), 0, 'another phone is not locked');
  assert.equal(signInLockout(s, L, signInKeys(OTHER_COMMUNITY, PHONE, null), at), 0, 'the same phone elsewhere is not locked');
});

test('credentials signInLockout: the window rolls: a failure just after the lock ends → locked until the second failure leaves it', () => {
  const N = L.maxSignInFailures;
  const W = L.signInFailureWindowMs;
  const keys = signInKeys(COMMUNITY, PHONE, null);
  const fails = Array.from({ length: N }, (_, i) => failure(keys, T0 + i * MINUTE));
  const s = scenario(creds).givenCommands([...fails, failure(keys, T0 + W)]).state;
  assert.equal(signInLockout(s, L, keys, T0 + W), MINUTE);
  assert.equal(s.failures[keys[0]].length, N, 'only the latest N failures are kept');
  // failures spread wider than the window never lock
  const spread = Array.from({ length: 2 * N }, (_, i) => failure(keys, T0 + i * (W / (N - 1) + 1)));
  const r = run(creds, spread);
  for (const step of r.steps) assert.equal(signInLockout(step.state, L, keys, step.command.at + 1), 0);
});

test('credentials signInLockout: maxSignInFailuresPerAddress failures from one ip against different phones → a new phone from that ip is locked; from another ip it is not', () => {
  const N = L.maxSignInFailuresPerAddress;
  const s = scenario(creds).givenCommands(Array.from({ length: N }, (_, i) => failure(signInKeys(COMMUNITY, `138${String(i).padStart(8, '0')}`, '6.6.6.6'), T0 + i))).state;
  const at = T0 + N;
  assert.equal(signInLockout(s, L, signInKeys(COMMUNITY, PHONE_2, '6.6.6.6'), at), T0 + L.signInFailureWindowMs - at);
  assert.equal(signInLockout(s, L, signInKeys(COMMUNITY, PHONE_2, '10.0.0.1'), at), 0);
  assert.equal(signInLockout(s, L, signInKeys(COMMUNITY, PHONE, '10.0.0.1'), at), 0, 'one failure on the login key does not lock it');
  const fewer = scenario(creds).givenCommands(Array.from({ length: L.maxSignInFailures }, (_, i) => failure(signInKeys(COMMUNITY, `139${String(i).padStart(8, '0')}`, '6.6.6.6'), T0 + i))).state;
  assert.equal(signInLockout(fewer, L, signInKeys(COMMUNITY, PHONE_2, '6.6.6.6'), T0 + 10), 0, 'neighbours behind one address are not locked out by a few failures');
});

test('credentials SignInFailed: more keys than attemptKeysKept → the key with the oldest latest failure is forgotten; stale keys dropped', () => {
  const c = limited({ attemptKeysKept: 2 });
  const r = checkReplay(c, [failure(['a'], T0), failure(['b'], T0 + 1), failure(['a'], T0 + 2), failure(['c'], T0 + 3)]);
  assert.deepEqual(Object.keys(r.state.failures).sort(), ['a', 'c']);
  assert.deepEqual(r.state.failures.a, [T0, T0 + 2]);
  const stale = checkReplay(c, [failure(['a'], T0), failure(['b'], T0 + L.signInFailureWindowMs)]);
  assert.deepEqual(Object.keys(stale.state.failures), ['b'], 'keys whose failures left the window are dropped');
});

test('credentials RecordSignInFailure: key `__proto__` → counted like any key (own property, plain prototype)', () => {
  const r = checkReplay(creds, [failure(['__proto__'], T0), failure(['__proto__', 'constructor'], T0 + 1)]);
  assert.deepEqual(Object.keys(r.state.failures).sort(), ['__proto__', 'constructor']);
  assert.equal(Object.getPrototypeOf(r.state.failures), Object.prototype);
  checkJson(creds, r.steps.map((x) => x.command));
});

// --- queries

test('credentials sessionStatus: open before expiry, expired at it, revoked once closed, unknown sid → unknown', () => {
  const s = three.givenCommands([close('b1', 'bob')]).state;
  const expiry = T0 + MINUTE + TTL;
  assert.equal(sessionStatus(s, 's1', T0 + HOUR), 'open');
  assert.equal(sessionStatus(s, 's1', expiry), 'expired');
  assert.equal(sessionStatus(s, 'b1', T0 + HOUR), 'revoked');
  assert.equal(sessionStatus(s, 'b1', expiry), 'revoked', 'a closed session reads revoked, not expired');
  for (const sid of ['ghost', '__proto__', 'constructor', 'toString']) assert.equal(sessionStatus(s, sid, T0), 'unknown');
});

test('credentials sessionsOf: only the account\'s open sessions, newest first, with no refresh hashes', () => {
  const s = three.givenCommands([
    open('s2', 'alice', hash(5), { at: T0 + 2 * MINUTE }), open('s3', 'alice', hash(6), { at: T0 + 3 * MINUTE, userAgent: 'Safari', ip: null }),
    open('s4', 'alice', hash(7), { at: T0 + 4 * MINUTE, expiresAt: T0 + 5 * MINUTE }), refresh('s1', hash(1), hash(11)), close('s2', 'alice'),
  ]).state;
  const at = T0 + 3 * HOUR;
  const views = sessionsOf(s, 'alice', at);
  assert.deepEqual(views, [
    { sid: 's3', openedAt: T0 + 3 * MINUTE, refreshedAt: T0 + 3 * MINUTE, expiresAt: T0 + 3 * MINUTE + TTL, userAgent: 'Safari', ip: null },
    { sid: 's1', openedAt: T0 + MINUTE, refreshedAt: T0 + HOUR, expiresAt: T0 + HOUR + TTL, userAgent: UA, ip: '10.0.0.7' },
  ]);
  assert.doesNotMatch(JSON.stringify(views), /sha256-/, 'no refresh hash leaves the store');
  assert.deepEqual(sessionsOf(s, 'bob', at).map((v) => v.sid), ['b1']);
  assert.deepEqual(sessionsOf(s, 'nobody', at), []);
  assert.deepEqual(sessionsOf(s, 'alice', T0 + 3 * MINUTE + TTL).map((v) => v.sid), ['s1'], 'expired sessions are not listed');
});

test('credentials accountIdByPhone, accountIdByDevice: unknown, other community, or prototype names → undefined', () => {
  const s = three.state;
  assert.equal(accountIdByPhone(s, COMMUNITY, PHONE_2), 'bob');
  assert.equal(accountIdByDevice(s, COMMUNITY, DEVICE), 'gate');
  assert.equal(accountIdByPhone(s, COMMUNITY, '13700137000'), undefined);
  assert.equal(accountIdByPhone(s, OTHER_COMMUNITY, PHONE), undefined);
  assert.equal(accountIdByDevice(s, COMMUNITY, 'gate-west-1'), undefined);
  assert.equal(accountIdByPhone(s, COMMUNITY, DEVICE), undefined, 'a device id is not a phone');
  assert.equal(accountIdByDevice(s, COMMUNITY, PHONE), undefined, 'a phone is not a device id');
  for (const name of ['__proto__', 'constructor', 'toString']) {
    assert.equal(accountIdByPhone(s, COMMUNITY, name), undefined);
    assert.equal(accountIdByDevice(s, COMMUNITY, name), undefined);
    assert.equal(credentialOf(s, name), undefined);
    assert.equal(sessionOf(s, name), undefined);
  }
});

test('credentials OpenSession: sid `__proto__` → an ordinary open session (own key, plain prototype)', () => {
  const r = checkReplay(creds, [createAccount('__proto__'), open('__proto__', '__proto__', hash(1)), refresh('__proto__', hash(1), hash(11))]);
  assert.ok(r.steps.every((x) => x.decision.ok));
  assert.equal(sessionStatus(r.state, '__proto__', T0 + HOUR), 'open');
  assert.equal(sessionOf(r.state, '__proto__')?.refreshHash, hash(11));
  assert.equal(Object.getPrototypeOf(r.state.sessions), Object.prototype);
  checkJson(creds, r.steps.map((x) => x.command));
});

// --- replay and JSON

const MIXED: CredentialsCommand[] = [
  ...WITH_THREE,
  createAccount('alice-hy', PHONE, { community: OTHER_COMMUNITY }), createAccount('alice2'), open('s2', 'alice', hash(5), { at: T0 + 2 * MINUTE }),
  refresh('s1', hash(1), hash(11)), refresh('s1', hash(1), hash(12), { at: T0 + 90 * MINUTE }), refresh('s2', hash(99), hash(13)),
  close('b1', 'alice'), close('b1', 'bob'), close('b1', 'bob'), failure(signInKeys(COMMUNITY, PHONE, '6.6.6.6'), T0 + 2 * HOUR),
  failure([], T0 + 2 * HOUR), changePassword('bob', hash(102), T0 + 2 * HOUR), open('b2', 'bob', hash(14), { at: T0 + 3 * HOUR, userAgent: '😀'.repeat(150) }),
  setDeviceSecret('gate', DEVICE, hash(201), { at: T0 + 3 * HOUR }), revoke('bob', 'staff', T0 + 4 * HOUR), open('b3', 'bob', hash(15), { at: T0 + 5 * HOUR }),
  revoke('bob', 'staff', T0 + 5 * HOUR), createAccount('__proto__', '13600136000'), open('constructor', '__proto__', hash(16), { at: T0 + 6 * HOUR }),
];

test('credentials: a mixed script → checkReplay (folding events gives the live state) passes', () => {
  const r = checkReplay(creds, MIXED);
  assert.ok(r.steps.some((x) => !x.decision.ok), 'the script includes rejections');
  assert.ok(r.events.some((e) => e.type === 'SessionClosed' && e.reason === 'refresh-reused'), 'the script detects a reused token');
  assert.equal(sessionStatus(r.state, 'constructor', T0 + 6 * HOUR), 'open');
  assert.equal(Object.getPrototypeOf(r.state.accounts), Object.prototype);
});

test('credentials: a mixed script → checkJson (commands, events, states and snapshots survive JSON) passes', () => {
  checkJson(creds, MIXED);
});

// --- property

const ACCOUNTS = ['alice', 'bob', 'gate', '__proto__', 'constructor'];
const SIDS = ['s1', 's2', 's3', 's4', '__proto__', 'bad sid'];
const HASHES = [hash(1), hash(2), hash(3), hash(4), 'short'];
const PHONES = [PHONE, PHONE_2, '13700137000'];
const COMMUNITIES = [COMMUNITY, COMMUNITY, OTHER_COMMUNITY];
const IPS = ['6.6.6.6', '10.0.0.7', null];
const propertyLimits: CredentialsLimits = { maxSignInFailures: 3, maxSignInFailuresPerAddress: 5, signInFailureWindowMs: 15 * MINUTE, attemptKeysKept: 4, sessionsPerAccount: 2 };
const small = createCredentialsActor(propertyLimits);
const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const lifetime = fc.constantFrom(-MINUTE, 0, 10 * MINUTE, HOUR, DAY);
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

/** One command builder; `at` is filled in by position so that time moves forward as in the engine. */
const command: fc.Arbitrary<(at: number) => CredentialsCommand> = fc.oneof(
  w(2, fc.record({ a: pick(ACCOUNTS), p: pick(PHONES), c: pick(COMMUNITIES), h: pick(HASHES) })
    .map(({ a, p, c, h }) => (at: number) => createAccount(a, p, { community: c, passwordHash: h, at }))),
  w(1, fc.record({ a: pick(ACCOUNTS), d: pick([DEVICE, 'gate-2']), c: pick(COMMUNITIES), h: pick(HASHES) })
    .map(({ a, d, c, h }) => (at: number) => setDeviceSecret(a, d, h, { community: c, at }))),
  w(1, fc.record({ a: pick(ACCOUNTS), h: pick(HASHES) }).map(({ a, h }) => (at: number) => changePassword(a, h, at))),
  w(4, fc.record({ sid: pick(SIDS), a: pick(ACCOUNTS), h: pick(HASHES), life: lifetime, ip: pick(IPS) })
    .map(({ sid, a, h, life, ip }) => (at: number) => open(sid, a, h, { at, expiresAt: at + life, ip }))),
  w(2, fc.record({ login: pick([...PHONES, DEVICE]), ip: pick(IPS), proto: fc.boolean() })
    .map(({ login, ip, proto }) => (at: number) => failure(proto ? ['__proto__'] : signInKeys(COMMUNITY, login, ip), at))),
  w(4, fc.record({ sid: pick(SIDS), p: pick(HASHES), n: pick(HASHES), life: lifetime })
    .map(({ sid, p, n, life }) => (at: number) => refresh(sid, p, n, { at, expiresAt: at + life }))),
  w(2, fc.record({ sid: pick(SIDS), by: pick([...ACCOUNTS, 'staff']), byStaff: fc.boolean() })
    .map(({ sid, by, byStaff }) => (at: number) => close(sid, by, { byStaff, at }))),
  w(1, fc.record({ a: pick(ACCOUNTS) }).map(({ a }) => (at: number) => revoke(a, 'staff', at))),
);
const script = fc.array(fc.tuple(command, fc.integer({ min: 0, max: 2 * HOUR })), { minLength: 1, maxLength: 50 }).map((cs) => {
  let at = T0;
  return cs.map(([make, step]) => make((at += step)));
});

test('credentials property: random scripts → decide and evolve never throw, replay and JSON agree, session bounds hold', () => {
  fc.assert(fc.property(script, (cmds) => {
    const r = checkReplay(small, cmds); // throws if decide or evolve throws, or replay differs
    checkJson(small, cmds);
    const s = r.state;
    for (const [id, account] of Object.entries(s.accounts)) {
      const unclosed = Object.values(s.sessions).filter((x) => x.accountId === id && x.closedAt === null);
      assert.ok(unclosed.length <= propertyLimits.sessionsPerAccount, `${id} has ${unclosed.length} unclosed sessions`);
      if (account.revokedAt !== null) {
        assert.ok(!unclosed.some((x) => x.expiresAt > account.revokedAt!), `${id} was revoked yet holds a live session`);
      }
    }
    for (const [key, id] of Object.entries(s.phones)) {
      const a = s.accounts[id];
      assert.equal(key, `${a.community}:${a.phone}`);
    }
    for (const [key, id] of Object.entries(s.devices)) {
      const a = s.accounts[id];
      assert.equal(key, `${a.community}:${a.deviceId}`);
    }
    for (const times of Object.values(s.failures)) assert.ok(times.length <= propertyLimits.maxSignInFailures);
    assert.ok(Object.keys(s.failures).length <= propertyLimits.attemptKeysKept);
  }), { numRuns: 300 });
});
