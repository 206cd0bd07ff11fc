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
 * Health: whether the last ping, insert or query reached the server; a ping every `pingIntervalMs`
 * keeps that fresh when nothing else is sent.
 */
import { LinliError } from '../engine/errors.ts';
import type { DeviceReading } from '../devices/reading.ts';
import type { JournalRecord } from '../engine/journal/record.ts';
import { DEFAULT_MAX_ROWS, silentLog, type AnalyticsLog, type AnalyticsMetrics, type AnalyticsStore, type QueryOptions, type QueryResult, type StoreHealth } from './contract.ts';
import { countQuery } from './observe.ts';
import { AnalyticsError, clickhouseCodeOf, codeForClickHouseError } from './errors.ts';
import { checkReadOnly } from './read-only.ts';
import { RESULT_FORMAT, RowCollector, DEFAULT_MAX_RESULT_BYTES } from './result.ts';
import { DEFAULT_DATABASE, DEVICE_READINGS, ROOM_EVENTS, assertDatabaseName, batchToken, ddlStatements, readingRow, roomEventRow, toJsonEachRow } from './schema.ts';
import { DEFAULT_QUERY_TIMEOUT_MS, errorText } from './chdb.ts';

export const DEFAULT_CLICKHOUSE_MAX_OPEN_CONNECTIONS = 10;
export const DEFAULT_CLICKHOUSE_INSERT_TIMEOUT_MS = 30_000;
export const DEFAULT_CLICKHOUSE_PING_INTERVAL_MS = 30_000;
const ENGINE_MARGIN_MS = 250;

export interface ClickHouseStoreOptions {
  /** Server URL, e.g. `http://user:password@clickhouse:8123` (no path: the database is `database`). */
  readonly url: string;
  readonly database?: string;
  /** Longest a query may run, ms; also sent as `max_execution_time`. Default 10000. */
  readonly queryTimeoutMs?: number;
  readonly defaultMaxRows?: number;
  /** Bytes of row text a query returns at most; the server also stops at `max_result_bytes`. Default 16 MiB. */
  readonly maxResultBytes?: number;
  /** HTTP request timeout for inserts and DDL, ms. Default 30000. */
  readonly insertTimeoutMs?: number;
  readonly maxOpenConnections?: number;
  /** How often health() is refreshed by a ping when nothing else reached the server, ms; 0: never. Default 30000. */
  readonly pingIntervalMs?: number;
  readonly log?: AnalyticsLog;
  /** Where `analytics_queries_total{outcome}` is counted. */
  readonly metrics?: AnalyticsMetrics;
}

