/**
 * @module engine/http/security-headers
 * The headers every answer of ours carries (a content security policy that allows only this
 * origin's scripts, styles and sockets; no framing; no MIME sniffing; no referrer), and the CORS
 * policy of Colyseus's matchmaking routes: any origin may call with a bearer token, none with
 * credentials (Colyseus's default echoes the Origin with Allow-Credentials: true).
 * `script-src` allows 'unsafe-eval' (never inline scripts): Pixi.js compiles its uniform uploaders
 * with `new Function` unless the client imports `pixi.js/unsafe-eval`; once the map does, drop it.
 * Owns: those headers. Does not: authenticate (bearer tokens are not ambient, so CORS is not the guard).
 */
import { matchMaker } from '@colyseus/core';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'self'", "script-src 'self' 'unsafe-eval'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
    "connect-src 'self' ws: wss: blob: data:", "worker-src 'self' blob:", "font-src 'self' data:", "object-src 'none'",
    "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
  ].join('; '),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** Our headers under the route's own (a route may set its own content type, never weaken these). */
export function withSecurityHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return { ...headers, ...SECURITY_HEADERS };
}

/** Colyseus's matchmaking CORS without credentials; idempotent. Called once when the router is built. */
export function restrictColyseusCors(): void {
  const c = matchMaker.controller as unknown as { DEFAULT_CORS_HEADERS: Record<string, string>; getCorsHeaders: (h: Headers) => Record<string, string> };
  const { ['Access-Control-Allow-Credentials']: _dropped, ...rest } = c.DEFAULT_CORS_HEADERS;
  c.DEFAULT_CORS_HEADERS = { ...rest, 'Access-Control-Allow-Origin': '*' };
  c.getCorsHeaders = () => ({ 'Access-Control-Allow-Origin': '*' });
}
