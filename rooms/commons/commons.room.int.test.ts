/**
 * Integration tests of the commons room with the official Colyseus SDK against a real server
 * (port 0, temp data dir) and real accounts made through the invite flow: a full owners' vote
 * from opening to its closed record (JSON and CSV), the races and refusals of issue 6 (parallel
 * duplicate ballots, five options at once, tenant, family, staff, another community, a unit
 * transferred mid-vote), a secret ballot, and a month of published accounts with a voucher, a
 * correction and a question answered in public.
 * Time: the server runs on a clock the test moves (`now` hook); the room's close timer submits
 * CloseVote once that clock passes the deadline, so no test waits for a real deadline.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJson } from '../../engine/bus/contract.ts';
import { startCommunityServer, type CommunityServer } from '../../engine/community-server.ts';
import { KeyRing } from '../../engine/auth/secrets.ts';
import { TokenSigner } from '../../engine/auth/tokens.ts';
import { testConfig } from '../../engine/config.ts';
import { adminOf, api, signUp, unitIn, unitsOf, type TestAccount, type TestRole } from '../../engine/testing/accounts.ts';
import { TestResident } from '../../engine/testing/test-server.ts';
import { until } from '../../engine/testing/until.ts';
import { commonsRoomId } from './commons.room.ts';

const SECRET = 'commons-test-secret-of-at-least-32-chars';
let offset = 0;
const now = () => Date.now() + offset;
let srv: CommunityServer;
let roomId: string;
let building: string;
let other: string;
const open: TestResident[] = [];

before(async () => {
  srv = await startCommunityServer(testConfig({ replayEnabled: false, analyticsEnabled: false, tokenSecret: SECRET, votePatchIntervalMs: 50, httpMaxBodyBytes: 4096, voucherMaxBytes: 100_000 }), { now });
  roomId = commonsRoomId(srv.community.id);
  [building, other] = srv.community.buildings.filter((b) => b.residential).map((b) => b.id);
  await unitsOf(srv);
  // Entrance 2 of the first building: a buyer of two units, the developer's unsold units, one more owner.
  const admin = await adminOf(srv);
  const rows = [['101', 90, '张三'], ['102', 60, '张三'], ['201', 100, '开发商'], ['202', 100, '开发商'], ['301', 80, '李四'], ['302', 75, '王五']]
    .map(([room, area, owner]) => `${building},2,${String(room)[0]},${room},${area},${owner}`);
  const r = await api(srv, '/api/directory/units', ['building_id,entrance,floor,room,area_m2,owner_of_record', ...rows].join('\n'), admin.accessToken);
  assert.equal(r.status, 200, JSON.stringify(r.json));
});

after(async () => {
  for (const r of open) await r.leave();
  await srv?.close();
});

const unit2 = (room: string) => `${building}-2-${room}`;

async function join(account: TestAccount): Promise<TestResident> {
  const r = await TestResident.join(srv, roomId, { token: account.accessToken });
  open.push(r);
  await r.waitFor('welcome');
  return r;
}

async function person(name: string, role: TestRole, unitId: string | null): Promise<TestAccount> {
  return signUp(srv, name, role, unitId);
}

/** A second unit for an existing account: the admin issues an owner invite, the account redeems it. */
async function addUnit(account: TestAccount, unitId: string): Promise<void> {
  const admin = await adminOf(srv);
  const invite = await api(srv, '/api/directory/invites', { unitId, role: 'owner' }, admin.accessToken);
  const r = await api(srv, '/api/me/redeem', { code: invite.json.code }, account.accessToken);
  assert.equal(r.status, 200, JSON.stringify(r.json));
}

let keyN = 0;
const key = () => `k-${++keyN}-${Date.now().toString(36)}`;

