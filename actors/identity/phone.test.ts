/**
 * Tests of the phone format: separators, the +86/0086 prefix and full-width digits normalise to one
 * 11-digit number; anything else (wrong prefix, length, type, oversize input) is null; masking.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { maskPhone, normalizePhone } from './phone.ts';

const MOBILE = /^1[3-9]\d{9}$/;

test('phone normalizePhone: spaces, dashes, dots, brackets, +86 or 0086, full-width digits → the 11 digits', () => {
  for (const raw of [
    '13800138000', '+86 138-0013-8000', '0086 13800138000', '１３８００１３８０００', '＋８６ １３８ ００１３ ８０００',
    '(138) 0013.8000', ' 138 0013 8000 ', '138\u00a00013\u30008000', '+86-138-0013-8000',
  ]) assert.equal(normalizePhone(raw), '13800138000', JSON.stringify(raw));
  assert.equal(normalizePhone('19912345678'), '19912345678');
});

test('phone normalizePhone: not a mainland mobile number (second digit 0-2, 10 or 12 digits, letters, 86 without +) → null', () => {
  for (const raw of ['12345678901', '10000000000', '1380013800', '138001380001', 'abc', '1380013800a', '8613800138000', '+85213800138000', '+86+8613800138000', '+1 13800138000'])
    assert.equal(normalizePhone(raw), null, JSON.stringify(raw));
});

test('phone normalizePhone: Arabic-Indic digits, or the letter l standing in for 1 → null', () => {
  assert.equal(normalizePhone('١٣٨٠٠١٣٨٠٠٠'), null);
  assert.equal(normalizePhone('l3800138000'), null);
});

test('phone normalizePhone: not a string (number, null, undefined, object, array) or empty → null', () => {
  for (const raw of [42, 13800138000, null, undefined, {}, ['13800138000'], '']) assert.equal(normalizePhone(raw), null, String(raw));
});

test('phone normalizePhone: over 32 characters, even when the digits are right → null; 32 characters → accepted', () => {
  const padded = (n: number) => `13800138000${' '.repeat(n - 11)}`;
  assert.equal(padded(40).length, 40);
  assert.equal(normalizePhone(padded(40)), null);
  assert.equal(normalizePhone(padded(33)), null);
  assert.equal(normalizePhone(padded(32)), '13800138000');
});

test('phone normalizePhone: any input → null or a mainland mobile number, never throws, and normalising again changes nothing', () => {
  const phoneish = fc.array(fc.constantFrom(...'0123456789１３８ -+().', '\u3000', 'a'), { maxLength: 20 }).map((cs) => cs.join(''));
  fc.assert(fc.property(fc.oneof(fc.anything(), fc.string(), phoneish), (raw) => {
    const n = normalizePhone(raw);
    if (n === null) return;
    assert.match(n, MOBILE);
    assert.equal(normalizePhone(n), n);
  }), { numRuns: 500 });
});

test('phone maskPhone: 11 digits → first 3, four stars, last 4; any other length → ****', () => {
  assert.equal(maskPhone('13800138000'), '138****8000');
  assert.equal(maskPhone(normalizePhone('+86 139-1234-5678')!), '139****5678');
  for (const phone of ['', '1380013800', '138001380001']) assert.equal(maskPhone(phone), '****');
});
