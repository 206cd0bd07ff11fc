/**
 * Tests of the app's translator: placeholders, and plural forms where a language has them (en
 * "1 member" / "2 members"; zh-CN has none and keeps its one text).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from './i18n.ts';

test('i18n unitMembers: en → "1 member", "0 members", "2 members"; zh-CN → "{n} 位成员" for every n', () => {
  const en = translator('en');
  assert.equal(en('unitMembers', { n: 1 }), '1 member');
  assert.equal(en('unitMembers', { n: 0 }), '0 members');
  assert.equal(en('unitMembers', { n: 2 }), '2 members');
  const zh = translator('zh-CN');
  assert.equal(zh('unitMembers', { n: 1 }), '1 位成员');
  assert.equal(zh('unitMembers', { n: 3 }), '3 位成员');
});

test('i18n translator: a message without plural forms → placeholders filled, unknown ones kept', () => {
  assert.equal(translator('en')('targetUnit', { unit: '101' }), 'unit 101');
  assert.equal(translator('en')('targetUnit', {}), 'unit {unit}');
});
