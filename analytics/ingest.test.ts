/**
 * @module analytics/ingest.test
 * Ingestion from a bus: end to end into real chDB through the fake bus, then batching, retry,
 * overflow and malformed-input accounting against a scripted store (no engine needed).
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { encodeJson, subjects } from '../engine/bus/contract.ts';
import { LinliError } from '../engine/errors.ts';
import type { DeviceReading } from '../devices/reading.ts';
import type { JournalRecord } from '../engine/journal/record.ts';
import type { AnalyticsLog, AnalyticsStore, QueryResult, StoreHealth } from './contract.ts';
import { AnalyticsError } from './errors.ts';
import { parseReading, startIngestion } from './ingest.ts';
import { MemoryBus } from '../engine/bus/memory.ts';
import type { Bus } from '../engine/bus/contract.ts';
import { Metrics } from '../engine/metrics.ts';
import { journalRecords, readings } from './testing/records.ts';
import { openTempChdbStore } from './testing/temp-store.ts';

const C = 'shikeyuan';

function publishRecords(bus: Bus, rows: JournalRecord[]): void {
  for (const r of rows) bus.publish(subjects.roomEvents(C, r.kind, r.actorId), encodeJson(r));
}
function publishReadings(bus: Bus, rows: DeviceReading[]): void {
  for (const r of rows) bus.publish(subjects.reading(C, r.deviceId, r.signal), encodeJson(r));
}

/** A store whose inserts the test scripts: fail with given codes, or wait until released. */
class ScriptedStore implements AnalyticsStore {
  readonly kind = 'chdb' as const;
  batches: Array<{ table: string; rows: number }> = [];
  failures: string[] = [];
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  async init(): Promise<void> {}
  async close(): Promise<void> {}
  health(): StoreHealth { return { ok: true, kind: this.kind }; }
  async query(): Promise<QueryResult> { throw new Error('not used'); }
  hold(): void { this.gate = new Promise((r) => { this.open = r; }); }
  release(): void { this.open?.(); this.gate = null; }
  insertRoomEvents(rows: readonly JournalRecord[]): Promise<void> { return this.insert('room_events', rows.length); }
  insertReadings(rows: readonly DeviceReading[]): Promise<void> { return this.insert('device_readings', rows.length); }
  private async insert(table: string, rows: number): Promise<void> {
    if (this.gate) await this.gate;
    const code = this.failures.shift();
    if (code) throw new LinliError(code);
    this.batches.push({ table, rows });
  }
}

function recordingLog(): AnalyticsLog & { lines: Array<[string, string]> } {
  const lines: Array<[string, string]> = [];
  return { lines, info: (m) => lines.push(['info', m]), warn: (m) => lines.push(['warn', m]), error: (m) => lines.push(['error', m]) };
}

describe('ingestion into chDB', () => {
  const closers: Array<() => Promise<void>> = [];
  after(async () => { for (const c of closers) await c(); });

  test('startIngestion: records, readings and one malformed payload published → rows in chDB, malformed = 1', async () => {
    const store = await openTempChdbStore();
    closers.push(() => store.close());
    const busMetrics = new Metrics();
    const bus = new MemoryBus(undefined, busMetrics);
    const ingest = startIngestion(bus, store, C, { batchMaxRows: 400 });
    closers.unshift(() => ingest.stop());

    publishRecords(bus, journalRecords(C, 'bldg-1', 900));
    publishRecords(bus, journalRecords(C, 'grp-tennis', 100));
    publishReadings(bus, readings(C, 'bay-007', 250));
    bus.publish(subjects.roomEvents(C, 'building', 'bldg-1'), new TextEncoder().encode('{"not json'));
    await ingest.flush();

    const ev = await store.query('SELECT count() AS n, max(seq) AS top FROM room_events');
    assert.deepEqual(ev.rows, [{ n: '1000', top: '900' }]);
    const rd = await store.query("SELECT count() AS n FROM device_readings WHERE device_id = 'bay-007'");
    assert.deepEqual(rd.rows, [{ n: '250' }]);
    assert.deepEqual(ingest.counters, { received: 1251, inserted: 1250, dropped: 0, malformed: 1, failedBatches: 0, queued: 0 });
    assert.equal(busMetrics.total('bus_handler_errors_total'), 0);
  });

  test('startIngestion: chDB worker killed while batches are in flight → restarted, every accepted row stored once', async () => {
    const store = await openTempChdbStore({ restartBackoffMinMs: 20 });
    closers.push(() => store.close());
    const bus = new MemoryBus();
    const ingest = startIngestion(bus, store, C, { batchMaxRows: 250 });
    closers.unshift(() => ingest.stop());
    publishRecords(bus, journalRecords(C, 'bldg-1', 3000));
    await bus.flush(); // full batches are now being inserted
    const pid = store.pid!;
    process.kill(pid, 'SIGKILL');
    publishRecords(bus, journalRecords(C, 'bldg-1', 1000, 3001));
    await ingest.flush();
    assert.notEqual(store.pid, pid);
    const r = await store.query('SELECT count() AS n, uniqExact(seq) AS seqs FROM room_events');
    assert.deepEqual(r.rows, [{ n: '4000', seqs: '4000' }]);
    assert.equal(ingest.counters.inserted, 4000);
    assert.equal(ingest.counters.dropped, 0);
    assert.equal(store.stats().restarts, 1);
  });
});

