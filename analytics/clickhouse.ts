/**
 * @module analytics/clickhouse
 * The analytics store over a ClickHouse server (cluster mode), through `@clickhouse/client` over
 * HTTP. Same DDL, same read-only guard, same result shape as the embedded store.
 * Owns: the client's lifetime and the mapping of its errors to analytics codes. Does not: buffer
 * inserts (each call is one HTTP insert; ingest.ts batches and retries).
 * Concurrency: the client's socket pool (`maxOpenConnections`) bounds requests in flight; more wait
 * in the client. Queries run with `readonly=1` and `max_execution_time`; a query past its deadline
 * is aborted (the server cancels it when the connection closes) and rejects with ANALYTICS_TIMEOUT.
 * The package is loaded lazily in init(), so embedded mode runs without it installed.
 */
import { LinliError } from '../engine/errors.ts';
import type { DeviceReading } from '../devices/reading.ts';
import type { JournalRecord } from '../engine/journal/record.ts';
import { DEFAULT_MAX_ROWS, silentLog, type AnalyticsLog, type AnalyticsStore, type QueryOptions, type QueryResult } from './contract.ts';
import { AnalyticsError, clickhouseCodeOf, codeForClickHouseError } from './errors.ts';
import { checkReadOnly } from './read-only.ts';
import { RESULT_FORMAT, RowCollector } from './result.ts';
import { DEFAULT_DATABASE, DEVICE_READINGS, ROOM_EVENTS, assertDatabaseName, batchToken, ddlStatements, readingRow, roomEventRow, toJsonEachRow } from './schema.ts';
import { DEFAULT_QUERY_TIMEOUT_MS, errorText } from './chdb.ts';

export const DEFAULT_CLICKHOUSE_MAX_OPEN_CONNECTIONS = 10;
export const DEFAULT_CLICKHOUSE_INSERT_TIMEOUT_MS = 30_000;
const ENGINE_MARGIN_MS = 250;

export interface ClickHouseStoreOptions {
  /** Server URL, e.g. `http://user:password@clickhouse:8123` (no path: the database is `database`). */
  readonly url: string;
  readonly database?: string;
  /** Longest a query may run, ms; also sent as `max_execution_time`. Default 10000. */
  readonly queryTimeoutMs?: number;
  readonly defaultMaxRows?: number;
  /** HTTP request timeout for inserts and DDL, ms. Default 30000. */
  readonly insertTimeoutMs?: number;
  readonly maxOpenConnections?: number;
  readonly log?: AnalyticsLog;
}

// The part of @clickhouse/client 1.x this module uses (its own types are not needed at compile time).
interface ChRow { json<T = unknown>(): T }
interface ChResultSet { stream(): AsyncIterable<ChRow[]>; close(): void }
interface ChClient {
  command(p: { query: string; clickhouse_settings?: Record<string, unknown> }): Promise<unknown>;
  insert(p: { table: string; values: readonly Record<string, unknown>[]; format: 'JSONEachRow'; clickhouse_settings?: Record<string, unknown>; abort_signal?: AbortSignal }): Promise<unknown>;
  query(p: { query: string; format: string; clickhouse_settings?: Record<string, unknown>; abort_signal?: AbortSignal }): Promise<ChResultSet>;
  ping(): Promise<{ success: boolean; error?: Error }>;
  close(): Promise<void>;
}
interface ChModule {
  createClient(config: Record<string, unknown>): ChClient;
  ClickHouseLogLevel: { readonly OFF: number };
}

const CLIENT_PACKAGE = '@clickhouse/client';

export class ClickHouseStore implements AnalyticsStore {
  readonly kind = 'clickhouse' as const;
  readonly database: string;
  private client: ChClient | null = null;
  private closed = false;
  private readonly queryTimeoutMs: number;
  private readonly defaultMaxRows: number;
  private readonly insertTimeoutMs: number;
  private readonly log: AnalyticsLog;

  constructor(private readonly opts: ClickHouseStoreOptions) {
    this.database = assertDatabaseName(opts.database ?? DEFAULT_DATABASE);
    this.queryTimeoutMs = opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.defaultMaxRows = opts.defaultMaxRows ?? DEFAULT_MAX_ROWS;
    this.insertTimeoutMs = opts.insertTimeoutMs ?? DEFAULT_CLICKHOUSE_INSERT_TIMEOUT_MS;
    this.log = opts.log ?? silentLog;
  }

