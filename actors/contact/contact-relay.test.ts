/**
 * Scenario tests of the contact relay: every command's success and each of its errors, what the
 * asker can and cannot learn (replies alike whether anyone is reached, no recipient before an
 * answer), the rolling ask limit, pruning and the request bound; replay and JSON checks; and
 * property tests over random command scripts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scenario, checkReplay, checkJson, run } from '../_kit/scenario.ts';
import { ContactError as E, contactErrorSpecs } from './contact-errors.ts';
import {
  askWait, createContactRelay, DEFAULT_CONTACT_LIMITS, inboxOf, initialContact, notificationOf, outboxOf, plateReviewsOf, platesOf,
  plateViewsOf, recipientsOf,
} from './contact-relay.ts';
import type {
  Answer, Ask, AnswerGiven, ContactCommand, ContactEvent, ContactLimits, RegisterPlate, ReleaseAccount, RemovePlate,
  RequestSent, ReviewPlate,
} from './contact-protocol.ts';

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const U1202 = 'bldg-594889490-1-1202';
/** Display names the engine would fill in; a computed key, because a literal `__proto__:` would set the prototype. */
const NAMES: Readonly<Record<string, string>> = { alice: '王阿姨', bob: '李先生', carol: '张小姐', dave: 'Dave', staff: '物业小刘', ['__proto__']: '原型' };
const nameOf = (id: string) => (Object.hasOwn(NAMES, id) ? NAMES[id] : id);

const relay = createContactRelay();
const limited = (l: Partial<ContactLimits>) => createContactRelay({ ...DEFAULT_CONTACT_LIMITS, ...l });

const register = (by: string, plate: string, at = T0): RegisterPlate => ({ type: 'RegisterPlate', by, plate, at });
const removePlate = (by: string, plate: string, more: Partial<RemovePlate> = {}): RemovePlate => ({ type: 'RemovePlate', by, plate, at: T0, ...more });
const review = (accountId: string, plate: string, decision: 'confirm' | 'reject' = 'confirm', more: Partial<ReviewPlate> = {}): ReviewPlate => ({
  type: 'ReviewPlate', by: 'staff', byStaff: true, plate, accountId, decision, at: T0, ...more,
});
const release = (accountId: string, at = T0): ReleaseAccount => ({ type: 'ReleaseAccount', accountId, at });
const askPlate = (requestId: string, by: string, plate: string, more: Partial<Ask> = {}): Ask => ({
  type: 'Ask', requestId, by, byName: nameOf(by), target: { kind: 'plate', plate }, text: '您的车挡住了出口，麻烦挪一下', at: T0 + MINUTE, ...more,
});
const askUnit = (requestId: string, by: string, recipients: readonly string[], more: Partial<Ask> = {}): Ask => ({
  type: 'Ask', requestId, by, byName: nameOf(by), target: { kind: 'unit', unitId: U1202, recipients }, text: '楼上漏水了', at: T0 + MINUTE, ...more,
});
const answer = (requestId: string, by: string, text = '马上来', more: Partial<Answer> = {}): Answer => ({
  type: 'Answer', requestId, by, byName: nameOf(by), text, at: T0 + 2 * MINUTE, ...more,
});

/** alice holds 京A12345 (claimed, confirmed by staff); bob and carol live in 1202 (the engine would resolve them). */
const withPlate = scenario(relay).givenCommands([register('alice', '京A12345'), review('alice', '京A12345')]);
const asked = withPlate.givenCommands([askPlate('r1', 'dave', '京a·12345')]);
const askedUnit = scenario(relay).givenCommands([askUnit('u1', 'dave', ['bob', 'carol'])]);

// --- RegisterPlate

test('contact RegisterPlate: a plate typed loosely → PlateClaimed with its normal form; listed as pending until staff confirm', () => {
  scenario(relay).when(register('alice', ' 京a·12345 '))
    .expectEvents([{ type: 'PlateClaimed', v: 1, accountId: 'alice', plate: '京A12345', at: T0 }])
    .expectState((s) => {
      assert.deepEqual(platesOf(s, 'alice'), ['京A12345']);
      assert.deepEqual(plateViewsOf(s, 'alice'), [{ plate: '京A12345', status: 'pending' }]);
    });
});

test('contact RegisterPlate: a claim reaches nobody until staff confirm it; confirmed → requests reach the holder', () => {
  const claimed = scenario(relay).givenCommands([register('alice', '京A12345')]);
  claimed.when(askPlate('r1', 'dave', '京A12345')).expectState((s) => assert.deepEqual(inboxOf(s, 'alice', T0 + MINUTE), []));
  claimed.givenCommands([review('alice', '京A12345')]).when(askPlate('r1', 'dave', '京A12345'))
    .expectState((s) => assert.equal(inboxOf(s, 'alice', T0 + MINUTE).length, 1));
});

