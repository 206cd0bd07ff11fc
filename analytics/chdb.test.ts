/**
 * @module analytics/chdb.test
 * The embedded store against real chDB: the shared store suite, then what only a child process
 * can show: a killed worker is restarted with nothing lost (and says so in logs, metrics and
 * health()), a slow query neither blocks the parent's event loop nor outlives its deadline, and
 * a query that timed out or failed never leaks its output into a later query's result.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Metrics } from '../engine/metrics.ts';
import type { ColumnInfo, QueryOptions } from './contract.ts';
import { AnalyticsError } from './errors.ts';
import { QUERIES_TOTAL, WORKER_RESTARTS_TOTAL } from './observe.ts';
import { runStoreSuite } from './store.suite.ts';
import { openTempChdbStore, TempChdbStore } from './testing/temp-store.ts';
import { journalRecords } from './testing/records.ts';
import { watchedLog } from './testing/log.ts';

const SLOW_SQL = 'SELECT count() FROM numbers(1e12)';
/** An aggregation: its header is written at once, its one row only at the end, which the engine's limit never lets come. */
const SLOW_AGGREGATE_SQL = 'SELECT count() AS slow FROM numbers(10000000000) WHERE cityHash64(number) % 7 = 3';
/** Fails at run time, after the output header was written (unlike an unknown column, refused before). */
const FAILS_MIDWAY_SQL = "SELECT throwIf(number = 3, 'boom') AS early FROM numbers(10)";

async function expectOwn(store: TempChdbStore, sql: string, columns: ColumnInfo[], rows: Record<string, unknown>[], opts?: QueryOptions): Promise<void> {
  const r = await store.query(sql, opts);
  assert.deepEqual({ columns: r.columns, rows: r.rows }, { columns, rows }, `result of ${sql}`);
}

describe('chdb store (shared suite)', () => {
  runStoreSuite('ChdbStore', () => openTempChdbStore());
});

