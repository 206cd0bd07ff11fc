/**
 * The red-team findings on identity and access (H1–H3, M2–M9, L-items), each kept as a test on a
 * running server with plain HTTP and the official Colyseus SDK. The main server runs on the
 * default transport (uWebSockets.js where it loads), so per-address limits are proven there.
 * Devices are named with the `X-Linli-Device` header the way an app would, or not at all (then
 * every request is a new device, like a script without cookies).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@colyseus/sdk';
import { matchMaker } from '@colyseus/core';
import type { CommunityServer } from '../../engine/community-server.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { startTestServer, TestResident } from '../../engine/testing/test-server.ts';
import { startServerProcess, type ServerProcess } from '../../engine/testing/server-process.ts';
import { accountFor, adminOf, nextPhone, signUp, TEST_PASSWORD, unitIn, unitsOf } from '../../engine/testing/accounts.ts';
import { until } from '../../engine/testing/until.ts';
import { checkMethodRules } from '../../engine/testing/http-methods.ts';

let srv: CommunityServer;
const open: TestResident[] = [];
const closers: Array<() => Promise<void>> = [];
const residential = (s: CommunityServer = srv) => s.community.buildings.filter((b) => b.residential).map((b) => b.id);
let deviceSeq = 0;
/** A fresh device key (43 base64url characters), as the server hands out. */
const newDevice = () => `dev${String(++deviceSeq).padStart(4, '0')}${'x'.repeat(36)}`;

interface Answer { status: number; json: any; headers: Headers }

/**
 * A server with other settings, in its own process: Colyseus's matchmaker is one per process, so
 * a second server here would take over the first one's rooms.
 */
async function child(env: Record<string, string>): Promise<ServerProcess> {
  const s = await startServerProcess({ ANALYTICS_ENABLED: 'false', JOURNAL: 'memory', DATA_DIR: mkdtempSync(joinPath(tmpdir(), 'linli-hardening-')), ...env });
  closers.push(() => s.stop());
  return s;
}

