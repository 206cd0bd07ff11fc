/**
 * @module analytics/chdb
 * The embedded analytics store: chDB (real ClickHouse) in a child process, so that a slow query
 * or a native crash never stalls or kills the rooms' event loop. Restarts the child with backoff.
 * Owns: the child's supervision, the insert buffer, the query queue and per-query deadlines.
 * Does not: parse SQL beyond the read-only guard, or decide what to ingest (ingest.ts).
 * Overflow: buffered insert rows are bounded (`maxBufferedRows`): beyond it insert* rejects with
 * ANALYTICS_BUFFER_FULL (retryable) and keeps nothing; queued queries are bounded
 * (`maxQueuedQueries`): beyond it query() rejects with ANALYTICS_BUSY. Counters: stats().
 * Crash: queries in flight reject with ANALYTICS_UNAVAILABLE; accepted insert batches stay buffered
 * and are re-sent after the restart with the same dedup token, so none is lost or doubled. A death
 * is logged (warn, exit code and signal), a restart too (info), and counted in metrics (observe.ts).
 */
import { DEFAULT_MAX_RESULT_BYTES } from './result.ts';
import { availableParallelism } from 'node:os';
import { LinliError } from '../engine/errors.ts';
import type { DeviceReading } from '../devices/reading.ts';
import type { JournalRecord } from '../engine/journal/record.ts';
import { DEFAULT_MAX_ROWS, silentLog, type AnalyticsLog, type AnalyticsMetrics, type AnalyticsStore, type QueryOptions, type QueryResult, type StoreHealth } from './contract.ts';
import { AnalyticsError, AnalyticsInitError, codeForClickHouseError } from './errors.ts';
import { checkDataPath } from './data-path.ts';
import { countQuery, countWorkerRestart } from './observe.ts';
import { checkReadOnly } from './read-only.ts';
import { DEFAULT_DATABASE, assertDatabaseName, ddlStatements } from './schema.ts';
import { EXIT_READER_LOST, type InsertRows } from './chdb-protocol.ts';
import { WorkerGoneError, WorkerProcess, WorkerReplyError } from './chdb-process.ts';

export const DEFAULT_CHDB_DATA_PATH = './data/chdb';
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;
export const DEFAULT_CHDB_READERS = 2;
export const DEFAULT_MAX_QUEUED_QUERIES = 32;
export const DEFAULT_MAX_BUFFERED_ROWS = 200_000;
export const DEFAULT_INSERT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_INSERT_ATTEMPTS = 3;
export const DEFAULT_KILL_GRACE_MS = 2_000;
export const DEFAULT_START_TIMEOUT_MS = 30_000;
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;
export const DEFAULT_RESTART_BACKOFF_MIN_MS = 100;
export const DEFAULT_RESTART_BACKOFF_MAX_MS = 5_000;
/** Threads one query may use: all cores but one, so a heavy query leaves a core to the rooms. */
export const DEFAULT_QUERY_THREADS = Math.max(1, availableParallelism() - 1);
/** The worker runs at lower CPU priority than the server (Unix niceness). */
export const DEFAULT_WORKER_NICENESS = 5;
/** The engine's own limit sits this far past the caller's deadline, so the caller's timer fires first. */
const ENGINE_MARGIN_MS = 250;
/** A child that stayed up this long resets the restart backoff. */
const STABLE_AFTER_MS = 10_000;
/** ClickHouse codes for insert failures that go away by themselves (memory, too many parts, too many queries). */
const TRANSIENT_INSERT_CODES = new Set([241, 252, 202]);
const MAX_ERROR_TEXT = 2000;

