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
}

export function coreRoutes(d: CoreRouteDeps): Route[] {
  const layout = JSON.stringify(d.community);
  return [
    { method: 'GET', path: '/api/community', handle: () => ({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' }, body: layout }) },
    { method: 'GET', path: '/api/health', handle: () => json(200, { ok: true, community: d.community.id, transport: d.transport, uptimeMs: Date.now() - d.startedAt }) },
    { method: 'GET', path: '/metrics', handle: () => ({ status: 200, headers: { 'content-type': 'text/plain; version=0.0.4' }, body: d.metrics.render() }) },
  ];
}
