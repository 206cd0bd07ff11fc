/**
 * Tests of the interest-group actor: membership (join, leave, limit) and members-only chat,
 * with replay and JSON checks and a property test over random join/leave/post sequences.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scenario, checkReplay, checkJson } from '../_kit/scenario.ts';
import { ChatError } from '../chat/errors.ts';
import type { ChatPosted, PostChat } from '../chat/protocol.ts';
import { createGroupActor, DEFAULT_GROUP_LIMITS, type GroupLimits } from './group.ts';
import { GroupError } from './errors.ts';
import type { GroupCommand, GroupEvent, JoinGroup, LeaveGroup } from './protocol.ts';

const group = createGroupActor(DEFAULT_GROUP_LIMITS);
const limited = (l: Partial<GroupLimits>) => createGroupActor({ ...DEFAULT_GROUP_LIMITS, ...l });

const join = (memberId: string, memberName = `name-${memberId}`, at = 10): JoinGroup => ({ type: 'JoinGroup', memberId, memberName, at });
const leave = (memberId: string, at = 20): LeaveGroup => ({ type: 'LeaveGroup', memberId, at });
const post = (authorId: string, key: string, text: string, at = 30): PostChat =>
  ({ type: 'PostChat', key, authorId, authorName: `name-${authorId}`, text, at });
const posted = (n: number, authorId: string, key: string, text: string, at = 30): ChatPosted =>
  ({ type: 'ChatPosted', v: 1, n, key, authorId, authorName: `name-${authorId}`, text, at });

test('group: join → GroupJoined; member recorded with name and since', () => {
  scenario(group).when(join('r-1', '广场舞 张姐', 10))
    .expectEvents([{ type: 'GroupJoined', v: 1, memberId: 'r-1', memberName: '广场舞 张姐', at: 10 }])
    .expectState((s) => assert.deepEqual(s.members, { 'r-1': { name: '广场舞 张姐', since: 10 } }));
});

test('group: join by an existing member → no events; name and since unchanged', () => {
  scenario(group).givenCommands([join('r-1', 'old', 10)]).when(join('r-1', 'new', 99)).expectNoEvents()
    .expectState((s) => assert.deepEqual(s.members['r-1'], { name: 'old', since: 10 }));
});

test('group: join with a lone surrogate in the name → CHAT_BAD_TEXT', () => {
  scenario(group).when(join('r-1', '张\ud800')).expectError(ChatError.BAD_TEXT);
});

test('group: post by a non-member → GROUP_NOT_MEMBER', () => {
  scenario(group).givenCommands([join('r-1')]).when(post('r-2', 'k', 'hi')).expectError(GroupError.NOT_MEMBER);
});

test('group: post by a non-member whose id names an Object.prototype member → GROUP_NOT_MEMBER', () => {
  for (const id of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
    scenario(group).when(post(id, 'k', 'hi')).expectError(GroupError.NOT_MEMBER);
  }
});

test('group: join and leave by ids that name Object.prototype members → ordinary members', () => {
  for (const id of ['constructor', 'toString', '__proto__']) {
    scenario(group).when(join(id)).expectEvents([{ type: 'GroupJoined', v: 1, memberId: id, memberName: `name-${id}`, at: 10 }]);
    scenario(group).when(leave(id)).expectNoEvents();
    const r = checkJson(group, [join(id), post(id, 'k', 'hi'), leave(id), post(id, 'k2', 'again')]);
    assert.deepEqual(r.events.map((e) => e.type), ['GroupJoined', 'ChatPosted', 'GroupLeft']);
    assert.deepEqual(r.state.members, {});
  }
});

test('group: post by a member → ChatPosted n=1', () => {
  scenario(group).givenCommands([join('r-1')]).when(post('r-1', 'k', '  周六见 ')).expectEvents([posted(1, 'r-1', 'k', '周六见')]);
});

test('group: posts by several members → numbered 1, 2, 3', () => {
  const r = checkReplay(group, [join('a'), join('b'), post('a', 'k1', 'one'), post('b', 'k2', 'two'), post('a', 'k3', 'three')]);
  assert.deepEqual(r.events.filter((e) => e.type === 'ChatPosted').map((e) => (e as ChatPosted).n), [1, 2, 3]);
  assert.deepEqual(r.state.chat.recent.map((m) => m.author.id), ['a', 'b', 'a']);
});

test('group: same post key twice → second decide yields no events', () => {
  scenario(group).givenCommands([join('a'), post('a', 'k', 'hi')]).when(post('a', 'k', 'hi')).expectNoEvents();
});

test('group: shared chat rules → empty, too long, bad key rejected for members', () => {
  const s = scenario(limited({ maxChars: 5 })).givenCommands([join('a')]);
  s.when(post('a', 'k', ' \n')).expectError(ChatError.EMPTY);
  s.when(post('a', 'k', '邻里邻里邻里')).expectError(ChatError.TOO_LONG, { chars: 6, maxChars: 5 });
  s.when(post('a', '', 'hi')).expectError(ChatError.BAD_KEY);
  s.when(post('a', 'k', '\udc00')).expectError(ChatError.BAD_TEXT);
});

test('group: leave → GroupLeft; member removed', () => {
  scenario(group).givenCommands([join('a'), join('b')]).when(leave('a', 50))
    .expectEvents([{ type: 'GroupLeft', v: 1, memberId: 'a', at: 50 }])
    .expectState((s) => assert.deepEqual(Object.keys(s.members), ['b']));
});

test('group: leave by a non-member → no events', () => {
  scenario(group).givenCommands([join('a')]).when(leave('z')).expectNoEvents();
});

test('group: post after leaving → GROUP_NOT_MEMBER', () => {
  scenario(group).givenCommands([join('a'), post('a', 'k1', 'hi'), leave('a')]).when(post('a', 'k2', 'bye')).expectError(GroupError.NOT_MEMBER);
});

test('group: join when maxMembers are in → GROUP_MEMBER_LIMIT with maxMembers', () => {
  scenario(limited({ maxMembers: 2 })).givenCommands([join('a'), join('b')]).when(join('c')).expectError(GroupError.MEMBER_LIMIT, { maxMembers: 2 });
});

test('group: rejoin by a member of a full group → no events, not GROUP_MEMBER_LIMIT', () => {
  scenario(limited({ maxMembers: 2 })).givenCommands([join('a'), join('b')]).when(join('a')).expectNoEvents();
});

test('group: join after a member of a full group left → accepted', () => {
  scenario(limited({ maxMembers: 2 })).givenCommands([join('a'), join('b'), leave('a')]).when(join('c'))
    .expectEvents([{ type: 'GroupJoined', v: 1, memberId: 'c', memberName: 'name-c', at: 10 }]);
});

test('group: event of an unknown type → evolve returns the state unchanged', () => {
  const s = scenario(group).givenCommands([join('a')]).state;
  assert.equal(group.evolve(s, { type: 'GroupRenamed', v: 1 } as unknown as GroupEvent), s);
});

const script: GroupCommand[] = [
  join('a', '张姐'), post('b', 'k0', 'not yet'), join('b', 'Li 🏸'), post('a', 'k1', '周六 8 点'), post('b', 'k2', ''),
  post('b', 'k1', 'dup'), join('c'), leave('a'), post('a', 'k3', 'gone'), leave('a'), join('a', '张姐'), post('a', 'k4', '回来了'),
];

test('group: mixed script → folding all events gives the same state', () => {
  const r = checkReplay(group, script);
  assert.deepEqual(r.events.map((e) => e.type),
    // b reusing a's key k1 is b's own post: keys are scoped to their author.
    ['GroupJoined', 'GroupJoined', 'ChatPosted', 'ChatPosted', 'GroupJoined', 'GroupLeft', 'GroupJoined', 'ChatPosted']);
  checkReplay(limited({ maxMembers: 2, historySize: 1, keyMemory: 1 }), script);
});

test('group: mixed script → commands, decisions, events and states survive JSON', () => {
  checkJson(group, script);
  checkJson(limited({ maxMembers: 2, historySize: 1, keyMemory: 1 }), script);
});

const ids = fc.constantFrom('a', 'b', 'c', 'd', 'constructor', '__proto__');
const arbCommand: fc.Arbitrary<GroupCommand> = fc.oneof(
  fc.record({ type: fc.constant('JoinGroup' as const), memberId: ids, memberName: fc.constantFrom('张', 'Li', '\ud800'), at: fc.nat() }, { noNullPrototype: true }),
  fc.record({ type: fc.constant('LeaveGroup' as const), memberId: ids, at: fc.nat() }, { noNullPrototype: true }),
  fc.record({
    type: fc.constant('PostChat' as const), key: fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', ''), authorId: ids,
    authorName: fc.constant('n'), text: fc.constantFrom('hi', '', '邻里', 'toolongtext'), at: fc.nat(),
  }, { noNullPrototype: true }),
);

test('group: any sequence of commands → members ≤ maxMembers, only members post, seqs 1..n, replay and JSON hold', () => {
  const limits = { ...DEFAULT_GROUP_LIMITS, maxMembers: 3, maxChars: 8, historySize: 3, keyMemory: 3 };
  const g = createGroupActor(limits);
  fc.assert(fc.property(fc.array(arbCommand, { maxLength: 40 }), (commands) => {
    const r = checkReplay(g, commands);
    checkJson(g, commands);
    let before = g.initial;
    let n = 0;
    for (const step of r.steps) {
      assert.ok(Object.keys(step.state.members).length <= limits.maxMembers);
      if (step.decision.ok) {
        for (const e of step.decision.events) {
          if (e.type === 'ChatPosted') {
            assert.ok(Object.hasOwn(before.members, e.authorId), `${e.authorId} posted without being a member`);
            assert.equal(e.n, ++n);
          }
        }
      }
      before = step.state;
    }
    assert.equal(r.state.chat.count, n);
  }));
});

test('group poll: one account one answer → an owner of several units counts once; repeats change nothing; another answer GROUP_POLL_ANSWERED', () => {
  const g = createGroupActor();
  const join = (id: string) => ({ type: 'JoinGroup', memberId: id, memberName: id, at: 1 } as const);
  const open = { type: 'OpenPoll', pollId: 'poll-walk', by: 'a', byName: 'a', question: '周六去香山？', options: ['去', '不去'], capacity: null, closesAt: 10_000, at: 2 } as const;
  const answer = (by: string, choice: number, at = 3) => ({ type: 'AnswerPoll', pollId: 'poll-walk', by, choice, at } as const);
  const r = checkReplay(g, [join('a'), join('owner-of-three-units'), open, answer('owner-of-three-units', 0), answer('owner-of-three-units', 0), answer('a', 1)]);
  assert.deepEqual(r.state.polls['poll-walk'].counts, [1, 1]);
  const s = scenario(g).given(r.events);
  s.when(answer('owner-of-three-units', 1)).expectError('GROUP_POLL_ANSWERED', { choice: 0 });
  s.when(answer('stranger', 0)).expectError('GROUP_NOT_MEMBER');
  s.when(answer('a', 0, 10_000)).expectError('GROUP_POLL_CLOSED');
  s.when({ ...answer('a', 5), pollId: 'nope' }).expectError('GROUP_UNKNOWN_POLL');
  s.when({ ...open, pollId: 'poll-2', options: [] }).expectError('GROUP_BAD_POLL', { field: 'options' });
  checkJson(g, [join('a'), open, answer('a', 0)]);
});

test('group sign-up: capacity reached → GROUP_POLL_FULL', () => {
  const g = createGroupActor();
  const join = (id: string) => ({ type: 'JoinGroup', memberId: id, memberName: id, at: 1 } as const);
  const open = { type: 'OpenPoll', pollId: 'signup-1', by: 'a', byName: 'a', question: '社区义诊报名', options: ['报名'], capacity: 1, closesAt: 10_000, at: 2 } as const;
  scenario(g).givenCommands([join('a'), join('b'), open, { type: 'AnswerPoll', pollId: 'signup-1', by: 'a', choice: 0, at: 3 }])
    .when({ type: 'AnswerPoll', pollId: 'signup-1', by: 'b', choice: 0, at: 4 }).expectError('GROUP_POLL_FULL', { capacity: 1 });
});