export interface ChdbStoreOptions {
  /** Data directory of the embedded database. Default `./data/chdb`. */
  readonly dataPath?: string;
  /** Database holding the tables. Default `linli`. */
  readonly database?: string;
  /** Longest a query may run, ms; also the engine's `max_execution_time`. Default 10000. */
  readonly queryTimeoutMs?: number;
  /** Rows a query returns when the caller gives no `maxRows`. Default 10000. */
  readonly defaultMaxRows?: number;
  /** Bytes of row text a query returns at most (cut in the child, `truncated` set). Default 16 MiB. */
  readonly maxResultBytes?: number;
  /** Reader connections, i.e. queries running at once. Default 2. */
  readonly readers?: number;
  /** Queries waiting for a reader before ANALYTICS_BUSY. Default 32. */
  readonly maxQueuedQueries?: number;
  /** Insert rows buffered (waiting or in flight) before ANALYTICS_BUFFER_FULL. Default 200000. */
  readonly maxBufferedRows?: number;
  /** An insert running longer than this is treated as a hung child (killed, re-sent). Default 30000. */
  readonly insertTimeoutMs?: number;
  /** Child deaths during one batch before that batch is rejected with ANALYTICS_INSERT_FAILED. Default 3. */
  readonly maxInsertAttempts?: number;
  /** How long past its own limit the engine may take to stop a query before the child is killed. Default 2000. */
  readonly killGraceMs?: number;
  /** Longest the child may take to open the database. Default 30000. */
  readonly startTimeoutMs?: number;
  /** How long close() waits for buffered inserts. Default 5000. */
  readonly closeTimeoutMs?: number;
  readonly restartBackoffMinMs?: number;
  readonly restartBackoffMaxMs?: number;
  /** Engine threads per query (`max_threads`). Default: cores − 1, at least 1. */
  readonly queryThreads?: number;
  /** Niceness added to the worker process (0 keeps normal priority). Default 5. */
  readonly workerNiceness?: number;
  readonly log?: AnalyticsLog;
  /** Where `analytics_worker_restarts_total` and `analytics_queries_total{outcome}` are counted. */
  readonly metrics?: AnalyticsMetrics;
}

export interface ChdbStoreStats {
  readonly ready: boolean;
  readonly pid: number | undefined;
  readonly restarts: number;
  readonly childExits: number;
  readonly queryTimeouts: number;
  readonly killedForOverrun: number;
  /** Query results withheld because the text did not match the engine's row count (should stay 0). */
  readonly resultMismatches: number;
  readonly queuedQueries: number;
  readonly runningQueries: number;
  readonly bufferedRows: number;
  readonly bufferedBatches: number;
  readonly insertRetries: number;
  readonly rejectedBufferFull: number;
  readonly rejectedBusy: number;
}

interface PendingQuery {
  readonly sql: string;
  readonly stream: boolean;
  readonly maxRows: number;
  readonly maxBytes: number;
  readonly t0: number;
  readonly resolve: (r: QueryResult) => void;
  readonly reject: (e: Error) => void;
  settled: boolean;
  deadline?: NodeJS.Timeout;
  overrun?: NodeJS.Timeout;
  link?: WorkerProcess;
  id?: number;
  dispatchedAt?: number;
}

interface Batch {
  readonly rows: InsertRows;
  readonly count: number;
  attempts: number;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

export class ChdbStore implements AnalyticsStore {
  readonly kind = 'chdb' as const;
  readonly database: string;
  private readonly o: Required<Omit<ChdbStoreOptions, 'log' | 'database' | 'metrics' | 'maxResultBytes'>>;
  private readonly maxResultBytes: number;
  private readonly log: AnalyticsLog;
  private readonly metrics: AnalyticsMetrics | undefined;

  private link: WorkerProcess | null = null;
  private ready = false;
  private initialized = false;
  private closed = false;
  private readyAt = 0;
  private lastExit: { code: number | null; signal: string | null; at: number } | null = null;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private readyWaiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  private readonly queued: PendingQuery[] = [];
  private readonly running = new Set<PendingQuery>();
  private readonly batches: Batch[] = [];
  private bufferedRows = 0;
  private inserting: Batch | null = null;
  private drainWaiters: Array<() => void> = [];

  private counts = { restarts: 0, childExits: 0, queryTimeouts: 0, killedForOverrun: 0, resultMismatches: 0, insertRetries: 0, rejectedBufferFull: 0, rejectedBusy: 0 };