test('contact RegisterPlate: a plate another account holds → the same answer as a free one (no oracle); the plate is disputed and reaches nobody until staff decide', () => {
  const free = scenario(relay).when(register('bob', '京B99999'));
  const held = withPlate.when(register('bob', '京a12345'))
    .expectEvents([{ type: 'PlateClaimed', v: 1, accountId: 'bob', plate: '京A12345', at: T0 }])
    .expectState((s) => {
      assert.deepEqual(plateViewsOf(s, 'bob'), [{ plate: '京A12345', status: 'pending' }]);
      assert.deepEqual(plateViewsOf(s, 'alice'), [{ plate: '京A12345', status: 'disputed' }]);
      assert.deepEqual(plateReviewsOf(s), [{ plate: '京A12345', holder: 'alice', claimants: ['bob'] }]);
    });
  assert.equal(held.decision.ok, free.decision.ok);
  withPlate.givenCommands([register('bob', '京A12345')]).when(askPlate('r1', 'dave', '京A12345'))
    .expectState((s) => assert.deepEqual([inboxOf(s, 'alice', T0 + MINUTE), inboxOf(s, 'bob', T0 + MINUTE)], [[], []]));
  const decided = withPlate.givenCommands([register('bob', '京A12345'), review('bob', '京A12345')]);
  decided.expectState((s) => assert.deepEqual([platesOf(s, 'alice'), platesOf(s, 'bob'), plateReviewsOf(s)], [[], ['京A12345'], []]));
});

test('contact ReviewPlate: not staff → CONTACT_STAFF_ONLY; an account without a claim → CONTACT_NO_SUCH_CLAIM; reject drops the claim', () => {
  const claimed = scenario(relay).givenCommands([register('alice', '京A12345')]);
  claimed.when(review('alice', '京A12345', 'confirm', { by: 'alice', byStaff: false })).expectError(E.STAFF_ONLY);
  claimed.when(review('bob', '京A12345')).expectError(E.NO_SUCH_CLAIM);
  claimed.when(review('alice', '京A12345', 'reject'))
    .expectEvents([{ type: 'PlateClaimDropped', v: 1, by: 'staff', accountId: 'alice', plate: '京A12345', at: T0 }])
    .expectState((s) => assert.deepEqual(platesOf(s, 'alice'), []));
});

test('contact RegisterPlate: the same account again (any spelling) → no events', () => {
  withPlate.when(register('alice', '京A 12345', T0 + HOUR)).expectNoEvents();
});

test('contact RegisterPlate: beyond platesPerAccount → CONTACT_TOO_MANY_PLATES with the limit', () => {
  const three = scenario(relay).givenCommands([register('alice', '京A11111'), register('alice', '京A22222'), register('alice', '粤BD12345')]);
  three.when(register('alice', '沪C33333')).expectError(E.TOO_MANY_PLATES, { max: 3 });
  three.when(register('alice', '京A11111')).expectNoEvents(); // a held plate is not a new one
  scenario(limited({ platesPerAccount: 1 })).givenCommands([register('alice', '京A11111')])
    .when(register('alice', '京A22222')).expectError(E.TOO_MANY_PLATES, { max: 1 });
});

test('contact RegisterPlate: not a plate → CONTACT_BAD_PLATE with the reason', () => {
  scenario(relay).when(register('alice', 'ABC123')).expectError(E.BAD_PLATE, { reason: 'province' });
  scenario(relay).when(register('alice', '京A1234')).expectError(E.BAD_PLATE, { reason: 'length' });
  scenario(relay).when(register('alice', '')).expectError(E.BAD_PLATE, { reason: 'empty' });
});

test('contact RegisterPlate: a released account → CONTACT_ACCOUNT_RELEASED', () => {
  scenario(relay).givenCommands([release('alice')]).when(register('alice', '京A12345')).expectError(E.ACCOUNT_RELEASED);
});

// --- RemovePlate

test('contact RemovePlate: by its holder → PlateRemoved; the plate is free for another account', () => {
  const removed = withPlate.when(removePlate('alice', '京a 12345'))
    .expectEvents([{ type: 'PlateRemoved', v: 1, by: 'alice', accountId: 'alice', plate: '京A12345', at: T0 }])
    .expectState((s) => assert.deepEqual(platesOf(s, 'alice'), []));
  withPlate.given(removed.events).when(register('bob', '京A12345')).expectEvents([{ type: 'PlateClaimed', v: 1, accountId: 'bob', plate: '京A12345', at: T0 }]);
});

test('contact RemovePlate: by another resident, whether the plate is held or free → CONTACT_NOT_YOURS alike', () => {
  const held = withPlate.when(removePlate('bob', '京A12345')).expectError(E.NOT_YOURS);
  const free = withPlate.when(removePlate('bob', '京B99999')).expectError(E.NOT_YOURS);
  assert.deepEqual(held.decision, free.decision);
  withPlate.when(removePlate('bob', '京A12345', { byStaff: false })).expectError(E.NOT_YOURS);
});

