/**
 * @module engine/banner
 * The start-up banner's wording where it depends on the configuration (analytics on, off, or
 * answered by another cluster node), kept out of engine/main so it can be tested.
 * Owns: what the banner claims. Does not: print (main does) or decide anything. Pure.
 */

/** Where `/api/analytics/*` is answered: this node's store, another node's (cluster broker), or nowhere. */
export type AnalyticsQueries = 'here' | 'cluster' | 'none';

export interface AnalyticsBannerFacts {
  /** The local store's kind, or 'off' when ANALYTICS_ENABLED=false. */
  readonly analytics: string;
  /** Rows the local store holds; negative when it could not count them. */
  readonly analyticsRows: number;
  readonly analyticsQueries: AnalyticsQueries;
}

/** The `Analytics` line (two when off); off, it names the switch and what the query route answers instead of a row count and a URL. */
export function analyticsBannerLine(r: AnalyticsBannerFacts, url: string): string {
  if (r.analytics === 'off') {
    return r.analyticsQueries === 'cluster'
      ? '  Analytics   off on this node (ANALYTICS_ENABLED=false); /api/analytics/* is answered by the cluster node that has it on (ANALYTICS_UNAVAILABLE while none has)'
      // banner.int.test.ts checks the answer against a real server.
      : '  Analytics   off (ANALYTICS_ENABLED=false): nothing is stored; /api/analytics/* answers 503 ANALYTICS_DISABLED\n'
        + '              set ANALYTICS_ENABLED=true to turn it on (embedded chDB, or a ClickHouse server with CLICKHOUSE_URL)';
  }
  const rows = r.analyticsRows < 0 ? 'row count unknown' : `${r.analyticsRows} rows stored`;
  return `  Analytics   ${r.analytics}${r.analytics === 'chdb' ? ' (embedded ClickHouse)' : ''}, ${rows}; query at POST ${url}/api/analytics/query`;
}