  constructor(opts: ChdbStoreOptions = {}) {
    this.database = assertDatabaseName(opts.database ?? DEFAULT_DATABASE);
    this.log = opts.log ?? silentLog;
    this.metrics = opts.metrics;
    this.maxResultBytes = opts.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    this.o = {
      dataPath: opts.dataPath ?? DEFAULT_CHDB_DATA_PATH,
      queryTimeoutMs: opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
      defaultMaxRows: opts.defaultMaxRows ?? DEFAULT_MAX_ROWS,
      readers: Math.max(1, opts.readers ?? DEFAULT_CHDB_READERS),
      maxQueuedQueries: opts.maxQueuedQueries ?? DEFAULT_MAX_QUEUED_QUERIES,
      maxBufferedRows: opts.maxBufferedRows ?? DEFAULT_MAX_BUFFERED_ROWS,
      insertTimeoutMs: opts.insertTimeoutMs ?? DEFAULT_INSERT_TIMEOUT_MS,
      maxInsertAttempts: opts.maxInsertAttempts ?? DEFAULT_MAX_INSERT_ATTEMPTS,
      killGraceMs: opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
      startTimeoutMs: opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
      closeTimeoutMs: opts.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
      restartBackoffMinMs: opts.restartBackoffMinMs ?? DEFAULT_RESTART_BACKOFF_MIN_MS,
      restartBackoffMaxMs: opts.restartBackoffMaxMs ?? DEFAULT_RESTART_BACKOFF_MAX_MS,
      queryThreads: Math.max(1, opts.queryThreads ?? DEFAULT_QUERY_THREADS),
      workerNiceness: opts.workerNiceness ?? DEFAULT_WORKER_NICENESS,
    };
  }

  /** The worker's process id while one is running (tests kill it to check recovery). */
  get pid(): number | undefined {
    return this.link?.alive ? this.link.pid : undefined;
  }

  stats(): ChdbStoreStats {
    return {
      ready: this.ready,
      pid: this.pid,
      ...this.counts,
      queuedQueries: this.queued.length,
      runningQueries: this.running.size,
      bufferedRows: this.bufferedRows,
      bufferedBatches: this.batches.length,
    };
  }

  /**
   * Checks the data path, starts the worker and creates the tables. Rejects with
   * AnalyticsInitError (ANALYTICS_UNAVAILABLE) whose message names the data path and the reason.
   */
  async init(): Promise<void> {
    if (this.closed) throw new LinliError(AnalyticsError.UNAVAILABLE, { reason: 'closed' });
    if (this.initialized) return this.whenReady();
    checkDataPath(this.o.dataPath);
    try {
      await this.start();
    } catch (err) {
      const message = errorText(err);
      throw new AnalyticsInitError(`chDB did not start on data path ${this.o.dataPath}: ${message}`, { reason: 'chDB did not start', dataPath: this.o.dataPath, message }, { cause: err });
    }
    this.initialized = true;
    this.log.info('analytics store ready', { kind: this.kind, dataPath: this.o.dataPath, pid: this.pid });
  }

  health(): StoreHealth {
    if (this.closed) return { ok: false, kind: this.kind, detail: 'closed' };
    if (!this.initialized) return { ok: false, kind: this.kind, detail: 'not initialised' };
    if (this.ready && this.link?.alive) return { ok: true, kind: this.kind };
    const exit = this.lastExit;
    const why = exit ? `the chDB worker exited (code ${exit.code}, signal ${exit.signal}) ${Math.round((Date.now() - exit.at) / 1000)} s ago` : 'the chDB worker is starting';
    return { ok: false, kind: this.kind, detail: `${why}; restarting (${this.counts.restarts} restarts so far)` };
  }

  /** Resolves when a worker is up and initialised (immediately if it is). */
  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (this.closed) return Promise.reject(new LinliError(AnalyticsError.UNAVAILABLE, { reason: 'closed' }));
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  insertRoomEvents(rows: readonly JournalRecord[]): Promise<void> {
    return this.enqueueInsert({ table: 'room_events', rows });
  }