async function call(s: { url: string }, path: string, body?: unknown, o: { token?: string; device?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.device) headers['x-linli-device'] = o.device;
  const r = await fetch(`${s.url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(20_000) });
  const text = await r.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = { raw: text }; }
  return { status: r.status, json, headers: r.headers };
}

async function invite(s: CommunityServer, unitId: string | null, role: string, token?: string, more: Record<string, unknown> = {}): Promise<string> {
  const r = await call(s, '/api/directory/invites', { unitId, role, ...more }, { token: token ?? (await adminOf(s)).accessToken });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.code;
}

before(async () => {
  srv = await startTestServer({ tokenSecret: 'hardening-test-secret-0123456789abcdef', signInMaxFailures: 3, signInMaxDelayS: 30, roomConnectionsPerAccount: 3, processConnectionsPerAccount: 5, renamesPerHour: 3, deviceMaxReadingsPerSecond: 20 });
  await unitsOf(srv);
});
after(async () => {
  for (const r of open) await r.leave();
  for (const c of closers) await c();
  await srv.close();
});

// --- H1: no phone oracle at sign-up; M5: no phone digits in analytics

test('identity H1 sign-up oracle: a junk code answers alike for a registered and an unregistered phone → nothing learned, and the guesser is counted', async () => {
  const victim = await signUp(srv, '被探测者', 'owner', unitIn(residential()[0], '201'));
  const device = newDevice();
  const registered = await call(srv, '/api/auth/signup', { code: 'ZZZZZ-ZZZZZ', phone: victim.phone, password: TEST_PASSWORD, displayName: '探测一' }, { device });
  const unregistered = await call(srv, '/api/auth/signup', { code: 'ZZZZZ-ZZZZZ', phone: '13912340000', password: TEST_PASSWORD, displayName: '探测二' }, { device });
  assert.deepEqual([registered.status, registered.json.code], [unregistered.status, unregistered.json.code]);
  assert.equal(registered.json.code, 'DIRECTORY_UNKNOWN_INVITE');
  await call(srv, '/api/auth/signup', { code: 'ZZZZZ-ZZZZY', phone: '13912340001', password: TEST_PASSWORD, displayName: '探测三' }, { device });
  const locked = await call(srv, '/api/auth/signup', { code: 'ZZZZZ-ZZZZX', phone: victim.phone, password: TEST_PASSWORD, displayName: '探测四' }, { device });
  assert.deepEqual([locked.status, locked.json.code], [429, 'DIRECTORY_TOO_MANY_ATTEMPTS'], 'the guessing device waits, whatever phone it names');
  assert.ok(Number(locked.headers.get('retry-after')) >= 1);
});

test('identity H1 sign-up: only a valid code learns a phone is taken, and each such answer counts against the caller', async () => {
  const victim = await signUp(srv, '已注册者', 'owner', unitIn(residential()[0], '202'));
  const owner = await signUp(srv, '发码业主', 'owner', unitIn(residential()[1], '201'));
  const code = await invite(srv, unitIn(residential()[1], '201'), 'family', owner.accessToken);
  const device = newDevice();
  for (let i = 0; i < 3; i++) {
    const taken = await call(srv, '/api/auth/signup', { code, phone: victim.phone, password: TEST_PASSWORD, displayName: `家人${i}` }, { device });
    assert.deepEqual([taken.status, taken.json.code], [409, 'IDENTITY_PHONE_TAKEN']);
  }
  const stopped = await call(srv, '/api/auth/signup', { code, phone: nextPhone(srv), password: TEST_PASSWORD, displayName: '家人9' }, { device });
  assert.deepEqual([stopped.status, stopped.json.code], [429, 'DIRECTORY_TOO_MANY_ATTEMPTS'], 'an invite holder cannot walk through phone numbers');
  const fine = await call(srv, '/api/auth/signup', { code, phone: nextPhone(srv), password: TEST_PASSWORD, displayName: '真家人' }, { device: newDevice() });
  assert.equal(fine.status, 200, 'the invite itself still works');
});

test('identity M5 security rows: failures name accounts or a keyed pseudonym, never phone digits (not even masked)', async () => {
  const a = await signUp(srv, '隐私检查', 'owner', unitIn(residential()[2], '201'));
  await call(srv, '/api/auth/signin', { phone: a.phone, password: 'wrong-password-1' });
  await call(srv, '/api/auth/signin', { phone: '13987654321', password: 'wrong-password-1' });
  await call(srv, '/api/auth/signup', { code: 'ZZZZZ-ZZZZZ', phone: '13987654322', password: TEST_PASSWORD, displayName: '隐私' }, { device: newDevice() });
  await srv.bus.flush();
  await srv.ingestion!.flush();
  const analyst = await accountFor(srv, '数据分析师', 'analyst');
  const rows = await call(srv, '/api/analytics/query', { sql: "SELECT type, event FROM linli.room_events WHERE kind = 'security'" }, { token: analyst.accessToken });
  assert.equal(rows.status, 200, JSON.stringify(rows.json));
  const all = JSON.stringify(rows.json.rows);
  assert.ok(rows.json.rows.some((r: any) => r.type === 'SignInFailed'), 'failures are logged');
  assert.doesNotMatch(all, /1[3-9]\d\*{4}\d{4}/, 'no masked phone');
  for (const digits of [a.phone, '13987654321', '13987654322', a.phone.slice(7), '4321']) assert.ok(!all.includes(digits), `no ${digits}`);
  assert.match(all, /phone#[A-Za-z0-9_-]{10}/, 'an unknown phone appears as a keyed pseudonym');
});

// --- H2: a failed redemption creates nothing

test('identity H2 sign-up race: 20 concurrent sign-ups on one invite → one account; the 19 losers hold no credential and can sign up later', async () => {
  const owner = await signUp(srv, '竞态业主', 'owner', unitIn(residential()[3], '201'));
  const code = await invite(srv, unitIn(residential()[3], '201'), 'family', owner.accessToken);
  const phones = Array.from({ length: 20 }, () => nextPhone(srv));
  const answers = await Promise.all(phones.map((phone, i) => call(srv, '/api/auth/signup', { code, phone, password: 'attacker chosen 1', displayName: `抢码${i}` }, { device: newDevice() })));
  const won = answers.filter((a) => a.status === 200);
  assert.equal(won.length, 1, answers.map((a) => a.json.code).join(','));
  assert.ok(answers.filter((a) => a.status !== 200).every((a) => a.json.code === 'DIRECTORY_INVITE_USED'));
  const losers = phones.filter((_, i) => answers[i]!.status !== 200);
  for (const phone of losers.slice(0, 5)) {
    const r = await call(srv, '/api/auth/signin', { phone, password: 'attacker chosen 1' }, { device: newDevice() });
    assert.deepEqual([r.status, r.json.code], [401, 'IDENTITY_BAD_CREDENTIALS'], 'a loser has no credential');
  }
  assert.deepEqual(srv.identity.orphanCredentials(), [], 'no credential without a directory account');
  const real = await call(srv, '/api/auth/signup', { code: await invite(srv, unitIn(residential()[3], '202'), 'owner'), phone: losers[0], password: TEST_PASSWORD, displayName: '真正的号主' }, { device: newDevice() });
  assert.equal(real.status, 200, 'the real person behind a squatted phone signs up');
});

test('identity H2 same phone on two invites at once → one account; the other redemption is voided and its invite works again', async () => {
  const phone = nextPhone(srv);
  const codes = [await invite(srv, unitIn(residential()[4], '201'), 'owner'), await invite(srv, unitIn(residential()[4], '202'), 'owner')];
  const answers = await Promise.all(codes.map((code, i) => call(srv, '/api/auth/signup', { code, phone, password: TEST_PASSWORD, displayName: `同号${i}` }, { device: newDevice() })));
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409], JSON.stringify(answers.map((a) => a.json.code)));
  const lost = codes[answers.findIndex((a) => a.status !== 200)]!;
  assert.equal(answers.find((a) => a.status !== 200)!.json.code, 'IDENTITY_PHONE_TAKEN');
  const again = await call(srv, '/api/auth/signup', { code: lost, phone: nextPhone(srv), password: TEST_PASSWORD, displayName: '后来者' }, { device: newDevice() });
  assert.equal(again.status, 200, `the losing invite is usable: ${JSON.stringify(again.json)}`);
  const accounts = await call(srv, '/api/directory/accounts', undefined, { token: (await adminOf(srv)).accessToken });
  assert.ok(!accounts.json.accounts.some((a: any) => a.orphan), 'staff see no orphan');
});

// --- H3: lock-outs cannot be aimed at a victim

test('identity H3 device key: a sign-up remembers the device it came from → the answer carries its key and an HttpOnly SameSite cookie', async () => {
  const ownDevice = newDevice();
  const up = await call(srv, '/api/auth/signup', { code: await invite(srv, unitIn(residential()[5], '201'), 'owner'), phone: nextPhone(srv), password: TEST_PASSWORD, displayName: '带设备的人' }, { device: ownDevice });
  assert.equal(up.status, 200);
  assert.equal(up.json.deviceKey, ownDevice, 'the key the caller sent is the one remembered');
  assert.match(up.headers.get('set-cookie') ?? '', new RegExp(`linli_device=${ownDevice}; Path=/api/auth; .*HttpOnly; SameSite=Strict`));
  const fresh = await call(srv, '/api/auth/signin', { phone: '13999990000', password: TEST_PASSWORD });
  assert.match(fresh.headers.get('set-cookie') ?? '', /linli_device=[A-Za-z0-9_-]{43};/, 'a browser without one is given a key, even when refused');
});

test('identity H3 sign-in flood on one phone: 10 failures from strangers → a new device gets 429 with a bounded wait, the known device gets in', async () => {
  const ownDevice = newDevice();
  const phone = nextPhone(srv);
  const up = await call(srv, '/api/auth/signup', { code: await invite(srv, unitIn(residential()[5], '202'), 'owner'), phone, password: TEST_PASSWORD, displayName: '被锁的人' }, { device: ownDevice });
  assert.equal(up.status, 200);
  for (let i = 0; i < 10; i++) await call(srv, '/api/auth/signin', { phone, password: `wrong-guess-${i}` }); // no device: every call a new one
  const stranger = await call(srv, '/api/auth/signin', { phone, password: TEST_PASSWORD }, { device: newDevice() });
  assert.deepEqual([stranger.status, stranger.json.code], [429, 'IDENTITY_TOO_MANY_ATTEMPTS']);
  assert.ok(stranger.json.details.retryAfterMs <= 30_000, `a new device waits at most SIGNIN_MAX_DELAY_S: ${stranger.json.details.retryAfterMs}`);
  const owner = await call(srv, '/api/auth/signin', { phone, password: TEST_PASSWORD }, { device: ownDevice });
  assert.equal(owner.status, 200, `the owner's own device is not locked out: ${JSON.stringify(owner.json)}`);
  const byCookie = await call(srv, '/api/auth/signin', { phone, password: TEST_PASSWORD }, { headers: { cookie: `other=1; linli_device=${ownDevice}` } });
  assert.equal(byCookie.status, 200, 'the browser cookie counts as the device too');
});

