/**
 * Tests of one owners' vote: opening, ballots (duplicates, five options at once, changes),
 * eligibility (tenant, family, staff, other building, transferred unit), extension, closing at the
 * deadline only, the immutable record (open and secret), CSV, replay and JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, checkReplay, checkJson, run } from '../_kit/scenario.ts';
import { DEFAULT_RULE_SET, snapshotRegister, type RegisterUnit } from './head-count.ts';
import { createVoteActor } from './vote.ts';
import { recordCsv, voteRecord } from './record.ts';
import { VoteError } from './vote-errors.ts';
import type { CastBallot, OpenVote, RoleClaim, VoteCommand } from './vote-protocol.ts';

const vote = createVoteActor();
const T0 = 1_700_000_000_000;
const DAY = 86_400_000;
const u = (id: string, areaM2: number, owner: string | null, buildingId = 'b1'): RegisterUnit => ({ id, buildingId, areaM2, ownerOfRecord: owner });
const UNITS = [u('b1-1-101', 100, '甲'), u('b1-1-102', 100, '乙'), u('b1-1-201', 100, '丙'), u('b1-1-202', 100, '丙'), u('b1-1-301', 100, '开发商'), u('b1-1-302', 100, '开发商')];
const OWNERS = { 'b1-1-101': ['a'], 'b1-1-102': ['b'], 'b1-1-201': ['c'], 'b1-1-202': ['c'], 'b1-1-301': ['dev'] };
const snapshot = snapshotRegister(UNITS, OWNERS, DEFAULT_RULE_SET, T0);

const open = (over: Partial<OpenVote> = {}): OpenVote => ({
  type: 'OpenVote', voteId: 'vote-lift-2026', by: 'staff-1', byStaff: true, title: '更换 1 号楼电梯', body: '使用维修资金更换电梯。',
  category: 'use-fund', form: 'motion', candidates: [], maxChoices: 1, secret: false, allowChange: false,
  scope: { kind: 'community' }, closesAt: T0 + 7 * DAY, snapshot, rules: DEFAULT_RULE_SET, at: T0, ...over,
});
const owner = (unitId: string, buildingId = 'b1'): RoleClaim => ({ role: 'owner', unitId, buildingId });
let n = 0;
const cast = (by: string, choices: number[], at = T0 + 1000, roles: RoleClaim[] = [owner('b1-1-101')]): CastBallot => ({
  type: 'CastBallot', by, roles, choices, receipt: `R${String(++n).padStart(9, '0')}`, at,
});
const close = (at = T0 + 7 * DAY): VoteCommand => ({ type: 'CloseVote', at, registerChanges: [] });

test('vote open: staff with a snapshot → VoteOpened carries definition, snapshot and rules', () => {
  const o = scenario(vote).when(open());
  const e = o.events[0];
  assert.equal(e.type, 'VoteOpened');
  if (e.type !== 'VoteOpened') return;
  assert.deepEqual(e.definition.options.map((x) => x['zh-CN']), ['同意', '反对', '弃权']);
  assert.equal(e.snapshot.totalHeads, 4);
  assert.equal(e.rules.id, DEFAULT_RULE_SET.id);
});

test('vote open: bad input → typed errors (not staff, definition, rules, deadline, empty register, twice)', () => {
  scenario(vote).when(open({ byStaff: false })).expectError(VoteError.NOT_STAFF);
  scenario(vote).when(open({ title: '  ' })).expectError(VoteError.BAD_DEFINITION, { field: 'title' });
  scenario(vote).when(open({ category: 'bribe' as never })).expectError(VoteError.BAD_DEFINITION, { field: 'category' });
  scenario(vote).when(open({ form: 'election', candidates: ['王', '王'], maxChoices: 1 })).expectError(VoteError.BAD_DEFINITION, { field: 'candidates' });
  scenario(vote).when(open({ form: 'election', candidates: ['王', '李'], maxChoices: 3 })).expectError(VoteError.BAD_DEFINITION, { field: 'maxChoices' });
  scenario(vote).when(open({ rules: { ...DEFAULT_RULE_SET, id: '' } })).expectError(VoteError.BAD_RULES, { field: 'id' });
  scenario(vote).when(open({ closesAt: T0 })).expectError(VoteError.BAD_DEADLINE);
  scenario(vote).when(open({ closesAt: T0 + 400 * DAY })).expectError(VoteError.BAD_DEADLINE);
  scenario(vote).when(open({ snapshot: snapshotRegister([], {}, DEFAULT_RULE_SET, T0) })).expectError(VoteError.EMPTY_REGISTER);
  scenario(vote).givenCommands([open()]).when(open()).expectNoEvents();
  scenario(vote).givenCommands([open()]).when(open({ voteId: 'vote-other' })).expectError(VoteError.ALREADY_EXISTS);
});

test('vote ballot: the same ballot ten times → one BallotCast, the other nine change nothing', () => {
  const r = run(vote, [open(), ...Array.from({ length: 10 }, () => cast('a', [0]))]);
  assert.equal(r.events.filter((e) => e.type === 'BallotCast').length, 1);
  assert.ok(r.steps.slice(2).every((s) => s.decision.ok && s.decision.events.length === 0), 'the repeats are accepted with no events: the same result back');
  assert.deepEqual(r.state.tally.options[0], { areaCenti: 10000, heads: 1 });
});

test('vote ballot: five different options at once on a single-choice vote → exactly one counts, the others VOTE_ALREADY_VOTED', () => {
  const election = open({ form: 'election', candidates: ['王一', '李二', '张三', '赵四', '钱五'], maxChoices: 1, category: 'committee' });
  const r = run(vote, [election, ...[0, 1, 2, 3, 4].map((i) => cast('a', [i]))]);
  const counted = r.steps.slice(1).filter((s) => s.decision.ok && s.decision.events.length === 1);
  assert.equal(counted.length, 1);
  assert.deepEqual(r.steps.slice(2).map((s) => (s.decision.ok ? 'ok' : s.decision.code)), Array(4).fill(VoteError.ALREADY_VOTED));
  assert.equal(r.state.tally.participatingHeads, 1);
  assert.equal(r.state.tally.options.reduce((a, o) => a + o.heads, 0), 1);
  // Several choices at once on a single-choice vote is not a ballot at all.
  scenario(vote).givenCommands([election]).when(cast('b', [0, 1])).expectError(VoteError.BAD_CHOICE, { options: 5, maxChoices: 1 });
});

test('vote ballot: change allowed → the last ballot counts once, the record keeps how many changes', () => {
  const r = checkReplay(vote, [open({ allowChange: true }), cast('a', [0]), cast('a', [1]), cast('a', [2]), close()]);
  assert.deepEqual(r.state.tally.options.map((o) => o.heads), [0, 0, 1]);
  const rec = voteRecord(r.state)!;
  assert.deepEqual(rec.ballots.map((b) => [b.head, b.choices, b.changes]), [['H0001', [2], 2]]);
});

test('vote ballot: a multi-unit owner → one head with all their area; the developer → one head', () => {
  const r = run(vote, [open(), cast('c', [0]), cast('dev', [1])]);
  assert.deepEqual(r.state.tally.options[0], { areaCenti: 20000, heads: 1 });
  assert.deepEqual(r.state.tally.options[1], { areaCenti: 20000, heads: 1 });
});

test('vote eligibility: tenant, family, staff, owner of another building, no roles → typed refusals', () => {
  const s = scenario(vote).givenCommands([open({ scope: { kind: 'building', buildingId: 'b1' }, snapshot })]);
  s.when(cast('t', [0], T0 + 1, [{ role: 'tenant', unitId: 'b1-1-101', buildingId: 'b1' }])).expectError(VoteError.NOT_OWNER, { role: 'tenant' });
  s.when(cast('f', [0], T0 + 1, [{ role: 'family', unitId: 'b1-1-101', buildingId: 'b1' }])).expectError(VoteError.NOT_OWNER, { role: 'family' });
  s.when(cast('s', [0], T0 + 1, [{ role: 'property_staff' }])).expectError(VoteError.NOT_OWNER, { role: 'property_staff' });
  s.when(cast('o', [0], T0 + 1, [owner('b2-1-101', 'b2')])).expectError(VoteError.OUT_OF_SCOPE);
  s.when(cast('x', [0], T0 + 1, [])).expectError(VoteError.NOT_OWNER, { role: null });
});

test('vote eligibility: unit transferred after opening → the new owner VOTE_NOT_IN_SNAPSHOT, the owner at opening still votes, the record says so', () => {
  const changes = [{ unitId: 'b1-1-101', ownersAtOpening: 1, ownersNow: 1 }];
  const s = scenario(vote).givenCommands([open()]);
  s.when(cast('new-owner', [0], T0 + 1, [owner('b1-1-101')])).expectError(VoteError.NOT_IN_SNAPSHOT, { snapshotAt: T0, unitId: 'b1-1-101' });
  const r = run(vote, [open(), cast('a', [0], T0 + 2), { type: 'CloseVote', at: T0 + 7 * DAY, registerChanges: changes }]);
  assert.equal(r.state.tally.participatingHeads, 1);
  const rec = voteRecord(r.state)!;
  assert.deepEqual(rec.registerChanges, changes);
  assert.match(rec.registerStatement['zh-CN'], /以表决开始时.*房屋登记快照为准.*1 套房屋的业主发生变化/);
  assert.match(rec.registerStatement.en, /snapshot taken at the opening .* decides; the owners of 1 unit/);
});

test('vote deadline: ballots at or after it → VOTE_CLOSED; close before it → VOTE_NOT_DUE; extension moves it', () => {
  const s = scenario(vote).givenCommands([open()]);
  s.when(cast('a', [0], T0 + 7 * DAY)).expectError(VoteError.CLOSED);
  s.when(close(T0 + 7 * DAY - 1)).expectError(VoteError.NOT_DUE, { closesAt: T0 + 7 * DAY });
  const ext = { type: 'ExtendVote', by: 'staff-1', byStaff: true, closesAt: T0 + 10 * DAY, reason: '参与率不足，延长三天', at: T0 + 6 * DAY } as const;
  s.when({ ...ext, byStaff: false }).expectError(VoteError.NOT_STAFF);
  s.when({ ...ext, reason: '' }).expectError(VoteError.BAD_REASON, { maxChars: 500 });
  s.when({ ...ext, closesAt: T0 + 5 * DAY }).expectError(VoteError.BAD_DEADLINE, { maxDurationMs: 180 * DAY, closesAt: T0 + 7 * DAY });
  const extended = s.givenCommands([ext]);
  extended.when(cast('a', [0], T0 + 8 * DAY)).expectEvents([{ type: 'BallotCast', v: 1, head: 'H0001', by: 'a', choices: [0], replaces: null, receipt: `R${String(n).padStart(9, '0')}`, at: T0 + 8 * DAY }]);
  extended.when(close(T0 + 7 * DAY)).expectError(VoteError.NOT_DUE, { closesAt: T0 + 10 * DAY });
});

test('vote close: at the deadline → VoteClosed with the outcome; afterwards every command VOTE_CLOSED and the record never changes', () => {
  const r = run(vote, [open(), cast('a', [0]), cast('b', [0]), cast('c', [0]), cast('dev', [1]), close()]);
  assert.equal(r.state.status, 'closed');
  const rec = voteRecord(r.state)!;
  assert.equal(rec.passed, true, '3 of 4 heads and 400 of 600 m² took part (≥ 2/3); agree 3 of 4 heads, 400 of 600 m² (> 1/2)');
  assert.deepEqual(rec.outcome?.participation, { area: true, heads: true, ok: true });
  const after = scenario(vote).given(r.events);
  after.when(cast('b', [1])).expectError(VoteError.CLOSED);
  after.when({ type: 'ExtendVote', by: 's', byStaff: true, closesAt: T0 + 9 * DAY, reason: 'x', at: T0 + 8 * DAY }).expectError(VoteError.CLOSED);
  after.when({ type: 'CancelVote', by: 's', byStaff: true, reason: 'x', at: T0 + 8 * DAY }).expectError(VoteError.CLOSED);
  after.when(close(T0 + 9 * DAY)).expectNoEvents();
  assert.deepEqual(voteRecord(after.state), rec);
});

test('vote close: low participation → not passed even with unanimous agreement', () => {
  const r = run(vote, [open(), cast('a', [0]), close()]);
  assert.equal(voteRecord(r.state)!.passed, false);
  assert.equal(voteRecord(r.state)!.outcome?.participation.ok, false);
});

test('vote record: secret ballot → receipts with choices and participants, never a head next to a choice', () => {
  const r = run(vote, [open({ secret: true, allowChange: true }), cast('a', [0]), cast('a', [1]), cast('b', [0]), cast('c', [2]), close()]);
  const rec = voteRecord(r.state)!;
  assert.equal(rec.ballots.length, 0);
  assert.equal(rec.receipts.length, 4, 'three ballots and one replaced');
  assert.equal(rec.receipts.filter((x) => x.choices === null).length, 1);
  assert.deepEqual(rec.receipts.map((x) => x.receipt), [...rec.receipts.map((x) => x.receipt)].sort());
  assert.deepEqual(rec.participants.map((p) => p.head), ['H0001', 'H0002', 'H0003']);
  const csv = recordCsv(rec);
  assert.ok(!csv.includes(',a,') && !/H0001,[^\n]*同意/.test(csv), 'no head or account next to a choice');
  assert.match(csv, /# receipts/);
});

test('vote record: CSV → every section, quoted cells, formula starts neutralised', () => {
  const r = run(vote, [open({ title: '=HYPERLINK("x")，"议题"' }), cast('a', [0]), close()]);
  const csv = recordCsv(voteRecord(r.state)!);
  assert.ok(csv.startsWith('\ufeff# vote'));
  for (const section of ['# rules', '# register snapshot', '# tally', '# ballots', '# statement']) assert.ok(csv.includes(section), section);
  assert.ok(csv.includes(`"'=HYPERLINK(""x"")，""议题"""`));
  assert.match(csv, /participating,100\.00,1,false/);
  assert.match(csv, /H0001,b1-1-101,100\.00,a,同意/);
});

test('vote cancel: staff with a reason → cancelled, record without outcome', () => {
  const r = run(vote, [open(), cast('a', [0]), { type: 'CancelVote', by: 'staff-1', byStaff: true, reason: '议题有误，重新发起', at: T0 + DAY }]);
  const rec = voteRecord(r.state)!;
  assert.equal(rec.status, 'cancelled');
  assert.equal(rec.outcome, null);
  assert.equal(rec.passed, false);
});

test('vote: every suite → checkReplay and checkJson over a full vote', () => {
  const cmds: VoteCommand[] = [open({ allowChange: true }), cast('a', [0]), cast('a', [0]), cast('b', [1]), cast('t', [0], T0 + 5, [{ role: 'tenant' }]),
    { type: 'ExtendVote', by: 's', byStaff: true, closesAt: T0 + 8 * DAY, reason: '延期', at: T0 + DAY }, cast('c', [2]), close(T0 + 8 * DAY)];
  checkReplay(vote, cmds);
  checkJson(vote, cmds);
});

test('assembly: a property admin records a local rule set → votes opened later count by it; bad rules or a non-admin → typed errors', async () => {
  const { assemblyActor } = await import('./assembly.ts');
  const local = { ...DEFAULT_RULE_SET, id: 'local/shikeyuan-2026', heads: { ...DEFAULT_RULE_SET.heads, sameOwnerAsOne: false } };
  const s = scenario(assemblyActor).givenCommands([{ type: 'RecordRuleSet', by: 'admin', byAdmin: true, rules: local, at: T0 }]);
  s.expectState((st) => assert.equal(st.rules.id, 'local/shikeyuan-2026'));
  s.when({ type: 'RecordRuleSet', by: 'staff', byAdmin: false, rules: local, at: T0 }).expectError(VoteError.NOT_STAFF);
  s.when({ type: 'RecordRuleSet', by: 'admin', byAdmin: true, rules: { ...local, approval: null as never }, at: T0 }).expectError(VoteError.BAD_RULES, { field: 'approval' });
  const listing = { voteId: 'vote-a', title: 't', category: 'other' as const, scope: { kind: 'community' as const }, at: T0 };
  s.givenCommands([{ type: 'ListVote', by: 's', byStaff: true, vote: listing, at: T0 }]).when({ type: 'ListVote', by: 's', byStaff: true, vote: listing, at: T0 }).expectNoEvents();
  checkJson(assemblyActor, [{ type: 'RecordRuleSet', by: 'admin', byAdmin: true, rules: local, at: T0 }, { type: 'ListVote', by: 's', byStaff: true, vote: listing, at: T0 }]);
});

test('from-directory: owners at an instant and register changes since the snapshot → transfers found, ended tenancies ignored', async () => {
  const { ownersAt, registerChangesSince, snapshotFromDirectory } = await import('./from-directory.ts');
  const unitRow = (id: string, b: string) => ({ id, buildingId: b, entrance: '1', floor: 1, room: id.slice(-3), areaM2: 88, ownerOfRecord: null });
  const m = (unitId: string, role: 'owner' | 'tenant', buildingId = 'b1') => ({ unitId, buildingId, role, since: 0, endsAt: null });
  const dir = {
    founded: true, invites: {}, names: {}, failures: {},
    units: { 'b1-1-101': unitRow('b1-1-101', 'b1'), 'b2-1-101': unitRow('b2-1-101', 'b2') },
    accounts: {
      a: { displayName: 'a', nameKey: 'a', revokedAt: null, staffRoles: [], units: { 'b1-1-101': m('b1-1-101', 'owner') } },
      t: { displayName: 't', nameKey: 't', revokedAt: null, staffRoles: [], units: { 'b1-1-101': m('b1-1-101', 'tenant') } },
      gone: { displayName: 'g', nameKey: 'g', revokedAt: 5, staffRoles: [], units: { 'b2-1-101': m('b2-1-101', 'owner', 'b2') } },
    },
  };
  assert.deepEqual(ownersAt(dir, 10), { 'b1-1-101': ['a'] });
  const snap = snapshotFromDirectory(dir, { kind: 'building', buildingId: 'b1' }, DEFAULT_RULE_SET, 10);
  assert.deepEqual(snap.units.map((x) => x.id), ['b1-1-101']);
  const moved = { ...dir, accounts: { ...dir.accounts, a: { ...dir.accounts.a, units: {} }, b: { ...dir.accounts.a, units: { 'b1-1-101': m('b1-1-101', 'owner') } } } };
  assert.deepEqual(registerChangesSince(snap, moved, 20), [{ unitId: 'b1-1-101', ownersAtOpening: 1, ownersNow: 1 }]);
  assert.deepEqual(registerChangesSince(snap, dir, 20), []);
});