  insertReadings(rows: readonly DeviceReading[]): Promise<void> {
    return this.enqueueInsert({ table: 'device_readings', rows });
  }

  query(sql: string, opts: QueryOptions = {}): Promise<QueryResult> {
    return countQuery(this.metrics, this.runQuery(sql, opts));
  }

  private runQuery(sql: string, opts: QueryOptions): Promise<QueryResult> {
    const t0 = performance.now();
    if (this.closed) return Promise.reject(new LinliError(AnalyticsError.UNAVAILABLE, { reason: 'closed' }));
    const check = checkReadOnly(sql, { catalog: opts.catalog === true });
    if (!check.ok) return Promise.reject(new LinliError(AnalyticsError.NOT_READ_ONLY, { reason: check.reason, ...(check.token ? { token: check.token } : {}) }));
    if (this.queued.length >= this.o.maxQueuedQueries) {
      this.counts.rejectedBusy++;
      return Promise.reject(new LinliError(AnalyticsError.BUSY, { queued: this.queued.length }));
    }
    const timeoutMs = Math.max(1, Math.min(opts.timeoutMs ?? this.o.queryTimeoutMs, this.o.queryTimeoutMs));
    const maxRows = Math.max(0, Math.floor(opts.maxRows ?? this.o.defaultMaxRows));
    return new Promise<QueryResult>((resolve, reject) => {
      const maxBytes = Math.max(0, Math.min(opts.maxBytes ?? this.maxResultBytes, this.maxResultBytes));
      const q: PendingQuery = { sql: check.statement, stream: check.kind === 'select', maxRows, maxBytes, t0, resolve, reject, settled: false };
      q.deadline = setTimeout(() => this.onDeadline(q, timeoutMs), timeoutMs);
      this.queued.push(q);
      this.pumpQueries();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    for (const w of this.readyWaiters.splice(0)) w.reject(new LinliError(AnalyticsError.UNAVAILABLE, { reason: 'closed' }));
    for (const q of this.queued.splice(0)) this.settle(q, new LinliError(AnalyticsError.UNAVAILABLE, { reason: 'closed' }));
    if (this.ready) await this.drainInserts(this.o.closeTimeoutMs);
    for (const b of this.batches.splice(0)) b.reject(new LinliError(AnalyticsError.UNAVAILABLE, { reason: 'closed before the rows were stored' }));
    this.bufferedRows = 0;
    const link = this.link;
    this.ready = false;
    if (!link) return;
    const stop = setTimeout(() => link.kill(), this.o.closeTimeoutMs);
    await link.call({ op: 'close' }).reply.catch(() => undefined); // exit is awaited next either way
    await link.exited;
    clearTimeout(stop);
    this.link = null;
  }

  // ---- child supervision ----

  private async start(): Promise<void> {
    const link = new WorkerProcess(this.o.workerNiceness);
    this.link = link;
    void link.exited.then((info) => this.onExit(link, info.code, info.signal));
    const timer = setTimeout(() => link.kill(), this.o.startTimeoutMs);
    try {
      await link.call({
        op: 'init',
        init: {
          dataPath: this.o.dataPath,
          database: this.database,
          ddl: ddlStatements(this.database),
          readers: this.o.readers,
          maxExecutionSeconds: (this.o.queryTimeoutMs + ENGINE_MARGIN_MS) / 1000,
          maxThreads: this.o.queryThreads,
        },
      }).reply;
    } catch (err) {
      link.kill();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    if (this.link !== link || this.closed) return;
    this.ready = true;
    this.readyAt = Date.now();
    if (this.lastExit) this.log.info('chDB worker restarted', { pid: link.pid, restarts: this.counts.restarts, downMs: this.readyAt - this.lastExit.at, bufferedRows: this.bufferedRows });
    for (const w of this.readyWaiters.splice(0)) w.resolve();
    this.pumpInserts();
    this.pumpQueries();
  }

  private onExit(link: WorkerProcess, code: number | null, signal: string | null): void {
    if (this.link !== link) return;
    this.link = null;
    this.ready = false;
    this.counts.childExits++;
    this.lastExit = { code, signal, at: Date.now() };
    for (const q of [...this.running]) {
      this.running.delete(q);
      this.settle(q, new LinliError(AnalyticsError.UNAVAILABLE, { reason: 'the analytics engine restarted during the query' }));
    }
    if (this.closed || !this.initialized) return;
    if (Date.now() - this.readyAt >= STABLE_AFTER_MS) this.failures = 0;
    const delay = Math.min(this.o.restartBackoffMaxMs, this.o.restartBackoffMinMs * 2 ** this.failures);
    this.failures++;
    this.log.warn('chDB worker exited; restarting', {
      pid: link.pid, code, signal, delayMs: delay, bufferedRows: this.bufferedRows, runningQueries: this.running.size,
      ...(code === EXIT_READER_LOST ? { reason: 'a reader connection could not be reopened' } : {}),
    });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.closed) return;
      this.counts.restarts++;
      countWorkerRestart(this.metrics);
      this.start().catch((err) => this.log.warn('chDB worker failed to start', { err: errorText(err) })); // its exit schedules the next try
    }, delay);
  }

