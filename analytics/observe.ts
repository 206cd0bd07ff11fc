/**
 * @module analytics/observe
 * The metrics both stores emit, so that chDB and a ClickHouse server are counted alike.
 * Owns: metric names, help texts and the `outcome` label of a query. Does not: hold counts (the
 * registry passed in as `metrics` does) or log.
 */
import type { AnalyticsMetrics } from './contract.ts';
import { AnalyticsError } from './errors.ts';

export const QUERIES_TOTAL = 'analytics_queries_total';
export const WORKER_RESTARTS_TOTAL = 'analytics_worker_restarts_total';

/** How a query ended: `ok`, or which kind of failure (one label value per analytics code). */
export type QueryOutcome = 'ok' | 'timeout' | 'failed' | 'rejected' | 'busy' | 'unavailable';

export function queryOutcome(err: unknown): QueryOutcome {
  switch ((err as { code?: unknown } | null)?.code) {
    case AnalyticsError.TIMEOUT: return 'timeout';
    case AnalyticsError.NOT_READ_ONLY: return 'rejected';
    case AnalyticsError.BUSY: return 'busy';
    case AnalyticsError.UNAVAILABLE: return 'unavailable';
    default: return 'failed';
  }
}

/** Counts the query once it settles, in `analytics_queries_total{outcome}`; returns the same promise. */
export function countQuery<T>(metrics: AnalyticsMetrics | undefined, query: Promise<T>): Promise<T> {
  if (!metrics) return query;
  const count = (outcome: QueryOutcome) => metrics.inc(QUERIES_TOTAL, 'Analytics queries by how they ended', { outcome });
  query.then(() => count('ok'), (err: unknown) => count(queryOutcome(err)));
  return query;
}

export function countWorkerRestart(metrics: AnalyticsMetrics | undefined): void {
  metrics?.inc(WORKER_RESTARTS_TOTAL, 'chDB worker processes started again after one exited');
}