test('contact RemovePlate: by staff → PlateRemoved naming the holder; a free plate → no events', () => {
  withPlate.when(removePlate('staff', '京A12345', { byStaff: true }))
    .expectEvents([{ type: 'PlateRemoved', v: 1, by: 'staff', accountId: 'alice', plate: '京A12345', at: T0 }]);
  withPlate.when(removePlate('staff', '京B99999', { byStaff: true })).expectNoEvents();
});

test('contact RemovePlate: not a plate → CONTACT_BAD_PLATE', () => {
  withPlate.when(removePlate('alice', '京A1234567')).expectError(E.BAD_PLATE, { reason: 'length' });
});

// --- ReleaseAccount

test('contact ReleaseAccount: → AccountReleased; its plates are freed and another account may register them', () => {
  const s = withPlate.givenCommands([register('alice', '粤B123456')]);
  const out = s.when(release('alice', T0 + HOUR)).expectEvents([{ type: 'AccountReleased', v: 1, accountId: 'alice', at: T0 + HOUR }])
    .expectState((st) => assert.deepEqual(platesOf(st, 'alice'), []));
  s.given(out.events).when(register('bob', '京A12345', T0 + HOUR))
    .expectEvents([{ type: 'PlateClaimed', v: 1, accountId: 'bob', plate: '京A12345', at: T0 + HOUR }]);
  s.given(out.events).when(release('alice', T0 + 2 * HOUR)).expectNoEvents();
});

test('contact ReleaseAccount: the account receives nothing more: its inbox empties, it cannot answer, later asks skip it', () => {
  const s = asked.givenCommands([askUnit('u1', 'dave', ['alice', 'bob']), release('alice', T0 + 2 * MINUTE)]);
  s.expectState((st) => assert.deepEqual(inboxOf(st, 'alice', T0 + 2 * MINUTE), []));
  s.when(answer('r1', 'alice')).expectError(E.UNKNOWN_REQUEST);
  s.when(askPlate('r2', 'dave', '京A12345')).expectState((st) => assert.deepEqual(inboxOf(st, 'alice', T0 + 2 * MINUTE), []))
    .expectEvents([{ type: 'RequestSent', v: 1, requestId: 'r2', askerId: 'dave', askerName: 'Dave', target: { kind: 'plate', plate: '京A12345' }, recipients: [], text: '您的车挡住了出口，麻烦挪一下', at: T0 + MINUTE }]);
  assert.deepEqual(s.when(askUnit('u2', 'dave', ['alice', 'bob'])).events.map((e) => (e as RequestSent).recipients), [['bob']]);
});

test('contact ReleaseAccount: its own open requests are dropped, so no answer is pushed to it', () => {
  const s = askedUnit.givenCommands([release('dave', T0 + 2 * MINUTE)]);
  s.expectState((st) => {
    assert.deepEqual(outboxOf(st, 'dave', T0 + 2 * MINUTE), []);
    assert.deepEqual(inboxOf(st, 'bob', T0 + 2 * MINUTE), []);
  });
  s.when(answer('u1', 'bob')).expectError(E.UNKNOWN_REQUEST);
  s.when(askUnit('u9', 'dave', ['bob'])).expectError(E.ACCOUNT_RELEASED);
});

// --- Ask

test('contact Ask: a held plate → RequestSent to its holder; the holder sees the asker and the plate', () => {
  withPlate.when(askPlate('r1', 'dave', '京a·12345'))
    .expectEvents([{
      type: 'RequestSent', v: 1, requestId: 'r1', askerId: 'dave', askerName: 'Dave', target: { kind: 'plate', plate: '京A12345' },
      recipients: ['alice'], text: '您的车挡住了出口，麻烦挪一下', at: T0 + MINUTE,
    }])
    .expectState((s) => assert.deepEqual(inboxOf(s, 'alice', T0 + MINUTE), [{
      requestId: 'r1', from: { id: 'dave', name: 'Dave' }, target: { kind: 'plate', plate: '京A12345' },
      text: '您的车挡住了出口，麻烦挪一下', at: T0 + MINUTE, answered: false,
    }]));
});

test('contact Ask: a unit → RequestSent to the members the engine resolved, each seeing it in their inbox', () => {
  scenario(relay).when(askUnit('u1', 'dave', ['bob', 'carol', 'bob']))
    .expectEvents([{
      type: 'RequestSent', v: 1, requestId: 'u1', askerId: 'dave', askerName: 'Dave', target: { kind: 'unit', unitId: U1202 },
      recipients: ['bob', 'carol'], text: '楼上漏水了', at: T0 + MINUTE,
    }])
    .expectState((s) => {
      for (const id of ['bob', 'carol']) assert.deepEqual(inboxOf(s, id, T0 + MINUTE).map((r) => [r.requestId, r.target]), [['u1', { kind: 'unit', unitId: U1202 }]]);
    });
});