describe('chdb store (child process)', () => {
  const stores: TempChdbStore[] = [];
  after(async () => { await Promise.all(stores.map((s) => s.close())); });
  const open = async (opts: Parameters<typeof openTempChdbStore>[0] = {}) => {
    const s = await openTempChdbStore(opts);
    stores.push(s);
    return s;
  };

  test('ChdbStore: a result over the byte cap (one huge row, or many rows) → cut in the child and marked truncated by bytes; the next query is whole', async () => {
    const store = await open({ maxResultBytes: 64 * 1024 });
    const huge = await store.query("SELECT arrayMap(x -> repeat('a', 100000), range(300)) AS a");
    assert.deepEqual([huge.rows.length, huge.truncated, huge.truncatedBy], [0, true, 'bytes'], 'a 30 MB row is never sent');
    const many = await store.query("SELECT repeat('b', 1000) AS s FROM numbers(1000)");
    assert.equal(many.truncated, true);
    assert.equal(many.truncatedBy, 'bytes');
    assert.ok(many.rows.length > 10 && many.rows.length < 70, `rows kept under 64 KiB: ${many.rows.length}`);
    const rows = await store.query("SELECT repeat('b', 1000) AS s FROM numbers(1000)", { maxRows: 5 });
    assert.deepEqual([rows.rows.length, rows.truncatedBy], [5, 'rows']);
    await expectOwn(store, 'SELECT 1 AS one', [{ name: 'one', type: 'UInt8' }], [{ one: 1 }]);
  });

  test('ChdbStore: worker killed mid-run → restarted, query in flight fails ANALYTICS_UNAVAILABLE, no accepted row lost', async () => {
    const store = await open({ queryTimeoutMs: 20_000, restartBackoffMinMs: 50 });
    await store.insertRoomEvents(journalRecords('c1', 'bldg-1', 1000));
    const firstPid = store.pid!;
    const inFlight = store.query(SLOW_SQL);
    // Twenty batches accepted before the kill; some are in the worker when it dies.
    const inserts = Array.from({ length: 20 }, (_, i) => store.insertRoomEvents(journalRecords('c1', 'bldg-2', 500, 1 + i * 500)));
    process.kill(firstPid, 'SIGKILL');
    await assert.rejects(inFlight, { code: AnalyticsError.UNAVAILABLE });
    await Promise.all(inserts);
    await store.whenReady();
    assert.notEqual(store.pid, firstPid);
    const r = await store.query("SELECT count() AS n, uniqExact(actor_id, seq) AS distinct_rows FROM room_events");
    assert.deepEqual(r.rows, [{ n: '11000', distinct_rows: '11000' }]);
    await store.insertRoomEvents(journalRecords('c1', 'bldg-3', 10));
    assert.deepEqual((await store.query('SELECT count() AS n FROM room_events')).rows, [{ n: '11010' }]);
    const stats = store.stats();
    assert.equal(stats.restarts, 1);
    assert.equal(stats.bufferedRows, 0);
  });

  test('ChdbStore: slow query running → parent event loop keeps ticking, caller gets ANALYTICS_TIMEOUT at its deadline', async () => {
    const store = await open({ queryTimeoutMs: 1500 });
    let last = performance.now();
    let worstGapMs = 0;
    let ticks = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      worstGapMs = Math.max(worstGapMs, now - last);
      last = now;
      ticks++;
    }, 10);
    try {
      const t0 = performance.now();
      const slow = store.query(SLOW_SQL, { timeoutMs: 600 });
      // The second reader still answers while the first grinds.
      const fast = await store.query('SELECT 42 AS answer');
      assert.deepEqual(fast.rows, [{ answer: 42 }]);
      await assert.rejects(slow, { code: AnalyticsError.TIMEOUT });
      const waited = performance.now() - t0;
      assert.ok(waited >= 590 && waited < 1100, `rejected after ${Math.round(waited)} ms`);
      // Store-level deadline with no per-query timeout.
      const t1 = performance.now();
      await assert.rejects(store.query(SLOW_SQL), { code: AnalyticsError.TIMEOUT });
      assert.ok(performance.now() - t1 < 2500);
    } finally {
      clearInterval(ticker);
    }
    assert.ok(ticks > 50, `only ${ticks} ticks`);
    assert.ok(worstGapMs < 200, `event loop stalled for ${Math.round(worstGapMs)} ms`);
    // The engine stopped the query itself (max_execution_time); the worker was not killed.
    assert.equal(store.stats().killedForOverrun, 0);
    assert.equal(store.stats().childExits, 0);
  });

  test('ChdbStore: buffer bound reached → insert rejects ANALYTICS_BUFFER_FULL and keeps nothing', async () => {
    const store = await open({ maxBufferedRows: 100 });
    await assert.rejects(store.insertRoomEvents(journalRecords('c1', 'bldg-9', 101)), { code: AnalyticsError.BUFFER_FULL });
    await store.insertRoomEvents(journalRecords('c1', 'bldg-9', 100));
    assert.deepEqual((await store.query('SELECT count() AS n FROM room_events')).rows, [{ n: '100' }]);
    assert.equal(store.stats().rejectedBufferFull, 1);
  });

  test('ChdbStore: query queue bound reached → ANALYTICS_BUSY, counted as outcome busy', async () => {
    const metrics = new Metrics();
    const store = await open({ readers: 1, maxQueuedQueries: 1, queryTimeoutMs: 1000, metrics });
    const running = store.query(SLOW_SQL);
    const queued = store.query('SELECT 1');
    await assert.rejects(store.query('SELECT 2'), { code: AnalyticsError.BUSY });
    await assert.rejects(running, { code: AnalyticsError.TIMEOUT });
    await assert.rejects(queued, { code: AnalyticsError.TIMEOUT });
    assert.equal(metrics.get(QUERIES_TOTAL, { outcome: 'busy' }), 1);
    assert.equal(metrics.get(QUERIES_TOTAL, { outcome: 'timeout' }), 2);
  });

  test('ChdbStore: query timed out, then queries one after another on its reader → each gets exactly its own columns and rows', async () => {
    const store = await open({ readers: 1, queryTimeoutMs: 1000 });
    await store.insertRoomEvents(journalRecords('c1', 'bldg-1', 3));
    const described = await store.query('DESCRIBE TABLE room_events');
    await assert.rejects(store.query(SLOW_AGGREGATE_SQL), { code: AnalyticsError.TIMEOUT });
    // One reader: each of these runs on the connection the timed-out query ran on.
    await expectOwn(store, "SELECT 'first' AS a", [{ name: 'a', type: 'String' }], [{ a: 'first' }]);
    await expectOwn(store, "SELECT 'second' AS b", [{ name: 'b', type: 'String' }], [{ b: 'second' }]);
    await assert.rejects(store.query(SLOW_AGGREGATE_SQL), { code: AnalyticsError.TIMEOUT });
    const again = await store.query('DESCRIBE TABLE room_events'); // runs buffered, not streamed
    assert.deepEqual({ columns: again.columns, rows: again.rows }, { columns: described.columns, rows: described.rows });
    await expectOwn(store, 'SELECT seq FROM room_events ORDER BY seq', [{ name: 'seq', type: 'UInt64' }], [{ seq: '1' }, { seq: '2' }, { seq: '3' }]);
    assert.equal(store.stats().resultMismatches, 0);
  });

  test('ChdbStore: 8 queries time out at once → every query after them gets exactly its own result, outcomes counted', async () => {
    const metrics = new Metrics();
    const store = await open({ queryTimeoutMs: 1000, metrics });
    const slow = Array.from({ length: 8 }, () => store.query(SLOW_AGGREGATE_SQL));
    for (const q of slow) await assert.rejects(q, { code: AnalyticsError.TIMEOUT });
    const concurrent = await Promise.all(Array.from({ length: 6 }, (_, i) => store.query(`SELECT ${i} AS n${i}, 'q${i}' AS s${i}`)));
    concurrent.forEach((r, i) => {
      assert.deepEqual(r.columns, [{ name: `n${i}`, type: 'UInt8' }, { name: `s${i}`, type: 'String' }], `columns of query ${i}`);
      assert.deepEqual(r.rows, [{ [`n${i}`]: i, [`s${i}`]: `q${i}` }], `rows of query ${i}`);
    });
    for (let i = 0; i < 4; i++) await expectOwn(store, `SELECT number * ${i} AS m FROM numbers(3)`, [{ name: 'm', type: 'UInt64' }], [{ m: '0' }, { m: String(i) }, { m: String(2 * i) }]);
    assert.equal(metrics.get(QUERIES_TOTAL, { outcome: 'timeout' }), 8);
    assert.equal(metrics.get(QUERIES_TOTAL, { outcome: 'ok' }), 10);
    assert.equal(store.stats().resultMismatches, 0);
  });

  test('ChdbStore: query fails mid-run → the next streamed and buffered queries on its reader get exactly their own result', async () => {
    const store = await open({ readers: 1 });
    const described = await store.query('DESCRIBE TABLE room_events');
    await assert.rejects(store.query(FAILS_MIDWAY_SQL), { code: AnalyticsError.QUERY_FAILED });
    const again = await store.query('DESCRIBE TABLE room_events');
    assert.deepEqual({ columns: again.columns, rows: again.rows }, { columns: described.columns, rows: described.rows });
    await assert.rejects(store.query(FAILS_MIDWAY_SQL), { code: AnalyticsError.QUERY_FAILED });
    await expectOwn(store, "SELECT 'after' AS x", [{ name: 'x', type: 'String' }], [{ x: 'after' }]);
    // A capped read stops early; the reader it used is replaced too, and answers correctly.
    await expectOwn(store, 'SELECT number AS k FROM numbers(100000)', [{ name: 'k', type: 'UInt64' }], [{ k: '0' }, { k: '1' }], { maxRows: 2 });
    await expectOwn(store, "SELECT 'last' AS y", [{ name: 'y', type: 'String' }], [{ y: 'last' }]);
  });

  test('ChdbStore: worker killed → warn with pid and signal, health not ok, info on restart, restart counted', async () => {
    const log = watchedLog();
    const metrics = new Metrics();
    const store = await open({ log, metrics, restartBackoffMinMs: 50 });
    assert.deepEqual(store.health(), { ok: true, kind: 'chdb' });
    const pid = store.pid!;
    process.kill(pid, 'SIGKILL');
    const died = await log.next('warn', 'chDB worker exited');
    assert.equal(died.fields.pid, pid);
    assert.equal(died.fields.signal, 'SIGKILL');
    const down = store.health();
    assert.equal(down.ok, false);
    assert.match(down.detail ?? '', /exited \(code null, signal SIGKILL\)/);
    const back = await log.next('info', 'chDB worker restarted');
    assert.equal(back.fields.pid, store.pid);
    assert.deepEqual(store.health(), { ok: true, kind: 'chdb' });
    assert.equal(metrics.get(WORKER_RESTARTS_TOTAL), 1);
    assert.equal(store.stats().restarts, 1);
  });

  test('ChdbStore: health() before init, when up, after close → not initialised, ok, closed', async () => {
    const store = new TempChdbStore();
    try {
      assert.deepEqual(store.health(), { ok: false, kind: 'chdb', detail: 'not initialised' });
      await store.init();
      assert.deepEqual(store.health(), { ok: true, kind: 'chdb' });
    } finally {
      await store.close();
    }
    assert.deepEqual(store.health(), { ok: false, kind: 'chdb', detail: 'closed' });
  });

  test('ChdbStore: queries that succeed, are refused or fail → analytics_queries_total by outcome', async () => {
    const metrics = new Metrics();
    const store = await open({ metrics });
    await store.query('SELECT 1');
    await assert.rejects(store.query('DROP TABLE room_events'), { code: AnalyticsError.NOT_READ_ONLY });
    await assert.rejects(store.query('SELECT no_such_column FROM room_events'), { code: AnalyticsError.QUERY_FAILED });
    const counted = Object.fromEntries(['ok', 'rejected', 'failed', 'busy', 'timeout', 'unavailable'].map((o) => [o, metrics.get(QUERIES_TOTAL, { outcome: o })]));
    assert.deepEqual(counted, { ok: 1, rejected: 1, failed: 1, busy: 0, timeout: 0, unavailable: 0 });
  });
});

describe('chdb store (result size)', () => {
  test('ChdbStore.query: one row bigger than the 16 MiB result cap → ANALYTICS_QUERY_FAILED, the server never receives it, later queries exact', async () => {
    const store = await openTempChdbStore();
    try {
      await assert.rejects(store.query('SELECT groupArray(number) AS g FROM numbers(5000000)'), (e: { code?: string }) => e.code === AnalyticsError.QUERY_FAILED);
      const after = await store.query("SELECT 'after' AS a");
      assert.deepEqual(after.rows, [{ a: 'after' }]);
      const small = await store.query('SELECT groupArray(number) AS g FROM numbers(1000)');
      assert.equal((small.rows[0].g as unknown[]).length, 1000);
    } finally {
      await store.close();
    }
  });
});
