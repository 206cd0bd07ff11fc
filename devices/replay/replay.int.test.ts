/**
 * The embedded replay end to end: the real Birmingham slice, replayed fast through the
 * in-process bus, moves every lot on the map; its bad rows are handled (duplicates refused,
 * negative and over-capacity counts clamped and flagged) and everything lands in chDB.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TestResident } from '../../engine/testing/test-server.ts';
import { until } from '../../engine/testing/until.ts';

test('parking replay: real slice replayed fast → every lot moves, bad rows handled, rows in chDB', async () => {
  const srv = await startTestServer({ replayEnabled: true, replayLoop: false, replayMinGapMs: 1 });
  try {
    const guard = await TestResident.join(srv, `map-${srv.community.id}`, { name: 'guard' });
    const busiest = srv.community.lots.reduce((a, b) => (b.capacity > a.capacity ? b : a));
    const driver = await TestResident.join(srv, busiest.id, { name: 'driver' });
    const seenByDriver = new Set<number>();
    driver.room.onStateChange((st: any) => seenByDriver.add(st.occupied));
    const steps = srv.replayer!.stepCount;
    await until('the replay to finish', () => srv.replayer!.sent >= srv.report.replayRows, 60_000, () => srv.replayer!.sent);
    await srv.bus.flush();
    for (const lot of srv.community.lots) {
      await until(`${lot.id} on the map`, () => (guard.room.state?.lots?.get(lot.id)?.updatedAt ?? 0) > 0, 10_000);
      const cell = guard.room.state.lots.get(lot.id);
      assert.ok(cell.occupied >= 0 && cell.occupied <= lot.capacity, `${lot.id} occupancy within [0, capacity]`);
    }
    assert.ok(steps > 10);
    await until(`${busiest.id} room shows the replayed readings`, () => driver.room.state.readings > 0 && driver.room.state.updatedAt > 0, 10_000, () => driver.room.state.toJSON());
    assert.ok(seenByDriver.size > 3, `the lot room's occupancy changed live: ${[...seenByDriver].join(',')}`);
    assert.ok(srv.metrics.get('lot_readings_refused_total', { code: 'LOT_DUPLICATE_READING' }) > 0, 'duplicate rows refused');
    await srv.ingestion!.flush();
    const q = await srv.analytics!.query(`SELECT JSONExtractString(event, 'quality') AS quality, count() AS n FROM linli.room_events WHERE type = 'OccupancyRecorded' GROUP BY quality ORDER BY quality`);
    const byQuality = Object.fromEntries(q.rows.map((r) => [r.quality, Number(r.n)]));
    assert.ok(byQuality.ok > 0 && byQuality.clamped_negative > 0 && byQuality.clamped_over_capacity > 0, JSON.stringify(byQuality));
    const readings = await srv.analytics!.query('SELECT count() AS n FROM linli.device_readings');
    assert.equal(Number(readings.rows[0].n), srv.report.replayRows, 'every replayed reading stored');
    await guard.leave();
    await driver.leave();
  } finally {
    await srv.close();
  }
});

test('parking replay: a live reading arrives mid-replay → the replay keeps updating that lot (one timeline)', async () => {
  const srv = await startTestServer({ replayEnabled: true, replayLoop: true, replaySpeed: 100000, replayMinGapMs: 20 });
  try {
    const lot = srv.community.lots[0];
    const driver = await TestResident.join(srv, lot.id, { name: 'driver' });
    await until('a first replayed reading', () => driver.room.state?.readings > 0, 10_000);
    srv.bus.publish(`nb.${srv.community.id}.dev.${lot.counterDeviceId}.occupancy`, new TextEncoder().encode('3'));
    await srv.bus.flush();
    const after = driver.room.state.readings;
    await until('replayed readings accepted after the live one', () => driver.room.state.readings >= after + 3, 10_000, () => driver.room.state.toJSON());
    assert.equal(srv.metrics.get('lot_readings_refused_total', { code: 'LOT_STALE_READING' }), 0);
    await driver.leave();
  } finally {
    await srv.close();
  }
});