test('contact Ask: unknown plate and empty unit → accepted exactly like a reached one; the asker sees the same outbox shape', () => {
  const at = T0 + MINUTE;
  const cases = [
    withPlate.when(askPlate('x', 'dave', '京A12345')), // reached
    withPlate.when(askPlate('x', 'dave', '京B99999')), // nobody holds it
    withPlate.when(askUnit('x', 'dave', [])), // nobody lives there
    withPlate.when(askUnit('x', 'dave', ['bob'])), // reached
  ];
  const replies = cases.map((c) => {
    assert.equal(c.decision.ok, true);
    assert.equal(c.events.length, 1);
    const [entry] = outboxOf(c.after, 'dave', at);
    return { ok: c.decision.ok, answers: entry.answers, keys: Object.keys(entry).sort(), text: entry.text.length > 0 };
  });
  for (const r of replies) assert.deepEqual(r, replies[0]);
  assert.deepEqual(outboxOf(cases[0].after, 'dave', at), [{ requestId: 'x', target: { kind: 'plate', plate: '京A12345' }, text: '您的车挡住了出口，麻烦挪一下', at, answers: [] }]);
  assert.deepEqual(outboxOf(cases[1].after, 'dave', at), [{ requestId: 'x', target: { kind: 'plate', plate: '京B99999' }, text: '您的车挡住了出口，麻烦挪一下', at, answers: [] }]);
});

test('contact Ask: the asker is never a recipient (own plate, own unit)', () => {
  withPlate.when(askPlate('r1', 'alice', '京A12345')).expectState((s) => assert.deepEqual(inboxOf(s, 'alice', T0 + MINUTE), []))
    .events.forEach((e) => assert.deepEqual((e as RequestSent).recipients, []));
  scenario(relay).when(askUnit('u1', 'bob', ['bob', 'carol'])).events.forEach((e) => assert.deepEqual((e as RequestSent).recipients, ['carol']));
});

test('contact Ask: text is cleaned of control and bidi characters before it is stored', () => {
  scenario(relay).when(askUnit('u1', 'dave', ['bob'], { text: '  楼上\u202e漏水\u0007了 \n' }))
    .events.forEach((e) => assert.equal((e as RequestSent).text, '楼上漏水了'));
});

test('contact Ask: blank text (spaces, zero-width) → CONTACT_EMPTY', () => {
  for (const text of ['', '   ', '\u200b\u3000\n', '\u202e']) withPlate.when(askPlate('r1', 'dave', '京A12345', { text })).expectError(E.EMPTY);
});

test('contact Ask: more than maxChars code points → CONTACT_TOO_LONG; exactly maxChars emoji → accepted', () => {
  withPlate.when(askPlate('r1', 'dave', '京A12345', { text: '车'.repeat(201) })).expectError(E.TOO_LONG, { chars: 201, maxChars: 200 });
  assert.equal(withPlate.when(askPlate('r1', 'dave', '京A12345', { text: '😀'.repeat(200) })).events.length, 1);
  scenario(limited({ maxChars: 3 })).when(askUnit('u1', 'dave', [], { text: 'abcd' })).expectError(E.TOO_LONG, { chars: 4, maxChars: 3 });
});

test('contact Ask: a lone surrogate in the text or the asker name → CONTACT_BAD_TEXT', () => {
  withPlate.when(askPlate('r1', 'dave', '京A12345', { text: 'hi \ud83d' })).expectError(E.BAD_TEXT);
  withPlate.when(askPlate('r1', 'dave', '京A12345', { byName: '\ude00' })).expectError(E.BAD_TEXT);
});

