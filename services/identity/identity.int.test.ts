/**
 * Identity and access control end to end, on a running server with the official Colyseus SDK
 * and plain HTTP: invites, sign-in, lock-outs, tokens (forged, expired, revoked, another
 * community's, a device's), room doors, notices, revocation in open rooms, display-name attacks,
 * refresh-token theft, sessions, contact without phone numbers, and the security log in analytics.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { Client } from '@colyseus/sdk';
import { SignJWT } from 'jose';
import type { CommunityServer } from '../../engine/community-server.ts';
import { KeyRing } from '../../engine/auth/secrets.ts';
import { TokenSigner } from '../../engine/auth/tokens.ts';
import { loadConfig } from '../../engine/config.ts';
import { startTestServer, TestResident } from '../../engine/testing/test-server.ts';
import { accountFor, adminOf, api, nextPhone, signUp, TEST_PASSWORD, unitIn, unitsOf } from '../../engine/testing/accounts.ts';
import { until } from '../../engine/testing/until.ts';
import { checkMethodRules } from '../../engine/testing/http-methods.ts';

const SECRET = 'identity-test-secret-0123456789abcdef';
let srv: CommunityServer;
const open: TestResident[] = [];
const residential = () => srv.community.buildings.filter((b) => b.residential).map((b) => b.id);

async function join(roomId: string, token: string): Promise<TestResident> {
  const r = await TestResident.join(srv, roomId, { token });
  open.push(r);
  await r.waitFor('welcome').catch(() => undefined);
  return r;
}

async function joinFails(roomId: string, token: string | undefined, code: RegExp): Promise<void> {
  const client = new Client(srv.url);
  if (token !== undefined) client.auth.token = token;
  await assert.rejects(client.joinById(roomId, {}), (e: Error) => code.test(e.message), `join ${roomId} should fail with ${code}`);
}

before(async () => {
  srv = await startTestServer({ tokenSecret: SECRET, accessRecheckS: 1, signInMaxFailures: 5, transport: 'ws' });
  await unitsOf(srv);
});
after(async () => {
  for (const r of open) await r.leave();
  await srv.close();
});

test('identity setup: the setup code works once; a second setup → 409 IDENTITY_SETUP_DONE', async () => {
  const admin = await adminOf(srv);
  assert.ok(admin.accessToken);
  assert.equal(srv.identity.setupCode, null);
  const again = await api(srv, '/api/auth/setup', { code: 'AAAAA-AAAAA', phone: nextPhone(srv), password: TEST_PASSWORD, displayName: 'x' });
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'IDENTITY_SETUP_DONE');
  assert.ok(again.json.message['zh-CN'] && again.json.message.en);
});

test('identity invite: a resident redeems a code → owner of that unit; the same code again → 409 DIRECTORY_INVITE_USED', async () => {
  const admin = await adminOf(srv);
  const unitId = unitIn(residential()[1], '201');
  const invite = await api(srv, '/api/directory/invites', { unitId, role: 'owner' }, admin.accessToken);
  assert.equal(invite.status, 200);
  assert.match(invite.json.code, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  const phone = nextPhone(srv);
  const first = await api(srv, '/api/auth/signup', { code: invite.json.code.toLowerCase(), phone, password: TEST_PASSWORD, displayName: '王阿姨' });
  assert.equal(first.status, 200, JSON.stringify(first.json));
  assert.deepEqual(first.json.me.roles, [{ role: 'owner', unitId, buildingId: residential()[1], endsAt: null }]);
  assert.equal(first.json.me.phone, `${phone.slice(0, 3)}****${phone.slice(7)}`, 'own phone masked');
  const second = await api(srv, '/api/auth/signup', { code: invite.json.code, phone: nextPhone(srv), password: TEST_PASSWORD, displayName: '另一人' });
  assert.equal(second.status, 409);
  assert.equal(second.json.code, 'DIRECTORY_INVITE_USED');
});

test('identity invite: an expired code → DIRECTORY_INVITE_EXPIRED; a resident cannot issue an owner invite → 403', async () => {
  const admin = await adminOf(srv);
  const invite = await api(srv, '/api/directory/invites', { unitId: unitIn(residential()[1], '202'), role: 'owner', ttlHours: 0.0003 }, admin.accessToken);
  await new Promise((r) => setTimeout(r, 1200));
  const late = await api(srv, '/api/auth/signup', { code: invite.json.code, phone: nextPhone(srv), password: TEST_PASSWORD, displayName: '迟到' });
  assert.equal(late.json.code, 'DIRECTORY_INVITE_EXPIRED');
  const owner = await accountFor(srv, '业主甲', 'owner', residential()[2]);
  const forbidden = await api(srv, '/api/directory/invites', { unitId: unitIn(residential()[2]), role: 'owner' }, owner.accessToken);
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.json.code, 'DIRECTORY_NOT_STAFF');
});

test('identity invite guessing: 5 wrong codes from one device → that device gets 429 DIRECTORY_TOO_MANY_ATTEMPTS with Retry-After; the phone is not locked for its owner', async () => {
  const admin = await adminOf(srv);
  const phone = nextPhone(srv);
  const guesser = { 'content-type': 'application/json', 'x-linli-device': 'g'.repeat(43) };
  for (let i = 0; i < 5; i++) {
    const r = await api(srv, '/api/auth/signup', { code: `ZZZZZ-ZZZZ${i}`, phone, password: TEST_PASSWORD, displayName: `猜${i}` }, undefined, { headers: guesser });
    assert.equal(r.json.code, 'DIRECTORY_UNKNOWN_INVITE');
  }
  const good = await api(srv, '/api/directory/invites', { unitId: unitIn(residential()[3], '202'), role: 'owner' }, admin.accessToken);
  const r = await fetch(`${srv.url}/api/auth/signup`, { method: 'POST', headers: guesser, body: JSON.stringify({ code: good.json.code, phone, password: TEST_PASSWORD, displayName: '猜中' }) });
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  const body = await r.json() as any;
  assert.equal(body.code, 'DIRECTORY_TOO_MANY_ATTEMPTS');
  assert.ok(body.details.retryAfterMs > 0);
  const owner = await api(srv, '/api/auth/signup', { code: good.json.code, phone, password: TEST_PASSWORD, displayName: '真正的业主' }, undefined, { headers: { 'content-type': 'application/json', 'x-linli-device': 'o'.repeat(43) } });
  assert.equal(owner.status, 200, 'the newcomer whose phone the guesser used signs up from their own device');
});

test('identity sign-in: wrong password → 401 IDENTITY_BAD_CREDENTIALS; 5 failures lock the phone → 429 even with the right password', async () => {
  const a = await signUp(srv, '锁定测试', 'owner', unitIn(residential()[4], '202'));
  const ok = await api(srv, '/api/auth/signin', { phone: a.phone, password: TEST_PASSWORD });
  assert.equal(ok.status, 200);
  for (let i = 0; i < 5; i++) {
    const bad = await api(srv, '/api/auth/signin', { phone: a.phone, password: `wrong-pass-${i}` });
    assert.equal(bad.status, 401);
    assert.equal(bad.json.code, 'IDENTITY_BAD_CREDENTIALS');
    assert.equal(bad.json.message['zh-CN'], '手机号或密码不正确');
  }
  const locked = await api(srv, '/api/auth/signin', { phone: a.phone, password: TEST_PASSWORD });
  assert.equal(locked.status, 429);
  assert.equal(locked.json.code, 'IDENTITY_TOO_MANY_ATTEMPTS');
  const unknown = await api(srv, '/api/auth/signin', { phone: '13999999999', password: TEST_PASSWORD });
  assert.equal(unknown.json.code, 'IDENTITY_BAD_CREDENTIALS', 'an unknown phone answers like a wrong password');
  const badPhone = await api(srv, '/api/auth/signin', { phone: '12345', password: TEST_PASSWORD });
  assert.equal(badPhone.json.code, 'IDENTITY_BAD_PHONE');
});

test('identity tokens: none, garbage, forged, expired, another community → each join refused with its code', async () => {
  const b = residential()[0];
  await joinFails(b, undefined, /IDENTITY_TOKEN_MISSING/);
  await joinFails(b, 'not-a-jwt', /IDENTITY_TOKEN_INVALID/);
  const owner = await accountFor(srv, '业主乙', 'owner', b);
  const forged = await new SignJWT({ cmt: srv.community.id, sid: 'ses-x', knd: 'person' }).setProtectedHeader({ alg: 'HS256' })
    .setIssuer('linli').setSubject(owner.accountId).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode('some-other-secret-of-32-characters!!'));
  await joinFails(b, forged, /IDENTITY_TOKEN_INVALID/);
  const claims = JSON.parse(Buffer.from(owner.accessToken.split('.')[1], 'base64url').toString());
  const keys = new KeyRing(new TextEncoder().encode(SECRET));
  const expired = await new TokenSigner(keys.tokenKey, 60, () => Date.now() - 3_600_000).sign({ accountId: owner.accountId, community: srv.community.id, sid: claims.sid, kind: 'person' });
  await joinFails(b, expired.token, /IDENTITY_TOKEN_EXPIRED/);
  const elsewhere = await new TokenSigner(keys.tokenKey, 60).sign({ accountId: owner.accountId, community: 'another-community', sid: claims.sid, kind: 'person' });
  await joinFails(b, elsewhere.token, /IDENTITY_WRONG_COMMUNITY/);
  const http = await api(srv, '/api/me', undefined, elsewhere.token);
  assert.deepEqual([http.status, http.json.code], [403, 'IDENTITY_WRONG_COMMUNITY']);
});

test('identity tokens: a token from another community of the same deployment (same TOKEN_SECRET) → refused here', async () => {
  // Colyseus's matchmaker is one per process, so the other community runs as its own process, as in production.
  const dir = mkdtempSync(joinPath(tmpdir(), 'linli-other-'));
  const layout = JSON.parse(readFileSync(loadConfig({}).communityFile, 'utf8'));
  layout.id = 'other-test';
  const file = joinPath(dir, 'community.json');
  writeFileSync(file, JSON.stringify(layout));
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/main.ts'], {
    cwd: loadConfig({}).clientDist.replace(/client[\\/]dist$/, ''),
    env: { ...process.env, PORT: '0', TRANSPORT: 'ws', HOST: '127.0.0.1', TOKEN_SECRET: SECRET, COMMUNITY_FILE: file, DATA_DIR: dir, ANALYTICS_ENABLED: 'false', REPLAY_ENABLED: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    await until('the other community printed its setup code', () => /setup code: (\S+)/.test(out) && /Open\s+(\S+)\//.test(out), 30_000);
    const url = /Open\s+(\S+)\//.exec(out)![1];
    const code = /setup code: (\S+)/.exec(out)![1];
    const r = await fetch(`${url}/api/auth/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, phone: '13712345678', password: TEST_PASSWORD, displayName: '外小区物业' }) });
    const admin = await r.json() as any;
    assert.equal(admin.me.community, 'other-test');
    await joinFails(residential()[0], admin.accessToken, /IDENTITY_WRONG_COMMUNITY/);
    const http = await api(srv, '/api/directory/accounts', undefined, admin.accessToken);
    assert.deepEqual([http.status, http.json.code], [403, 'IDENTITY_WRONG_COMMUNITY'], "another community's admin sees nothing here");
  } finally {
    child.kill('SIGTERM');
  }
});

test('identity doors: another building, the map, a notice → refused with typed codes; staff may post notices, guards see the map', async () => {
  const [b0, b1] = residential();
  const owner = await accountFor(srv, '业主丙', 'owner', b0);
  await joinFails(b1, owner.accessToken, /DIRECTORY_ROOM_FORBIDDEN/);
  await joinFails(`map-${srv.community.id}`, owner.accessToken, /DIRECTORY_ROOM_FORBIDDEN/);
  const me = await join(b0, owner.accessToken);
  assert.equal(me.of('welcome')[0].you.name, '业主丙', 'the name comes from the directory');
  me.send('notice', { title: '停水', body: '明天停水', key: 'n-1' });
  const err = await me.waitFor('error', (e) => e.key === 'n-1');
  assert.equal(err.code, 'DIRECTORY_NOTICE_STAFF_ONLY');
  const staff = await accountFor(srv, '物业小刘', 'property_staff');
  const office = await join(b0, staff.accessToken);
  office.send('notice', { title: '停水通知', body: '明天 9:00–12:00 停水', key: 'n-2' });
  const notice = await me.waitFor('notice');
  assert.equal(notice.author.name, '物业小刘（物业）', 'staff posts carry the office badge');
  for (const [title, key] of [['题'.repeat(81), 'n-long'], ['题'.repeat(321), 'n-huge']] as const) {
    office.send('notice', { title, body: '明天停水', key });
    const e = await office.waitFor('error', (m) => m.key === key);
    assert.deepEqual([e.code, e.details?.maxTitleChars], ['BUILDING_NOTICE_TOO_LONG', 80], key);
  }
  const guard = await accountFor(srv, '保安老赵', 'guard');
  const map = await join(`map-${srv.community.id}`, guard.accessToken);
  assert.ok(map.room.roomId);
  await joinFails(b0, guard.accessToken, /DIRECTORY_ROOM_FORBIDDEN/);
});

test('identity revocation: staff revoke a resident → their open room closes with 4100 and the typed error; sign-in then refused', async () => {
  const b = residential()[2];
  const victim = await signUp(srv, '将被停用', 'owner', unitIn(b, '201'));
  const room = await join(b, victim.accessToken);
  const admin = await adminOf(srv);
  const r = await api(srv, '/api/directory/accounts/revoke', { accountId: victim.accountId }, admin.accessToken);
  assert.equal(r.status, 200);
  await until('closed', () => room.closedWith !== null, 5000);
  assert.equal(room.closedWith, 4100);
  assert.match(room.of('error')[0]?.code ?? '', /REVOKED/);
  const again = await api(srv, '/api/auth/signin', { phone: victim.phone, password: TEST_PASSWORD });
  assert.equal(again.status, 403);
  assert.equal(again.json.code, 'IDENTITY_ACCOUNT_REVOKED');
  await joinFails(b, victim.accessToken, /REVOKED/);
});

test('identity owner: invites family, then removes them → the family member is put out of the building room at once', async () => {
  const b = residential()[3];
  const owner = await signUp(srv, '户主', 'owner', unitIn(b, '201'));
  const invite = await api(srv, '/api/directory/invites', { unitId: unitIn(b, '201'), role: 'family' }, owner.accessToken);
  assert.equal(invite.status, 200, JSON.stringify(invite.json));
  const kid = await api(srv, '/api/auth/signup', { code: invite.json.code, phone: nextPhone(srv), password: TEST_PASSWORD, displayName: '户主的孩子' });
  assert.equal(kid.json.me.roles[0].role, 'family');
  const room = await join(b, kid.json.accessToken);
  const removed = await api(srv, '/api/directory/members/remove', { unitId: unitIn(b, '201'), accountId: kid.json.me.accountId }, owner.accessToken);
  assert.equal(removed.status, 200);
  await until('family member closed', () => room.closedWith !== null, 5000);
  assert.equal(room.closedWith, 4100);
  assert.equal(room.of('error')[0].code, 'DIRECTORY_ROOM_FORBIDDEN');
});

test('identity tenancy: a tenant whose tenancy ends is put out of the room by the periodic re-check', async () => {
  const b = residential()[4];
  const admin = await adminOf(srv);
  const invite = await api(srv, '/api/directory/invites', { unitId: unitIn(b, '201'), role: 'tenant', tenancyEndsAt: Date.now() + 2500 }, admin.accessToken);
  const tenant = await api(srv, '/api/auth/signup', { code: invite.json.code, phone: nextPhone(srv), password: TEST_PASSWORD, displayName: '短租客' });
  assert.equal(tenant.status, 200, JSON.stringify(tenant.json));
  const room = await join(b, tenant.json.accessToken);
  await until('tenant closed after the tenancy', () => room.closedWith !== null, 8000);
  assert.equal(room.of('error')[0].code, 'DIRECTORY_TENANCY_ENDED');
});

test('identity names: invisible-only, a look-alike with zero-width characters, a trailing RTL override → refused or neutralised', async () => {
  const admin = await adminOf(srv);
  const b = residential()[5];
  const code = async (room: string) => (await api(srv, '/api/directory/invites', { unitId: unitIn(b, room), role: 'owner' }, admin.accessToken)).json.code;
  const blank = await api(srv, '/api/auth/signup', { code: await code('201'), phone: nextPhone(srv), password: TEST_PASSWORD, displayName: '\u200b\u200d\u2060' });
  assert.equal(blank.json.code, 'DIRECTORY_NAME_BLANK');
  await signUp(srv, '李明', 'owner', unitIn(b, '202'));
  const lookalike = await api(srv, '/api/auth/signup', { code: await code('201'), phone: nextPhone(srv), password: TEST_PASSWORD, displayName: '李\u200b明' });
  assert.equal(lookalike.json.code, 'DIRECTORY_NAME_TAKEN');
  const rtl = await api(srv, '/api/auth/signup', { code: await code('201'), phone: nextPhone(srv), password: TEST_PASSWORD, displayName: 'Mallory\u202e' });
  assert.equal(rtl.status, 200, JSON.stringify(rtl.json));
  assert.equal(rtl.json.me.displayName, 'Mallory', 'the override is removed, so it cannot flip the text after the name');
});

test('identity refresh: rotation works; replaying a used refresh token → IDENTITY_REFRESH_REUSED and the whole session ends', async () => {
  const a = await signUp(srv, '刷新测试', 'owner', unitIn(residential()[6], '201'));
  const r1 = await api(srv, '/api/auth/refresh', { refreshToken: a.refreshToken });
  assert.equal(r1.status, 200);
  assert.notEqual(r1.json.refreshToken, a.refreshToken);
  const stolen = await api(srv, '/api/auth/refresh', { refreshToken: a.refreshToken });
  assert.deepEqual([stolen.status, stolen.json.code], [401, 'IDENTITY_REFRESH_REUSED']);
  const after = await api(srv, '/api/auth/refresh', { refreshToken: r1.json.refreshToken });
  assert.equal(after.json.code, 'IDENTITY_SESSION_REVOKED', 'the thief and the owner both lose the session');
  const me = await api(srv, '/api/me', undefined, r1.json.accessToken);
  assert.equal(me.json.code, 'IDENTITY_SESSION_REVOKED');
});

test('identity sessions: listed without secrets; revoking one → its room connection closes, the other session stays', async () => {
  const b = residential()[6];
  const a = await signUp(srv, '两台设备', 'owner', unitIn(b, '202'));
  const phone2 = await api(srv, '/api/auth/signin', { phone: a.phone, password: TEST_PASSWORD });
  const list = await api(srv, '/api/auth/sessions', undefined, a.accessToken);
  assert.equal(list.json.sessions.length, 2);
  assert.deepEqual(Object.keys(list.json.sessions[0]).sort(), ['current', 'expiresAt', 'ip', 'openedAt', 'refreshedAt', 'sid', 'userAgent'], 'no token hashes in the list');
  const onPhone2 = await join(b, phone2.json.accessToken);
  const first = await join(b, a.accessToken);
  const sid2 = JSON.parse(Buffer.from(phone2.json.accessToken.split('.')[1], 'base64url').toString()).sid;
  const revoke = await api(srv, '/api/auth/sessions/revoke', { sid: sid2 }, a.accessToken);
  assert.equal(revoke.status, 200);
  await until('revoked session closed', () => onPhone2.closedWith !== null, 5000);
  assert.equal(onPhone2.of('error')[0].code, 'IDENTITY_SESSION_REVOKED');
  assert.equal(first.closedWith, null, 'the other session is untouched');
  const other = await accountFor(srv, '业主乙', 'owner', residential()[0]);
  const notMine = await api(srv, '/api/auth/sessions/revoke', { sid: JSON.parse(Buffer.from(other.accessToken.split('.')[1], 'base64url').toString()).sid }, a.accessToken);
  assert.deepEqual([notMine.status, notMine.json.code], [403, 'IDENTITY_NOT_YOUR_SESSION']);
});

test('identity devices: a device signs in with its own secret, posts readings for itself only, and cannot enter rooms or analytics', async () => {
  const admin = await adminOf(srv);
  const lot = srv.community.lots[0];
  const cred = await api(srv, '/api/devices/credentials', { deviceId: lot.counterDeviceId }, admin.accessToken);
  assert.equal(cred.status, 200, JSON.stringify(cred.json));
  assert.deepEqual(cred.json.nats.publish, [`nb.${srv.community.id}.dev.${lot.counterDeviceId}.>`], 'its NATS user may publish its own subjects only');
  const nope = await api(srv, '/api/devices/credentials', { deviceId: 'nope-device' }, admin.accessToken);
  assert.deepEqual([nope.status, nope.json.code, nope.json.details?.deviceId], [404, 'DEVICE_UNKNOWN_DEVICE', 'nope-device'], 'staff asking for an unregistered device: not found, not a failed sign-in');
  assert.ok(nope.json.message['zh-CN'] && nope.json.message.en);
  const wrong = await api(srv, '/api/auth/device', { deviceId: lot.counterDeviceId, secret: 'guess' });
  assert.deepEqual([wrong.status, wrong.json.code], [401, 'IDENTITY_UNKNOWN_DEVICE']);
  const dev = await api(srv, '/api/auth/device', { deviceId: lot.counterDeviceId, secret: cred.json.secret });
  assert.equal(dev.status, 200);
  const owner = await accountFor(srv, '业主丙', 'owner', residential()[0]);
  const watcher = await join(lot.id, owner.accessToken);
  const r = await fetch(`${srv.url}/api/devices/readings?signal=occupancy`, { method: 'POST', headers: { authorization: `Bearer ${dev.json.accessToken}` }, body: JSON.stringify({ value: 3 }) });
  assert.equal(r.status, 202);
  await until('reading in the lot room', () => watcher.room.state?.occupied === 3, 5000);
  await joinFails(lot.id, dev.json.accessToken, /IDENTITY_WRONG_TOKEN_KIND/);
  const analytics = await api(srv, '/api/analytics/query?sql=SELECT%201', undefined, dev.json.accessToken);
  assert.equal(analytics.status, 403);
  const asResident = await api(srv, '/api/devices/readings?signal=occupancy', { value: 1 }, owner.accessToken);
  assert.equal(asResident.json.code, 'IDENTITY_WRONG_TOKEN_KIND', "a resident's token cannot speak for a device");
});

test('identity contact: ask the owner of a plate → pushed to them without the phone; their answer reveals only their name', async () => {
  const b = residential()[0];
  const carOwner = await accountFor(srv, '车主', 'owner', b);
  const asker = await signUp(srv, '被挡住的人', 'owner', unitIn(residential()[1], '102'));
  const plate = await api(srv, '/api/contact/plates', { plate: '京A·12345' }, carOwner.accessToken);
  assert.deepEqual(plate.json.plates, ['京A12345']);
  const confirmed = await api(srv, '/api/contact/plates/review', { plate: '京A12345', accountId: carOwner.accountId, decision: 'confirm' }, (await adminOf(srv)).accessToken);
  assert.equal(confirmed.status, 200, 'the office confirms the claim (having seen the registration)');
  const inRoom = await join(b, carOwner.accessToken);
  const ask = await api(srv, '/api/contact/ask', { target: { kind: 'plate', plate: '京a12345' }, text: '您的车挡住了车库门' }, asker.accessToken);
  assert.equal(ask.status, 200);
  const push = await inRoom.waitFor('contact');
  assert.equal(push.entry.text, '您的车挡住了车库门');
  const unknown = await api(srv, '/api/contact/ask', { target: { kind: 'plate', plate: '京B99999' }, text: '有人吗' }, asker.accessToken);
  assert.deepEqual(Object.keys(unknown.json).sort(), Object.keys(ask.json).sort(), 'an unknown plate answers the same');
  const before = await api(srv, '/api/contact/outbox', undefined, asker.accessToken);
  assert.ok(!JSON.stringify(before.json).includes('车主'), 'nobody named before an answer');
  await api(srv, '/api/contact/answer', { requestId: push.entry.requestId, text: '马上挪' }, carOwner.accessToken);
  const outbox = await api(srv, '/api/contact/outbox', undefined, asker.accessToken);
  const answered = outbox.json.outbox.find((o: any) => o.requestId === ask.json.requestId);
  assert.deepEqual(answered.answers.map((x: any) => x.name), ['车主']);
  const everything = JSON.stringify([outbox.json, push, inRoom.received, (await api(srv, '/api/directory/units', undefined, carOwner.accessToken)).json]);
  for (const phone of [carOwner.phone, asker.phone]) assert.ok(!everything.includes(phone), 'no phone number anywhere a resident can see');
});

test('identity security log: sign-in failures, denied joins and revocations → rows in analytics, readable by an analyst only', async () => {
  const analyst = await accountFor(srv, '数据分析师', 'analyst');
  const owner = await accountFor(srv, '业主丙', 'owner', residential()[0]);
  await srv.bus.flush();
  await srv.ingestion!.flush();
  const sql = "SELECT type, count() AS n FROM linli.room_events WHERE kind = 'security' GROUP BY type ORDER BY type";
  const q = await api(srv, '/api/analytics/query', { sql }, analyst.accessToken);
  assert.equal(q.status, 200, JSON.stringify(q.json));
  const types = new Set(q.json.rows.map((r: any) => r.type));
  for (const t of ['SignedIn', 'SignInFailed', 'SignInLockedOut', 'JoinDenied', 'AccountRevoked', 'InviteFailed', 'RefreshReused', 'TokenRejected']) assert.ok(types.has(t), `${t} logged: ${[...types].join(',')}`);
  const leaked = await api(srv, '/api/analytics/query', { sql: "SELECT count() AS n FROM linli.room_events WHERE event LIKE '%138000%' OR event LIKE '%scrypt$%'" }, analyst.accessToken);
  assert.equal(Number(leaked.json.rows[0].n), 0, 'no phone numbers or password hashes reach analytics');
  const resident = await api(srv, '/api/analytics/query', { sql }, owner.accessToken);
  assert.deepEqual([resident.status, resident.json.code], [403, 'IDENTITY_FORBIDDEN']);
});

test('identity methods on the ws transport: GET/HEAD/PUT on a POST-only path → 405 with Allow: POST; GET routes and unknown paths unchanged', async () => {
  await checkMethodRules(srv);
});

// Last in the file: before the fix it left the community without an administrator.
test('identity roles: a grant to an unknown account → 404 DIRECTORY_UNKNOWN_ACCOUNT; the only admin then still cannot drop their role (409 DIRECTORY_LAST_ADMIN)', async () => {
  const admin = await adminOf(srv);
  const ghost = await api(srv, '/api/directory/roles/grant', { accountId: 'acct-ghost', role: 'property_admin' }, admin.accessToken);
  assert.deepEqual([ghost.status, ghost.json.code], [404, 'DIRECTORY_UNKNOWN_ACCOUNT']);
  const unknownRevoke = await api(srv, '/api/directory/roles/revoke', { accountId: 'acct-ghost', role: 'guard' }, admin.accessToken);
  assert.deepEqual([unknownRevoke.status, unknownRevoke.json.code], [404, 'DIRECTORY_UNKNOWN_ACCOUNT']);
  const admins = Object.values(srv.identity.directory.state.accounts).filter((a) => a.revokedAt === null && a.staffRoles.includes('property_admin'));
  assert.equal(admins.length, 1, 'this server has one administrator');
  const self = await api(srv, '/api/directory/roles/revoke', { accountId: admin.accountId, role: 'property_admin' }, admin.accessToken);
  assert.deepEqual([self.status, self.json.code], [409, 'DIRECTORY_LAST_ADMIN']);
  assert.equal((await api(srv, '/api/directory/accounts', undefined, admin.accessToken)).status, 200, 'still an administrator');
});
