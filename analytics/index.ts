/**
 * @module analytics
 * The public surface of the analytics area: the store interface and its two implementations,
 * ingestion from the bus, the read-only guard, the HTTP routes and the error codes.
 * Owns: choosing the store (`createAnalyticsStore`). Anything not exported here is internal.
 */
import type { AnalyticsLog, AnalyticsMetrics, AnalyticsStore } from './contract.ts';
import { ChdbStore } from './chdb.ts';
import { ClickHouseStore } from './clickhouse.ts';
import './errors.ts'; // registers the ANALYTICS_* codes in the engine catalogue

export type { AnalyticsLog, AnalyticsMetrics, AnalyticsStore, ColumnInfo, QueryOptions, QueryResult, StoreHealth } from './contract.ts';
export { DEFAULT_MAX_ROWS } from './contract.ts';
export { AnalyticsError, AnalyticsInitError, httpStatusFor, type AnalyticsErrorCode } from './errors.ts';
export { QUERIES_TOTAL, WORKER_RESTARTS_TOTAL, type QueryOutcome } from './observe.ts';
export { ChdbStore, DEFAULT_CHDB_DATA_PATH, DEFAULT_QUERY_TIMEOUT_MS, type ChdbStoreOptions, type ChdbStoreStats } from './chdb.ts';
export { ClickHouseStore, type ClickHouseStoreOptions } from './clickhouse.ts';
export { checkReadOnly, type ReadOnlyCheck, type ReadOnlyRejection, type StatementKind } from './read-only.ts';
export { DEFAULT_DATABASE, DEVICE_READINGS, ROOM_EVENTS, ddlStatements } from './schema.ts';
export {
  startIngestion, parseJournalRecord, parseReading,
  DEFAULT_BATCH_MAX_ROWS, DEFAULT_BATCH_MAX_WAIT_MS, DEFAULT_QUEUE_MAX_ROWS,
  type Ingestion, type IngestionCounters, type IngestionOptions, type IngestMetrics,
} from './ingest.ts';
export { analyticsRoutes, analyticsDisabledRoutes, type AnalyticsRoutesOptions } from './http.ts';

export interface CreateAnalyticsStoreOptions {
  /** CLICKHOUSE_URL: when set, a ClickHouse server is used instead of embedded chDB. */
  readonly clickhouseUrl?: string;
  /** Where embedded chDB keeps its data (config DATA_DIR + `/chdb`). */
  readonly dataPath: string;
  /** ANALYTICS_QUERY_TIMEOUT_MS. */
  readonly queryTimeoutMs: number;
  /** ANALYTICS_MAX_ROWS: default row cap when a caller gives none. */
  readonly maxRows?: number;
  /** ANALYTICS_MAX_RESULT_BYTES: byte cap of every result's row text. */
  readonly maxResultBytes?: number;
  readonly log?: AnalyticsLog;
  /** The server's registry: query outcomes and chDB worker restarts are counted there. */
  readonly metrics?: AnalyticsMetrics;
}

/**
 * The store for this process: a ClickHouse server when `clickhouseUrl` is set, else embedded chDB.
 * Call `init()` before use.
 */
export function createAnalyticsStore(opts: CreateAnalyticsStoreOptions): AnalyticsStore {
  const common = {
    queryTimeoutMs: opts.queryTimeoutMs,
    ...(opts.maxRows !== undefined ? { defaultMaxRows: opts.maxRows } : {}),
    ...(opts.maxResultBytes !== undefined ? { maxResultBytes: opts.maxResultBytes } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  };
  if (opts.clickhouseUrl) return new ClickHouseStore({ url: opts.clickhouseUrl, ...common });
  return new ChdbStore({ dataPath: opts.dataPath, ...common });
}
