/**
 * @module engine/http/core-routes
 * The engine's own HTTP routes: the community layout for the map, health, and Prometheus metrics.
 */
import type { CommunityLayout } from '../../actors/community/layout.ts';
import type { Metrics } from '../metrics.ts';
import type { Route } from './contract.ts';
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
}

export function coreRoutes(d: CoreRouteDeps): Route[] {
  const layout = JSON.stringify(d.community);
  return [
    { method: 'GET', path: '/api/community', handle: () => ({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' }, body: layout }) },
    { method: 'GET', path: '/api/health', handle: () => {
      const analytics = d.analytics ? d.analytics.health() : null;
      const nats = d.nats ? { ok: d.nats.connected() } : null;
      const ok = (analytics?.ok ?? true) && (nats?.ok ?? true);
      const cluster = d.cluster ? { node: d.cluster.nodeId, rooms: d.cluster.hostedRooms().sort() } : null;
      return json(ok ? 200 : 503, { ok, community: d.community.id, transport: d.transport, uptimeMs: Date.now() - d.startedAt, analytics, nats, cluster });
    } },
    { method: 'GET', path: '/metrics', handle: () => ({ status: 200, headers: { 'content-type': 'text/plain; version=0.0.4' }, body: d.metrics.render() }) },
  ];
}