// The part of @clickhouse/client 1.x this module uses (its own types are not needed at compile time).
interface ChRow { readonly text: string; json<T = unknown>(): T }
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
  private readonly maxResultBytes: number;
  private readonly insertTimeoutMs: number;
  private readonly log: AnalyticsLog;
  private readonly metrics: AnalyticsMetrics | undefined;
  /** The last contact with the server: a reply of any kind (even an error) counts as reached. */
  private contact: { ok: boolean; detail?: string; at: number } | null = null;
  private pinger: NodeJS.Timeout | null = null;

  constructor(private readonly opts: ClickHouseStoreOptions) {
    this.database = assertDatabaseName(opts.database ?? DEFAULT_DATABASE);
    this.queryTimeoutMs = opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.defaultMaxRows = opts.defaultMaxRows ?? DEFAULT_MAX_ROWS;
    this.maxResultBytes = opts.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    this.insertTimeoutMs = opts.insertTimeoutMs ?? DEFAULT_CLICKHOUSE_INSERT_TIMEOUT_MS;
    this.log = opts.log ?? silentLog;
    this.metrics = opts.metrics;
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
    this.reached(true);
    const every = this.opts.pingIntervalMs ?? DEFAULT_CLICKHOUSE_PING_INTERVAL_MS;
    if (every > 0) {
      this.pinger = setInterval(() => void this.ping(), every);
      this.pinger.unref(); // health upkeep never keeps the process alive
    }
    this.log.info('analytics store ready', { kind: this.kind, database: this.database });
  }

  health(): StoreHealth {
    if (this.closed) return { ok: false, kind: this.kind, detail: 'closed' };
    if (!this.client || !this.contact) return { ok: false, kind: this.kind, detail: 'not initialised' };
    const ago = `${Math.round((Date.now() - this.contact.at) / 1000)} s ago`;
    return this.contact.ok ? { ok: true, kind: this.kind } : { ok: false, kind: this.kind, detail: `${this.contact.detail ?? 'server unreachable'} (${ago})` };
  }

  /** Pings the server now and updates health(); resolves to whether it answered. Never rejects. */
  async ping(): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    let ok: boolean;
    let detail: string | undefined;
    try {
      const r = await client.ping();
      ok = r.success;
      if (!r.success) detail = `ping failed: ${errorText(r.error)}`;
    } catch (err) {
      ok = false;
      detail = `ping failed: ${errorText(err)}`;
    }
    if (this.client === client) this.reached(ok, detail);
    return ok;
  }

  insertRoomEvents(rows: readonly JournalRecord[]): Promise<void> {
    return this.insert(ROOM_EVENTS, rows.map(roomEventRow));
  }

  insertReadings(rows: readonly DeviceReading[]): Promise<void> {
    return this.insert(DEVICE_READINGS, rows.map(readingRow));
  }

  query(sql: string, opts: QueryOptions = {}): Promise<QueryResult> {
    return countQuery(this.metrics, this.runQuery(sql, opts));
  }

  private async runQuery(sql: string, opts: QueryOptions): Promise<QueryResult> {
    const t0 = performance.now();
    const client = this.ready();
    const check = checkReadOnly(sql, { catalog: opts.catalog === true });
    if (!check.ok) throw new LinliError(AnalyticsError.NOT_READ_ONLY, { reason: check.reason, ...(check.token ? { token: check.token } : {}) });
    const timeoutMs = Math.max(1, Math.min(opts.timeoutMs ?? this.queryTimeoutMs, this.queryTimeoutMs));
    const maxBytes = Math.max(0, Math.min(opts.maxBytes ?? this.maxResultBytes, this.maxResultBytes));
    const collector = new RowCollector(Math.max(0, Math.floor(opts.maxRows ?? this.defaultMaxRows)), maxBytes);
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
          // The server stops near the cap; the collector cuts exactly at it.
          max_result_bytes: String(maxBytes * 2),
          result_overflow_mode: 'break',
          cancel_http_readonly_queries_on_client_close: 1,
          readonly: '1', // last: every setting above is applied in the same request, before readonly takes hold
        },
      });
      try {
        outer: for await (const rows of rs.stream()) {
          for (const row of rows) if (!collector.push(row.json<unknown[]>(), Buffer.byteLength(row.text))) break outer;
        }
      } finally {
        rs.close();
      }
      this.reached(true);
      const r = collector.result();
      return { ...r, rowCount: r.rows.length, elapsedMs: Math.round(performance.now() - t0) };
    } catch (err) {
      if (ac.signal.aborted) throw new LinliError(AnalyticsError.TIMEOUT, { timeoutMs });
      const e = queryError(err);
      this.reached(e.code !== AnalyticsError.UNAVAILABLE, `query failed: ${errorText(err)}`);
      throw e;
    } finally {
      clearTimeout(deadline);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = null;
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
      this.reached(true);
    } catch (err) {
      const code = chCode(err);
      this.reached(code !== undefined, `insert failed: ${errorText(err)}`);
      if (code === undefined) throw unavailable(err); // network or HTTP failure: retryable
      throw new LinliError(AnalyticsError.INSERT_FAILED, { clickhouseCode: code, message: errorText(err) }, { cause: err });
    }
  }

  /** Records whether the server answered; `detail` says what failed when it did not. */
  private reached(ok: boolean, detail?: string): void {
    this.contact = ok ? { ok, at: Date.now() } : { ok, at: Date.now(), ...(detail ? { detail } : {}) };
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
