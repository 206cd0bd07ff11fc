/**
 * Tests of the password rule: 8 to 128 code points (emoji count as one), well-formed text, not one
 * character repeated, not a well-known password (case-insensitive).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, passwordProblem } from './password-policy.ts';

test('password policy: bounds → 8 to 128 code points', () => {
  assert.equal(PASSWORD_MIN_CHARS, 8);
  assert.equal(PASSWORD_MAX_CHARS, 128);
});

test('password policy: fewer than 8 code points (short, empty, 7 characters) → length', () => {
  for (const raw of ['short', '', 'abcdef7']) assert.equal(passwordProblem(raw), 'length', JSON.stringify(raw));
  assert.equal(passwordProblem('abcdefg8'), null);
});

test('password policy: more than 128 code points (129 letters, 300 letters, 129 emoji) → length; exactly 128 → accepted', () => {
  const mixed = (n: number) => Array.from({ length: n }, (_, i) => 'abcdefghij'[i % 10]).join('');
  assert.equal(passwordProblem(mixed(128)), null);
  assert.equal(passwordProblem(mixed(129)), 'length');
  assert.equal(passwordProblem(mixed(300)), 'length');
  const emoji = (n: number) => Array.from({ length: n }, (_, i) => ['😀', '🐼', '🚀', '🌙'][i % 4]).join('');
  assert.equal(passwordProblem(emoji(128)), null, '128 emoji are 256 UTF-16 units and 128 code points');
  assert.equal(passwordProblem(emoji(129)), 'length');
});

test('password policy: 8 emoji → 8 code points → accepted; 7 emoji (14 UTF-16 units) → length', () => {
  assert.equal(passwordProblem('😀🐼🚀🌙🍜🎉🔑🏠'), null);
  assert.equal(passwordProblem('😀🐼🚀🌙🍜🎉🔑'), 'length');
  assert.equal(passwordProblem('邻里小区的密码安全'), null, 'CJK characters count one each');
});

test('password policy: a lone surrogate (high or low) → text; not a string → text', () => {
  for (const raw of ['abcdefgh\ud800', '\udc00abcdefgh', 'abcd\ud83dxefgh']) assert.equal(passwordProblem(raw), 'text', JSON.stringify(raw));
  for (const raw of [12345678, null, undefined, { length: 8 }, ['password']]) assert.equal(passwordProblem(raw), 'text');
});

test('password policy: one character repeated (aaaaaaaa, 8 spaces, 8 same emoji) → weak', () => {
  for (const raw of ['aaaaaaaa', '        ', '😀'.repeat(8), '密'.repeat(20)]) assert.equal(passwordProblem(raw), 'weak', JSON.stringify(raw));
  assert.equal(passwordProblem('aaaaaaab'), null);
});

test('password policy: a well-known password in any case (12345678, password, Password1, QWERTY123, woaini1314) → weak', () => {
  for (const raw of ['12345678', '1234567890', 'password', 'Password1', 'PASSWORD1', 'QWERTY123', 'woaini1314', '1qaz2wsx', '88888888'])
    assert.equal(passwordProblem(raw), 'weak', raw);
  for (const raw of ['Password12', '12345679', 'correct horse battery staple']) assert.equal(passwordProblem(raw), null, raw);
});

test('password policy: a short pattern repeated (abababab, abcabcab) or a straight run (abcdefgh, 87654321, ABCDEFGHIJ) → weak', () => {
  for (const raw of ['abababab', 'abcabcab', '12121212', 'abcdefgh', 'ABCDEFGHIJ', '87654321', 'hgfedcba', 'qq123456', 'asdfghjk', 'Admin123'])
    assert.equal(passwordProblem(raw), 'weak', raw);
  for (const raw of ['abcdefgz', 'abcdabce', 'aaaaaaab', 'correct horse 9']) assert.equal(passwordProblem(raw), null, raw);
});