test('identity H3 invite lock-out: junk sign-ups naming a newcomer\'s phone → the newcomer\'s genuine invite still works', async () => {
  const phone = nextPhone(srv);
  const attacker = newDevice();
  for (let i = 0; i < 6; i++) await call(srv, '/api/auth/signup', { code: `QQQQQ-QQQQ${i}`, phone, password: TEST_PASSWORD, displayName: `捣乱${i}` }, { device: attacker });
  const genuine = await call(srv, '/api/auth/signup', { code: await invite(srv, unitIn(residential()[6], '201'), 'owner'), phone, password: TEST_PASSWORD, displayName: '新住户' }, { device: newDevice() });
  assert.equal(genuine.status, 200, JSON.stringify(genuine.json));
});

test('identity H3 setup code: 20 characters; wrong codes lock only the device that sent them, never the office', async () => {
  const fresh = await child({ SIGNIN_MAX_FAILURES: '3' });
  const code = fresh.identity.setupCode!;
  assert.match(code, /^([0-9A-Z]{5}-){3}[0-9A-Z]{5}$/);
  const stranger = newDevice();
  for (let i = 0; i < 3; i++) {
    const r = await call(fresh, '/api/auth/setup', { code: `AAAAA-AAAAA-AAAAA-AAAA${i}`, phone: '13700000001', password: TEST_PASSWORD, displayName: '冒充' }, { device: stranger });
    assert.deepEqual([r.status, r.json.code], [400, 'IDENTITY_BAD_SETUP_CODE'], 'a wrong setup code is not an invite code');
    assert.match(r.json.message.en, /setup code/);
    assert.match(r.json.message['zh-CN'], /设置码/);
  }
  const strangerAgain = await call(fresh, '/api/auth/setup', { code, phone: '13700000001', password: TEST_PASSWORD, displayName: '冒充' }, { device: stranger });
  assert.deepEqual([strangerAgain.status, strangerAgain.json.code], [429, 'IDENTITY_TOO_MANY_ATTEMPTS']);
  const office = await call(fresh, '/api/auth/setup', { code, phone: '13700000002', password: TEST_PASSWORD, displayName: '物业管理员' }, { device: newDevice() });
  assert.equal(office.status, 200, `the office sets up its admin: ${JSON.stringify(office.json)}`);
});

test('identity H3 address limit on the default transport: the API sees the peer address; an address over its limit holds back new devices only', async () => {
  const s = await child({ SIGNIN_MAX_FAILURES_PER_ADDRESS: '6' });
  const known = newDevice();
  const admin = await call(s, '/api/auth/setup', { code: s.identity.setupCode, phone: '13700000009', password: TEST_PASSWORD, displayName: '物业管理员' }, { device: known });
  const sessions = await call(s, '/api/auth/sessions', undefined, { token: admin.json.accessToken });
  const transport = (await call(s, '/api/health')).json.transport;
  assert.equal(sessions.json.sessions[0].ip, '127.0.0.1', `the ${transport} transport gives the API the peer address`);
  for (let i = 0; i < 6; i++) await call(s, '/api/auth/signin', { phone: `1370000010${i}`, password: 'spray-password' }, { headers: { 'x-forwarded-for': `10.0.0.${i}` } });
  const next = await call(s, '/api/auth/signin', { phone: '13700000009', password: TEST_PASSWORD }, { device: newDevice() });
  assert.deepEqual([next.status, next.json.code], [429, 'IDENTITY_TOO_MANY_ATTEMPTS'], 'X-Forwarded-For is not trusted without TRUST_PROXY: the sprays counted against 127.0.0.1');
  const adminAgain = await call(s, '/api/auth/signin', { phone: '13700000009', password: TEST_PASSWORD }, { device: known });
  assert.equal(adminAgain.status, 200, 'the admin\'s own browser still signs in from the shared address');
});

// --- M2: scrypt work is bounded

