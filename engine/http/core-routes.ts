/**
 * @module engine/http/core-routes
 * The engine's own HTTP routes: the community layout for the map, health, and Prometheus metrics.
 * /metrics answers a caller with `Authorization: Bearer <METRICS_TOKEN>` when that setting is set,
 * and only loopback callers when it is not (it names rooms, codes and counts an outsider should not see).
 */
import { timingSafeEqual } from 'node:crypto';
import { EngineError, failure } from '../errors.ts';
import type { CommunityLayout } from '../../actors/community/layout.ts';
import type { Metrics } from '../metrics.ts';
import type { HttpRequest, Route } from './contract.ts';
import { json } from './contract.ts';

export interface CoreRouteDeps {
  readonly community: CommunityLayout;
  readonly metrics: Metrics;
  readonly transport: string;
  readonly startedAt: number;
  /** Optional parts whose health /api/health reports; a down part makes the answer 503 with ok:false. */
  readonly analytics?: { health(): { ok: boolean; kind: string; detail?: string } } | null;
  readonly nats?: { connected(): boolean } | null;
  /** Cluster mode: this node's id and the rooms it hosts now. */
  readonly cluster?: { readonly nodeId: string; hostedRooms(): string[] } | null;
  /** Embedded mode: rooms that should be live here and are not (being opened again). */
  readonly missingRooms?: () => string[];
  /** METRICS_TOKEN, or null: loopback callers only. */
  readonly metricsToken?: string | null;
}

const isLoopback = (peer: string | null | undefined) => !!peer && (peer === '::1' || peer.startsWith('127.'));

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.byteLength === y.byteLength && timingSafeEqual(x, y);
}

/** Whether a request may read /metrics; the refusal to send when not. */
export function metricsRefusal(req: HttpRequest, token: string | null | undefined): ReturnType<typeof json> | null {
  if (token) {
    const presented = /^bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    return sameSecret(presented, token) ? null : json(401, failure(EngineError.UNAUTHORIZED, { problem: 'METRICS_TOKEN required' }));
  }
  return isLoopback(req.peer) ? null : json(403, failure(EngineError.UNAUTHORIZED, { problem: 'metrics answer loopback callers only; set METRICS_TOKEN' }));
}

export function coreRoutes(d: CoreRouteDeps): Route[] {
  const layout = JSON.stringify(d.community);
  return [
    { method: 'GET', path: '/api/community', handle: () => ({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' }, body: layout }) },
    { method: 'GET', path: '/api/health', handle: () => {
      const analytics = d.analytics ? d.analytics.health() : null;
      const nats = d.nats ? { ok: d.nats.connected() } : null;
      const missingRooms = d.missingRooms?.() ?? [];
      const ok = (analytics?.ok ?? true) && (nats?.ok ?? true) && missingRooms.length === 0;
      const cluster = d.cluster ? { node: d.cluster.nodeId, rooms: d.cluster.hostedRooms().sort() } : null;
      return json(ok ? 200 : 503, { ok, community: d.community.id, transport: d.transport, uptimeMs: Date.now() - d.startedAt, analytics, nats, cluster, missingRooms });
    } },
    { method: 'GET', path: '/metrics', handle: (req) => metricsRefusal(req, d.metricsToken) ?? ({ status: 200, headers: { 'content-type': 'text/plain; version=0.0.4' }, body: d.metrics.render() }) },
  ];
}
