/**
 * Tests of the shared text checks: lone surrogates, code-point length, and cleaning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hasLoneSurrogate, codePointLength, cleanText, isBlank } from './text.ts';

const HIGH = '\ud83d';
const LOW = '\ude00';
const GRIN = '😀'; // U+1F600 = \ud83d\ude00, two UTF-16 units

/** A string is well formed exactly when UTF-8 encoding and decoding gives it back unchanged. */
const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8') === s;

test('hasLoneSurrogate: empty, ASCII, CJK → false', () => {
  assert.equal(hasLoneSurrogate(''), false);
  assert.equal(hasLoneSurrogate('hello, world'), false);
  assert.equal(hasLoneSurrogate('邻里 3号楼'), false);
});

test('hasLoneSurrogate: valid surrogate pairs (emoji, astral CJK) → false', () => {
  assert.equal(hasLoneSurrogate(GRIN), false);
  assert.equal(hasLoneSurrogate(`${GRIN}${GRIN}`), false);
  assert.equal(hasLoneSurrogate('a👍🏽b'), false);
  assert.equal(hasLoneSurrogate('𠀀𪚥'), false); // CJK Extension B, outside the BMP
});

test('hasLoneSurrogate: lone high surrogate → true', () => {
  assert.equal(hasLoneSurrogate(HIGH), true);
  assert.equal(hasLoneSurrogate(`${HIGH}x`), true);
  assert.equal(hasLoneSurrogate(`${HIGH}${GRIN}`), true); // high followed by a complete pair
});

test('hasLoneSurrogate: lone low surrogate → true', () => {
  assert.equal(hasLoneSurrogate(LOW), true);
  assert.equal(hasLoneSurrogate(`a${LOW}b`), true);
  assert.equal(hasLoneSurrogate(`${LOW}${HIGH}`), true); // a pair in the wrong order
  assert.equal(hasLoneSurrogate(`${GRIN}${LOW}`), true);
});

test('hasLoneSurrogate: high surrogate as the last unit → true', () => {
  assert.equal(hasLoneSurrogate(`abc${HIGH}`), true);
  assert.equal(hasLoneSurrogate(`${GRIN}${HIGH}`), true);
  assert.equal(hasLoneSurrogate(GRIN.slice(0, 1)), true); // an emoji cut in half by a naive slice
});

test('hasLoneSurrogate: any string → true exactly when it does not survive UTF-8', () => {
  const unit = fc.oneof(fc.constantFrom(HIGH, LOW, GRIN, '中', 'a'), fc.string({ unit: 'binary', maxLength: 1 }));
  fc.assert(fc.property(fc.string({ unit, maxLength: 20 }), (s) => hasLoneSurrogate(s) === !wellFormed(s)));
});

test('codePointLength: ASCII and empty → UTF-16 length', () => {
  assert.equal(codePointLength(''), 0);
  assert.equal(codePointLength('abc'), 3);
});

test('codePointLength: emoji → 1 per code point', () => {
  assert.equal(GRIN.length, 2);
  assert.equal(codePointLength(GRIN), 1);
  assert.equal(codePointLength(GRIN.repeat(500)), 500);
  assert.equal(codePointLength('👍🏽'), 2); // base + skin-tone modifier: two code points, one grapheme
});

test('codePointLength: CJK → 1 per character', () => {
  assert.equal(codePointLength('邻里'), 2);
  assert.equal(codePointLength('中'.repeat(500)), 500);
  assert.equal(codePointLength('𠀀'), 1);
  assert.equal(codePointLength(`a中${GRIN}`), 3);
});

test('codePointLength: any string → between half its UTF-16 length and its UTF-16 length', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
    const n = codePointLength(s);
    return n <= s.length && n >= s.length / 2;
  }));
});

test('cleanText: C0 controls and DEL → removed', () => {
  assert.equal(cleanText('a\u0000b\u0007c\u001b[31md\u007fe'), 'abc[31mde');
});

test('cleanText: newline and tab inside → kept; carriage return → removed', () => {
  assert.equal(cleanText('line 1\r\nline 2\tend'), 'line 1\nline 2\tend');
});

test('cleanText: C1 controls (NEL, 8-bit CSI) → removed', () => {
  assert.equal(cleanText('a\u0085b\u009b31mc\u0080\u009f'), 'ab31mc');
});

test('cleanText: surrounding whitespace (incl. ideographic space) → trimmed', () => {
  assert.equal(cleanText('  \n\t\u3000你好 邻居\u3000 \n'), '你好 邻居');
});

test('cleanText: only controls and whitespace → empty string', () => {
  assert.equal(cleanText('\u0000 \u0001\t\n\u007f'), '');
});

test('cleanText: emoji, CJK and other format characters → unchanged', () => {
  assert.equal(cleanText(`早上好${GRIN}👍🏽`), `早上好${GRIN}👍🏽`);
  assert.equal(cleanText('a\u200db'), 'a\u200db'); // ZWJ is a format character, part of emoji sequences
});

test('cleanText: any string → idempotent and free of control characters but newline and tab', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
    const once = cleanText(s);
    assert.equal(cleanText(once), once);
    assert.doesNotMatch(once, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    assert.equal(once, once.trim());
  }));
});

test('cleanText: bidi overrides and isolates → removed, so text displays in the order it was written', () => {
  assert.equal(cleanText('abc\u202edcba'), 'abcdcba');
  assert.equal(cleanText('\u2066x\u2069'), 'x');
});

test('isBlank: only zero-width and format characters → blank; any visible character → not', () => {
  assert.equal(isBlank('\u200b\u200b\ufeff'), true);
  assert.equal(isBlank(' \u2060\u00ad '), true);
  assert.equal(isBlank('\u200ba'), false);
  assert.equal(isBlank('邻'), false);
});

test('cleanText and isBlank: direction marks, tags, combining marks alone, Hangul fillers, braille blank → removed or blank', () => {
  assert.equal(cleanText('Alice\u200fX\u061c'), 'AliceX');
  assert.equal(cleanText('hi\u{e0041}\u{e0042}'), 'hi');
  for (const s of ['\u0301\u0301', '\u3164\u115f', '\u2800', '\u{e0041}']) assert.equal(isBlank(s), true, JSON.stringify(s));
  assert.equal(isBlank('e\u0301'), false);
});