test('identity M2 scrypt flood: 64 concurrent wrong sign-ins from one address → refused at once beyond its share (503 IDENTITY_BUSY); a known device signs in meanwhile', async () => {
  const s = await child({ PASSWORD_HASH_COST: '16384', AUTH_HASH_CONCURRENCY: '1', AUTH_HASH_QUEUE: '8', AUTH_HASH_PER_SOURCE: '4', SIGNIN_MAX_FAILURES_PER_ADDRESS: '1000' });
  const known = newDevice();
  const admin = await call(s, '/api/auth/setup', { code: s.identity.setupCode, phone: '13700000019', password: TEST_PASSWORD, displayName: '物业管理员' }, { device: known });
  assert.equal(admin.status, 200);
  const flood = Array.from({ length: 64 }, (_, i) => call(s, '/api/auth/signin', { phone: `137000002${String(i).padStart(2, '0')}`, password: 'flood-password' }));
  const legit = call(s, '/api/auth/signin', { phone: '13700000019', password: TEST_PASSWORD }, { device: known });
  const [answers, mine] = await Promise.all([Promise.all(flood), legit]);
  assert.equal(mine.status, 200, JSON.stringify(mine.json));
  const busy = answers.filter((a) => a.status === 503);
  assert.ok(busy.length >= 56, `at most the address's share (4) was hashed: ${busy.length} refused`);
  assert.equal(busy[0]!.json.code, 'IDENTITY_BUSY');
  assert.ok(Number(busy[0]!.headers.get('retry-after')) >= 1);
  const metrics = await (await fetch(`${s.url}/metrics`)).text();
  const refused = [...metrics.matchAll(/^identity_hash_refused_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
  assert.ok(refused >= 56, `counted in identity_hash_refused_total: ${refused}`);
  assert.match(metrics, /^identity_failure_keys(\{\})? \d+/m, 'the failure table size is exported');
});

// --- M7: staff and the admin's sessions

test('identity M7: staff cannot list or end an admin\'s sessions → 403 DIRECTORY_NOT_ADMIN; another admin can', async () => {
  const admin = await adminOf(srv);
  const staff = await accountFor(srv, '物业小王', 'property_staff');
  const adminSid = JSON.parse(Buffer.from(admin.accessToken.split('.')[1], 'base64url').toString()).sid;
  const list = await call(srv, `/api/auth/sessions?accountId=${admin.accountId}`, undefined, { token: staff.accessToken });
  assert.deepEqual([list.status, list.json.code], [403, 'DIRECTORY_NOT_ADMIN']);
  const end = await call(srv, '/api/auth/sessions/revoke', { sid: adminSid }, { token: staff.accessToken });
  assert.deepEqual([end.status, end.json.code], [403, 'DIRECTORY_NOT_ADMIN']);
  assert.equal((await call(srv, '/api/me', undefined, { token: admin.accessToken })).status, 200, 'the admin is still signed in');
  const second = await accountFor(srv, '第二管理员', 'property_staff');
  assert.equal((await call(srv, '/api/directory/roles/grant', { accountId: second.accountId, role: 'property_admin' }, { token: admin.accessToken })).status, 200);
  const byAdmin = await call(srv, `/api/auth/sessions?accountId=${admin.accountId}`, undefined, { token: second.accessToken });
  assert.equal(byAdmin.status, 200);
  const resident = await signUp(srv, '普通住户', 'owner', unitIn(residential()[5], '101'));
  const staffOwn = await call(srv, `/api/auth/sessions?accountId=${resident.accountId}`, undefined, { token: staff.accessToken });
  assert.equal(staffOwn.status, 200, 'staff still see residents\' sessions');
});

// --- M8/M9: seats and connection caps

test('identity M8 seats: a reservation without a token → refused at matchmaking (401 IDENTITY_TOKEN_MISSING, zh-CN and en), and no seat is held', async () => {
  const roomId = residential()[7];
  const room = matchMaker.getLocalRoomById(roomId) as unknown as { _reservedSeats: Record<string, unknown> };
  const before = Object.keys(room._reservedSeats).length;
  const raw = await fetch(`${srv.url}/matchmake/joinById/${roomId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(raw.status, 401);
  const err = await raw.json() as any;
  assert.match(err.error, /^IDENTITY_TOKEN_MISSING: /);
  assert.deepEqual(JSON.parse(err.error.slice('IDENTITY_TOKEN_MISSING: '.length)), { 'zh-CN': '请先登录', en: 'Sign in first' });
  await Promise.all(Array.from({ length: 50 }, () => fetch(`${srv.url}/matchmake/joinById/${roomId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.arrayBuffer())));
  assert.equal(Object.keys(room._reservedSeats).length, before, 'anonymous requests reserve nothing');
  const sdk = new Client(srv.url);
  await assert.rejects(sdk.joinById(roomId, {}), (e: Error) => /IDENTITY_TOKEN_MISSING/.test(e.message) && e.message.includes('请先登录'));
  await assert.rejects(sdk.create('building', {}), (e: Error) => /ENGINE_UNAUTHORIZED/.test(e.message), 'create by type is refused before anything is made');
});

test('identity M9 connection caps: ROOM_CONNECTIONS_PER_ACCOUNT sockets in one room, PROCESS_CONNECTIONS_PER_ACCOUNT in all → the next gets 429 IDENTITY_TOO_MANY_CONNECTIONS; leaving frees a place', async () => {
  const b = residential()[6];
  const a = await signUp(srv, '多开的人', 'owner', unitIn(b, '201'));
  const mine: TestResident[] = [];
  for (let i = 0; i < 3; i++) mine.push(await TestResident.join(srv, b, { token: a.accessToken }));
  open.push(...mine);
  await assert.rejects(new Client(srv.url).joinById(b, {}).catch(() => { throw new Error('no token'); }));
  const sdk = new Client(srv.url);
  sdk.auth.token = a.accessToken;
  await assert.rejects(sdk.joinById(b, {}), (e: Error & { code?: number }) => /IDENTITY_TOO_MANY_CONNECTIONS/.test(e.message));
  await mine.pop()!.leave();
  await until('the budget sees the leave', () => srv.identity.connections.connections(a.accountId) === 2, 5000);
  const again = await TestResident.join(srv, b, { token: a.accessToken });
  open.push(again);
  const lots = srv.community.lots.map((l) => l.id);
  for (const lot of lots.slice(0, 2)) open.push(await TestResident.join(srv, lot, { token: a.accessToken }));
  const sdk2 = new Client(srv.url);
  sdk2.auth.token = a.accessToken;
  await assert.rejects(sdk2.joinById(lots[2] ?? srv.community.groups[0]!.id, {}), (e: Error) => /IDENTITY_TOO_MANY_CONNECTIONS/.test(e.message), 'five in the process');
});

// --- M3/M4: plates and who may use the relay

test('identity M3 plates: claiming a plate someone holds answers like a free one; a claim reaches nobody until staff confirm; a dispute reaches nobody', async () => {
  const b = residential()[7];
  const holder = await signUp(srv, '真车主', 'owner', unitIn(b, '201'));
  const squatter = await signUp(srv, '抢牌人', 'owner', unitIn(b, '202'));
  const asker = await signUp(srv, '找车主', 'owner', unitIn(b, '101'));
  const staff = await accountFor(srv, '物业小王', 'property_staff');
  const first = await call(srv, '/api/contact/plates', { plate: '京A·88888' }, { token: holder.accessToken });
  assert.deepEqual(first.json.claims, [{ plate: '京A88888', status: 'pending' }]);
  const ask1 = await call(srv, '/api/contact/ask', { target: { kind: 'plate', plate: '京A88888' }, text: '挡路了' }, { token: asker.accessToken });
  assert.equal(ask1.status, 200);
  assert.deepEqual((await call(srv, '/api/contact/inbox', undefined, { token: holder.accessToken })).json.inbox, [], 'an unconfirmed claim reaches nobody');
  assert.equal((await call(srv, '/api/contact/plates/review', { plate: '京A88888', accountId: holder.accountId, decision: 'confirm' }, { token: holder.accessToken })).json.code, 'CONTACT_STAFF_ONLY');
  const confirm = await call(srv, '/api/contact/plates/review', { plate: '京A88888', accountId: holder.accountId, decision: 'confirm' }, { token: staff.accessToken });
  assert.equal(confirm.status, 200, JSON.stringify(confirm.json));
  const free = await call(srv, '/api/contact/plates', { plate: '京B11111' }, { token: squatter.accessToken });
  const taken = await call(srv, '/api/contact/plates', { plate: '京A88888' }, { token: squatter.accessToken });
  assert.deepEqual([free.status, Object.keys(free.json).sort()], [taken.status, Object.keys(taken.json).sort()]);
  assert.deepEqual(taken.json.claims.find((c: any) => c.plate === '京A88888'), { plate: '京A88888', status: 'pending' }, 'no oracle: pending either way');
  await call(srv, '/api/contact/ask', { target: { kind: 'plate', plate: '京A88888' }, text: '请挪车' }, { token: asker.accessToken });
  for (const who of [holder, squatter]) assert.deepEqual((await call(srv, '/api/contact/inbox', undefined, { token: who.accessToken })).json.inbox, [], 'a disputed plate reaches nobody');
  const reviews = await call(srv, '/api/contact/plates/reviews', undefined, { token: staff.accessToken });
  const r = reviews.json.reviews.find((x: any) => x.plate === '京A88888');
  assert.deepEqual([r.holder.accountId, r.claimants.map((c: any) => c.accountId)], [holder.accountId, [squatter.accountId]]);
  await call(srv, '/api/contact/plates/review', { plate: '京A88888', accountId: squatter.accountId, decision: 'reject' }, { token: staff.accessToken });
  await call(srv, '/api/contact/ask', { target: { kind: 'plate', plate: '京A88888' }, text: '再请挪车' }, { token: asker.accessToken });
  assert.equal((await call(srv, '/api/contact/inbox', undefined, { token: holder.accessToken })).json.inbox.length, 1, 'resolved: the confirmed holder is reached again');
});

test('identity M4 contact: a merchant, a member removed from their unit → 403 CONTACT_NOT_RESIDENT; residents and staff may', async () => {
  const merchant = await accountFor(srv, '小卖部', 'merchant');
  const m = await call(srv, '/api/contact/ask', { target: { kind: 'unit', unitId: unitIn(residential()[0], '201') }, text: '优惠' }, { token: merchant.accessToken });
  assert.deepEqual([m.status, m.json.code], [403, 'CONTACT_NOT_RESIDENT']);
  assert.equal((await call(srv, '/api/contact/plates', { plate: '京C12345' }, { token: merchant.accessToken })).json.code, 'CONTACT_NOT_RESIDENT');
  const b = residential()[2];
  const owner = await signUp(srv, '移除测试业主', 'owner', unitIn(b, '201'));
  const kid = await call(srv, '/api/auth/signup', { code: await invite(srv, unitIn(b, '201'), 'family', owner.accessToken), phone: nextPhone(srv), password: TEST_PASSWORD, displayName: '被移除的家人' }, { device: newDevice() });
  assert.equal((await call(srv, '/api/contact/outbox', undefined, { token: kid.json.accessToken })).status, 200, 'a current family member may');
  await call(srv, '/api/directory/members/remove', { unitId: unitIn(b, '201'), accountId: kid.json.me.accountId }, { token: owner.accessToken });
  const removed = await call(srv, '/api/contact/ask', { target: { kind: 'unit', unitId: unitIn(b, '201') }, text: '还在吗' }, { token: kid.json.accessToken });
  assert.deepEqual([removed.status, removed.json.code], [403, 'CONTACT_NOT_RESIDENT']);
  const staff = await accountFor(srv, '物业小王', 'property_staff');
  assert.equal((await call(srv, '/api/contact/outbox', undefined, { token: staff.accessToken })).status, 200);
});

// --- L-items

test('identity L3 names: combining marks only → DIRECTORY_NAME_BLANK; look-alikes (Ạ, ı, Cherokee, 員/员) → taken or reserved; a number → ENGINE_BAD_INPUT', async () => {
  await signUp(srv, 'residentA', 'owner', unitIn(residential()[3], '201'));
  const b = residential()[3];
  const tryName = async (displayName: unknown) => (await call(srv, '/api/auth/signup', { code: await invite(srv, unitIn(b, '202'), 'owner'), phone: nextPhone(srv), password: TEST_PASSWORD, displayName }, { device: newDevice() })).json.code;
  assert.equal(await tryName('\u0301\u0301'), 'DIRECTORY_NAME_BLANK');
  for (const look of ['residentẠ', 'resıdentA', 'ᏒesidentA', 'rеsidentA']) assert.equal(await tryName(look), 'DIRECTORY_NAME_TAKEN', look);
  assert.equal(await tryName('物业管理員'), 'DIRECTORY_NAME_RESERVED', 'a traditional-character copy of the office name');
  assert.equal(await tryName('物業辦公室'), 'DIRECTORY_NAME_RESERVED');
  assert.equal(await tryName('Admin Li'), 'DIRECTORY_NAME_RESERVED');
  assert.equal(await tryName(12345), 'ENGINE_BAD_INPUT');
  assert.equal(await tryName({ a: 1 }), 'ENGINE_BAD_INPUT');
  const me = await signUp(srv, '改名者', 'owner', unitIn(residential()[4], '101'));
  assert.equal((await call(srv, '/api/me/name', { displayName: 12345 }, { token: me.accessToken })).json.code, 'ENGINE_BAD_INPUT');
});

test('identity L7 renames: beyond RENAMES_PER_HOUR → 429 DIRECTORY_RENAME_TOO_OFTEN with Retry-After', async () => {
  const me = await signUp(srv, '频繁改名', 'owner', unitIn(residential()[4], '102'));
  for (let i = 0; i < 3; i++) assert.equal((await call(srv, '/api/me/name', { displayName: `新名字${i}` }, { token: me.accessToken })).status, 200);
  const fourth = await call(srv, '/api/me/name', { displayName: '第四个名字' }, { token: me.accessToken });
  assert.deepEqual([fourth.status, fourth.json.code], [429, 'DIRECTORY_RENAME_TOO_OFTEN']);
  assert.ok(Number(fourth.headers.get('retry-after')) > 0);
  const other = await signUp(srv, '并发改名', 'owner', unitIn(residential()[4], '201'));
  const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => call(srv, '/api/me/name', { displayName: `并发${i}` }, { token: other.accessToken })));
  assert.equal(burst.filter((r) => r.status === 200).length, 3, 'a concurrent burst gets no more than the hourly allowance');
});

