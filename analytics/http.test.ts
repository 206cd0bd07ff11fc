/**
 * @module analytics/http.test
 * The analyst's HTTP routes over a real chDB store: rows for a SELECT, a typed failure in the
 * `{ok:false, code, message:{zh-CN,en}, retryable}` shape for everything else.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpRequest, HttpResponse, Route } from '../engine/http/contract.ts';
import { analyticsRoutes } from './http.ts';
import { openTempChdbStore, type TempChdbStore } from './testing/temp-store.ts';
import { journalRecords } from './testing/records.ts';

let store: TempChdbStore;
let routes: Route[];
before(async () => {
  store = await openTempChdbStore({ queryTimeoutMs: 2000 });
  await store.insertRoomEvents(journalRecords('c1', 'bldg-1', 40));
  routes = analyticsRoutes(store, { maxRows: 25 });
});
after(async () => { await store.close(); });

function request(method: 'GET' | 'POST', pathAndQuery: string, body?: string | Uint8Array): Promise<HttpResponse> | HttpResponse {
  const url = new URL(pathAndQuery, 'http://x');
  const route = routes.find((r) => r.method === method && r.path === url.pathname);
  assert.ok(route, `no route ${method} ${url.pathname}`);
  const req: HttpRequest = {
    method, path: url.pathname, query: url.searchParams, headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? new TextEncoder().encode(body) : body ?? new Uint8Array(),
  };
  return route.handle(req);
}

async function call(method: 'GET' | 'POST', path: string, body?: string | Uint8Array) {
  const res = await request(method, path, body);
  return { status: res.status, body: JSON.parse(String(res.body)) as Record<string, any> };
}

const post = (sql: unknown) => call('POST', '/api/analytics/query', JSON.stringify({ sql }));

test('POST /api/analytics/query: SELECT → 200 with columns, rows, rowCount, truncated, elapsedMs', async () => {
  const { status, body } = await post('SELECT actor_id, count() AS n FROM room_events GROUP BY actor_id');
  assert.equal(status, 200);
  assert.equal(body.ok, true);
  assert.deepEqual(body.columns, [{ name: 'actor_id', type: 'String' }, { name: 'n', type: 'UInt64' }]);
  assert.deepEqual(body.rows, [{ actor_id: 'bldg-1', n: '40' }]);
  assert.equal(body.rowCount, 1);
  assert.equal(body.truncated, false);
  assert.equal(typeof body.elapsedMs, 'number');
});

test('GET /api/analytics/query: sql in the query string → 200, capped at the route maxRows', async () => {
  const { status, body } = await call('GET', `/api/analytics/query?sql=${encodeURIComponent('SELECT seq FROM room_events ORDER BY seq')}`);
  assert.equal(status, 200);
  assert.equal(body.rowCount, 25);
  assert.equal(body.truncated, true);
  const fewer = await call('GET', `/api/analytics/query?maxRows=3&sql=${encodeURIComponent('SELECT seq FROM room_events')}`);
  assert.equal(fewer.body.rowCount, 3);
});

for (const [name, sql] of [
  ['DROP TABLE', 'DROP TABLE room_events'],
  ['INSERT', "INSERT INTO room_events (community) VALUES ('x')"],
  ['multiple statements', 'SELECT 1; DROP TABLE room_events'],
] as const) {
  test(`POST /api/analytics/query: ${name} → 400 ANALYTICS_NOT_READ_ONLY in both languages`, async () => {
    const { status, body } = await post(sql);
    assert.equal(status, 400);
    assert.equal(body.ok, false);
    assert.equal(body.code, 'ANALYTICS_NOT_READ_ONLY');
    assert.equal(body.retryable, false);
    assert.ok(body.message['zh-CN'] && body.message.en);
  });
}

for (const sql of ['SELECT name FROM system.tables', 'SELECT * FROM `system`.`tables`', 'SELECT query FROM system.processes', 'SELECT * FROM INFORMATION_SCHEMA.TABLES']) {
  test(`POST /api/analytics/query: ${sql} → 400 ANALYTICS_NOT_READ_ONLY (forbidden_database); the tables route still lists linli's`, async () => {
    const { status, body } = await post(sql);
    assert.deepEqual([status, body.code, body.details?.reason], [400, 'ANALYTICS_NOT_READ_ONLY', 'forbidden_database']);
    const tables = await call('GET', '/api/analytics/tables');
    assert.equal(tables.status, 200);
  });
}

test('POST /api/analytics/query: table still there after the refused DROP → rows unchanged', async () => {
  const { body } = await post('SELECT count() AS n FROM room_events');
  assert.deepEqual(body.rows, [{ n: '40' }]);
});

test('POST /api/analytics/query: malformed JSON body → 400 ENGINE_BAD_INPUT', async () => {
  const { status, body } = await call('POST', '/api/analytics/query', '{"sql": "SELECT 1"');
  assert.equal(status, 400);
  assert.equal(body.code, 'ENGINE_BAD_INPUT');
  const notUtf8 = await call('POST', '/api/analytics/query', new Uint8Array([0xff, 0xfe, 0x7b]));
  assert.equal(notUtf8.body.code, 'ENGINE_BAD_INPUT');
  const notObject = await call('POST', '/api/analytics/query', '["SELECT 1"]');
  assert.equal(notObject.body.code, 'ENGINE_BAD_INPUT');
});

test('POST /api/analytics/query: empty or missing sql → 400 ENGINE_BAD_INPUT', async () => {
  for (const sql of ['', '   ', undefined, 42]) {
    const { status, body } = await post(sql);
    assert.equal(status, 400, `sql=${JSON.stringify(sql)}`);
    assert.equal(body.code, 'ENGINE_BAD_INPUT');
  }
  const get = await call('GET', '/api/analytics/query');
  assert.equal(get.body.code, 'ENGINE_BAD_INPUT');
});

test('POST /api/analytics/query: bad maxRows → 400 ENGINE_BAD_INPUT', async () => {
  const { status, body } = await call('POST', '/api/analytics/query', JSON.stringify({ sql: 'SELECT 1', maxRows: -1 }));
  assert.equal(status, 400);
  assert.equal(body.details.field, 'maxRows');
});

test('POST /api/analytics/query: engine error → 400 ANALYTICS_QUERY_FAILED with the engine message', async () => {
  const { status, body } = await post('SELECT nope FROM room_events');
  assert.equal(status, 400);
  assert.equal(body.code, 'ANALYTICS_QUERY_FAILED');
  assert.match(body.details.message, /nope/);
});

test('POST /api/analytics/query: query past the deadline → 504 ANALYTICS_TIMEOUT', async () => {
  const { status, body } = await post('SELECT count() FROM numbers(1e12)');
  assert.equal(status, 504);
  assert.equal(body.code, 'ANALYTICS_TIMEOUT');
});

test('POST /api/analytics/query: 504 for a slow aggregation, then small queries one by one → each 200 with its own columns and rows', async () => {
  const slow = await post('SELECT count() AS slow FROM numbers(10000000000) WHERE cityHash64(number) % 7 = 3');
  assert.equal(slow.status, 504);
  for (const [sql, name, value] of [["SELECT 'first' AS a", 'a', 'first'], ["SELECT 'second' AS b", 'b', 'second'], ["SELECT 'third' AS c", 'c', 'third']] as const) {
    const { status, body } = await post(sql);
    assert.equal(status, 200, sql);
    assert.deepEqual({ columns: body.columns, rows: body.rows }, { columns: [{ name, type: 'String' }], rows: [{ [name]: value }] }, sql);
  }
});

test('GET /api/analytics/tables: → both tables with row counts', async () => {
  const { status, body } = await call('GET', '/api/analytics/tables');
  assert.equal(status, 200);
  assert.deepEqual(
    body.tables.map((t: any) => [t.name, t.rows]),
    [['device_readings', 0], ['room_events', 40]],
  );
});
