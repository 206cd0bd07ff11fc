/**
 * @module rooms/rooms.suite
 * The end-to-end room behaviour every transport must show, with real @colyseus/sdk clients
 * against a real server: chat in order between two residents, history for late joiners,
 * idempotent sends, every bad-input case, device readings reaching the parking and map rooms,
 * and events reaching chDB and the query endpoint. rooms-uws.int.test.ts and
 * rooms-ws.int.test.ts run it, each in its own process (Colyseus's matchmaker is per process).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommunityServer } from '../engine/community-server.ts';
import { encodeJson, subjects } from '../engine/bus/contract.ts';
import { CloseCode } from '../engine/transport/close-codes.ts';
import { Client } from '@colyseus/sdk';
import { startTestServer, TestResident } from '../engine/testing/test-server.ts';
import { until } from '../engine/testing/until.ts';
import { accountFor } from '../engine/testing/accounts.ts';
import { roomsToCreate } from './registry.ts';

export function roomSuite(transport: 'uws' | 'ws'): void {
  let srv: CommunityServer;
  const residents: TestResident[] = [];
  const join = async (roomId: string, opts: Record<string, unknown> = {}) => {
    const r = await TestResident.join(srv, roomId, opts);
    residents.push(r);
    return r;
  };
  const building = (i: number) => srv.community.buildings.filter((b) => b.residential)[i].id;
  let keyN = 0;
  const key = () => `k-${transport}-${++keyN}`;

  before(async () => {
    srv = await startTestServer({ transport, clientMaxMessagesPerSecond: 20, clientMaxViolations: 15 });
  });
  after(async () => {
    for (const r of residents) await r.leave();
    await srv.close();
  });

  test(`${transport} server: starts on the requested transport → reports it`, () => {
    assert.equal(srv.transport, transport);
    assert.ok(srv.port > 0);
  });

  test(`${transport} building room: two residents chat → both see every message in order with server seqs`, async () => {
    const id = building(0);
    const a = await join(id, { name: '张三' });
    const b = await join(id, { name: 'Li Si' });
    await a.waitFor('welcome');
    await b.waitFor('welcome');
    for (let i = 1; i <= 5; i++) a.send('chat', { text: `消息 ${i}`, key: key() });
    b.send('chat', { text: 'reply from b', key: key() });
    const seenByB = await b.waitCount('chat', 6);
    const seenByA = await a.waitCount('chat', 6);
    assert.deepEqual(seenByA.map((m) => m.seq), seenByB.map((m) => m.seq));
    assert.deepEqual(seenByB.map((m) => m.seq), [1, 2, 3, 4, 5, 6]);
    const fromA = seenByB.filter((m) => m.author.name === '张三').map((m) => m.text);
    assert.deepEqual(fromA, ['消息 1', '消息 2', '消息 3', '消息 4', '消息 5']);
    assert.ok(seenByB.every((m) => typeof m.at === 'number' && m.at > 0));
    const acks = await a.waitCount('ack', 5);
    assert.deepEqual(acks.map((x) => x.seq), [1, 2, 3, 4, 5]);
  });

  test(`${transport} building room: late joiner → receives recent history in the welcome`, async () => {
    const id = building(1);
    const a = await join(id, { name: 'early' });
    await a.waitFor('welcome');
    a.send('chat', { text: 'before you came', key: key() });
    await a.waitFor('ack');
    const late = await join(id, { name: 'late' });
    const welcome = await late.waitFor('welcome');
    assert.equal(welcome.roomId, id);
    assert.deepEqual(welcome.history.map((m: any) => m.text), ['before you came']);
    assert.ok(welcome.name['zh-CN'].length > 0);
    assert.equal(welcome.limits.maxChars, 500);
  });

  test(`${transport} building room: same key sent twice → one message, both acks carry its seq`, async () => {
    const id = building(2);
    const a = await join(id, { name: 'dup' });
    await a.waitFor('welcome');
    a.send('chat', { text: 'once', key: 'same-key' });
    a.send('chat', { text: 'once', key: 'same-key' });
    const acks = await a.waitCount('ack', 2);
    assert.equal(acks[0].seq, acks[1].seq);
    assert.equal(a.of('chat').length, 1);
  });

  test(`${transport} building room: bad input → typed errors in zh-CN and en, room keeps serving`, async () => {
    const id = building(3);
    const bad = await join(id, { name: 'bad' });
    const good = await join(id, { name: 'good' });
    await bad.waitFor('welcome');
    await good.waitFor('welcome');
    const cases: [string, unknown, string][] = [
      ['no-such-type', { x: 1 }, 'ENGINE_UNKNOWN_MESSAGE'],
      ['chat', { text: 42, key: key() }, 'ENGINE_BAD_INPUT'],
      ['chat', { text: 'x', key: key(), extra: true }, 'ENGINE_BAD_INPUT'],
      ['chat', 'not an object', 'ENGINE_BAD_INPUT'],
      ['chat', { text: '   ', key: key() }, 'CHAT_EMPTY'],
      ['chat', { text: 'ok', key: 'k'.repeat(65) }, 'CHAT_BAD_KEY'],
      ['chat', { text: '长'.repeat(501), key: key() }, 'CHAT_TOO_LONG'],
      ['chat', { text: 'x'.repeat(3000), key: key() }, 'CHAT_TOO_LONG'],
      ['chat', { text: '\u200b\u200b\ufeff', key: key() }, 'CHAT_EMPTY'],
      ['chat', { text: 'no key' }, 'ENGINE_BAD_INPUT'],
    ];
    for (const [type, msg] of cases) bad.send(type, msg);
    const errors = await bad.waitCount('error', cases.length);
    // Shape errors are answered at once, domain errors after the actor decides: compare as sets.
    assert.deepEqual(errors.map((e) => e.code).sort(), cases.map(([, , code]) => code).sort());
    for (const e of errors) {
      assert.equal(e.ok, false);
      assert.ok(e.message['zh-CN'].length > 0 && e.message.en.length > 0, `${e.code} has both languages`);
    }
    const tooLong = errors.filter((e) => e.code === 'CHAT_TOO_LONG');
    assert.deepEqual(tooLong.map((e) => e.details?.maxChars), [500, 500], 'the documented chat limit, whether the actor or the first cut refused');
    assert.ok(tooLong.every((e) => !JSON.stringify(e.details).includes('2000')), JSON.stringify(tooLong.map((e) => e.details)));
    // A lone surrogate never reaches a room as text: the SDK's encoder substitutes U+FFFD, and a
    // raw frame with the CESU bytes ED A0 80 is decoded by msgpack with replacement characters.
    // The validator's surrogate check stays as a second line of defence (unit-tested).
    const enc = new TextEncoder();
    const rawMsg = new Uint8Array([0x82, 0xa4, ...enc.encode('text'), 0xa5, 0x61, 0xed, 0xa0, 0x80, 0x62, 0xa3, ...enc.encode('key'), 0xa5, ...enc.encode('k-raw')]);
    bad.sendRawData('chat', rawMsg);
    const raw = await good.waitFor('chat', (m) => m.key === 'k-raw');
    assert.match(raw.text, /^a\ufffd+b$/);
    bad.send('chat', { text: 'sdk \ud800 surrogate', key: 'k-sdk-surrogate' });
    const replaced = await good.waitFor('chat', (m) => m.key === 'k-sdk-surrogate');
    assert.equal(replaced.text, 'sdk \ufffd surrogate');
    assert.equal(bad.closedWith, null, 'a few bad messages do not disconnect');
    good.send('chat', { text: 'still here', key: key() });
    await bad.waitFor('chat', (m) => m.text === 'still here');
    assert.equal(good.of('error').length, 0, 'others notice nothing');
  });

  test(`${transport} building room: a 1 MB frame → that socket closes with the documented code, others unaffected`, async () => {
    const id = building(4);
    const big = await join(id, { name: 'big' });
    const other = await join(id, { name: 'other' });
    await big.waitFor('welcome');
    await other.waitFor('welcome');
    big.send('chat', { text: 'x'.repeat(1024 * 1024), key: key() });
    const code = await until('the oversize sender to be closed', () => big.closedWith, 10_000);
    assert.ok([CloseCode.MESSAGE_TOO_BIG, 1006].includes(code), `closed with ${code}`);
    other.send('chat', { text: 'after the big one', key: key() });
    await other.waitFor('chat', (m) => m.text === 'after the big one');
    assert.equal(other.closedWith, null);
  });

  test(`${transport} building room: a flood from one client → rate-limited, then closed with 4029; others unaffected`, async () => {
    const id = building(5);
    const flood = await join(id, { name: 'flood' });
    const calm = await join(id, { name: 'calm' });
    await flood.waitFor('welcome');
    await calm.waitFor('welcome');
    const sent: string[] = [];
    for (let i = 0; i < 200; i++) { const k = key(); sent.push(k); flood.send('chat', { text: `spam ${i}`, key: k }); }
    await flood.waitFor('error', (e) => e.code === 'ENGINE_RATE_LIMITED');
    const code = await until('the flooder to be closed', () => flood.closedWith, 10_000);
    assert.equal(code, CloseCode.FLOOD);
    // What the room took from the flooder before closing it was answered before the close: no stored message without its ack.
    const reader = await join(id, { name: 'calm' });
    const stored = new Set((await reader.waitFor('welcome')).history.map((m: { key: string }) => m.key).filter((k: string) => sent.includes(k)));
    assert.ok(stored.size > 0, 'some of the burst was accepted');
    assert.deepEqual(new Set(flood.of('ack').map((a) => a.key)), stored);
    await reader.leave();
    const before = calm.of('chat').length;
    calm.send('chat', { text: 'calm message', key: key() });
    await calm.waitFor('chat', (m) => m.text === 'calm message');
    assert.ok(calm.of('chat').length > before);
    assert.equal(calm.closedWith, null);
    assert.ok(calm.of('chat').length <= 21, 'no more than the allowed burst was accepted from the flooder');
  });

  test(`${transport} parking lot: device readings → occupancy seen by the lot room and the map room`, async () => {
    const lot = srv.community.lots[0];
    const lotRoom = await join(lot.id, { name: 'driver' });
    const map = await join(`map-${srv.community.id}`, { name: 'guard' });
    const subject = subjects.device(srv.community.id, lot.counterDeviceId, 'occupancy');
    // Readings older than DEVICE_MAX_AGE_MS (a day) are refused as stale, so the times are recent.
    const t0 = Date.now() - 10 * 60_000;
    srv.bus.publish(subject, encodeJson({ value: 3, at: t0 }));
    await until('lot room occupied=3', () => lotRoom.room.state?.occupied === 3, 10_000, () => lotRoom.room.state?.toJSON?.());
    await until('map lot occupied=3', () => map.room.state?.lots?.get(lot.id)?.occupied === 3, 10_000, () => map.room.state?.toJSON?.());
    const dropped = srv.gateway.stats.dropped;
    srv.bus.publish(subject, new TextEncoder().encode('{not json'));
    srv.bus.publish(subjects.device(srv.community.id, 'no-such-device', 'occupancy'), encodeJson({ value: 1 }));
    srv.bus.publish(subject, encodeJson({ value: 'many' }));
    srv.bus.publish(subject, encodeJson({ value: -4, at: t0 + 60_000 }));
    srv.bus.publish(subject, encodeJson({ value: lot.capacity + 50, at: t0 + 120_000 }));
    await until('lot clamped to capacity', () => lotRoom.room.state?.occupied === lot.capacity, 10_000, () => lotRoom.room.state?.toJSON?.());
    assert.equal(lotRoom.room.state.quality, 'clamped_over_capacity');
    assert.equal(lotRoom.room.state.free, 0);
    assert.equal(srv.gateway.stats.dropped - dropped, 3, 'three malformed readings counted and dropped');
    await until('map lot at capacity', () => map.room.state?.lots?.get(lot.id)?.occupied === lot.capacity);
  });

  test(`${transport} analytics: chat and readings → rows in chDB, returned by the query endpoint`, async () => {
    const id = building(6);
    const a = await join(id, { name: 'analyst-check' });
    await a.waitFor('welcome');
    a.send('chat', { text: 'for the record', key: key() });
    await a.waitFor('ack');
    await srv.bus.flush();
    await srv.ingestion!.flush();
    const analyst = await accountFor(srv, '分析员', 'analyst');
    const auth = { authorization: `Bearer ${analyst.accessToken}` };
    const anonymous = await fetch(`${srv.url}/api/analytics/query?sql=SELECT%201`);
    assert.equal(anonymous.status, 401, 'no token, no analytics');
    assert.equal((await anonymous.json() as any).code, 'IDENTITY_TOKEN_MISSING');
    const res = await fetch(`${srv.url}/api/analytics/query`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ sql: `SELECT type, JSONExtractString(event, 'text') AS text FROM linli.room_events WHERE actor_id = '${id}' ORDER BY seq` }),
    });
    const body = await res.json() as any;
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.deepEqual(body.rows.map((r: any) => r.text), ['for the record']);
    const readings = await fetch(`${srv.url}/api/analytics/query?sql=${encodeURIComponent(`SELECT count() AS n FROM linli.device_readings WHERE device_id = '${srv.community.lots[0].counterDeviceId}'`)}`, { headers: auth });
    const rb = await readings.json() as any;
    assert.ok(Number(rb.rows[0].n) >= 3, JSON.stringify(rb));
    const denied = await fetch(`${srv.url}/api/analytics/query`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ sql: 'DROP TABLE linli.room_events' }) });
    assert.equal(denied.status, 400);
    assert.equal((await denied.json() as any).code, 'ANALYTICS_NOT_READ_ONLY');
  });

  test(`${transport} rooms: a client asking to create a room → refused; rooms are opened by the server only`, async () => {
    const client = new Client(srv.url);
    await assert.rejects(client.create('group', { id: 'group-parents' }), /ENGINE_UNAUTHORIZED/);
    await assert.rejects(client.joinOrCreate('building', { id: building(0) }), /ENGINE_UNAUTHORIZED/);
    await assert.rejects(client.joinById('bldg-0000', {}), (e: Error) => e.message.length > 0);
    const health = await (await fetch(`${srv.url}/metrics`)).text();
    const opened = roomsToCreate(srv.community).length;
    assert.equal(opened, 18, 'buildings, lots, groups, the map and the commons');
    assert.match(health, new RegExp(`^rooms ${opened}$`, 'm'), `still exactly the ${opened} rooms the server opened`);
  });

  test(`${transport} http: HEAD, unknown methods and unknown API paths → answered at once`, async () => {
    const head = await fetch(`${srv.url}/`, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    const get = await fetch(`${srv.url}/`, { signal: AbortSignal.timeout(5000) });
    assert.equal(head.status, get.status, 'HEAD answers as GET would (200, or 503 when the client is not built yet)');
    assert.ok([200, 503].includes(head.status));
    const headHealth = await fetch(`${srv.url}/api/health`, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    assert.equal(headHealth.status, 200);
    for (const [method, path] of [['POST', '/api/health'], ['PUT', '/api/analytics/query'], ['DELETE', '/x'], ['POST', '/nope']]) {
      const r = await fetch(`${srv.url}${path}`, { method, signal: AbortSignal.timeout(5000) });
      assert.equal(r.status, 405, `${method} ${path}`);
      assert.equal((await r.json() as any).code, 'ENGINE_METHOD_NOT_ALLOWED');
    }
    const missing = await fetch(`${srv.url}/api/does-not-exist`, { signal: AbortSignal.timeout(5000) });
    assert.equal(missing.status, 404);
    assert.equal((await missing.json() as any).code, 'ENGINE_NOT_FOUND');
  });

  test(`${transport} server: a second server on the same port → refuses to start`, async () => {
    await assert.rejects(startTestServer({ transport, port: srv.port, analyticsEnabled: false }), /already in use/);
  });

  test(`${transport} http: layout, health and metrics → served; oversize body → 413 typed`, async () => {
    const layout = await (await fetch(`${srv.url}/api/community`)).json() as any;
    assert.equal(layout.attribution, '© OpenStreetMap contributors');
    const health = await (await fetch(`${srv.url}/api/health`)).json() as any;
    assert.equal(health.transport, transport);
    assert.equal(health.ok, true);
    assert.deepEqual([health.analytics.ok, health.analytics.kind], [true, 'chdb']);
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    assert.match(metrics, /actor_events_total/);
    assert.match(metrics, /^clients_connected \d+$/m);
    assert.match(metrics, /analytics_queries_total\{outcome="ok"\} [1-9]/);
    const big = await fetch(`${srv.url}/api/analytics/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'SELECT 1', pad: 'x'.repeat(200_000) }) });
    assert.equal(big.status, 413);
    assert.equal((await big.json() as any).code, 'ENGINE_PAYLOAD_TOO_LARGE');
  });
}
