/**
 * Tests of the voucher store: types recognised by their bytes, size limit, content addressing
 * (the same bytes once, under their SHA-256), and ids that are not a SHA-256 never touching disk.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinliError } from '../../engine/errors.ts';
import { sniffVoucherType, VoucherStore } from './voucher-store.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a464946', 'hex');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n');

test('voucher store: PNG, JPEG, WebP, PDF recognised by their bytes; SVG, HTML, text and a renamed file refused', () => {
  assert.deepEqual([PNG, JPEG, WEBP, PDF].map(sniffVoucherType), ['image/png', 'image/jpeg', 'image/webp', 'application/pdf']);
  for (const bad of ['<svg onload=alert(1)>', '<!doctype html><script>', 'just text', 'RIFF....WAVEfmt ']) assert.equal(sniffVoucherType(Buffer.from(bad)), null, bad);
  const store = new VoucherStore(mkdtempSync(join(tmpdir(), 'linli-vouchers-')), 1024);
  assert.throws(() => store.put(Buffer.from('<svg/>'), 'x.png'), (e: LinliError) => e.code === 'LEDGER_VOUCHER_BAD_TYPE');
});

test('voucher store: over the size limit or empty → LEDGER_VOUCHER_TOO_LARGE; nothing written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linli-vouchers-'));
  const store = new VoucherStore(dir, 64);
  assert.throws(() => store.put(Buffer.concat([PDF, Buffer.alloc(100)]), 'big.pdf'), (e: LinliError) => e.code === 'LEDGER_VOUCHER_TOO_LARGE' && e.details?.maxBytes === 64);
  assert.throws(() => store.put(Buffer.alloc(0), 'empty'), (e: LinliError) => e.code === 'LEDGER_VOUCHER_TOO_LARGE');
  assert.deepEqual(readdirSync(dir), []);
});

test('voucher store: the same bytes twice → one file named by its SHA-256, read back byte for byte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linli-vouchers-'));
  const store = new VoucherStore(dir, 1024);
  const a = store.put(PNG, '合同.png');
  const b = store.put(PNG, 'copy.png');
  assert.equal(a.sha256, createHash('sha256').update(PNG).digest('hex'));
  assert.equal(b.sha256, a.sha256);
  assert.deepEqual(readdirSync(join(dir, 'vouchers', a.sha256.slice(0, 2))), [a.sha256]);
  assert.deepEqual(Buffer.from(store.read(a.sha256)!.bytes), PNG);
  assert.deepEqual(store.describe(a.sha256, '合同.png'), { sha256: a.sha256, type: 'image/png', bytes: PNG.length, name: '合同.png' });
});

test('voucher store: an id that is not a SHA-256 (traversal, unknown) → null, never a path', () => {
  const store = new VoucherStore(mkdtempSync(join(tmpdir(), 'linli-vouchers-')), 1024);
  for (const id of ['../../etc/passwd', 'ab', '', 'f'.repeat(64)]) {
    assert.equal(store.read(id), null, id);
    assert.equal(store.describe(id), null, id);
  }
});
