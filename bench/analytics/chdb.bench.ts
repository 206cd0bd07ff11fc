/**
 * @module analytics/chdb.bench
 * Measures the embedded store: insert throughput for 10k-row batches of room events and of
 * readings, query latency (point count, group-by over 100k rows), and worker restart time.
 * Prints one JSON line per measurement ({name, commit, date, ops, p50Ms, p99Ms, bytes}).
 * Run: `node --import tsx analytics/chdb.bench.ts`. Never part of `npm test`.
 */
import { execSync } from 'node:child_process';
import { openTempChdbStore } from '../../analytics/testing/temp-store.ts';
import { journalRecords, readings } from '../../analytics/testing/records.ts';

const commit = (() => { try { return execSync('git rev-parse --short HEAD').toString().trim(); } catch { return 'unknown'; } })();
const date = new Date().toISOString();

function report(name: string, samples: number[], opsPerSample: number, bytes = 0): void {
  const s = [...samples].sort((a, b) => a - b);
  const p = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  const ops = Math.round(opsPerSample / (p(0.5) / 1000));
  console.log(JSON.stringify({ name, commit, date, ops, p50Ms: +p(0.5).toFixed(2), p99Ms: +p(0.99).toFixed(2), bytes }));
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const store = await openTempChdbStore();
try {
  const BATCH = 10_000;
  const ev: number[] = [];
  for (let i = 0; i < 20; i++) {
    const rows = journalRecords('bench', `bldg-${i}`, BATCH);
    ev.push(await time(() => store.insertRoomEvents(rows)));
  }
  report('analytics.chdb.insert_room_events_10k', ev.slice(2), BATCH, JSON.stringify(journalRecords('bench', 'x', BATCH)).length);
  const rd: number[] = [];
  for (let i = 0; i < 20; i++) {
    const rows = readings('bench', `bay-${i}`, BATCH);
    rd.push(await time(() => store.insertReadings(rows)));
  }
  report('analytics.chdb.insert_readings_10k', rd.slice(2), BATCH);

  const q1: number[] = [];
  for (let i = 0; i < 100; i++) q1.push(await time(() => store.query("SELECT count() FROM room_events WHERE actor_id = 'bldg-3'")));
  report('analytics.chdb.query_point_count', q1.slice(5), 1);
  const q2: number[] = [];
  for (let i = 0; i < 50; i++) q2.push(await time(() => store.query("SELECT actor_id, count(), max(at) FROM room_events GROUP BY actor_id ORDER BY actor_id")));
  report('analytics.chdb.query_group_by_200k', q2.slice(5), 1);
  const q3: number[] = [];
  for (let i = 0; i < 20; i++) q3.push(await time(() => store.query('SELECT seq, event FROM room_events LIMIT 10000')));
  report('analytics.chdb.query_10k_rows_returned', q3.slice(2), 1);

  const restarts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const pid = store.pid!;
    const t = performance.now();
    const probe = store.query('SELECT sleepEachRow(0.01) FROM numbers(100)').catch(() => undefined);
    process.kill(pid, 'SIGKILL');
    await probe;
    await store.whenReady();
    restarts.push(performance.now() - t);
  }
  report('analytics.chdb.worker_restart', restarts, 1);
} finally {
  await store.close();
}
