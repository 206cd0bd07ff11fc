/**
 * Tests of plate normalisation: the ways residents type one plate give one normal form, and
 * anything that is not a civilian plate (no province, wrong serial length, foreign letters) is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ContactError } from './contact-errors.ts';
import { normalizePlate, PLATE_PROVINCES, type PlateProblem } from './plate.ts';

const ok = (raw: string) => {
  const r = normalizePlate(raw);
  assert.ok(r.ok, `${JSON.stringify(raw)} should be accepted, got ${JSON.stringify(r)}`);
  return r.plate;
};
const refused = (raw: string): PlateProblem => {
  const r = normalizePlate(raw);
  assert.ok(!r.ok, `${JSON.stringify(raw)} should be refused, got ${JSON.stringify(r)}`);
  assert.equal(r.code, ContactError.BAD_PLATE);
  return r.reason;
};

test('plate: lower case with a middle dot (京a·12345) → 京A12345', () => {
  assert.equal(ok('京a·12345'), '京A12345');
  assert.equal(ok('京A12345'), '京A12345');
});

test('plate: spaces around and inside, full-width space, dots, hyphens, dashes → stripped', () => {
  for (const raw of [' 京A 12345 ', '京A\u300012345', '京A.12345', '京A-12345', '京A・12345', '京A–123 45', '\t京 A·1 2 3 4 5\n']) {
    assert.equal(ok(raw), '京A12345', JSON.stringify(raw));
  }
});

test('plate: full-width letters and digits (ＡＢ, １２３) → ASCII upper case', () => {
  assert.equal(ok('沪ＡＢ１２３４'), '沪AB1234');
  assert.equal(ok('沪ａｂ１２３４'), '沪AB1234');
});

test('plate: invisible format characters (zero-width space, BOM) inside → stripped', () => {
  assert.equal(ok('粤\u200bB\ufeff12345'), '粤B12345');
});

test('plate: new-energy plates with a 6-character serial → accepted', () => {
  assert.equal(ok('粤B·D12345'), '粤BD12345');
  assert.equal(ok('京ad 12345'), '京AD12345');
  assert.equal(ok('苏E123456'), '苏E123456');
});

test('plate: every province abbreviation → accepted as the first character', () => {
  assert.equal([...PLATE_PROVINCES].length, 31);
  for (const p of PLATE_PROVINCES) assert.equal(ok(`${p}A12345`), `${p}A12345`);
});

test('plate: no province character (ABC123, a non-province hanzi) → refused with reason province', () => {
  assert.equal(refused('ABC123'), 'province');
  assert.equal(refused('中A12345'), 'province');
  assert.equal(refused('港A12345'), 'province');
});

test('plate: second character not a letter → refused with reason letter', () => {
  assert.equal(refused('京112345'), 'letter');
  assert.equal(refused('京'), 'letter');
  assert.equal(refused('京京12345'), 'letter');
});

test('plate: serial of 4 or 7 characters (京A1234, 京A1234567) → refused with reason length', () => {
  assert.equal(refused('京A1234'), 'length');
  assert.equal(refused('京A1234567'), 'length');
  assert.equal(refused('京A'), 'length');
  assert.equal(refused(`京A1${' '.repeat(40)}2345`), 'length'); // oversized input is refused before normalising
});

test('plate: empty or only separators → refused with reason empty', () => {
  assert.equal(refused(''), 'empty');
  assert.equal(refused('  · - '), 'empty');
});

test('plate: a Chinese or non-ASCII character in the serial (学 plate, dotless ı, Cyrillic А) → refused with reason chars', () => {
  assert.equal(refused('粤B1234学'), 'chars');
  assert.equal(refused('京A1234ı'), 'chars');
  assert.equal(refused('京A1234А'), 'chars');
  assert.equal(refused('京A12\ud83d345'), 'chars');
});

test('plate: any accepted input → normal form is a fixed point and matches the plate pattern', () => {
  const sep = fc.constantFrom('', '', ' ', '·', '-', '.', '\u200b', '\u3000');
  const decorated = (chars: fc.Arbitrary<string>) => fc.tuple(chars, sep).map(([c, s]) => c + s);
  const plateLike = fc.tuple(
    decorated(fc.constantFrom('京', '粤', 'x')),
    decorated(fc.constantFrom('a', 'B', 'ｃ', '1')),
    fc.array(decorated(fc.constantFrom('1', '９', '0', 'a', 'Ｚ', '学', 'ı')), { minLength: 4, maxLength: 7 }),
  ).map(([p, l, serial]) => p + l + serial.join(''));
  const noise = fc.string({ unit: fc.constantFrom('京', 'a', 'B', '1', ' ', '·', '\u200b', '学'), maxLength: 12 });
  let accepted = 0;
  fc.assert(fc.property(fc.oneof(plateLike, noise), (input) => {
    const r = normalizePlate(input);
    if (!r.ok) return;
    accepted++;
    assert.match(r.plate, /^[京粤][A-Z][A-Z0-9]{5,6}$/u);
    assert.deepEqual(normalizePlate(r.plate), r);
  }), { numRuns: 500 });
  assert.ok(accepted > 0, 'the generator produces valid plates');
});