test('contact Ask: asksPerHour asks within an hour → CONTACT_TOO_MANY_REQUESTS with retryAfterMs; the window rolls', () => {
  const tenAsks = Array.from({ length: 10 }, (_, i) => askUnit(`q${i}`, 'dave', ['bob'], { at: T0 + i * MINUTE }));
  const s = scenario(relay).givenCommands(tenAsks);
  s.when(askUnit('q10', 'dave', ['bob'], { at: T0 + 10 * MINUTE })).expectError(E.TOO_MANY_REQUESTS, { retryAfterMs: 50 * MINUTE });
  s.when(askPlate('q10', 'dave', '京B99999', { at: T0 + HOUR - 1 })).expectError(E.TOO_MANY_REQUESTS, { retryAfterMs: 1 });
  const rolled = s.givenCommands([askUnit('q10', 'dave', ['bob'], { at: T0 + HOUR })]); // the first ask has left the window
  rolled.when(askUnit('q11', 'dave', ['bob'], { at: T0 + HOUR })).expectError(E.TOO_MANY_REQUESTS, { retryAfterMs: MINUTE });
  rolled.when(askUnit('q11', 'dave', ['bob'], { at: T0 + HOUR + MINUTE })).events.forEach((e) => assert.equal(e.type, 'RequestSent'));
  s.when(askUnit('other', 'carol', ['bob'], { at: T0 + 10 * MINUTE })).events.forEach((e) => assert.equal(e.type, 'RequestSent'));
  assert.equal(askWait(s.state, DEFAULT_CONTACT_LIMITS, 'dave', T0 + 10 * MINUTE), 50 * MINUTE);
  scenario(limited({ asksPerHour: 1 })).givenCommands([askUnit('a', 'dave', [])]).when(askUnit('b', 'dave', [], { at: T0 + MINUTE + HOUR - 1 }))
    .expectError(E.TOO_MANY_REQUESTS, { retryAfterMs: 1 });
});

test('contact Ask: the same requestId by the same asker again → no events, nothing appended (even when rate-limited)', () => {
  const s = asked.givenCommands([askPlate('r1', 'dave', '京A12345', { text: 'retry with other text' })]);
  s.expectState((st) => {
    assert.equal(st.requests.length, 1);
    assert.deepEqual(st.asks.dave, [T0 + MINUTE]);
  });
  asked.when(askPlate('r1', 'dave', '京A12345')).expectNoEvents().expectState(asked.state);
  const full = scenario(limited({ asksPerHour: 1 })).givenCommands([askUnit('u1', 'dave', ['bob'])]);
  full.when(askUnit('u1', 'dave', ['bob'])).expectNoEvents();
});

test('contact Ask: a requestId another account used → CONTACT_BAD_REQUEST_ID', () => {
  asked.when(askPlate('r1', 'bob', '京B99999')).expectError(E.BAD_REQUEST_ID);
});

test('contact Ask: a requestId not matching [A-Za-z0-9_-]{1,64} → CONTACT_BAD_REQUEST_ID', () => {
  for (const id of ['', 'a b', 'x'.repeat(65), 'ü', 'a/b', '../r1']) scenario(relay).when(askUnit(id, 'dave', [])).expectError(E.BAD_REQUEST_ID);
  assert.equal(scenario(relay).when(askUnit('A-z_0'.padEnd(64, '9'), 'dave', [])).events.length, 1);
});

test('contact Ask: a malformed unit id or an unknown target kind → CONTACT_BAD_TARGET; a malformed plate → CONTACT_BAD_PLATE', () => {
  for (const unitId of ['', '-1202', 'a b', 'x'.repeat(129)]) {
    scenario(relay).when(askUnit('u1', 'dave', [], { target: { kind: 'unit', unitId, recipients: [] } })).expectError(E.BAD_TARGET);
  }
  scenario(relay).when(askUnit('u1', 'dave', [], { target: { kind: 'phone', number: '13800000000' } as never })).expectError(E.BAD_TARGET);
  scenario(relay).when(askPlate('r1', 'dave', '京A1234')).expectError(E.BAD_PLATE, { reason: 'length' });
});

// --- Answer

test('contact Answer: a recipient answers → AnswerGiven; the asker now sees that name and text, the recipient sees answered', () => {
  asked.when(answer('r1', 'alice', ' 马上来 '))
    .expectEvents([{ type: 'AnswerGiven', v: 1, requestId: 'r1', askerId: 'dave', answererId: 'alice', answererName: '王阿姨', text: '马上来', at: T0 + 2 * MINUTE }])
    .expectState((s) => {
      assert.deepEqual(outboxOf(s, 'dave', T0 + 2 * MINUTE)[0].answers, [{ name: '王阿姨', text: '马上来', at: T0 + 2 * MINUTE }]);
      assert.equal(inboxOf(s, 'alice', T0 + 2 * MINUTE)[0].answered, true);
    });
});

test('contact Answer: not a recipient, the asker, or an unknown id → CONTACT_UNKNOWN_REQUEST alike', () => {
  const decisions = [
    asked.when(answer('r1', 'bob')), asked.when(answer('r1', 'dave')), asked.when(answer('nope', 'alice')), asked.when(answer('__proto__', 'alice')),
  ].map((o) => o.expectError(E.UNKNOWN_REQUEST).decision);
  for (const d of decisions) assert.deepEqual(d, decisions[0]);
});

test('contact Answer: a second answer by the same recipient → CONTACT_ALREADY_ANSWERED; another recipient may still answer', () => {
  const s = askedUnit.givenCommands([answer('u1', 'bob')]);
  s.when(answer('u1', 'bob', '再说一次')).expectError(E.ALREADY_ANSWERED);
  assert.equal(s.when(answer('u1', 'carol')).events.length, 1);
});

