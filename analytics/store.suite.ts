/**
 * @module analytics/store.suite
 * The behaviour every AnalyticsStore must show, run by chdb.test.ts (always) and clickhouse.test.ts
 * (when CLICKHOUSE_URL is set). Each run gets a fresh store from `open()` and closes it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalyticsStore } from './contract.ts';
import { AnalyticsError } from './errors.ts';
import { journalRecords, readings, T0 } from './testing/records.ts';

export function runStoreSuite(name: string, open: () => Promise<AnalyticsStore>): void {
  let store: AnalyticsStore;
  before(async () => { store = await open(); });
  after(async () => { await store?.close(); });

  test(`${name}: inserted room events → SELECT count() returns them`, async () => {
    await store.insertRoomEvents(journalRecords('c1', 'bldg-1', 250));
    await store.insertRoomEvents(journalRecords('c1', 'bldg-2', 50));
    const r = await store.query("SELECT count() AS n, uniqExact(actor_id) AS actors FROM room_events WHERE community = 'c1'");
    assert.deepEqual(r.rows, [{ n: '300', actors: '2' }]);
    assert.deepEqual(r.columns, [{ name: 'n', type: 'UInt64' }, { name: 'actors', type: 'UInt64' }]);
    assert.equal(r.rowCount, 1);
    assert.equal(r.truncated, false);
  });

  test(`${name}: a stored event → keeps its time, type and JSON body`, async () => {
    const r = await store.query("SELECT seq, type, toUnixTimestamp64Milli(at) AS ms, JSONExtractString(event, 'text') AS text FROM room_events WHERE actor_id = 'bldg-2' AND seq = 7");
    assert.deepEqual(r.rows, [{ seq: '7', type: 'ChatPosted', ms: String(T0 + 7000), text: '楼上漏水了 7' }]);
  });

  test(`${name}: inserted readings → aggregate by device`, async () => {
    await store.insertReadings(readings('c1', 'bay-001', 100));
    const r = await store.query("SELECT device_id, count() AS n, sum(value) AS occupied FROM device_readings GROUP BY device_id");
    assert.deepEqual(r.rows, [{ device_id: 'bay-001', n: '100', occupied: 50 }]);
  });

  test(`${name}: the same batch sent twice (a retry) → stored once`, async () => {
    const batch = journalRecords('c-dedup', 'bldg-1', 20);
    await store.insertRoomEvents(batch);
    await store.insertRoomEvents(batch);
    const r = await store.query("SELECT count() AS n FROM room_events WHERE community = 'c-dedup'");
    assert.deepEqual(r.rows, [{ n: '20' }]);
  });

  test(`${name}: more rows than maxRows → capped and truncated`, async () => {
    const r = await store.query('SELECT number FROM numbers(100000)', { maxRows: 5 });
    assert.equal(r.rowCount, 5);
    assert.equal(r.truncated, true);
    assert.deepEqual(r.rows.map((x) => x.number), ['0', '1', '2', '3', '4']);
  });

  test(`${name}: SHOW and DESCRIBE → answered like SELECT`, async () => {
    const tables = await store.query('SHOW TABLES');
    assert.deepEqual(tables.rows.map((x) => x.name), ['device_readings', 'room_events']);
    const cols = await store.query('DESCRIBE TABLE room_events');
    assert.ok(cols.rows.some((x) => x.name === 'event' && x.type === 'String'));
  });

  test(`${name}: a write statement → ANALYTICS_NOT_READ_ONLY and nothing changes`, async () => {
    await assert.rejects(store.query('DROP TABLE room_events'), { code: AnalyticsError.NOT_READ_ONLY });
    await assert.rejects(store.query("SELECT * FROM file('/etc/passwd', 'LineAsString')"), { code: AnalyticsError.NOT_READ_ONLY });
    await assert.rejects(store.query('SELECT 1 SETTINGS readonly = 0'), { code: AnalyticsError.NOT_READ_ONLY });
    const r = await store.query('EXISTS TABLE room_events');
    assert.deepEqual(r.rows, [{ result: 1 }]);
  });

  test(`${name}: an unknown column → ANALYTICS_QUERY_FAILED with the engine's code`, async () => {
    await assert.rejects(store.query('SELECT no_such_column FROM room_events'), (err: { code: string; details: { clickhouseCode: number } }) => {
      assert.equal(err.code, AnalyticsError.QUERY_FAILED);
      assert.equal(err.details.clickhouseCode, 47);
      return true;
    });
  });
}
