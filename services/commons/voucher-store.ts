/**
 * @module services/commons/voucher-store
 * Voucher files of the public accounts (receipts, contracts, invoices), content-addressed under
 * DATA_DIR/vouchers/<first two hex>/<sha256>: the same bytes are stored once, a stored file is
 * never rewritten, and its name is its checksum, so a published line's `sha256` proves which file
 * it cites. Only PNG, JPEG, WebP and PDF are taken, recognised by their leading bytes (never by a
 * declared type), up to VOUCHER_MAX_BYTES.
 * Owns: the files and their type check. Does not: decide who may read or write (routes do).
 * Concurrency: a write goes to a temp file and is renamed into place, so a reader never sees a
 * half-written voucher and two uploads of the same bytes cannot corrupt each other.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LedgerError } from '../../actors/ledger/ledger-errors.ts';
import type { VoucherRef, VoucherType } from '../../actors/ledger/ledger-protocol.ts';
import { LinliError } from '../../engine/errors.ts';

const SHA256 = /^[0-9a-f]{64}$/;

/** The type the bytes really are, from their signature; null for anything else (SVG, HTML, …). */
export function sniffVoucherType(b: Uint8Array): VoucherType | null {
  const starts = (...sig: number[]) => sig.every((x, i) => b[i] === x);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return 'image/webp';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  return null;
}

export class VoucherStore {
  private readonly root: string;

  constructor(dataDir: string, private readonly maxBytes: number) {
    this.root = join(dataDir, 'vouchers');
  }

  private pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Stores the bytes (once); throws LEDGER_VOUCHER_TOO_LARGE or LEDGER_VOUCHER_BAD_TYPE. */
  put(bytes: Uint8Array, name: string): VoucherRef {
    if (bytes.byteLength === 0 || bytes.byteLength > this.maxBytes) throw new LinliError(LedgerError.VOUCHER_TOO_LARGE, { maxBytes: this.maxBytes });
    const type = sniffVoucherType(bytes);
    if (!type) throw new LinliError(LedgerError.VOUCHER_BAD_TYPE);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = this.pathOf(sha256);
    if (!existsSync(path)) {
      mkdirSync(join(this.root, sha256.slice(0, 2)), { recursive: true });
      const tmp = `${path}.${randomUUID()}.tmp`;
      writeFileSync(tmp, bytes, { flag: 'wx' });
      renameSync(tmp, path);
    }
    return { sha256, type, bytes: bytes.byteLength, name: name.slice(0, 200) };
  }

  /** The stored voucher's metadata (type from its bytes), or null when no such file exists. */
  describe(sha256: string, name = ''): VoucherRef | null {
    if (!SHA256.test(sha256)) return null;
    const path = this.pathOf(sha256);
    if (!existsSync(path)) return null;
    const bytes = readFileSync(path);
    const type = sniffVoucherType(bytes);
    return type ? { sha256, type, bytes: statSync(path).size, name: name.slice(0, 200) } : null;
  }

  read(sha256: string): { bytes: Uint8Array; type: VoucherType } | null {
    if (!SHA256.test(sha256)) return null;
    const path = this.pathOf(sha256);
    if (!existsSync(path)) return null;
    const bytes = readFileSync(path);
    const type = sniffVoucherType(bytes);
    return type ? { bytes, type } : null;
  }
}