test('contact Answer: at or after requestTtlMs → CONTACT_REQUEST_CLOSED; once pruned by a later event → CONTACT_UNKNOWN_REQUEST', () => {
  const closes = T0 + MINUTE + DAY;
  asked.when(answer('r1', 'alice', 'ok', { at: closes - 1 })).events.forEach((e) => assert.equal(e.type, 'AnswerGiven'));
  asked.when(answer('r1', 'alice', 'ok', { at: closes })).expectError(E.REQUEST_CLOSED);
  const pruned = asked.givenCommands([register('bob', '京C55555', closes)]);
  pruned.expectState((s) => assert.equal(s.requests.length, 0));
  pruned.when(answer('r1', 'alice', 'ok', { at: closes })).expectError(E.UNKNOWN_REQUEST);
  scenario(limited({ requestTtlMs: HOUR })).givenCommands([askUnit('u1', 'dave', ['bob'])])
    .when(answer('u1', 'bob', 'ok', { at: T0 + MINUTE + HOUR })).expectError(E.REQUEST_CLOSED);
});

test('contact Answer: blank, too long or malformed text → CONTACT_EMPTY, CONTACT_TOO_LONG, CONTACT_BAD_TEXT', () => {
  asked.when(answer('r1', 'alice', '\u200b ')).expectError(E.EMPTY);
  asked.when(answer('r1', 'alice', '好'.repeat(201))).expectError(E.TOO_LONG, { chars: 201, maxChars: 200 });
  asked.when(answer('r1', 'alice', '\ud83d')).expectError(E.BAD_TEXT);
  asked.when(answer('r1', 'alice', 'ok', { byName: 'x\udc00' })).expectError(E.BAD_TEXT);
});

// --- what each side learns

test('contact privacy: before any answer the asker learns no recipient id, name or count; after one answers, only that name', () => {
  const s = askedUnit.state;
  const at = T0 + 2 * MINUTE;
  const before = JSON.stringify(outboxOf(s, 'dave', at));
  for (const secret of ['bob', 'carol', NAMES.bob, NAMES.carol]) assert.ok(!before.includes(secret), `outbox leaks ${secret}`);
  assert.deepEqual(Object.keys(outboxOf(s, 'dave', at)[0]).sort(), ['answers', 'at', 'requestId', 'target', 'text']);
  const after = JSON.stringify(outboxOf(askedUnit.givenCommands([answer('u1', 'carol')]).state, 'dave', at));
  assert.ok(after.includes(NAMES.carol));
  for (const secret of ['bob', 'carol', NAMES.bob]) assert.ok(!after.includes(secret), `outbox leaks ${secret}`);
});

test('contact privacy: a recipient sees only the requests sent to it; outboxOf lists only the asker\'s own', () => {
  const s = askedUnit.givenCommands([askUnit('u2', 'carol', ['bob'])]).state;
  const at = T0 + 2 * MINUTE;
  assert.deepEqual(inboxOf(s, 'bob', at).map((r) => r.requestId), ['u1', 'u2']);
  assert.deepEqual(inboxOf(s, 'carol', at).map((r) => r.requestId), ['u1']);
  assert.deepEqual(inboxOf(s, 'dave', at), []);
  assert.deepEqual(outboxOf(s, 'carol', at).map((r) => r.requestId), ['u2']);
  assert.deepEqual(outboxOf(s, 'bob', at), []);
});

test('contact recipientsOf and notificationOf: RequestSent → its recipients; AnswerGiven → the asker, by name only; registrations → nobody; a staff decision on a claim → the claimant', () => {
  const sent = askedUnit.history.at(-1) as RequestSent;
  assert.deepEqual(recipientsOf(sent), ['bob', 'carol']);
  assert.deepEqual(notificationOf(sent), {
    type: 'RequestReceived',
    entry: { requestId: 'u1', from: { id: 'dave', name: 'Dave' }, target: { kind: 'unit', unitId: U1202 }, text: '楼上漏水了', at: T0 + MINUTE, answered: false },
  });
  assert.ok(!JSON.stringify(notificationOf(sent)).includes('carol'), 'a recipient is not told who else was asked');
  const given = askedUnit.when(answer('u1', 'bob')).events[0] as AnswerGiven;
  assert.deepEqual(recipientsOf(given), ['dave']);
  assert.deepEqual(notificationOf(given), { type: 'AnswerReceived', requestId: 'u1', answer: { name: NAMES.bob, text: '马上来', at: T0 + 2 * MINUTE } });
  for (const e of withPlate.history.filter((x) => x.type !== 'PlateConfirmed' && x.type !== 'PlateClaimDropped')) {
    assert.deepEqual(recipientsOf(e), []);
    assert.equal(notificationOf(e), null);
  }
  assert.deepEqual(recipientsOf({ type: 'AccountReleased', v: 1, accountId: 'x', at: T0 }), []);
  const confirmed = { type: 'PlateConfirmed', v: 1, by: 'staff', accountId: 'bob', plate: '京A12345', at: T0 } as const;
  assert.deepEqual(recipientsOf(confirmed), ['bob'], 'the claimant learns staff decided');
  assert.deepEqual(notificationOf(confirmed), { type: 'PlatesChanged', plate: '京A12345' });
  assert.deepEqual(recipientsOf({ ...confirmed, type: 'PlateClaimDropped' }), ['bob']);
});