async function openVote(staff: TestResident, over: Record<string, unknown> = {}): Promise<string> {
  const k = key();
  staff.send('openVote', {
    key: k, title: '1号楼更换电梯', body: '使用专项维修资金更换 2 台电梯。', category: 'use-fund', form: 'motion', candidates: [], maxChoices: 1,
    secret: false, allowChange: false, scope: { kind: 'building', buildingId: building }, closesAt: now() + 60_000, ...over,
  });
  const ack = await staff.waitFor('ack', (a) => a.key === k);
  return ack.voteId;
}

/** Every reply to a key: a ballot answer or an error. */
const replies = (r: TestResident, k: string) => r.received.filter((m) => (m.type === 'ballot' || m.type === 'error') && m.message.key === k).map((m) => m.message);

async function closeByClock(observer: TestResident, voteId: string): Promise<any> {
  const view = observer.of('vote').find((v) => v.definition.voteId === voteId) ?? observer.of('welcome')[0].votes.find((v: any) => v.definition.voteId === voteId);
  offset += view.closesAt - now() + 1;
  return observer.waitFor('vote', (v) => v.definition.voteId === voteId && v.status === 'closed', 10_000);
}

let staffAccount: TestAccount;
let zhang: TestAccount;
let developer: TestAccount;
let li: TestAccount;
let owner1: TestAccount;

