/**
 * @module engine/http/node-dispatch
 * Serves Linli's routes directly on the node:http server of the ws transport. Colyseus's node
 * adapter (better-call `setResponse`) never ends a response whose body exceeds the socket's
 * high-water mark (16 KB), so the community layout would hang; here each response is written
 * whole with a Content-Length. Matchmaking paths still go to Colyseus's own listeners.
 * Owns: request routing on node:http for our paths, body size limits while reading. A known path
 * asked with a method it does not serve gets 405 with `Allow` (engine/http/methods.ts).
 * Does not: route logic (Route handlers) or Colyseus matchmaking.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { EngineError, failure } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { HttpRequest, HttpResponse, Route } from './contract.ts';
import { json } from './contract.ts';
import { refuseMethod } from './methods.ts';
import { cleanAddress, PEER_HEADER } from './peer.ts';
import { withSecurityHeaders } from './security-headers.ts';

const COLYSEUS_PATHS = ['/matchmake', '/__healthcheck'];

function send(res: ServerResponse, r: HttpResponse): void {
  const body = typeof r.body === 'string' ? Buffer.from(r.body) : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
  res.writeHead(r.status, { ...withSecurityHeaders(r.headers), 'content-length': String(body.byteLength) });
  res.end(body);
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.byteLength;
      if (size > maxBytes) {
        resolve(null);
        req.removeAllListeners('data');
        req.resume(); // drain the rest without keeping it, so the 413 can still be sent
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

export function attachNodeDispatcher(server: Server, routes: readonly Route[], fallback: (req: HttpRequest) => HttpResponse, maxBody: number, log: Logger): void {
  const colyseusListeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS' || COLYSEUS_PATHS.some((p) => url.pathname.startsWith(p))) {
      // Matchmaking (seat reservations) checks tokens and counts per address: it gets the real peer.
      req.headers[PEER_HEADER] = cleanAddress(req.socket.remoteAddress ?? '');
      for (const l of colyseusListeners) l.call(server, req, res);
      return;
    }
    void handle(req, res, url, method).catch((err: unknown) => {
      log.error('http handler threw', { err });
      if (!res.headersSent) send(res, json(500, failure(EngineError.INTERNAL)));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    const route = routes.find((r) => r.path === url.pathname && (r.method === method || (method === 'HEAD' && r.method === 'GET')));
    const refused = route ? null : refuseMethod(routes, method, url.pathname);
    if (refused) {
      req.resume(); // the body is not read: drain it so the connection can be reused
      return send(res, refused);
    }
    const limit = route?.maxBodyBytes ?? maxBody;
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      send(res, json(413, failure(EngineError.PAYLOAD_TOO_LARGE, { maxBytes: limit })));
      req.resume();
      return;
    }
    const body = method === 'GET' || method === 'HEAD' ? new Uint8Array() : await readBody(req, limit);
    if (body === null) return send(res, json(413, failure(EngineError.PAYLOAD_TOO_LARGE, { maxBytes: limit })));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== PEER_HEADER) headers[k] = v;
    const request: HttpRequest = { method, path: url.pathname, query: url.searchParams, headers, body, peer: req.socket.remoteAddress ? cleanAddress(req.socket.remoteAddress) : null };
    const out = route ? await route.handle(request) : fallback(request);
    send(res, method === 'HEAD' ? { ...out, body: '' } : out);
  }
}