// --- pruning, bounds, evolve

test('contact evolve: requests older than requestTtlMs and ask times older than an hour → pruned by the next event', () => {
  const s = askedUnit.givenCommands([register('bob', '京C55555', T0 + HOUR + MINUTE)]);
  s.expectState((st) => {
    assert.equal(st.requests.length, 1);
    assert.deepEqual(st.asks, {});
  });
  s.givenCommands([register('carol', '京C66666', T0 + MINUTE + DAY)]).expectState((st) => {
    assert.deepEqual(st.requests, []);
    assert.deepEqual(inboxOf(st, 'bob', T0 + MINUTE + DAY), []);
  });
  assert.deepEqual(inboxOf(askedUnit.state, 'bob', T0 + MINUTE + DAY), [], 'queries hide a closed request even before it is pruned');
  assert.deepEqual(outboxOf(askedUnit.state, 'dave', T0 + MINUTE + DAY), []);
});

test('contact evolve: more than openRequestsKept requests → the oldest sent is dropped and counted; its id is free again', () => {
  const asks = ['a', 'b', 'c', 'd', 'e'].map((id, i) => askUnit(id, i % 2 ? 'carol' : 'dave', ['bob'], { at: T0 + i * MINUTE }));
  const s = scenario(limited({ openRequestsKept: 3 })).givenCommands(asks);
  s.expectState((st) => {
    assert.deepEqual(st.requests.map((r) => r.requestId), ['c', 'd', 'e']);
    assert.equal(st.droppedRequests, 2);
    assert.deepEqual(inboxOf(st, 'bob', T0 + 5 * MINUTE).map((r) => r.requestId), ['c', 'd', 'e']);
  });
  s.when(answer('a', 'bob', 'ok', { at: T0 + 5 * MINUTE })).expectError(E.UNKNOWN_REQUEST);
  assert.equal(s.when(askUnit('b', 'dave', ['bob'], { at: T0 + 5 * MINUTE })).events.length, 1);
});

test('contact evolve: an unknown event → the same state; ids such as __proto__ are plain keys', () => {
  const st = asked.state;
  assert.equal(relay.evolve(st, { type: 'RequestSent', v: 2 } as unknown as ContactEvent).requests.length, 1);
  assert.equal(relay.evolve(st, { type: 'SomethingNew', v: 1, at: T0 } as unknown as ContactEvent), st);
  const proto = scenario(relay).givenCommands([register('__proto__', '京A12345'), askUnit('__proto__', '__proto__', ['bob']), release('constructor')]).state;
  assert.deepEqual(platesOf(proto, '__proto__'), ['京A12345']);
  assert.deepEqual(Object.keys(proto.asks), ['__proto__']);
  assert.equal(Object.getPrototypeOf(proto.asks), Object.prototype);
  assert.equal(Object.getPrototypeOf(proto.plates), Object.prototype);
  assert.deepEqual(inboxOf(proto, 'bob', T0 + MINUTE).map((r) => r.from), [{ id: '__proto__', name: NAMES.__proto__ }]);
  assert.deepEqual(platesOf(initialContact, 'constructor'), []);
});

test('contact errors: every code → a spec with zh-CN and en messages; only the rate limit is retryable', () => {
  for (const code of Object.values(E)) {
    const spec = contactErrorSpecs[code];
    assert.ok(spec.message['zh-CN'].length > 0 && spec.message.en.length > 0, code);
    assert.equal(spec.retryable, code === E.TOO_MANY_REQUESTS, code);
  }
});

// --- replay and JSON

const MIXED: ContactCommand[] = [
  register('alice', '京a·12345'), register('alice', '粤B D12345'), register('bob', '京A12345'), register('__proto__', '沪C33333'),
  askPlate('r1', 'dave', '京A12345'), askPlate('r2', 'dave', '京B99999'), askUnit('u1', 'dave', ['bob', 'carol', 'dave']),
  askPlate('r1', 'dave', '京A12345'), askPlate('r1', 'bob', '京A12345'), answer('r1', 'alice', '来了 😀'), answer('r1', 'alice'),
  answer('u1', 'bob'), answer('u1', 'dave'), removePlate('bob', '京A12345'), removePlate('staff', '京A12345', { byStaff: true }),
  release('carol', T0 + 3 * MINUTE), answer('u1', 'carol', 'late', { at: T0 + 3 * MINUTE }), askUnit('u2', '__proto__', ['bob'], { at: T0 + 3 * MINUTE }),
  register('dave', '京A12345', T0 + DAY), answer('u2', 'bob', 'ok', { at: T0 + 2 * DAY }),
];

