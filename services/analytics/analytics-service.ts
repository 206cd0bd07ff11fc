/**
 * @module services/analytics/analytics-service
 * Analytics as a service of the cluster's broker: the node that holds the analytics store offers
 * `analytics.query`; every other node answers `/api/analytics/*` through RemoteAnalyticsStore,
 * which calls it. The SQL guard runs where the store is (the store's own `query`), the typed
 * error code comes back as it was thrown.
 * Owns: the action and the remote adapter. Does not: check who may query (the HTTP route's door does).
 * Retries: none; a timed-out query is not sent again.
 */
import type { ServiceBroker, ServiceSchema } from 'moleculer';
import type { AnalyticsStore, QueryOptions, QueryResult, StoreHealth } from '../../analytics/contract.ts';
import { AnalyticsError } from '../../analytics/errors.ts';
import { LinliError } from '../../engine/errors.ts';

export const ANALYTICS_SERVICE = 'analytics';

export function analyticsService(store: AnalyticsStore): ServiceSchema {
  return {
    name: ANALYTICS_SERVICE,
    actions: {
      query: {
        async handler(ctx) {
          const p = ctx.params as { sql: string; maxRows?: number; timeoutMs?: number; catalog?: boolean };
          try {
            return await store.query(p.sql, { maxRows: p.maxRows, timeoutMs: p.timeoutMs, catalog: p.catalog === true });
          } catch (err) {
            // The caller's node rethrows this as the same LinliError.
            return { failed: { code: (err as { code?: string }).code ?? AnalyticsError.QUERY_FAILED, details: (err as LinliError).details ?? {} } };
          }
        },
      },
      health: { handler: () => store.health() },
    },
  };
}

/** The analytics store of another node, reached through the broker. Read-only: inserts are the owner's. */
export class RemoteAnalyticsStore implements AnalyticsStore {
  readonly kind = 'clickhouse' as const;
  private last: StoreHealth = { ok: true, kind: 'clickhouse', detail: 'through the cluster broker' };

  constructor(private readonly broker: ServiceBroker, private readonly timeoutMs: number) {}

  async init(): Promise<void> {}

  async insertRoomEvents(): Promise<void> {
    throw new LinliError(AnalyticsError.UNAVAILABLE, { reason: 'this node does not store analytics' });
  }

  async insertReadings(): Promise<void> {
    throw new LinliError(AnalyticsError.UNAVAILABLE, { reason: 'this node does not store analytics' });
  }

  async query(sql: string, opts: QueryOptions = {}): Promise<QueryResult> {
    let answer: QueryResult | { failed: { code: string; details: Record<string, unknown> } };
    try {
      answer = await this.broker.call(`${ANALYTICS_SERVICE}.query`, { sql, maxRows: opts.maxRows, timeoutMs: opts.timeoutMs, catalog: opts.catalog === true }, { timeout: this.timeoutMs + 2000, retries: 0 });
    } catch (err) {
      this.last = { ok: false, kind: 'clickhouse', detail: `no node answers ${ANALYTICS_SERVICE}.query: ${(err as Error).message}` };
      throw new LinliError(AnalyticsError.UNAVAILABLE, { reason: 'no analytics node answered' }, { cause: err });
    }
    this.last = { ok: true, kind: 'clickhouse', detail: 'through the cluster broker' };
    if ('failed' in answer) throw new LinliError(answer.failed.code, answer.failed.details);
    return answer;
  }

  health(): StoreHealth {
    return this.last;
  }

  async close(): Promise<void> {}
}