test('identity L6 tenancy: an end 40 years out or not a number → refused; L5 contact over its hourly rate → 429', async () => {
  const far = await call(srv, '/api/directory/invites', { unitId: unitIn(residential()[0], '102'), role: 'tenant', tenancyEndsAt: Date.now() + 40 * 365 * 86_400_000 }, { token: (await adminOf(srv)).accessToken });
  assert.deepEqual([far.status, far.json.code], [400, 'DIRECTORY_BAD_TENANCY']);
  const huge = await call(srv, '/api/directory/invites', { unitId: unitIn(residential()[0], '102'), role: 'tenant', tenancyEndsAt: 1e20 }, { token: (await adminOf(srv)).accessToken });
  assert.deepEqual([huge.status, huge.json.code], [400, 'ENGINE_BAD_INPUT']);
  const asker = await signUp(srv, '问个不停', 'owner', unitIn(residential()[1], '102'));
  let last: Answer | null = null;
  for (let i = 0; i < 11; i++) last = await call(srv, '/api/contact/ask', { target: { kind: 'unit', unitId: unitIn(residential()[1], '201') }, text: `第${i}次` }, { token: asker.accessToken });
  assert.deepEqual([last!.status, last!.json.code], [429, 'CONTACT_TOO_MANY_REQUESTS']);
  assert.ok(Number(last!.headers.get('retry-after')) > 0);
});

