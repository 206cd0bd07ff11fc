/**
 * @module engine/auth/secrets
 * The random and keyed values of sign-in: invite codes people can type (10 characters of
 * Crockford base32, about 50 bits), refresh tokens, device secrets, ids, and the keyed hashes
 * under which codes and refresh tokens are stored (never the values themselves).
 * Owns: formats and hashing of these values. Does not: store or count them.
 */
import { createHash, createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const INVITE_CODE_CHARS = 10;
/** The first-admin setup code: 20 characters (100 bits), so guessing it is hopeless whatever the rate. */
export const SETUP_CODE_CHARS = 20;

/** `7KQ2M-9XD4T`: unambiguous characters, grouped by five for reading aloud. */
export function newInviteCode(chars = INVITE_CODE_CHARS): string {
  const bytes = randomBytes(chars);
  const text = [...bytes].map((b) => CROCKFORD[b & 31]).join('');
  return text.match(/.{1,5}/g)!.join('-');
}

/** What a person typed, as the code it names: case, spaces and dashes ignored; O→0, I/L→1. */
export function normalizeInviteCode(raw: unknown, chars = INVITE_CODE_CHARS): string | null {
  if (typeof raw !== 'string' || raw.length > 80) return null;
  const s = raw.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return s.length === chars && [...s].every((c) => CROCKFORD.includes(c)) ? s : null;
}

export const newId = (prefix: string) => `${prefix}-${randomUUID()}`;
export const newSecret = () => randomBytes(32).toString('base64url');
export const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/** Keys derived from the deployment's TOKEN_SECRET, one per purpose. */
export class KeyRing {
  readonly tokenKey: Uint8Array;
  private readonly codeKey: Buffer;
  private readonly natsKey: Buffer;

  constructor(secret: Uint8Array) {
    this.tokenKey = new Uint8Array(hkdfSync('sha256', secret, 'linli', 'access-token', 32));
    this.codeKey = Buffer.from(hkdfSync('sha256', secret, 'linli', 'invite-code', 32));
    this.natsKey = Buffer.from(hkdfSync('sha256', secret, 'linli', 'nats-device', 32));
  }

  /**
   * A device's NATS password, derived rather than stored: every node (and the config generator)
   * computes the same one from TOKEN_SECRET, and rotating TOKEN_SECRET rotates them all.
   */
  natsPassword(community: string, deviceId: string, generation = 0): string {
    return createHmac('sha256', this.natsKey).update(`${community}\n${deviceId}\n${generation}`).digest('base64url');
  }

  /** The stored form of an invite code (or setup code): a keyed hash, so a leaked directory gives no codes. */
  codeHash(normalizedCode: string): string {
    return createHmac('sha256', this.codeKey).update(normalizedCode).digest('base64url');
  }
}
