/**
 * @module analytics/clickhouse.test
 * ClickHouseStore through the real `@clickhouse/client`: the shared store suite against the
 * server at CLICKHOUSE_URL (in a throwaway database, dropped afterwards) when it is set, and
 * always against a chDB-backed HTTP stand-in (testing/clickhouse-shim.ts). Each part prints why it
 * skips: CLICKHOUSE_URL unset, or `@clickhouse/client` not installed.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metrics } from '../engine/metrics.ts';
import { ClickHouseStore } from './clickhouse.ts';
import { AnalyticsError } from './errors.ts';
import { QUERIES_TOTAL } from './observe.ts';
import { journalRecords } from './testing/records.ts';
import { runStoreSuite } from './store.suite.ts';
import { startClickHouseShim, type ClickHouseShim } from './testing/clickhouse-shim.ts';

const CLIENT = '@clickhouse/client';
const clientInstalled = await import(CLIENT).then(() => true, () => false);
const serverUrl = process.env.CLICKHOUSE_URL;

const noClient = clientInstalled ? false : `${CLIENT} is not installed (npm i ${CLIENT})`;
const serverSkip = noClient || (serverUrl ? false : 'CLICKHOUSE_URL is not set: no ClickHouse server to test against');
if (noClient) console.log(`# SKIP ClickHouseStore tests: ${noClient}`);
if (serverSkip && !noClient) console.log(`# SKIP ClickHouseStore server suite: ${serverSkip}`);

describe('ClickHouseStore against CLICKHOUSE_URL', { skip: serverSkip }, () => {
  const database = `linli_test_${process.pid}_${Date.now()}`;
  runStoreSuite('ClickHouseStore(server)', async () => {
    const s = new ClickHouseStore({ url: serverUrl!, database });
    await s.init();
    return s;
  });
  after(async () => {
    const { createClient } = (await import(CLIENT)) as { createClient(c: object): { command(p: object): Promise<unknown>; close(): Promise<void> } };
    const admin = createClient({ url: serverUrl });
    await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await admin.close();
  });
});

describe('ClickHouseStore against a chDB-backed HTTP stand-in', { skip: noClient }, () => {
  let dir: string;
  let shim: ClickHouseShim;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'linli-ch-shim-'));
    shim = await startClickHouseShim(dir, 2);
  });
  after(async () => {
    await shim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  runStoreSuite('ClickHouseStore(shim)', async () => {
    const s = new ClickHouseStore({ url: shim.url, queryTimeoutMs: 1500 });
    await s.init();
    return s;
  });

  test('ClickHouseStore: a query → sent with readonly=1 and max_execution_time; an insert carries a dedup token', async () => {
    const s = new ClickHouseStore({ url: shim.url, queryTimeoutMs: 1500 });
    await s.init();
    try {
      await s.query('SELECT 1');
      const q = shim.requests.findLast((r) => r.body.startsWith('SELECT 1'))!;
      assert.equal(q.params.readonly, '1');
      assert.equal(q.params.max_execution_time, '1.75');
      assert.equal(q.params.database, 'linli');
      const ins = shim.requests.find((r) => r.params.query?.startsWith('INSERT INTO linli.room_events'));
      assert.ok(ins?.params.insert_deduplication_token, 'insert without a dedup token');
    } finally {
      await s.close();
    }
  });

  test('ClickHouseStore: a query the server refuses → health() stays ok (the server answered)', async () => {
    const s = new ClickHouseStore({ url: shim.url, queryTimeoutMs: 1500, pingIntervalMs: 0 });
    await s.init();
    try {
      await assert.rejects(s.query('SELECT no_such_column'), { code: AnalyticsError.QUERY_FAILED });
      assert.deepEqual(s.health(), { ok: true, kind: 'clickhouse' });
    } finally {
      await s.close();
    }
  });

  test('ClickHouseStore: query past its deadline → ANALYTICS_TIMEOUT at the deadline', async () => {
    const s = new ClickHouseStore({ url: shim.url, queryTimeoutMs: 1500 });
    await s.init();
    try {
      const t0 = performance.now();
      await assert.rejects(s.query('SELECT count() FROM numbers(1e12)', { timeoutMs: 300 }), { code: AnalyticsError.TIMEOUT });
      assert.ok(performance.now() - t0 < 1000);
    } finally {
      await s.close();
    }
  });

  test('ClickHouseStore: server unreachable → init rejects ANALYTICS_UNAVAILABLE', async () => {
    const s = new ClickHouseStore({ url: 'http://127.0.0.1:1', queryTimeoutMs: 500 });
    await assert.rejects(s.init(), { code: AnalyticsError.UNAVAILABLE });
    await assert.rejects(s.query('SELECT 1'), { code: AnalyticsError.UNAVAILABLE });
    assert.deepEqual(s.health(), { ok: false, kind: 'clickhouse', detail: 'not initialised' });
  });

  test('ClickHouseStore: server goes away → health() not ok after a failed ping or insert; queries counted by outcome', async () => {
    // A second stand-in on the same data directory (chDB allows one directory per process), stopped mid-test.
    const doomed = await startClickHouseShim(dir, 2);
    const metrics = new Metrics();
    const s = new ClickHouseStore({ url: doomed.url, queryTimeoutMs: 1500, pingIntervalMs: 0, metrics });
    try {
      await s.init();
      assert.deepEqual(s.health(), { ok: true, kind: 'clickhouse' });
      assert.equal(await s.ping(), true);
      await s.query('SELECT 1');
      await doomed.close();
      assert.equal(await s.ping(), false);
      const down = s.health();
      assert.equal(down.ok, false);
      assert.match(down.detail ?? '', /^ping failed: /);
      await assert.rejects(s.insertRoomEvents(journalRecords('c1', 'bldg-1', 1)), { code: AnalyticsError.UNAVAILABLE });
      assert.match(s.health().detail ?? '', /^insert failed: /);
      await assert.rejects(s.query('SELECT 1'), { code: AnalyticsError.UNAVAILABLE });
      assert.equal(metrics.get(QUERIES_TOTAL, { outcome: 'ok' }), 1);
      assert.equal(metrics.get(QUERIES_TOTAL, { outcome: 'unavailable' }), 1);
    } finally {
      await s.close();
    }
    assert.deepEqual(s.health(), { ok: false, kind: 'clickhouse', detail: 'closed' });
  });
});