test('commons vote: opening to closed record → live tallies by area and head, refusals typed, record JSON and CSV immutable', async () => {
  staffAccount = await person('物业小赵', 'property_staff', null);
  zhang = await person('张三', 'owner', unit2('101'));
  await addUnit(zhang, unit2('102'));
  developer = await person('开发商代表', 'owner', unit2('201'));
  li = await person('李四', 'owner', unit2('301'));
  owner1 = await person('一单元业主', 'owner', unitIn(building, '101'));
  const tenant = await person('租客小钱', 'tenant', unitIn(building, '102'));
  const family = await person('家属小孙', 'family', unitIn(building, '201'));
  const elsewhere = await person('二号楼业主', 'owner', unitIn(other, '101'));

  const staff = await join(staffAccount);
  assert.equal(staff.of('welcome')[0].staff, true);
  const watcher = await join(family);
  const voteId = await openVote(staff);
  const opened = await watcher.waitFor('vote', (v) => v.definition.voteId === voteId);
  // Building scope: 4 units of entrance 1 (owners unknown: a head each), 张三's two units (one head), the developer's two (one), 李四, 王五.
  assert.deepEqual([opened.totalHeads, opened.totalAreaCenti], [8, 4 * 0 + (81 + 82 + 81 + 82 + 90 + 60 + 100 + 100 + 80 + 75) * 100]);
  assert.equal(opened.rules.id, 'cn-civil-code-278/spc-2009-7');

  // Refusals: staff, tenant, family, an owner of another building, an account of another community.
  const refusals: [TestAccount, string][] = [[staffAccount, 'VOTE_NOT_OWNER'], [tenant, 'VOTE_NOT_OWNER'], [family, 'VOTE_NOT_OWNER'], [elsewhere, 'VOTE_OUT_OF_SCOPE']];
  for (const [who, code] of refusals) {
    const r = who === staffAccount ? staff : who === family ? watcher : await join(who);
    const k = key();
    r.send('ballot', { key: k, voteId, choices: [0] });
    const e = await r.waitFor('error', (m) => m.key === k);
    assert.equal(e.code, code, `${who.displayName}`);
    assert.ok(e.message['zh-CN'] && e.message.en);
  }
  const claims = JSON.parse(Buffer.from(owner1.accessToken.split('.')[1], 'base64url').toString());
  const foreign = await new TokenSigner(new KeyRing(new TextEncoder().encode(SECRET)).tokenKey, 3600).sign({ accountId: owner1.accountId, community: 'another-community', sid: claims.sid, kind: 'person' });
  await assert.rejects(TestResident.join(srv, roomId, { token: foreign.token }), /IDENTITY_WRONG_COMMUNITY/);

  // 张三 sends the same ballot ten times in parallel: one counts, every reply carries the same receipt.
  const z = await join(zhang);
  const keys = Array.from({ length: 10 }, key);
  for (const k of keys) z.send('ballot', { key: k, voteId, choices: [0] });
  await until('ten replies', () => keys.every((k) => replies(z, k).length === 1));
  const receipts = new Set(keys.map((k) => replies(z, k)[0].mine?.heads[0].receipt));
  assert.equal(receipts.size, 1);
  assert.ok(keys.every((k) => replies(z, k)[0].ok === true));

  const d = await join(developer);
  d.send('ballot', { key: key(), voteId, choices: [0] });
  const l = await join(li);
  l.send('ballot', { key: key(), voteId, choices: [1] });
  const o = await join(owner1);
  o.send('ballot', { key: key(), voteId, choices: [0] });
  // The watcher's screen: live tallies arrive as state patches.
  const live = await until('the watcher sees four heads', () => {
    const v = watcher.room.state.votes?.get(voteId);
    return v && v.turnoutHeads === 4 ? v : null;
  });
  assert.equal(live.turnoutAreaCenti, (150 + 200 + 80 + 81) * 100);
  assert.deepEqual([...live.optionHeads], [3, 1, 0]);
  assert.deepEqual([...live.optionAreaCenti], [(150 + 200 + 81) * 100, 8000, 0]);

  // An open vote has no record yet.
  const early = await api(srv, `/api/commons/vote-record?voteId=${voteId}`, undefined, family.accessToken);
  assert.deepEqual([early.status, early.json.code], [409, 'VOTE_NOT_OPEN']);

  const closed = await closeByClock(watcher, voteId);
  // 4 of 8 heads took part: below 2/3, so it fails although most agree.
  assert.equal(closed.passed, false);
  assert.equal(closed.outcome.participation.heads, false);
  const k = key();
  z.send('ballot', { key: k, voteId, choices: [1] });
  assert.equal((await z.waitFor('error', (m) => m.key === k)).code, 'VOTE_CLOSED');

  const rec = await api(srv, `/api/commons/vote-record?voteId=${voteId}`, undefined, li.accessToken);
  assert.equal(rec.status, 200);
  assert.equal(rec.json.record.status, 'closed');
  assert.equal(rec.json.record.ballots.length, 4);
  assert.deepEqual(rec.json.record.ballots.find((b: any) => b.by === zhang.accountId).units, [unit2('101'), unit2('102')]);
  assert.equal(rec.json.record.snapshot.units.length, 10);
  const csv = await fetch(`${srv.url}/api/commons/vote-record.csv?voteId=${voteId}`, { headers: { authorization: `Bearer ${li.accessToken}` } });
  assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
  const text = await csv.text();
  assert.match(text, /# ballots/);
  assert.match(text, new RegExp(`H\\d{4},${unit2('101')} ${unit2('102')},150\\.00,${zhang.accountId},同意`));
  const again = await api(srv, `/api/commons/vote-record?voteId=${voteId}`, undefined, li.accessToken);
  assert.deepEqual(again.json, rec.json, 'the record does not change');
  const stranger = await api(srv, `/api/commons/vote-record?voteId=${voteId}`, undefined, foreign.token);
  assert.equal(stranger.json.code, 'IDENTITY_WRONG_COMMUNITY');
});

test('commons vote: five different options at once on a single-choice election → exactly one counts, four VOTE_ALREADY_VOTED', async () => {
  const staff = await join(staffAccount);
  const voteId = await openVote(staff, { category: 'committee', form: 'election', candidates: ['王一', '李二', '张三', '赵四', '钱五'], maxChoices: 1, title: '选举业主委员会委员' });
  const z = await join(zhang);
  assert.ok(z.of('welcome')[0].votes.some((v: any) => v.definition.voteId === voteId), 'a late joiner gets open votes in its welcome');
  const keys = [0, 1, 2, 3, 4].map(() => key());
  keys.forEach((k, i) => z.send('ballot', { key: k, voteId, choices: [i] }));
  await until('five replies', () => keys.every((k) => replies(z, k).length === 1));
  const all = keys.map((k) => replies(z, k)[0]);
  assert.equal(all.filter((x) => x.ok === true).length, 1);
  assert.equal(all.filter((x) => x.code === 'VOTE_ALREADY_VOTED').length, 4);
  const live = await until('one head counted', () => staff.room.state.votes?.get(voteId)?.turnoutHeads === 1 && staff.room.state.votes.get(voteId));
  assert.equal([...live.optionHeads].reduce((a: number, b: number) => a + b, 0), 1);
});

test('commons vote: a unit transferred mid-vote → the snapshot at opening decides (new owner VOTE_NOT_IN_SNAPSHOT, old owner votes) and the record says so', async () => {
  const staff = await join(staffAccount);
  const voteId = await openVote(staff, { title: '公共区域改建', category: 'rebuild' });
  const admin = await adminOf(srv);
  // 李四 sells 2-301: the office takes him off the unit and the buyer redeems an owner invite.
  const removed = await api(srv, '/api/directory/members/remove', { unitId: unit2('301'), accountId: li.accountId }, admin.accessToken);
  assert.equal(removed.status, 200);
  const buyer = await person('新业主周六', 'owner', unit2('301'));
  const b = await join(buyer);
  const k = key();
  b.send('ballot', { key: k, voteId, choices: [0] });
  const e = await b.waitFor('error', (m) => m.key === k);
  assert.equal(e.code, 'VOTE_NOT_IN_SNAPSHOT');
  assert.equal(e.details.unitId, unit2('301'));
  // The seller holds no unit now, yet the snapshot lets him vote: the commons admits him for that.
  const seller = await join(li);
  seller.send('ballot', { key: key(), voteId, choices: [1] });
  await seller.waitFor('ballot');
  const z = await join(zhang);
  z.send('ballot', { key: key(), voteId, choices: [0] });
  await until('seller and zhang counted', () => staff.room.state.votes?.get(voteId)?.turnoutHeads === 2);
  await closeByClock(staff, voteId);
  const rec = await api(srv, `/api/commons/vote-record?voteId=${voteId}`, undefined, staffAccount.accessToken);
  assert.deepEqual(rec.json.record.registerChanges, [{ unitId: unit2('301'), ownersAtOpening: 1, ownersNow: 1 }]);
  const ballot = rec.json.record.ballots.find((x: any) => x.units.includes(unit2('301')));
  assert.deepEqual([ballot.by, ballot.choices], [li.accountId, [1]], 'the owner at opening voted for the unit');
  assert.match(rec.json.record.registerStatement['zh-CN'], /房屋登记快照为准.*1 套房屋的业主发生变化/);
  const csv = await (await fetch(`${srv.url}/api/commons/vote-record.csv?voteId=${voteId}`, { headers: { authorization: `Bearer ${staffAccount.accessToken}` } })).text();
  assert.match(csv, new RegExp(`# register changes after opening \\(the snapshot decides\\)\\r\\nunit_id,owners_at_opening,owners_at_closing\\r\\n${unit2('301')},1,1`));
});

test('commons vote: secret ballot → no tallies on screens or on the bus while open, receipts in the record, totals at close', async () => {
  const staff = await join(staffAccount);
  const events: any[] = [];
  const sub = srv.bus.subscribe(`nb.${srv.community.id}.room.vote.>`, (m) => events.push(decodeJson(m.data)));
  try {
    const voteId = await openVote(staff, { secret: true, allowChange: true, title: '选聘物业公司', category: 'property-company' });
    const z = await join(zhang);
    z.send('ballot', { key: key(), voteId, choices: [1] });
    const k = key();
    z.send('ballot', { key: k, voteId, choices: [0] });
    const mine = (await z.waitFor('ballot', (m) => m.key === k)).mine;
    const receipt = mine.heads[0].receipt;
    assert.match(receipt, /^[0-9A-Z]{10}$/);
    const live = await until('turnout shown', () => staff.room.state.votes?.get(voteId)?.turnoutHeads === 1 && staff.room.state.votes.get(voteId));
    assert.deepEqual([...live.optionHeads], [0, 0, 0], 'no tally while a secret ballot is open');
    const view = staff.of('vote').find((v) => v.definition.voteId === voteId);
    assert.equal(view.tally, null);
    const casts = events.filter((e) => e.type === 'BallotCast' && e.actorId === voteId);
    assert.equal(casts.length, 2);
    assert.ok(casts.every((e) => e.event.by === '' && e.event.choices.length === 0 && e.event.receipt === ''), 'the bus carries no account, choice or receipt');
    const closed = await closeByClock(staff, voteId);
    assert.deepEqual(closed.tally.options.map((o: any) => o.heads), [1, 0, 0]);
    const rec = (await api(srv, `/api/commons/vote-record?voteId=${voteId}`, undefined, zhang.accessToken)).json.record;
    assert.equal(rec.ballots.length, 0);
    assert.deepEqual(rec.receipts.find((x: any) => x.receipt === receipt).choices, [0], 'the owner finds their receipt with their choice');
    assert.equal(rec.receipts.filter((x: any) => x.choices === null).length, 1, 'the replaced ballot is listed as replaced');
    assert.equal(rec.participants.length, 1);
    assert.ok(!JSON.stringify(rec).includes(zhang.accountId), 'a secret ballot\'s record names no account at all');
  } finally {
    sub.unsubscribe();
  }
});

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

test('commons accounts: a month published with a voucher, a correction and a question answered in public → every screen sees lines, totals and the answer', async () => {
  const staff = await join(staffAccount);
  const z = await join(zhang);
  const up = await fetch(`${srv.url}/api/commons/vouchers`, { method: 'POST', body: PNG, headers: { authorization: `Bearer ${staffAccount.accessToken}`, 'x-file-name': encodeURIComponent('广告合同.png') } });
  const voucher = (await up.json() as any).voucher;
  assert.equal(up.status, 200);
  assert.equal(voucher.type, 'image/png');
  assert.match(voucher.sha256, /^[0-9a-f]{64}$/);
  const bad = await fetch(`${srv.url}/api/commons/vouchers`, { method: 'POST', body: '<svg onload=alert(1)>', headers: { authorization: `Bearer ${staffAccount.accessToken}` } });
  assert.deepEqual([bad.status, (await bad.json() as any).code], [415, 'LEDGER_VOUCHER_BAD_TYPE']);
  // The upload route takes up to VOUCHER_MAX_BYTES, above HTTP_MAX_BODY_BYTES (4 KiB here), and no more.
  const scan = Buffer.concat([PNG, Buffer.alloc(50_000)]);
  const big = await fetch(`${srv.url}/api/commons/vouchers`, { method: 'POST', body: scan, headers: { authorization: `Bearer ${staffAccount.accessToken}` } });
  assert.equal(big.status, 200);
  const huge = await fetch(`${srv.url}/api/commons/vouchers`, { method: 'POST', body: Buffer.concat([PNG, Buffer.alloc(150_000)]), headers: { authorization: `Bearer ${staffAccount.accessToken}` } });
  assert.deepEqual([huge.status, (await huge.json() as any).code], [413, 'ENGINE_PAYLOAD_TOO_LARGE']);
  const byResident = await fetch(`${srv.url}/api/commons/vouchers`, { method: 'POST', body: PNG, headers: { authorization: `Bearer ${zhang.accessToken}` } });
  assert.equal(byResident.status, 403);

  const publish = async (line: Record<string, unknown>) => {
    const k = key();
    staff.send('publishLine', { key: k, vouchers: [], corrects: null, reason: '', ...line });
    const ack = await staff.waitFor('ack', (a) => a.key === k);
    return ack.lineId as string;
  };
  const ad = await publish({ month: '2026-03', category: 'advertising', amountFen: 120_000, description: '电梯广告 3 月', vouchers: [{ sha256: voucher.sha256, name: voucher.name }] });
  await publish({ month: '2026-03', category: 'cleaning', amountFen: 80_000, description: '保洁外包 3 月' });
  await publish({ month: '2026-03', category: 'fund-spent', amountFen: 5_000_000, description: '更换电梯（维修资金）' });
  await publish({ month: '2026-03', category: 'locker', amountFen: 30_000, description: '快递柜场地费' });
  const fix = await publish({ month: '2026-03', category: 'advertising', amountFen: 150_000, description: '电梯广告 3 月（更正）', corrects: ad, reason: '合同金额录入有误' });
  const k = key();
  staff.send('publishLine', { key: k, month: '2026-03', category: 'advertising', amountFen: 1, description: 'x', vouchers: [], corrects: ad, reason: '再改一次' });
  assert.equal((await staff.waitFor('error', (m) => m.key === k)).code, 'LEDGER_ALREADY_CORRECTED');
  const k2 = key();
  z.send('publishLine', { key: k2, month: '2026-03', category: 'advertising', amountFen: 1, description: 'x', vouchers: [], corrects: null, reason: '' });
  assert.equal((await z.waitFor('error', (m) => m.key === k2)).code, 'LEDGER_NOT_STAFF');
  const k3 = key();
  staff.send('publishLine', { key: k3, month: '2026-03', category: 'repairs', amountFen: 1, description: 'x', vouchers: [{ sha256: 'f'.repeat(64), name: 'x.pdf' }], corrects: null, reason: '' });
  assert.equal((await z.waitFor('error', (m) => m.key === k3).catch(() => staff.waitFor('error', (m) => m.key === k3))).code, 'LEDGER_UNKNOWN_VOUCHER');

  const totals = await until('totals with the correction', () => z.of('totals').find((t) => t.all.commonIn === 180_000));
  assert.deepEqual(totals.months, [{ month: '2026-03', commonIn: 180_000, commonOut: 80_000, fundIn: 0, fundOut: 5_000_000 }]);
  const old = await z.waitFor('line', (l) => l.lineId === ad && l.correctedBy === fix);
  assert.equal(old.amountFen, 120_000, 'the published line itself never changes');

  const qk = key();
  z.send('ask', { key: qk, lineId: fix, text: '广告合同单价是多少？' });
  const qid = (await z.waitFor('ack', (a) => a.key === qk)).questionId;
  await staff.waitFor('question', (q) => q.questionId === qid);
  staff.send('answer', { key: key(), questionId: qid, text: '每月 1500 元，合同见凭证。' });
  const answered = await z.waitFor('question', (q) => q.questionId === qid && q.answer !== null);
  assert.equal(answered.answer.byName, '物业小赵（物业）', 'a staff member is named with the role, so nobody can pass for staff by name');

  // A late joiner gets it all in its welcome; the voucher is served to members only.
  const late = await join(developer);
  const w = late.of('welcome')[0];
  assert.equal(w.lines.length, 5);
  assert.equal(w.questions[0].answer.text, '每月 1500 元，合同见凭证。');
  assert.equal(w.totals.all.fundOut, 5_000_000);
  const file = await fetch(`${srv.url}/api/commons/voucher?sha256=${voucher.sha256}`, { headers: { authorization: `Bearer ${developer.accessToken}` } });
  assert.equal(file.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await file.arrayBuffer()), PNG);
  const anonymous = await fetch(`${srv.url}/api/commons/voucher?sha256=${voucher.sha256}`);
  assert.equal(anonymous.status, 401);
});