  // ---- queries ----

  private pumpQueries(): void {
    while (this.ready && this.link?.alive && this.running.size < this.o.readers && this.queued.length > 0) {
      const q = this.queued.shift()!;
      if (q.settled) continue;
      this.dispatch(q, this.link);
    }
  }

  private dispatch(q: PendingQuery, link: WorkerProcess): void {
    const { id, reply } = link.call({ op: 'query', sql: q.sql, stream: q.stream, maxRows: q.maxRows, maxBytes: q.maxBytes });
    q.link = link;
    q.id = id;
    q.dispatchedAt = performance.now();
    this.running.add(q);
    reply.then(
      (ok) => {
        const r = ok.result ?? { columns: [], rows: [], truncated: false };
        this.settle(q, null, { ...r, rowCount: r.rows.length, elapsedMs: Math.round(performance.now() - q.t0) });
      },
      (err) => {
        if (err instanceof WorkerReplyError && err.kind === 'mismatch') {
          this.counts.resultMismatches++;
          this.log.warn('chDB returned output that does not belong to the query; withheld, reader replaced', { pid: link.pid, message: errorText(err) });
        }
        this.settle(q, queryError(err));
      },
    ).finally(() => {
      if (q.overrun) clearTimeout(q.overrun);
      this.running.delete(q);
      this.pumpQueries();
    });
  }

  private onDeadline(q: PendingQuery, timeoutMs: number): void {
    if (q.settled) return;
    const link = q.link;
    if (!link || q.id === undefined || q.dispatchedAt === undefined) {
      const i = this.queued.indexOf(q);
      if (i >= 0) this.queued.splice(i, 1);
      // Never started: when the engine is down say so, rather than blame the query.
      if (!this.ready) return this.settle(q, new LinliError(AnalyticsError.UNAVAILABLE, { reason: 'the analytics engine is restarting' }));
      this.counts.queryTimeouts++;
      return this.settle(q, new LinliError(AnalyticsError.TIMEOUT, { timeoutMs, reason: 'waited for a free reader' }));
    }
    this.counts.queryTimeouts++;
    this.settle(q, new LinliError(AnalyticsError.TIMEOUT, { timeoutMs }));
    link.notify({ op: 'cancel', id: q.id });
    // The engine stops the query itself at max_execution_time; only a child that overruns that is killed.
    const overrunMs = q.dispatchedAt + this.o.queryTimeoutMs + ENGINE_MARGIN_MS + this.o.killGraceMs - performance.now();
    q.overrun = setTimeout(() => {
      if (!this.running.has(q) || this.link !== link) return;
      this.counts.killedForOverrun++;
      this.log.warn('chDB query overran its engine limit; killing the worker', { pid: link.pid });
      link.kill();
    }, Math.max(0, overrunMs));
  }

