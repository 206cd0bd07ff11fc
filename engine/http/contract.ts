/**
 * @module engine/http/contract
 * Framework-neutral HTTP handlers, so that the same API runs on the uWebSockets.js and the
 * node:http transport. Areas (analytics, community, health) export Route objects; the transport
 * adapter in engine/http/ mounts them.
 * Owns: the request/response shapes. Does not: parse sockets or pick a transport.
 * Limits: the adapter refuses bodies over `httpMaxBodyBytes` (config) with 413 before a handler runs.
 */
export interface HttpRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/api/analytics/query`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  /** Raw body bytes (empty for GET). */
  readonly body: Uint8Array;
  /** The peer's address when the transport exposes it (node:http does; uWS routes do not), else null. */
  readonly peer?: string | null;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  /** Exact path match. */
  readonly path: string;
  /** Largest body this route takes (an upload); HTTP_MAX_BODY_BYTES when absent. */
  readonly maxBodyBytes?: number;
  handle(req: HttpRequest): Promise<HttpResponse> | HttpResponse;
}

export function json(status: number, value: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}