  async init(): Promise<void> {
    if (this.client) return;
    let mod: ChModule;
    try {
      mod = (await import(CLIENT_PACKAGE)) as ChModule;
    } catch (err) {
      throw new LinliError(AnalyticsError.UNAVAILABLE, { reason: `${CLIENT_PACKAGE} is not installed`, message: errorText(err) }, { cause: err });
    }
    const config = {
      url: this.opts.url,
      application: 'linli-analytics',
      request_timeout: Math.max(this.insertTimeoutMs, this.queryTimeoutMs + ENGINE_MARGIN_MS * 4),
      max_open_connections: this.opts.maxOpenConnections ?? DEFAULT_CLICKHOUSE_MAX_OPEN_CONNECTIONS,
      // Failures reach the caller as typed errors; the client's own console logging would duplicate them.
      log: { level: mod.ClickHouseLogLevel.OFF },
    };
    // DDL runs on a client without a default database: the database may not exist yet.
    const bootstrap = mod.createClient({ ...config, database: 'default' });
    try {
      for (const ddl of ddlStatements(this.database)) await bootstrap.command({ query: ddl });
    } catch (err) {
      throw unavailable(err);
    } finally {
      await bootstrap.close().catch(() => undefined); // closing an idle client cannot lose anything
    }
    const client = mod.createClient({ ...config, database: this.database });
    this.client = client;
    this.log.info('analytics store ready', { kind: this.kind, database: this.database });
  }

  insertRoomEvents(rows: readonly JournalRecord[]): Promise<void> {
    return this.insert(ROOM_EVENTS, rows.map(roomEventRow));
  }

  insertReadings(rows: readonly DeviceReading[]): Promise<void> {
    return this.insert(DEVICE_READINGS, rows.map(readingRow));
  }

  async query(sql: string, opts: QueryOptions = {}): Promise<QueryResult> {
    const t0 = performance.now();
    const client = this.ready();
    const check = checkReadOnly(sql);
    if (!check.ok) throw new LinliError(AnalyticsError.NOT_READ_ONLY, { reason: check.reason, ...(check.token ? { token: check.token } : {}) });
    const timeoutMs = Math.max(1, Math.min(opts.timeoutMs ?? this.queryTimeoutMs, this.queryTimeoutMs));
    const collector = new RowCollector(Math.max(0, Math.floor(opts.maxRows ?? this.defaultMaxRows)));
    const ac = new AbortController();
    const deadline = setTimeout(() => ac.abort(), timeoutMs);
    try {
      const rs = await client.query({
        query: check.statement,
        format: RESULT_FORMAT,
        abort_signal: ac.signal,
        clickhouse_settings: {
          max_execution_time: (timeoutMs + ENGINE_MARGIN_MS) / 1000,
          output_format_json_quote_64bit_integers: 1,
          cancel_http_readonly_queries_on_client_close: 1,
          readonly: '1', // last: every setting above is applied in the same request, before readonly takes hold
        },
      });
      try {
        outer: for await (const rows of rs.stream()) {
          for (const row of rows) if (!collector.push(row.json<unknown[]>())) break outer;
        }
      } finally {
        rs.close();
      }
      const r = collector.result();
      return { ...r, rowCount: r.rows.length, elapsedMs: Math.round(performance.now() - t0) };
    } catch (err) {
      if (ac.signal.aborted) throw new LinliError(AnalyticsError.TIMEOUT, { timeoutMs });
      throw queryError(err);
    } finally {
      clearTimeout(deadline);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const c = this.client;
    this.client = null;
    await c?.close();
  }

  private async insert(table: string, rows: Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    const client = this.ready();
    const target = `${this.database}.${table}`;
    try {
      await client.insert({
        table: target,
        values: rows,
        format: 'JSONEachRow',
        // Ingestion re-sends a failed batch as is; the same rows give the same token, so it lands once.
        clickhouse_settings: { insert_deduplication_token: batchToken(target, toJsonEachRow(rows)) },
      });
    } catch (err) {
      const code = chCode(err);
      if (code === undefined) throw unavailable(err); // network or HTTP failure: retryable
      throw new LinliError(AnalyticsError.INSERT_FAILED, { clickhouseCode: code, message: errorText(err) }, { cause: err });
    }
  }

  private ready(): ChClient {
    if (!this.client) throw new LinliError(AnalyticsError.UNAVAILABLE, { reason: this.closed ? 'closed' : 'not initialised' });
    return this.client;
  }
}

/** The ClickHouse exception code of a server error (`ClickHouseError.code` is a numeric string), if any. */
function chCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && /^\d+$/.test(e.code)) return Number(e.code);
  return typeof e?.message === 'string' && e.message.includes('DB::Exception') ? clickhouseCodeOf(e.message) : undefined;
}

function queryError(err: unknown): LinliError {
  const code = chCode(err);
  if (code === undefined) return unavailable(err);
  return new LinliError(codeForClickHouseError(code), { clickhouseCode: code, message: errorText(err) }, { cause: err });
}

function unavailable(err: unknown): LinliError {
  return new LinliError(AnalyticsError.UNAVAILABLE, { message: errorText(err) }, { cause: err });
}
