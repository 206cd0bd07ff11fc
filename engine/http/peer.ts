/**
 * @module engine/http/peer
 * Gives the HTTP API the TCP peer's address on both transports, so per-address limits work on the
 * default transport too. Colyseus's uWebSockets.js adapter reads `res.getRemoteAddressAsText()`
 * but builds a fetch Request without it; here the app's `any` handler is wrapped so the request's
 * header list carries the address under `PEER_HEADER`, a name chosen at random per process (a
 * client cannot send it: any copy it sends is dropped first). The node:http side sets the same
 * header from `req.socket.remoteAddress` for the matchmaking paths it hands to Colyseus.
 * Owns: that header. Does not: decide whether X-Forwarded-For is trusted (TRUST_PROXY, identity).
 */
import { randomBytes } from 'node:crypto';

/** Lower-case, as fetch Headers and node:http store names. Immutable for the life of the process. */
export const PEER_HEADER = `x-linli-peer-${randomBytes(6).toString('hex')}`;

interface UwsRequest {
  forEach(cb: (key: string, value: string) => void): void;
  [k: string]: unknown;
}
interface UwsResponse {
  getRemoteAddressAsText(): ArrayBuffer;
}
type AnyHandler = (res: UwsResponse, req: UwsRequest) => unknown;
interface UwsApp {
  any(pattern: string, handler: AnyHandler): unknown;
}

/**
 * IPv4-mapped IPv6 is shown as the IPv4 address: `::ffff:127.0.0.1` (node:http) and
 * `0000:0000:0000:0000:0000:ffff:7f00:0001` (uWS) are both `127.0.0.1`, so one client has one key.
 */
export function cleanAddress(text: string): string {
  const dotted = /^(?:(?:0{1,4}:){5}|::)ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (dotted) return dotted[1]!;
  const hex = /^(?:(?:0{1,4}:){5}|::)ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(text);
  if (!hex) return text;
  const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

function withPeer(req: UwsRequest, res: UwsResponse): UwsRequest {
  const address = cleanAddress(Buffer.from(res.getRemoteAddressAsText()).toString());
  // uWS request objects live only until the handler's first await; Colyseus reads headers before it.
  return new Proxy(req, {
    get(target, prop) {
      if (prop === 'forEach') {
        return (cb: (key: string, value: string) => void) => {
          target.forEach((k, v) => { if (k.toLowerCase() !== PEER_HEADER) cb(k, v); });
          cb(PEER_HEADER, address);
        };
      }
      const v = target[prop as string];
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** Call on the uWS app before Colyseus binds its router (Server.listen). */
export function exposePeerAddress(app: UwsApp): void {
  const any = app.any.bind(app);
  app.any = (pattern, handler) => any(pattern, (res, req) => handler(res, withPeer(req, res)));
}

/** The peer address a request carries under PEER_HEADER, or null. */
export function peerOf(headers: { get(name: string): string | null } | Readonly<Record<string, string | undefined>>): string | null {
  const v = typeof (headers as { get?: unknown }).get === 'function'
    ? (headers as { get(name: string): string | null }).get(PEER_HEADER)
    : (headers as Readonly<Record<string, string | undefined>>)[PEER_HEADER];
  return v ? cleanAddress(v) : null;
}
