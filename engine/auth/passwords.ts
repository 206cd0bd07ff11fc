/**
 * @module engine/auth/passwords
 * Password and device-secret hashing with scrypt (node:crypto), in a self-describing string
 * `scrypt$N$r$p$salt$hash` so that parameters can be raised later without breaking old hashes.
 * Owns: hashing and constant-time verification. Does not: decide what a good password is
 * (actors/identity/password-policy.ts) or count failures.
 * Concurrency: scrypt runs on libuv's thread pool, off the event loop.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** 16 MiB of memory and about 50 ms per hash on one core of the reference machine. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 16384, r: 8, p: 1 };
const KEY_BYTES = 32;

function derive(secret: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, KEY_BYTES, { ...params, maxmem: 256 * params.N * params.r }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashSecret(secret: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `secret` matches `stored`; false for any malformed stored hash. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 1 << 20) return false;
  const expected = Buffer.from(parts[5], 'base64url');
  const key = await derive(secret, Buffer.from(parts[4], 'base64url'), { N, r, p });
  return key.byteLength === expected.byteLength && timingSafeEqual(key, expected);
}

/** A hash of a random secret, verified against when the account does not exist, so both paths cost the same. */
export const decoyHash = hashSecret(randomBytes(12).toString('base64url'));