test('identity L9 tokens: a lower-case bearer scheme works; a token over 4096 characters → 401 IDENTITY_TOKEN_INVALID (too long)', async () => {
  const a = await adminOf(srv);
  const lower = await call(srv, '/api/me', undefined, { headers: { authorization: `bearer ${a.accessToken}` } });
  assert.equal(lower.status, 200);
  const seat = await fetch(`${srv.url}/matchmake/joinById/${residential()[0]}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `bearer ${(await signUp(srv, '小写令牌', 'owner', unitIn(residential()[0], '102'))).accessToken}` }, body: '{}' });
  assert.equal(seat.status, 200, 'a seat reservation reads the lower-case scheme too');
  const long = await call(srv, '/api/me', undefined, { headers: { authorization: `Bearer ${'a'.repeat(5000)}` } });
  assert.deepEqual([long.status, long.json.code, long.json.details?.problem], [401, 'IDENTITY_TOKEN_INVALID', 'too long']);
});

test('identity L10/L11: /metrics needs METRICS_TOKEN when set; every answer carries CSP and X-Frame-Options; CORS never allows credentials', async () => {
  const s = await child({ METRICS_TOKEN: 'metrics-token-0123456789' });
  assert.equal((await fetch(`${s.url}/metrics`)).status, 401);
  assert.equal((await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-000000000' } })).status, 401);
  const ok = await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /clients_connected/);
  assert.equal((await fetch(`${srv.url}/metrics`)).status, 200, 'without METRICS_TOKEN a loopback caller may read /metrics');
  for (const path of ['/', '/api/health', '/api/me']) {
    const r = await fetch(`${srv.url}${path}`);
    assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'self'.*frame-ancestors 'none'/, path);
    assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
  }
  const pre = await fetch(`${srv.url}/matchmake/joinById/x`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
  assert.notEqual(pre.headers.get('access-control-allow-credentials'), 'true');
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
});

test('identity L4 device readings over HTTP: not JSON, a huge value, far future, too large → the gateway\'s DEVICE_* code with 4xx; a good one → 202', async () => {
  const lot = srv.community.lots[0]!;
  const cred = await call(srv, '/api/devices/credentials', { deviceId: lot.counterDeviceId }, { token: (await adminOf(srv)).accessToken });
  const dev = await call(srv, '/api/auth/device', { deviceId: lot.counterDeviceId, secret: cred.json.secret });
  const post = (body: string) => fetch(`${srv.url}/api/devices/readings?signal=occupancy`, { method: 'POST', headers: { authorization: `Bearer ${dev.json.accessToken}` }, body }).then(async (r) => ({ status: r.status, json: await r.json() as any }));
  const cases: Array<[string, number, string, string]> = [
    ['not json', 400, 'DEVICE_NOT_JSON', 'not_json'],
    [JSON.stringify({ value: 1e12 }), 400, 'DEVICE_BAD_VALUE', 'bad_value'],
    [JSON.stringify({ value: 3, at: Date.now() + 86_400_000 }), 400, 'DEVICE_FUTURE_TIME', 'future_time'],
    [JSON.stringify({ value: 3, pad: 'x'.repeat(5000) }), 413, 'DEVICE_TOO_LARGE', 'too_large'],
  ];
  for (const [body, status, code, reason] of cases) {
    const r = await post(body);
    assert.deepEqual([r.status, r.json.code, r.json.details?.reason], [status, code, reason], body.slice(0, 40));
  }
  assert.equal((await post(JSON.stringify({ value: 3 }))).status, 202);
});

test('identity L4b device readings over HTTP: a replayed seq → 409 DEVICE_REPLAYED_SEQ; a flood → 429 DEVICE_FLOOD; only accepted readings get 202', async () => {
  const admin = (await adminOf(srv)).accessToken;
  const lot = srv.community.lots[1] ?? srv.community.lots[0]!;
  const cred = await call(srv, '/api/devices/credentials', { deviceId: lot.counterDeviceId }, { token: admin });
  const dev = await call(srv, '/api/auth/device', { deviceId: lot.counterDeviceId, secret: cred.json.secret });
  const post = (body: string) => fetch(`${srv.url}/api/devices/readings?signal=occupancy`, { method: 'POST', headers: { authorization: `Bearer ${dev.json.accessToken}` }, body })
    .then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), json: await r.json() as any }));
  const health = async () => (await fetch(`${srv.url}/api/devices/health`, { headers: { authorization: `Bearer ${admin}` } }).then((r) => r.json() as any))
    .devices.find((d: any) => d.deviceId === lot.counterDeviceId) ?? { accepted: 0, rejected: {} };
  const epoch = `boot-${Date.now()}`;
  const first = await post(JSON.stringify({ value: 4, seq: 5, epoch }));
  assert.deepEqual([first.status, first.json.ok], [202, true]);
  const again = await post(JSON.stringify({ value: 4, seq: 5, epoch }));
  assert.deepEqual([again.status, again.json.ok, again.json.code, again.json.details?.reason], [409, false, 'DEVICE_REPLAYED_SEQ', 'replayed_seq']);
  assert.equal(again.json.message.en, 'The reading repeats an old sequence number');
  assert.equal(again.json.message['zh-CN'], '重复或过期的读数序号');
  const before = await health();
  const answers = await Promise.all(Array.from({ length: 80 }, () => post(JSON.stringify({ value: 4 }))));
  const after = await health();
  const accepted = answers.filter((a) => a.status === 202).length;
  const flooded = answers.filter((a) => a.status === 429);
  assert.equal(accepted + flooded.length, 80, `statuses: ${[...new Set(answers.map((a) => a.status))].join(',')}`);
  assert.ok(flooded.length > 0, 'more than DEVICE_MAX_READINGS_PER_SECOND at once floods');
  assert.ok(flooded.every((a) => a.json.code === 'DEVICE_FLOOD' && a.json.retryable === true && Number(a.retryAfter) >= 1), JSON.stringify(flooded[0]));
  assert.equal(after.accepted - before.accepted, accepted, 'as many 202 as the gateway accepted');
  assert.equal((after.rejected.flood ?? 0) - (before.rejected.flood ?? 0), flooded.length, 'as many 429 as the gateway counted as flood');
});

test('identity L12 security events reach the server log at warn, one line per event type and second', async () => {
  const s = await child({ LOG_LEVEL: 'warn' });
  for (let i = 0; i < 5; i++) await call(s, '/api/auth/signin', { phone: '13711112222', password: `wrong-${i}-password` });
  await until('the warning is written', () => s.output().includes('security: SignInFailed'), 5000);
  const warns = s.output().split('\n').filter((l) => l.includes('"level":"warn"') && l.includes('security: SignInFailed'));
  assert.ok(warns.length >= 1 && warns.length <= 2, `throttled warn lines: ${warns.length}`);
  assert.doesNotMatch(warns.join(''), /13711112222|137\*{4}2222/, 'no phone in the log either');
});

// --- F1–F6: a fresh user's findings (roles for unknown accounts, the register import, setup and sign-up codes, owner invites, 405)

test('identity F1 roles: grant or revoke for an unknown account → 404 DIRECTORY_UNKNOWN_ACCOUNT and nothing recorded; a revoked account → 403 DIRECTORY_ACCOUNT_REVOKED', async () => {
  const admin = await adminOf(srv);
  for (const op of ['grant', 'revoke']) {
    for (const accountId of ['acct-ghost', '__proto__']) {
      const r = await call(srv, `/api/directory/roles/${op}`, { accountId, role: 'property_admin' }, { token: admin.accessToken });
      assert.deepEqual([r.status, r.json.code, r.json.retryable], [404, 'DIRECTORY_UNKNOWN_ACCOUNT', false], `${op} ${accountId}`);
    }
  }
  assert.equal(Object.hasOwn(srv.identity.directory.state.accounts, 'acct-ghost'), false, 'no phantom account in the directory');
  const listed = await call(srv, '/api/directory/accounts', undefined, { token: admin.accessToken });
  assert.ok(!listed.json.accounts.some((a: any) => a.accountId === 'acct-ghost'));
  const leaver = await signUp(srv, '离职保安', 'guard', null);
  assert.equal((await call(srv, '/api/directory/accounts/revoke', { accountId: leaver.accountId }, { token: admin.accessToken })).status, 200);
  const regrant = await call(srv, '/api/directory/roles/grant', { accountId: leaver.accountId, role: 'property_admin' }, { token: admin.accessToken });
  assert.deepEqual([regrant.status, regrant.json.code], [403, 'DIRECTORY_ACCOUNT_REVOKED']);
});

test('identity F2 register import: several bad fields on a line, an unknown building → every problem by line, typed failure with retryable; nothing imported', async () => {
  const admin = await adminOf(srv);
  const b = residential()[0];
  const before = Object.keys(srv.identity.directory.state.units).length;
  const csv = ['building_id,entrance,floor,room,area_m2,owner_of_record', `${b},7,1,701,50,`, `${b},7,x,702,abc,`, 'bldg-nowhere,1,1,101,50,'].join('\n');
  const r = await fetch(`${srv.url}/api/directory/units`, { method: 'POST', headers: { authorization: `Bearer ${admin.accessToken}` }, body: csv, signal: AbortSignal.timeout(20_000) });
  const json = await r.json() as any;
  assert.equal(r.status, 400);
  assert.deepEqual([json.ok, json.code, json.retryable, json.imported], [false, 'DIRECTORY_REGISTER_REJECTED', false, 0]);
  assert.ok(json.message['zh-CN'] && json.message.en);
  assert.deepEqual(json.errors.map((e: any) => [e.line, e.code, e.column]), [
    [3, 'DIRECTORY_REGISTER_BAD_FIELD', 'floor'],
    [3, 'DIRECTORY_REGISTER_BAD_FIELD', 'area_m2'],
    [4, 'DIRECTORY_REGISTER_UNKNOWN_BUILDING', 'building_id'],
  ]);
  assert.equal(json.errorCount, 3);
  assert.deepEqual(json.unknownBuildings, ['bldg-nowhere']);
  assert.equal(Object.keys(srv.identity.directory.state.units).length, before, 'the good line was not imported either');
});

test('identity F4 sign-up: the code is checked first → a code that is not text, or unknown, answers DIRECTORY_UNKNOWN_INVITE whatever the phone; a good code with a bad phone → IDENTITY_BAD_PHONE', async () => {
  const device = newDevice();
  const typed = await call(srv, '/api/auth/signup', { code: 5, phone: 5, password: 5, displayName: 5 }, { device });
  assert.deepEqual([typed.status, typed.json.code], [400, 'DIRECTORY_UNKNOWN_INVITE']);
  const junk = await call(srv, '/api/auth/signup', { code: 'ZZZZZ-ZZZZW', phone: 'not a phone', password: '1', displayName: '' }, { device: newDevice() });
  assert.deepEqual([junk.status, junk.json.code], [400, 'DIRECTORY_UNKNOWN_INVITE']);
  const code = await invite(srv, unitIn(residential()[2], '102'), 'owner');
  const badPhone = await call(srv, '/api/auth/signup', { code, phone: 5, password: TEST_PASSWORD, displayName: '新住户' }, { device: newDevice() });
  assert.deepEqual([badPhone.status, badPhone.json.code], [400, 'IDENTITY_BAD_PHONE']);
});

test('identity F5 owner invites: family or a tenant for someone else\'s unit → 403 DIRECTORY_NOT_OWNER; an owner invite → 403 DIRECTORY_NOT_STAFF', async () => {
  const owner = await signUp(srv, '邀请业主', 'owner', unitIn(residential()[2], '202'));
  const other = unitIn(residential()[2], '101');
  for (const role of ['family', 'tenant']) {
    const r = await call(srv, '/api/directory/invites', { unitId: other, role, tenancyEndsAt: role === 'tenant' ? Date.now() + 86_400_000 : null }, { token: owner.accessToken });
    assert.deepEqual([r.status, r.json.code], [403, 'DIRECTORY_NOT_OWNER'], role);
  }
  const asOwner = await call(srv, '/api/directory/invites', { unitId: unitIn(residential()[2], '202'), role: 'owner' }, { token: owner.accessToken });
  assert.deepEqual([asOwner.status, asOwner.json.code], [403, 'DIRECTORY_NOT_STAFF']);
});

test('identity F6 methods on the default transport: GET/HEAD/PUT on a POST-only path → 405 with Allow: POST; GET routes and unknown paths unchanged', async () => {
  await checkMethodRules(srv);
});
