/**
 * @module analytics/contract
 * The analytics store seen by ingestion and the query API: one interface over embedded chDB
 * (chdb.ts) and a ClickHouse server (clickhouse.ts). Both run the same DDL (schema.ts).
 * Owns: the interface and the result shape. Does not: choose an implementation (index.ts does).
 * Concurrency: every method may be called concurrently; implementations bound their own queues
 * and reject with ANALYTICS_BUSY / ANALYTICS_BUFFER_FULL rather than grow without limit.
 */
import type { DeviceReading } from '../devices/reading.ts';
import type { JournalRecord } from '../engine/journal/record.ts';

export interface ColumnInfo {
  readonly name: string;
  /** The ClickHouse type, e.g. `UInt64`, `DateTime64(3, 'UTC')`. */
  readonly type: string;
}

/**
 * A query's rows as JSON values. 64-bit integers arrive as strings (ClickHouse's JSON default,
 * kept so that no value loses precision); NaN and ±Inf arrive as null.
 */
export interface QueryResult {
  readonly columns: readonly ColumnInfo[];
  /** One object per row, keyed by column name. */
  readonly rows: readonly Record<string, unknown>[];
  readonly rowCount: number;
  /** True when the query had more rows than `maxRows` (or more bytes than the byte cap) and the rest were not read. */
  readonly truncated: boolean;
  /** Which cap cut the result, when one did. */
  readonly truncatedBy?: 'rows' | 'bytes';
  /** Wall-clock time the caller waited, including queueing. */
  readonly elapsedMs: number;
}

export interface QueryOptions {
  /** Deadline for this query; can only shorten the store's own timeout. */
  readonly timeoutMs?: number;
  /** Rows returned at most (default DEFAULT_MAX_ROWS); more set `truncated`. */
  readonly maxRows?: number;
  /** Bytes of row text returned at most (default: the store's ANALYTICS_MAX_RESULT_BYTES); more set `truncated`. */
  readonly maxBytes?: number;
  /**
   * The server's own catalogue query may read `system.tables` (read-only.ts `catalog`). Set only by
   * GET /api/analytics/tables for its fixed statement, never from an analyst's input.
   */
  readonly catalog?: boolean;
}

export const DEFAULT_MAX_ROWS = 10_000;

export interface AnalyticsStore {
  readonly kind: 'chdb' | 'clickhouse';
  /** Opens the store and creates the database and tables if missing. */
  init(): Promise<void>;
  /**
   * Resolves once the rows are stored; a batch sent again with the same rows is stored once.
   * The store may keep a reference to `rows` until then: do not mutate them.
   */
  insertRoomEvents(rows: readonly JournalRecord[]): Promise<void>;
  insertReadings(rows: readonly DeviceReading[]): Promise<void>;
  /** Runs one read-only statement (see read-only.ts); anything else rejects with ANALYTICS_NOT_READ_ONLY. */
  query(sql: string, opts?: QueryOptions): Promise<QueryResult>;
  /**
   * The store's state as last observed, without any I/O (cheap enough for every `/api/health`).
   * chDB: the worker is up and initialised. ClickHouse: the last ping, insert or query reached the server.
   */
  health(): StoreHealth;
  close(): Promise<void>;
}

export interface StoreHealth {
  readonly ok: boolean;
  readonly kind: AnalyticsStore['kind'];
  /** Why it is not ok (or what it is waiting for), in words for an operator. */
  readonly detail?: string;
}

/** The metrics registry shape the stores need; engine/metrics.ts's Metrics satisfies it. */
export interface AnalyticsMetrics {
  inc(name: string, help: string, labels?: Readonly<Record<string, string>>, by?: number): void;
}

/** The logging the analytics modules need; engine/log.ts's Logger satisfies it. */
export interface AnalyticsLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const silentLog: AnalyticsLog = { info() {}, warn() {}, error() {} };
