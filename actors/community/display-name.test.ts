/**
 * Tests of display-name rules: invisible-only names refused, lookalikes collide on nameKey,
 * bidi controls neutralised, CJK and emoji kept, and the normal form is stable (idempotent).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DirectoryError } from './directory-errors.ts';
import { nameKey, normalizeDisplayName, showName, usesReservedWord, DEFAULT_DISPLAY_NAME_MAX_CHARS } from './display-name.ts';

const ok = (raw: string) => {
  const r = normalizeDisplayName(raw);
  assert.ok(r.ok, `${JSON.stringify(raw)} should be accepted, got ${JSON.stringify(r)}`);
  return r;
};
const code = (raw: string, max?: number) => {
  const r = normalizeDisplayName(raw, max);
  assert.ok(!r.ok, `${JSON.stringify(raw)} should be refused`);
  return r.code;
};
const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u034f', '\u180e', '\u3164', '\uffa0', '\u115f', '\u2800', '\ufe0f', '\u200e', '\u200f', '\u061c', '\u{e0041}'];

test('display name: only invisible characters (zero-width, BOM, Hangul filler, braille blank, tags) → DIRECTORY_NAME_BLANK', () => {
  for (const ch of INVISIBLES) assert.equal(code(ch.repeat(3)), DirectoryError.NAME_BLANK, `U+${ch.codePointAt(0)!.toString(16)}`);
  assert.equal(code(''), DirectoryError.NAME_BLANK);
  assert.equal(code(' \u3000\t\n '), DirectoryError.NAME_BLANK);
  assert.equal(code('\u202e\u2066\u2069'), DirectoryError.NAME_BLANK);
});

test('display name: lookalike with zero-width or format characters inside → same nameKey as the plain name', () => {
  const plain = ok('王阿姨').key;
  for (const ch of INVISIBLES) assert.equal(ok(`王${ch}阿${ch}姨${ch}`).key, plain, `U+${ch.codePointAt(0)!.toString(16)}`);
  assert.equal(ok('王 阿姨').key, plain);
  assert.equal(ok('Alice').key, ok('al\u200bice').key);
});

test('display name: full-width, case and Cyrillic/Greek homoglyphs → same nameKey as the Latin name', () => {
  const key = ok('Alice').key;
  assert.equal(ok('Ａｌｉｃｅ').key, key);
  assert.equal(ok('ALICE').key, key);
  assert.equal(ok('Аlісе').key, key); // Cyrillic А, і, с, е
  assert.notEqual(ok('Alicia').key, key);
});

test('display name: trailing U+202E (right-to-left override) → removed, so text after it is not flipped', () => {
  const r = ok('小李\u202e');
  assert.equal(r.name, '小李');
  assert.equal(ok('abc\u202edcba').name, 'abcdcba');
  assert.doesNotMatch(ok('\u2067x\u2069y\u202d').name, /[\u202a-\u202e\u2066-\u2069]/);
});

test('display name: CJK, emoji, ZWJ emoji sequences and skin tones → kept as written', () => {
  assert.equal(ok('邻里小王').name, '邻里小王');
  assert.equal(ok('𠀀先生').name, '𠀀先生');
  assert.equal(ok('小李😀').name, '小李😀');
  assert.equal(ok('👨‍👩‍👧 一家').name, '👨‍👩‍👧 一家');
  assert.equal(ok('👍🏽好').name, '👍🏽好');
  assert.equal(ok('❤️小李').name, '❤️小李');
});

test('display name: ZWJ between letters → removed from the shown name', () => {
  assert.equal(ok('a\u200db').name, 'ab');
  assert.equal(ok('王\u200d阿姨').name, '王阿姨');
});

test('display name: surrounding and repeated spaces (ideographic, NBSP, newline) → one space, trimmed', () => {
  assert.equal(ok('  王\u3000\u3000阿姨\u00a0\n ').name, '王 阿姨');
});

test('display name: longer than the limit in code points → DIRECTORY_NAME_TOO_LONG; emoji count as one', () => {
  assert.equal(ok('中'.repeat(DEFAULT_DISPLAY_NAME_MAX_CHARS)).name.length, DEFAULT_DISPLAY_NAME_MAX_CHARS);
  assert.equal(code('中'.repeat(DEFAULT_DISPLAY_NAME_MAX_CHARS + 1)), DirectoryError.NAME_TOO_LONG);
  assert.ok(normalizeDisplayName('😀'.repeat(4), 4).ok);
  assert.equal(code('😀'.repeat(5), 4), DirectoryError.NAME_TOO_LONG);
  assert.ok(normalizeDisplayName(`ab${'\u200b'.repeat(40)}`, 4).ok, 'invisible padding is stripped before counting');
});

test('display name: lone surrogate → DIRECTORY_NAME_BAD_TEXT', () => {
  assert.equal(code('小\ud83d李'), DirectoryError.NAME_BAD_TEXT);
});

test('display name: any string → shown form and key are idempotent; key ignores inserted invisibles', () => {
  const unit = fc.oneof(fc.constantFrom(...INVISIBLES, '\u202e', ' ', '\u3000', 'a', 'A', '中', '😀', '\u0301', 'e', '👨', 'ｅ'), fc.string({ unit: 'grapheme', maxLength: 1 }));
  fc.assert(fc.property(fc.string({ unit, maxLength: 16 }), fc.constantFrom(...INVISIBLES), fc.nat(16), (raw, inv, pos) => {
    const r = normalizeDisplayName(raw, 64);
    if (!r.ok) return;
    assert.equal(showName(r.name), r.name);
    assert.equal(nameKey(r.name), r.key);
    const again = normalizeDisplayName(r.name, 64);
    assert.ok(again.ok && again.name === r.name && again.key === r.key);
    const cut = [...r.name];
    const padded = [...cut.slice(0, pos), inv, ...cut.slice(pos)].join('');
    assert.equal(nameKey(padded), r.key);
    assert.doesNotMatch(r.name, /[\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\ufeff]/);
  }));
});

test('display name: combining marks only (U+0301 U+0301) → DIRECTORY_NAME_BLANK', () => {
  assert.deepEqual(normalizeDisplayName('\u0301\u0301'), { ok: false, code: 'DIRECTORY_NAME_BLANK' });
  assert.deepEqual(normalizeDisplayName(' \u0301 \u20dd '), { ok: false, code: 'DIRECTORY_NAME_BLANK' });
  assert.equal(normalizeDisplayName('é').ok, true, 'a letter with its mark is a name');
});

test('display name key: diacritics, dotless i, Cyrillic, Greek and Cherokee look-alikes, 員/员 → the same key', () => {
  const base = nameKey('residentA');
  for (const look of ['residentẠ', 'resıdentA', 'ᏒesidentA', 'rеsidentA', 'rēsidēntA', 'ʀesidentA']) assert.equal(nameKey(look), base, look);
  assert.equal(nameKey('物业管理員'), nameKey('物业管理员'));
  assert.equal(nameKey('物業'), nameKey('物业'));
  assert.notEqual(nameKey('王阿姨'), nameKey('李阿姨'), 'different names stay different');
});

test('display name: office words (物业, 管理员, admin, in any folded form) → usesReservedWord', () => {
  for (const name of ['物业小王', '物業客服', 'ADMIN', 'аdmin', '小区管理员', 'Property Office']) assert.ok(usesReservedWord(nameKey(name)), name);
  for (const name of ['王阿姨', '李明', 'Madmax']) assert.ok(!usesReservedWord(nameKey(name)), name);
});