test('contact: a mixed script → checkReplay (folding events gives the live state) passes', () => {
  const r = checkReplay(relay, MIXED);
  assert.ok(r.steps.some((s) => !s.decision.ok), 'the script includes rejections');
  assert.deepEqual(platesOf(r.state, 'dave'), ['京A12345']);
});

test('contact: a mixed script → checkJson (commands, events, states and snapshots survive JSON) passes', () => {
  checkJson(relay, MIXED);
});

// --- properties

const ACCOUNTS = ['alice', 'bob', 'carol', 'dave', '__proto__'];
const PLATES = ['京A12345', '京a·12345', '粤BD12345', '沪C33333', '京A1234', 'ABC123'];
const account = fc.constantFrom(...ACCOUNTS);
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
/** Mostly valid text, so that asks and answers go through; sometimes blank, malformed or too long. */
const text = fc.oneof(w(6, fc.constantFrom('挪车', '好的 😀')), w(1, fc.constantFrom('  ', '\ud83d', 'x'.repeat(201))));
/** Few ids, so that answers find their request and other accounts collide with it. */
const requestId = fc.oneof(w(8, fc.constantFrom('r1', 'r2', 'r3', 'r4')), w(1, fc.constantFrom('__proto__', 'bad id')));

/** One command builder; `at` is filled in by position so that time moves forward as in the engine. */
const command: fc.Arbitrary<(at: number) => ContactCommand> = fc.oneof(
  w(3, fc.record({ by: account, p: fc.constantFrom(...PLATES) }).map(({ by, p }) => (at: number) => register(by, p, at))),
  w(1, fc.record({ by: account, p: fc.constantFrom(...PLATES), staff: fc.boolean() }).map(({ by, p, staff }) => (at: number) => removePlate(by, p, { byStaff: staff, at }))),
  w(1, fc.constantFrom('carol', '__proto__').map((a) => (at: number) => release(a, at))),
  w(5, fc.record({ id: requestId, by: account, p: fc.constantFrom(...PLATES), text }).map(({ id, by, p, text }) => (at: number) => askPlate(id, by, p, { text, at }))),
  w(7, fc.record({ id: requestId, by: account, to: fc.array(account, { minLength: 1, maxLength: 4 }), text })
    .map(({ id, by, to, text }) => (at: number) => askUnit(id, by, to, { text, at }))),
  w(10, fc.record({ id: requestId, by: account, text }).map(({ id, by, text }) => (at: number) => answer(id, by, text, { at }))),
);
const step = fc.constantFrom(0, MINUTE, MINUTE, 5 * MINUTE, 30 * MINUTE, 5 * HOUR, 20 * HOUR);
const script = fc.array(fc.tuple(command, step), { minLength: 1, maxLength: 40, size: 'medium' }).map((cs) => {
  let at = T0;
  return cs.map(([make, dt]) => make((at += dt)));
});
const small = limited({ asksPerHour: 2, openRequestsKept: 3, platesPerAccount: 2 });

test('contact invariant: random command scripts → decide and evolve never throw; checkReplay and checkJson pass', () => {
  fc.assert(fc.property(script, (cmds) => {
    checkReplay(small, cmds);
    checkJson(small, cmds);
  }), { numRuns: 200 });
});

test('contact invariant: an asker\'s outbox → never the id or name of a recipient who did not answer that request', () => {
  fc.assert(fc.property(script, (cmds) => {
    const { events, state } = run(small, cmds);
    // Who each request id was last sent to and who answered it (an id can be reused once its request is gone).
    const silent = new Map<string, Set<string>>();
    for (const e of events) {
      if (e.type === 'RequestSent') silent.set(e.requestId, new Set(e.recipients));
      if (e.type === 'AnswerGiven') silent.get(e.requestId)?.delete(e.answererId);
    }
    for (const asker of ACCOUNTS) {
      for (const at of new Set(cmds.map((c) => c.at))) {
        for (const entry of outboxOf(state, asker, at)) {
          const json = JSON.stringify({ ...entry, requestId: '' });
          for (const id of ACCOUNTS) assert.ok(!json.includes(`"${id}"`), `outbox entry ${entry.requestId} names account ${id}`);
          for (const r of silent.get(entry.requestId) ?? []) assert.ok(!json.includes(nameOf(r)), `outbox leaks silent recipient ${r}`);
        }
      }
    }
  }), { numRuns: 300 });
});
