/**
 * @module engine/auth/tokens
 * Access tokens: short-lived JWTs (HS256, `jose`) naming the account, its community, the session
 * and whether it is a person or a device. Validity beyond the signature (session still open,
 * account not revoked) is checked by the identity service on every use.
 * Owns: signing, verifying and the claim names. Does not: sessions or roles.
 */
import { SignJWT, jwtVerify, errors } from 'jose';

export type TokenKind = 'person' | 'device';

export interface AccessClaims {
  readonly accountId: string;
  readonly community: string;
  readonly sid: string;
  readonly kind: TokenKind;
  /** Expiry, epoch ms. */
  readonly expiresAt: number;
}

export type VerifyResult = { ok: true; claims: AccessClaims } | { ok: false; reason: 'invalid' | 'expired' };

const ISSUER = 'linli';

export class TokenSigner {
  private readonly key: Uint8Array;

  constructor(secret: Uint8Array, private readonly ttlSeconds: number, private readonly now: () => number = Date.now) {
    this.key = secret;
  }

  async sign(c: Omit<AccessClaims, 'expiresAt'>): Promise<{ token: string; expiresAt: number }> {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = await new SignJWT({ cmt: c.community, sid: c.sid, knd: c.kind })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER).setSubject(c.accountId).setIssuedAt(iat).setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: exp * 1000 };
  }

  async verify(token: string): Promise<VerifyResult> {
    if (token.length > 4096) return { ok: false, reason: 'invalid' };
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'], currentDate: new Date(this.now()) });
      const { sub, cmt, sid, knd, exp } = payload as Record<string, unknown>;
      if (typeof sub !== 'string' || typeof cmt !== 'string' || typeof sid !== 'string' || (knd !== 'person' && knd !== 'device') || typeof exp !== 'number') {
        return { ok: false, reason: 'invalid' };
      }
      return { ok: true, claims: { accountId: sub, community: cmt, sid, kind: knd, expiresAt: exp * 1000 } };
    } catch (err) {
      return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}