  private settle(q: PendingQuery, err: Error | null, result?: QueryResult): void {
    if (q.settled) return;
    q.settled = true;
    if (q.deadline) clearTimeout(q.deadline);
    if (err) q.reject(err);
    else q.resolve(result!);
  }

  // ---- inserts ----

  private enqueueInsert(rows: InsertRows): Promise<void> {
    const count = rows.rows.length;
    if (count === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(new LinliError(AnalyticsError.UNAVAILABLE, { reason: 'closed' }));
    if (this.bufferedRows + count > this.o.maxBufferedRows) {
      this.counts.rejectedBufferFull++;
      return Promise.reject(new LinliError(AnalyticsError.BUFFER_FULL, { bufferedRows: this.bufferedRows, maxBufferedRows: this.o.maxBufferedRows }));
    }
    return new Promise<void>((resolve, reject) => {
      this.batches.push({ rows, count, attempts: 0, resolve, reject });
      this.bufferedRows += count;
      this.pumpInserts();
    });
  }

  private pumpInserts(): void {
    // `alive` too: a dead child's replies reject before its exit is handled (onExit clears `ready`).
    if (!this.ready || !this.link?.alive || this.inserting || this.batches.length === 0) return;
    const link = this.link;
    const b = this.batches[0]!;
    this.inserting = b;
    b.attempts++;
    if (b.attempts > 1) this.counts.insertRetries++;
    const hung = setTimeout(() => {
      this.log.warn('chDB insert hung; killing the worker', { pid: link.pid, rows: b.count });
      link.kill();
    }, this.o.insertTimeoutMs);
    link.call({ op: 'insert', batch: b.rows }).reply.then(
      () => this.finishBatch(b, null),
      (err) => {
        if (err instanceof WorkerGoneError) {
          // Stays at the head; the restarted worker gets it again with the same dedup token.
          if (b.attempts >= this.o.maxInsertAttempts) {
            this.finishBatch(b, new LinliError(AnalyticsError.INSERT_FAILED, { reason: 'the engine exited during this batch', attempts: b.attempts }));
          }
          return;
        }
        const ch = err instanceof WorkerReplyError ? err.clickhouseCode : undefined;
        const code = ch !== undefined && TRANSIENT_INSERT_CODES.has(ch) ? AnalyticsError.UNAVAILABLE : AnalyticsError.INSERT_FAILED;
        this.finishBatch(b, new LinliError(code, { clickhouseCode: ch, message: errorText(err) }));
      },
    ).finally(() => {
      clearTimeout(hung);
      this.inserting = null;
      this.pumpInserts();
    });
  }

  private finishBatch(b: Batch, err: Error | null): void {
    const i = this.batches.indexOf(b);
    if (i < 0) return;
    this.batches.splice(i, 1);
    this.bufferedRows -= b.count;
    if (err) b.reject(err);
    else b.resolve();
    if (this.batches.length === 0) for (const w of this.drainWaiters.splice(0)) w();
  }

  private drainInserts(timeoutMs: number): Promise<void> {
    if (this.batches.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.drainWaiters.push(() => { clearTimeout(t); resolve(); });
    });
  }
}

function queryError(err: unknown): LinliError {
  if (err instanceof WorkerGoneError) return new LinliError(AnalyticsError.UNAVAILABLE, { reason: 'the analytics engine restarted during the query' });
  if (err instanceof WorkerReplyError) {
    if (err.kind === 'mismatch') return new LinliError(AnalyticsError.UNAVAILABLE, { reason: 'the engine returned output of another query; it was withheld, retry' });
    const code = err.kind === 'query' ? codeForClickHouseError(err.clickhouseCode) : AnalyticsError.QUERY_FAILED;
    return new LinliError(code, { clickhouseCode: err.clickhouseCode, message: errorText(err) });
  }
  return new LinliError(AnalyticsError.QUERY_FAILED, { message: errorText(err) });
}

export function errorText(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.length > MAX_ERROR_TEXT ? m.slice(0, MAX_ERROR_TEXT) + '…' : m;
}
