/**
 * @module analytics/chdb.test
 * The embedded store against real chDB: the shared store suite, then what only a child process
 * can show: a killed worker is restarted with nothing lost, and a slow query neither blocks the
 * parent's event loop nor outlives its deadline.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { AnalyticsError } from './errors.ts';
import { runStoreSuite } from './store.suite.ts';
import { openTempChdbStore, type TempChdbStore } from './testing/temp-store.ts';
import { journalRecords } from './testing/records.ts';

const SLOW_SQL = 'SELECT count() FROM numbers(1e12)';

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

  test('ChdbStore: query queue bound reached → ANALYTICS_BUSY', async () => {
    const store = await open({ readers: 1, maxQueuedQueries: 1, queryTimeoutMs: 1000 });
    const running = store.query(SLOW_SQL);
    const queued = store.query('SELECT 1');
    await assert.rejects(store.query('SELECT 2'), { code: AnalyticsError.BUSY });
    await assert.rejects(running, { code: AnalyticsError.TIMEOUT });
    await assert.rejects(queued, { code: AnalyticsError.TIMEOUT });
  });
});
