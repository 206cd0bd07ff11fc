/**
 * @module engine/http/router
 * Mounts framework-neutral Routes (and the static web client) on Colyseus's router, which both
 * transports serve: uWebSockets.js and node:http. Body size is checked against the configured
 * limit before a handler runs (413 with ENGINE_PAYLOAD_TOO_LARGE). A known path asked with a
 * method it does not serve gets 405 with `Allow` (engine/http/methods.ts).
 * Owns: the Request ↔ HttpRequest/HttpResponse conversion. Does not: any route's logic.
 */
import { createEndpoint, createRouter } from '@colyseus/core';
import { EngineError, failure } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { HttpRequest, HttpResponse, Route } from './contract.ts';
import { json } from './contract.ts';
import { methodNotAllowed, refuseMethod, SITE_METHODS } from './methods.ts';
import { PEER_HEADER, peerOf } from './peer.ts';
import { restrictColyseusCors, withSecurityHeaders } from './security-headers.ts';

async function toHttpRequest(request: Request, maxBody: number): Promise<HttpRequest | HttpResponse> {
  const url = new URL(request.url);
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBody) return json(413, failure(EngineError.PAYLOAD_TOO_LARGE, { maxBytes: maxBody }));
  const body = request.method === 'GET' || request.method === 'HEAD' ? new Uint8Array() : new Uint8Array(await request.arrayBuffer());
  if (body.byteLength > maxBody) return json(413, failure(EngineError.PAYLOAD_TOO_LARGE, { maxBytes: maxBody }));
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => { if (k !== PEER_HEADER) headers[k] = v; });
  return { method: request.method, path: url.pathname, query: url.searchParams, headers, body, peer: peerOf(request.headers) };
}

function toResponse(r: HttpResponse): Response {
  return new Response(r.body as BodyInit, { status: r.status, headers: withSecurityHeaders(r.headers) });
}

export function buildRouter(routes: readonly Route[], fallback: (req: HttpRequest) => HttpResponse, maxBody: number, log: Logger) {
  restrictColyseusCors();
  const wrap = (handle: (req: HttpRequest) => Promise<HttpResponse> | HttpResponse, limit = maxBody) => async (ctx: { request?: Request }) => {
    try {
      if (!ctx.request) return toResponse(json(500, failure(EngineError.INTERNAL)));
      const req = await toHttpRequest(ctx.request, limit);
      if (!('method' in req)) return toResponse(req);
      return toResponse(await handle(req));
    } catch (err) {
      log.error('http handler threw', { err });
      return toResponse(json(500, failure(EngineError.INTERNAL)));
    }
  };
  const endpoints: Record<string, ReturnType<typeof createEndpoint>> = {};
  routes.forEach((r, i) => {
    endpoints[`r${i}`] = createEndpoint(r.path, { method: r.method, disableBody: true }, wrap((req) => r.handle(req), r.maxBodyBytes ?? maxBody));
  });
  // A path a route names but not for this method (GET on a POST-only path) is 405 with Allow, not the site's 404.
  const site = wrap((req) => refuseMethod(routes, req.method, req.path) ?? fallback(req));
  endpoints.staticRoot = createEndpoint('/', { method: 'GET', disableBody: true }, site);
  endpoints.staticAll = createEndpoint('/**', { method: 'GET', disableBody: true }, site);
  // Colyseus's uWS adapter never answers a request no route matches, so every other method and
  // HEAD get an explicit answer here (HEAD: the GET headers without a body).
  const head = wrap(async (req) => {
    const get = routes.find((r) => r.method === 'GET' && r.path === req.path);
    return { ...(get ? await get.handle(req) : refuseMethod(routes, 'HEAD', req.path) ?? fallback(req)), body: '' };
  });
  endpoints.headRoot = createEndpoint('/', { method: 'HEAD', disableBody: true }, head);
  endpoints.headAll = createEndpoint('/**', { method: 'HEAD', disableBody: true }, head);
  const notAllowed = wrap((req) => refuseMethod(routes, req.method, req.path) ?? methodNotAllowed(req.method, SITE_METHODS));
  endpoints.otherRoot = createEndpoint('/', { method: ['POST', 'PUT', 'DELETE', 'PATCH'], disableBody: true }, notAllowed);
  endpoints.otherAll = createEndpoint('/**', { method: ['POST', 'PUT', 'DELETE', 'PATCH'], disableBody: true }, notAllowed);
  return createRouter(endpoints);
}
