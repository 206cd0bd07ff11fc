/**
 * @module engine/http/methods
 * Which methods a path answers, for both transports' dispatchers (router.ts on uWebSockets.js,
 * node-dispatch.ts on node:http): a request whose path is known but whose method is not gets 405
 * with an `Allow` header (RFC 9110 §15.5.6), never the 404 a path nobody serves gets.
 * Owns: the Allow list and the 405 answer. Does not: match routes or serve them.
 * Concurrency: pure functions over the route list.
 */
import { EngineError, failure } from '../errors.ts';
import { json, type HttpResponse, type Route } from './contract.ts';

/** What every path not named by a route answers: the static site, read-only. */
export const SITE_METHODS: readonly string[] = ['GET', 'HEAD'];

/** The methods the routes serve at exactly `path` (GET brings HEAD), sorted; null when no route has that path. */
export function allowedMethods(routes: readonly Pick<Route, 'method' | 'path'>[], path: string): string[] | null {
  const methods = new Set(routes.filter((r) => r.path === path).map((r) => r.method));
  if (methods.size === 0) return null;
  if (methods.has('GET')) methods.add('HEAD' as never);
  return [...methods].sort();
}

/** 405 ENGINE_METHOD_NOT_ALLOWED naming the method tried and the ones allowed, in the body and in `Allow`. */
export function methodNotAllowed(method: string, allow: readonly string[]): HttpResponse {
  const r = json(405, failure(EngineError.METHOD_NOT_ALLOWED, { method: method.slice(0, 16), allow }));
  return { ...r, headers: { ...r.headers, allow: allow.join(', ') } };
}

/**
 * The 405 for a request no route of its method matches, or null when it should go on (to its
 * route, or to the static site for GET and HEAD on a path no route names).
 */
export function refuseMethod(routes: readonly Pick<Route, 'method' | 'path'>[], method: string, path: string): HttpResponse | null {
  const allow = allowedMethods(routes, path);
  if (allow === null) return method === 'GET' || method === 'HEAD' ? null : methodNotAllowed(method, SITE_METHODS);
  return allow.includes(method) ? null : methodNotAllowed(method, allow);
}
