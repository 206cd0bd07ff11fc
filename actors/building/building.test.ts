/**
 * Tests of the building actor: chat (numbering, idempotency, validation, bounded history and
 * key memory) and notices, with replay and JSON checks and a property test over random posts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scenario, checkReplay, checkJson } from '../_kit/scenario.ts';
import { seqForKey, MAX_KEY_CHARS } from '../chat/chat.ts';
import { ChatError } from '../chat/errors.ts';
import type { ChatPosted, PostChat } from '../chat/protocol.ts';
import { createBuildingActor, DEFAULT_BUILDING_LIMITS, upcastBuildingEvent } from './building.ts';
import { BuildingError } from './errors.ts';
import type { BuildingCommand, BuildingEvent, BuildingLimits, NoticePosted, PostNotice } from './protocol.ts';

const building = createBuildingActor(DEFAULT_BUILDING_LIMITS);
const small = (l: Partial<BuildingLimits>) => createBuildingActor({ ...DEFAULT_BUILDING_LIMITS, ...l });

function post(key: string, text: string, more: Partial<PostChat> = {}): PostChat {
  return { type: 'PostChat', key, authorId: 'r-101', authorName: '王阿姨', text, at: 1000, ...more };
}

function posted(n: number, key: string, text: string, more: Partial<ChatPosted> = {}): ChatPosted {
  return { type: 'ChatPosted', v: 1, n, key, authorId: 'r-101', authorName: '王阿姨', text, at: 1000, ...more };
}

function notice(key: string, title: string, body: string, more: Partial<PostNotice> = {}): PostNotice {
  return { type: 'PostNotice', key, authorId: 'pm-1', authorName: '物业', title, body, at: 2000, ...more };
}

function noticePosted(n: number, key: string, title: string, body: string): NoticePosted {
  return { type: 'NoticePosted', v: 3, n, key, authorId: 'pm-1', authorName: '物业', title, body, category: 'general', i18n: null, at: 2000 };
}

const GRIN = '😀';

// --- chat: numbering and idempotency

test('building chat: first post → ChatPosted n=1 with the cleaned text', () => {
  scenario(building).when(post('k1', '  早上好  ')).expectEvents([posted(1, 'k1', '早上好')])
    .expectState((s) => {
      assert.equal(s.chat.count, 1);
      assert.deepEqual(s.chat.recent, [{ seq: 1, at: 1000, author: { id: 'r-101', name: '王阿姨' }, text: '早上好', key: 'k1' }]);
    });
});

test('building chat: three posts → numbered 1, 2, 3', () => {
  const r = checkReplay(building, [post('a', 'one'), post('b', 'two', { at: 1001 }), post('c', 'three', { at: 1002 })]);
  assert.deepEqual(r.events.map((e) => (e as ChatPosted).n), [1, 2, 3]);
  assert.deepEqual(r.state.chat.recent.map((m) => m.seq), [1, 2, 3]);
  assert.equal(r.state.chat.count, 3);
});

test('building chat: same key twice → second decide yields no events; seqForKey finds the first seq', () => {
  const s = scenario(building).givenCommands([post('x', 'before'), post('dup', 'hello')]);
  s.when(post('dup', 'hello')).expectNoEvents().expectState((st) => assert.equal(st.chat.count, 2));
  assert.equal(seqForKey(s.state.chat, 'r-101', 'dup'), 2);
  assert.equal(seqForKey(s.state.chat, 'r-101', 'x'), 1);
  assert.equal(seqForKey(s.state.chat, 'r-101', 'never-used'), undefined);
});

test('building chat: same key with different text → no events (idempotency is by key, not content)', () => {
  scenario(building).givenCommands([post('dup', 'hello')]).when(post('dup', 'edited', { at: 5000 })).expectNoEvents();
});

test('building chat: retry of a remembered key with now-invalid text → no events (dedup before validation)', () => {
  scenario(building).givenCommands([post('dup', 'hello')]).when(post('dup', '   ')).expectNoEvents();
});

test('building chat: another author reuses a key → a separate post, not suppressed', () => {
  const s = scenario(building).givenCommands([post('shared', 'mine')]);
  s.when(post('shared', 'theirs', { authorId: 'r-202', authorName: '李' })).expectEvents([posted(2, 'shared', 'theirs', { authorId: 'r-202', authorName: '李' })]);
});

test('building chat: keys named like Object.prototype members → treated as new keys', () => {
  for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    scenario(building).when(post(key, 'hi')).expectEvents([posted(1, key, 'hi')]);
  }
  const r = checkJson(building, [post('__proto__', 'a'), post('constructor', 'b'), post('__proto__', 'again')]);
  assert.equal(r.events.length, 2);
  assert.equal(seqForKey(r.state.chat, 'r-101', '__proto__'), 1);
});

// --- chat: validation

test('building chat: empty text → CHAT_EMPTY', () => {
  scenario(building).when(post('k', '')).expectError(ChatError.EMPTY);
});

test('building chat: whitespace-only text (spaces, newlines, tabs, ideographic space) → CHAT_EMPTY', () => {
  for (const text of [' ', '   \n\t ', '\u3000\u3000', '\r\n']) scenario(building).when(post('k', text)).expectError(ChatError.EMPTY);
});

test('building chat: control characters only → CHAT_EMPTY', () => {
  scenario(building).when(post('k', '\u0000\u0007\u001b\u007f')).expectError(ChatError.EMPTY);
});

test('building chat: 500 CJK characters → accepted', () => {
  const text = '邻'.repeat(500);
  scenario(building).when(post('k', text)).expectEvents([posted(1, 'k', text)]);
});

test('building chat: 501 CJK characters → CHAT_TOO_LONG with chars and maxChars', () => {
  scenario(building).when(post('k', '邻'.repeat(501))).expectError(ChatError.TOO_LONG, { chars: 501, maxChars: 500 });
});

test('building chat: 500 emoji (1000 UTF-16 units) → accepted; each emoji counts as 1', () => {
  const text = GRIN.repeat(500);
  assert.equal(text.length, 1000);
  scenario(building).when(post('k', text)).expectEvents([posted(1, 'k', text)]);
});

test('building chat: 501 emoji → CHAT_TOO_LONG counting code points', () => {
  scenario(building).when(post('k', GRIN.repeat(501))).expectError(ChatError.TOO_LONG, { chars: 501, maxChars: 500 });
});

test('building chat: length is measured after cleaning → 500 chars plus padding and controls accepted', () => {
  const text = '中'.repeat(500);
  scenario(building).when(post('k', `  \u0000${text}\u0007\n `)).expectEvents([posted(1, 'k', text)]);
});

test('building chat: limit from the factory → applies (maxChars 3)', () => {
  const b = small({ maxChars: 3 });
  scenario(b).when(post('k', `a${GRIN}中`)).expectEvents([posted(1, 'k', `a${GRIN}中`)]);
  scenario(b).when(post('k', 'abcd')).expectError(ChatError.TOO_LONG, { chars: 4, maxChars: 3 });
});

test('building chat: lone surrogate in text → CHAT_BAD_TEXT', () => {
  for (const text of ['\ud83d', 'hi \ude00 there', `ok${GRIN}\ud83d`]) {
    scenario(building).when(post('k', text)).expectError(ChatError.BAD_TEXT);
  }
});

test('building chat: lone surrogate in authorName → CHAT_BAD_TEXT', () => {
  scenario(building).when(post('k', 'hello', { authorName: '王\ud800' })).expectError(ChatError.BAD_TEXT);
});

test('building chat: valid surrogate pairs in text and authorName → accepted', () => {
  scenario(building).when(post('k', `hi ${GRIN}`, { authorName: `小明${GRIN}` }))
    .expectEvents([posted(1, 'k', `hi ${GRIN}`, { authorName: `小明${GRIN}` })]);
});

test('building chat: control characters inside text → stripped; newline and tab kept', () => {
  scenario(building).when(post('k', 'a\u0000b\u001b[2Jc\u007f\r\nd\te\u009b')).expectEvents([posted(1, 'k', 'ab[2Jc\nd\te')]);
});

test('building chat: empty key → CHAT_BAD_KEY', () => {
  scenario(building).when(post('', 'hi')).expectError(ChatError.BAD_KEY);
});

test('building chat: key longer than 64 chars → CHAT_BAD_KEY; exactly 64 → accepted', () => {
  assert.equal(MAX_KEY_CHARS, 64);
  scenario(building).when(post('k'.repeat(65), 'hi')).expectError(ChatError.BAD_KEY);
  scenario(building).when(post('k'.repeat(64), 'hi')).expectEvents([posted(1, 'k'.repeat(64), 'hi')]);
});

test('building chat: key with a lone surrogate → CHAT_BAD_KEY', () => {
  scenario(building).when(post('key\ud800', 'hi')).expectError(ChatError.BAD_KEY);
});

test('building chat: bad key and bad text together → CHAT_BAD_KEY (key is checked first)', () => {
  scenario(building).when(post('', '')).expectError(ChatError.BAD_KEY);
});

test('building chat: rejected post → does not consume a number', () => {
  const r = checkReplay(building, [post('a', 'one'), post('b', ''), post('c', '\ud800'), post('', 'x'), post('d', 'two')]);
  assert.deepEqual(r.events.map((e) => (e as ChatPosted).n), [1, 2]);
});

// --- chat: bounds

test('building chat: more posts than historySize → recent keeps the newest historySize', () => {
  const b = small({ historySize: 3 });
  const r = checkReplay(b, [1, 2, 3, 4, 5].map((i) => post(`k${i}`, `m${i}`, { at: i })));
  assert.deepEqual(r.state.chat.recent.map((m) => [m.seq, m.text]), [[3, 'm3'], [4, 'm4'], [5, 'm5']]);
  assert.equal(r.state.chat.count, 5);
});

test('building chat: more keys than keyMemory → oldest keys forgotten, newest still deduplicated', () => {
  const b = small({ keyMemory: 2 });
  const s = scenario(b).givenCommands([post('k1', 'a'), post('k2', 'b'), post('k3', 'c')]);
  s.expectState((st) => {
    assert.deepEqual(st.chat.keys, [['r-101/k2', 2], ['r-101/k3', 3]]);
    assert.equal(seqForKey(st.chat, 'r-101', 'k1'), undefined);
  });
  s.when(post('k3', 'c')).expectNoEvents();
  // Documented overflow: a forgotten key is a new post.
  s.when(post('k1', 'a')).expectEvents([posted(4, 'k1', 'a')]);
});

// --- notices

test('building notice: valid → NoticePosted n=1, cleaned, kept in notices', () => {
  scenario(building).when(notice('n1', ' 停水通知 ', '明天 9:00-12:00 停水\u0007'))
    .expectEvents([noticePosted(1, 'n1', '停水通知', '明天 9:00-12:00 停水')])
    .expectState((s) => {
      assert.equal(s.noticeCount, 1);
      assert.deepEqual(s.notices, [{ seq: 1, at: 2000, author: { id: 'pm-1', name: '物业' }, title: '停水通知', body: '明天 9:00-12:00 停水', category: 'general', key: 'n1' }]);
      assert.deepEqual(s.noticeKeys, ['n1']);
      assert.equal(s.chat.count, 0);
    });
});

test('building notice: numbering → independent of chat numbering', () => {
  const r = checkReplay(building, [post('c1', 'hi'), notice('n1', 'T', 'B'), post('c2', 'yo'), notice('n2', 'T2', 'B2')]);
  assert.deepEqual(r.events.map((e) => [e.type, e.n]), [['ChatPosted', 1], ['NoticePosted', 1], ['ChatPosted', 2], ['NoticePosted', 2]]);
});

test('building notice: empty or whitespace title or body → BUILDING_NOTICE_EMPTY', () => {
  for (const [title, body] of [['', 'body'], ['title', ''], ['  ', 'body'], ['title', '\u3000\n'], ['\u0000', '\u0001']]) {
    scenario(building).when(notice('n', title!, body!)).expectError(BuildingError.NOTICE_EMPTY);
  }
});

test('building notice: title or body over its limit → BUILDING_NOTICE_TOO_LONG with both limits', () => {
  const details = { maxTitleChars: 80, maxChars: 2000 };
  scenario(building).when(notice('n', '题'.repeat(81), 'b')).expectError(BuildingError.NOTICE_TOO_LONG, details);
  scenario(building).when(notice('n', 't', GRIN.repeat(2001))).expectError(BuildingError.NOTICE_TOO_LONG, details);
});

test('building notice: title and body exactly at their limits (code points) → accepted', () => {
  const title = '题'.repeat(80);
  const body = GRIN.repeat(2000);
  scenario(building).when(notice('n', title, body)).expectEvents([noticePosted(1, 'n', title, body)]);
});

test('building notice: same key twice → second decide yields no events', () => {
  scenario(building).givenCommands([notice('n1', 'T', 'B')]).when(notice('n1', 'T', 'B')).expectNoEvents();
});

test('building notice: lone surrogate in title, body or authorName → BUILDING_NOTICE_BAD_TEXT', () => {
  scenario(building).when(notice('n', 'T\ud800', 'B')).expectError(BuildingError.NOTICE_BAD_TEXT);
  scenario(building).when(notice('n', 'T', '\udc00B')).expectError(BuildingError.NOTICE_BAD_TEXT);
  scenario(building).when(notice('n', 'T', 'B', { authorName: '\ud800' })).expectError(BuildingError.NOTICE_BAD_TEXT);
});

test('building notice: empty, over-64 or lone-surrogate key → CHAT_BAD_KEY (same key rules as chat)', () => {
  scenario(building).when(notice('', 'T', 'B')).expectError(ChatError.BAD_KEY);
  scenario(building).when(notice('n'.repeat(65), 'T', 'B')).expectError(ChatError.BAD_KEY);
  scenario(building).when(notice('n\ud800', 'T', 'B')).expectError(ChatError.BAD_KEY);
});

test('building notice: more than noticesKept → keeps the newest; key memory bounded by keyMemory', () => {
  const b = small({ noticesKept: 2, keyMemory: 3 });
  const r = checkReplay(b, [1, 2, 3, 4].map((i) => notice(`n${i}`, `T${i}`, 'B')));
  assert.deepEqual(r.state.notices.map((n) => n.seq), [3, 4]);
  assert.deepEqual(r.state.noticeKeys, ['n2', 'n3', 'n4']);
  assert.equal(r.state.noticeCount, 4);
});

// --- evolve totality, replay and JSON

test('building: event of an unknown type or version → evolve returns the state unchanged', () => {
  const s = scenario(building).givenCommands([post('k', 'hi')]).state;
  assert.equal(building.evolve(s, { type: 'ChatEdited', v: 2 } as unknown as BuildingEvent), s);
});

const mixedScript: BuildingCommand[] = [
  post('c1', '大家好 👋'), post('c2', ''), notice('n1', '电梯维修', '周三上午'), post('c1', 'dup'),
  post('c3', '\ud800'), notice('n1', 'dup', 'dup'), notice('n2', '', 'x'), post('c4', 'a\u0000b'),
  post('c5', '邻'.repeat(501)), post('', 'x'), notice('n3', '题'.repeat(81), 'x'),
];

test('building: mixed script of accepted and rejected commands → replay gives the same state', () => {
  const r = checkReplay(small({ historySize: 2, keyMemory: 2, noticesKept: 1 }), mixedScript);
  assert.equal(r.events.length, 3);
  checkReplay(building, mixedScript);
});

test('building: mixed script → commands, decisions, events and states survive JSON', () => {
  checkJson(building, mixedScript);
  checkJson(small({ historySize: 2, keyMemory: 2, noticesKept: 1 }), mixedScript);
});

// --- property

const textUnit = fc.constantFrom('a', 'Z', ' ', '\n', '\t', '中', '邻', GRIN, '\u0000', '\u001b', '\u0085', '\ud800', '\udc00', '\u3000');
const arbPost: fc.Arbitrary<PostChat> = fc.record({
  type: fc.constant('PostChat' as const),
  key: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', '__proto__') },
    { weight: 2, arbitrary: fc.string({ maxLength: 70 }) }),
  authorId: fc.constantFrom('r-1', 'r-2'),
  authorName: fc.oneof({ weight: 9, arbitrary: fc.constantFrom('王', 'Li') }, { weight: 1, arbitrary: fc.constant('坏\udc00') }),
  text: fc.string({ unit: textUnit, maxLength: 14 }),
  at: fc.nat(),
}, { noNullPrototype: true }); // commands arrive as JSON, so as plain objects

test('building chat: any sequence of posts → accepted seqs are 1..n, history and key memory bounded, replay and JSON hold', () => {
  const limits = { ...DEFAULT_BUILDING_LIMITS, maxChars: 10, historySize: 4, keyMemory: 6 };
  const b = createBuildingActor(limits);
  fc.assert(fc.property(fc.array(arbPost, { maxLength: 40 }), (commands) => {
    const r = checkReplay(b, commands);
    checkJson(b, commands);
    const seqs = r.events.map((e) => (e as ChatPosted).n);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1));
    assert.equal(r.state.chat.count, seqs.length);
    for (const step of r.steps) {
      assert.ok(step.state.chat.recent.length <= limits.historySize);
      assert.ok(step.state.chat.keys.length <= limits.keyMemory);
      assert.equal(new Set(step.state.chat.keys.map(([k]) => k)).size, step.state.chat.keys.length, 'each remembered key once');
    }
    assert.deepEqual(r.state.chat.recent.map((m) => m.seq), seqs.slice(-limits.historySize));
    for (const e of r.events) {
      const text = (e as ChatPosted).text;
      assert.ok(text.length > 0 && [...text].length <= limits.maxChars);
      assert.doesNotMatch(text, /[\ud800-\udfff]/u); // with the u flag, only lone surrogates match
      assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
  }));
});

// --- notice versions

test('building notices: a category → carried by the event and the notice', () => {
  const s = scenario(building).when(notice('k1', '电梯维修', '周三停用', { category: 'repair' }));
  s.expectEvents([{ ...noticePosted(1, 'k1', '电梯维修', '周三停用'), category: 'repair' }]);
});

test('building notices: an unknown category → BUILDING_NOTICE_BAD_CATEGORY', () => {
  scenario(building).when(notice('k1', '标题', '内容', { category: 'party' as never })).expectError(BuildingError.NOTICE_BAD_CATEGORY);
});

test('building notices: a stored v1 NoticePosted (before categories) → upcast to v3 "general", one language, on replay', () => {
  const v1 = { type: 'NoticePosted', v: 1, n: 1, key: 'k1', authorId: 'pm-1', authorName: '物业', title: '停水', body: '明天', at: 2000 };
  const e = upcastBuildingEvent(v1);
  assert.deepEqual(e, { ...v1, v: 3, category: 'general', i18n: null });
  const state = building.evolve(building.initial, e);
  assert.equal(state.notices[0].category, 'general');
  assert.equal(state.notices[0].key, 'k1');
  assert.equal('i18n' in state.notices[0], false);
});

test('building notices: a stored v2 NoticePosted (before bilingual notices) → upcast to v3 with i18n null; state as before', () => {
  const v2 = { type: 'NoticePosted', v: 2, n: 1, key: 'k1', authorId: 'pm-1', authorName: '物业', title: '电梯维修', body: '周三停用', category: 'repair', at: 2000 };
  const e = upcastBuildingEvent(v2);
  assert.deepEqual(e, { ...v2, v: 3, i18n: null });
  const state = building.evolve(building.initial, e);
  assert.deepEqual(state.notices, [{ seq: 1, at: 2000, author: { id: 'pm-1', name: '物业' }, title: '电梯维修', body: '周三停用', category: 'repair', key: 'k1' }]);
  // Events already in today's shape pass through unchanged.
  assert.equal(upcastBuildingEvent(e), e);
});

const BILINGUAL = {
  'zh-CN': { title: ' 烟雾报警 ', body: '1单元：保安已收到报警。\u0007' },
  en: { title: 'Smoke alarm', body: 'Entrance 1: guards have been alerted.' },
};

test('building notices: PostNotice with i18n → NoticePosted v3 carrying both languages (cleaned) beside the plain text; kept in state; JSON-safe', () => {
  const cmd = notice('a1', '烟雾报警 / Smoke alarm', '1单元：保安已收到报警。 / Entrance 1: guards have been alerted.', { i18n: BILINGUAL });
  const i18n = { 'zh-CN': { title: '烟雾报警', body: '1单元：保安已收到报警。' }, en: BILINGUAL.en };
  scenario(building).when(cmd)
    .expectEvents([{ ...noticePosted(1, 'a1', '烟雾报警 / Smoke alarm', '1单元：保安已收到报警。 / Entrance 1: guards have been alerted.'), i18n }])
    .expectState((s) => {
      assert.deepEqual(s.notices[0].i18n, i18n);
      assert.equal(s.notices[0].title, '烟雾报警 / Smoke alarm', 'the plain text stays for old clients and analytics');
    });
  const r = checkReplay(building, [cmd, notice('n2', '停水', '明天')]);
  checkJson(building, [cmd, notice('n2', '停水', '明天')]);
  assert.deepEqual(r.events.map((e) => (e as NoticePosted).i18n === null), [false, true]);
});

test('building notices: i18n with a side missing, blank, too long or a lone surrogate → refused like the plain text', () => {
  const { en: _en, ...onlyZh } = BILINGUAL;
  scenario(building).when(notice('a', 'T', 'B', { i18n: onlyZh as never })).expectError(BuildingError.NOTICE_BAD_TEXT);
  scenario(building).when(notice('a', 'T', 'B', { i18n: { ...BILINGUAL, en: { title: 'x', body: 42 } } as never })).expectError(BuildingError.NOTICE_BAD_TEXT);
  scenario(building).when(notice('a', 'T', 'B', { i18n: { ...BILINGUAL, en: { title: '  ', body: 'b' } } })).expectError(BuildingError.NOTICE_EMPTY);
  scenario(building).when(notice('a', 'T', 'B', { i18n: { ...BILINGUAL, en: { title: 'x'.repeat(DEFAULT_BUILDING_LIMITS.noticeTitleMaxChars + 1), body: 'b' } } })).expectError(BuildingError.NOTICE_TOO_LONG);
  scenario(building).when(notice('a', 'T', 'B', { i18n: { ...BILINGUAL, 'zh-CN': { title: 'x', body: '\ud800' } } })).expectError(BuildingError.NOTICE_BAD_TEXT);
});