describe('ingestion (scripted store)', () => {
  test('startIngestion: 2500 records → batches of batchMaxRows, in order', async () => {
    const store = new ScriptedStore();
    const bus = new MemoryBus();
    const ingest = startIngestion(bus, store, C, { batchMaxRows: 1000, batchMaxWaitMs: 60_000 });
    publishRecords(bus, journalRecords(C, 'bldg-1', 2500));
    await ingest.flush();
    assert.deepEqual(store.batches.map((b) => b.rows), [1000, 1000, 500]);
    await ingest.stop();
  });

  test('startIngestion: rows below batchMaxRows → inserted once batchMaxWaitMs passes, without flush()', async () => {
    const store = new ScriptedStore();
    const bus = new MemoryBus();
    const log = recordingLog();
    const ingest = startIngestion(bus, store, C, { batchMaxWaitMs: 20, log });
    const inserted = new Promise<void>((resolve) => {
      const orig = store.insertReadings.bind(store);
      store.insertReadings = async (rows) => { await orig(rows); resolve(); };
    });
    publishReadings(bus, readings(C, 'bay-1', 3));
    await inserted;
    assert.deepEqual(store.batches, [{ table: 'device_readings', rows: 3 }]);
    await ingest.stop();
  });

  test('startIngestion: store unavailable twice → retried with backoff, nothing lost, failedBatches = 2', async () => {
    const store = new ScriptedStore();
    store.failures = [AnalyticsError.UNAVAILABLE, AnalyticsError.UNAVAILABLE];
    const bus = new MemoryBus();
    const ingest = startIngestion(bus, store, C, { retryMinMs: 1, retryMaxMs: 5 });
    publishRecords(bus, journalRecords(C, 'bldg-1', 10));
    await ingest.flush();
    assert.deepEqual(store.batches, [{ table: 'room_events', rows: 10 }]);
    assert.equal(ingest.counters.failedBatches, 2);
    assert.equal(ingest.counters.inserted, 10);
    assert.equal(ingest.counters.dropped, 0);
    await ingest.stop();
  });

  test('startIngestion: store rejects a batch as non-retryable → dropped after maxAttempts, counted, logged as error', async () => {
    const store = new ScriptedStore();
    store.failures = [AnalyticsError.INSERT_FAILED, AnalyticsError.INSERT_FAILED, AnalyticsError.INSERT_FAILED];
    const bus = new MemoryBus();
    const log = recordingLog();
    const ingest = startIngestion(bus, store, C, { maxAttempts: 3, retryMinMs: 1, retryMaxMs: 2, log });
    publishRecords(bus, journalRecords(C, 'bldg-1', 7));
    await ingest.flush();
    assert.equal(ingest.counters.dropped, 7);
    assert.equal(ingest.counters.failedBatches, 3);
    assert.equal(log.lines.filter(([lvl]) => lvl === 'error').length, 1);
    publishRecords(bus, journalRecords(C, 'bldg-1', 2, 8));
    await ingest.flush();
    assert.equal(ingest.counters.inserted, 2);
    await ingest.stop();
  });

  test('startIngestion: queue full while the store is stuck → new rows refused and counted, one warning, queued rows kept', async () => {
    const store = new ScriptedStore();
    store.hold();
    const bus = new MemoryBus();
    const log = recordingLog();
    const ingest = startIngestion(bus, store, C, { queueMaxRows: 10, batchMaxRows: 5, log });
    publishRecords(bus, journalRecords(C, 'bldg-1', 40));
    await bus.flush();
    // One batch of 5 is stuck in the store, 10 wait in the queue, 25 were refused.
    assert.equal(ingest.counters.queued, 10);
    assert.equal(ingest.counters.dropped, 25);
    assert.equal(log.lines.filter(([lvl, m]) => lvl === 'warn' && m.includes('queue full')).length, 1);
    store.release();
    await ingest.flush();
    assert.equal(ingest.counters.inserted, 15);
    assert.deepEqual(store.batches.map((b) => b.rows), [5, 5, 5]);
    assert.ok(log.lines.some(([, m]) => m.includes('drained')));
    await ingest.stop();
  });

  test('startIngestion: wrong community, bad seq, non-object, missing fields → each counted malformed, none inserted', async () => {
    const store = new ScriptedStore();
    const bus = new MemoryBus();
    const ingest = startIngestion(bus, store, C);
    const good = journalRecords(C, 'bldg-1', 1)[0]!;
    const bad: unknown[] = [
      { ...good, community: 'other' },
      { ...good, seq: 1.5 },
      { ...good, seq: -1 },
      { ...good, at: 'yesterday' },
      [good],
      null,
      'text',
    ];
    for (const b of bad) bus.publish(subjects.roomEvents(C, 'building', 'bldg-1'), encodeJson(b));
    const { event: _omit, ...noEvent } = good;
    bus.publish(subjects.roomEvents(C, 'building', 'bldg-1'), encodeJson(noEvent));
    const reading = readings(C, 'bay-1', 1)[0]!;
    bus.publish(subjects.reading(C, 'bay-1', 'occupancy'), encodeJson({ ...reading, value: 'full' }));
    await ingest.flush();
    assert.equal(ingest.counters.malformed, 9);
    assert.equal(ingest.counters.inserted, 0);
    assert.equal(store.batches.length, 0);
    await ingest.stop();
  });

  test('startIngestion: readings with NaN or ±Infinity in value, raw or at → each counted malformed, none inserted', async () => {
    const store = new ScriptedStore();
    const bus = new MemoryBus();
    const ingest = startIngestion(bus, store, C);
    const good = readings(C, 'bay-1', 1)[0]!;
    const subject = subjects.reading(C, 'bay-1', 'occupancy');
    const text = (fields: string) => new TextEncoder().encode(JSON.stringify(good).replace(/}$/, `,${fields}}`));
    // JSON has no NaN or Infinity: a number too large for a double parses as ±Infinity, NaN is sent as null.
    bus.publish(subject, text('"value":1e999'));
    bus.publish(subject, text('"value":-1e999'));
    bus.publish(subject, text('"raw":1e400'));
    bus.publish(subject, text('"at":1e999'));
    bus.publish(subject, encodeJson({ ...good, value: Number.NaN }));
    bus.publish(subject, encodeJson({ ...good, raw: Number.POSITIVE_INFINITY }));
    bus.publish(subject, encodeJson(good));
    await ingest.flush();
    assert.equal(ingest.counters.malformed, 6);
    assert.equal(ingest.counters.inserted, 1);
    assert.deepEqual(store.batches, [{ table: 'device_readings', rows: 1 }]);
    await ingest.stop();
  });

  test('parseReading: a reading object with a non-finite number → undefined', () => {
    const good = readings(C, 'bay-1', 1)[0]!;
    assert.deepEqual(parseReading(good, C), good);
    for (const bad of [{ value: Number.NaN }, { value: Infinity }, { raw: -Infinity }, { at: Infinity }, { value: 1e308 * 10 }]) {
      assert.equal(parseReading({ ...good, ...bad }, C), undefined, JSON.stringify(Object.keys(bad)));
    }
  });

  test('startIngestion: stop() → unsubscribed; later messages are not received', async () => {
    const store = new ScriptedStore();
    const bus = new MemoryBus();
    const ingest = startIngestion(bus, store, C);
    publishRecords(bus, journalRecords(C, 'bldg-1', 3));
    await ingest.stop();
    assert.equal(ingest.counters.inserted, 3);
    publishRecords(bus, journalRecords(C, 'bldg-1', 3, 4));
    await bus.flush();
    assert.equal(ingest.counters.received, 3);
  });

  test('startIngestion: store never recovers → flush(timeout) rejects ANALYTICS_TIMEOUT, stop() drops and counts the rest', async () => {
    const store = new ScriptedStore();
    store.failures = Array(1000).fill(AnalyticsError.UNAVAILABLE);
    const bus = new MemoryBus();
    const ingest = startIngestion(bus, store, C, { retryMinMs: 1, retryMaxMs: 2, stopTimeoutMs: 20 });
    publishRecords(bus, journalRecords(C, 'bldg-1', 4));
    await assert.rejects(ingest.flush(30), { code: AnalyticsError.TIMEOUT });
    await ingest.stop();
    assert.equal(ingest.counters.dropped, 4);
    assert.equal(ingest.counters.inserted, 0);
  });
});
