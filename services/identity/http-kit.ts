/**
 * @module services/identity/http-kit
 * What every identity and directory route does the same way: read a JSON body, find the caller
 * (bearer token, address, user agent) and turn a typed failure into an HTTP status.
 * Owns: status mapping of IDENTITY_* and DIRECTORY_* codes. Does not: any flow.
 */
import { EngineError, LinliError, failure } from '../../engine/errors.ts';
import { json, type HttpRequest, type HttpResponse } from '../../engine/http/contract.ts';
import type { Logger } from '../../engine/log.ts';
import type { Caller, IdentityService, Principal } from './identity-service.ts';
import { IdentityError } from '../../actors/identity/identity-errors.ts';

const STATUS: Readonly<Record<string, number>> = {
  IDENTITY_TOKEN_MISSING: 401, IDENTITY_TOKEN_INVALID: 401, IDENTITY_TOKEN_EXPIRED: 401, IDENTITY_SESSION_REVOKED: 401,
  IDENTITY_SESSION_EXPIRED: 401, IDENTITY_REFRESH_REUSED: 401, IDENTITY_BAD_CREDENTIALS: 401, IDENTITY_UNKNOWN_DEVICE: 401,
  IDENTITY_UNKNOWN_SESSION: 401, IDENTITY_ACCOUNT_REVOKED: 403, DIRECTORY_ACCOUNT_REVOKED: 403,
  IDENTITY_WRONG_COMMUNITY: 403, IDENTITY_WRONG_TOKEN_KIND: 403, IDENTITY_FORBIDDEN: 403, IDENTITY_NOT_YOUR_SESSION: 403,
  DIRECTORY_NOT_STAFF: 403, DIRECTORY_NOT_ADMIN: 403, DIRECTORY_NOT_OWNER: 403, DIRECTORY_ROOM_FORBIDDEN: 403, DIRECTORY_NOTICE_STAFF_ONLY: 403,
  IDENTITY_TOO_MANY_ATTEMPTS: 429, DIRECTORY_TOO_MANY_ATTEMPTS: 429, CONTACT_TOO_MANY_REQUESTS: 429, DIRECTORY_RENAME_TOO_OFTEN: 429,
  IDENTITY_TOO_MANY_CONNECTIONS: 429, IDENTITY_BUSY: 503, IDENTITY_NO_DIRECTORY_ACCOUNT: 403, DIRECTORY_TENANCY_ENDED: 403,
  CONTACT_NOT_RESIDENT: 403, DIRECTORY_NAME_RESERVED: 409,
  IDENTITY_PHONE_TAKEN: 409, IDENTITY_SETUP_DONE: 409, DIRECTORY_NAME_TAKEN: 409, DIRECTORY_INVITE_USED: 409,
  DIRECTORY_ALREADY_MEMBER: 409, DIRECTORY_INVITE_EXISTS: 409, DIRECTORY_LAST_ADMIN: 409, DIRECTORY_ALREADY_FOUNDED: 409,
  DIRECTORY_UNKNOWN_UNIT: 404, DIRECTORY_UNKNOWN_ACCOUNT: 404, DIRECTORY_NOT_MEMBER: 404, IDENTITY_UNKNOWN_ACCOUNT: 404,
  DIRECTORY_IMPORT_TOO_LARGE: 413, ENGINE_PAYLOAD_TOO_LARGE: 413, DEVICE_TOO_LARGE: 413, ENGINE_ACTOR_BUSY: 503, ENGINE_INTERNAL: 500,
  DEVICE_COMMAND_FORBIDDEN: 403, DEVICE_UNKNOWN_DEVICE: 404, DEVICE_UNKNOWN_COMMAND: 404, DEVICE_DUPLICATE_COMMAND: 409,
  DEVICE_REPLAYED_SEQ: 409, DEVICE_FLOOD: 429,
  VOTE_UNKNOWN_VOTE: 404, VOTE_NOT_OPEN: 409, LEDGER_UNKNOWN_VOUCHER: 404, LEDGER_VOUCHER_TOO_LARGE: 413, LEDGER_VOUCHER_BAD_TYPE: 415,
};

export function statusOf(code: string): number {
  return STATUS[code] ?? 400;
}

export function failed(err: unknown, log: Logger): HttpResponse {
  if (err instanceof LinliError) {
    const r = json(statusOf(err.code), failure(err.code, err.details));
    const wait = err.details?.retryAfterMs;
    return typeof wait === 'number' ? { ...r, headers: { ...r.headers, 'retry-after': String(Math.ceil(wait / 1000)) } } : r;
  }
  log.error('identity request failed', { err });
  return json(500, failure(EngineError.INTERNAL));
}

export function bodyOf(req: HttpRequest): Record<string, unknown> {
  let value: unknown;
  try {
    value = req.body.byteLength === 0 ? {} : JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(req.body));
  } catch {
    throw new LinliError(EngineError.BAD_INPUT, { problem: 'body is not UTF-8 JSON' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LinliError(EngineError.BAD_INPUT, { problem: 'body must be a JSON object' });
  return value as Record<string, unknown>;
}

/** The cookie that names a browser to the sign-in lock-outs (HttpOnly: page scripts never see it). */
export const DEVICE_COOKIE = 'linli_device';
const DEVICE_KEY = /^[A-Za-z0-9_-]{43}$/;
/** Longest bearer token accepted; longer ones are IDENTITY_TOKEN_INVALID (problem: too long). */
export const MAX_TOKEN_CHARS = 4096;

/** The device key a request carries: the `linli_device` cookie, or the `X-Linli-Device` header of apps and scripts. */
export function deviceOf(req: HttpRequest): string | null {
  const header = req.headers['x-linli-device'];
  if (header && DEVICE_KEY.test(header)) return header;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === DEVICE_COOKIE && v && DEVICE_KEY.test(v)) return v;
  }
  return null;
}

export function callerOf(req: HttpRequest, trustProxy: boolean): Caller {
  const forwarded = trustProxy ? req.headers['x-forwarded-for']?.split(',')[0]?.trim() : undefined;
  return { ip: forwarded || req.peer || null, userAgent: (req.headers['user-agent'] ?? '').slice(0, 200), device: deviceOf(req) };
}

/** The bearer token (scheme case-insensitive, RFC 7235); throws IDENTITY_TOKEN_INVALID for one too long to be ours. */
export function bearerOf(req: HttpRequest): string | null {
  const m = /^bearer +(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) return null;
  if (m[1]!.length > MAX_TOKEN_CHARS) throw new LinliError(IdentityError.TOKEN_INVALID, { problem: 'too long', maxChars: MAX_TOKEN_CHARS });
  return m[1]!;
}

/** Wraps a handler: every failure becomes a typed answer, never a thrown error. */
export function guarded(log: Logger, handle: (req: HttpRequest) => Promise<HttpResponse>): (req: HttpRequest) => Promise<HttpResponse> {
  return async (req) => {
    try {
      return await handle(req);
    } catch (err) {
      return failed(err, log);
    }
  };
}

/** A handler for a signed-in caller. */
export function signedIn(identity: IdentityService, trustProxy: boolean, log: Logger, handle: (p: Principal, req: HttpRequest, caller: Caller) => Promise<HttpResponse> | HttpResponse) {
  return guarded(log, async (req) => {
    const caller = callerOf(req, trustProxy);
    const principal = await identity.authenticate(bearerOf(req), caller.ip);
    return handle(principal, req, caller);
  });
}
