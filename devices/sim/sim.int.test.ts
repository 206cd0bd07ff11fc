/**
 * The simulators on a real server (in-process bus): the committed replays cover the compound's
 * bays and map onto registered unit devices, with their attributions; played fast, every bay
 * and building reading is accepted and stored in chDB; a simulator told to back off (the
 * gateway's DEVICE_FLOOD, a lot room's ENGINE_ACTOR_BUSY) pauses and halves its rate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CommunityServer } from '../../engine/community-server.ts';
import { startTestServer } from '../../engine/testing/test-server.ts';
import { until } from '../../engine/testing/until.ts';
import { DEFAULT_BAY_REPLAY, DEFAULT_BUILDING_REPLAY, mergeTimelines, parseBayReplay, parseBuildingReplay, type SimStep } from './fixtures.ts';
import { DeviceSimulator } from './simulator.ts';

const bayText = readFileSync(DEFAULT_BAY_REPLAY, 'utf8');
const buildingText = readFileSync(DEFAULT_BUILDING_REPLAY, 'utf8');

function simulate(srv: CommunityServer, steps: readonly SimStep[], rate: number, speed = 100_000): DeviceSimulator {
  return new DeviceSimulator(steps, {
    community: srv.community.id, speed, rate, loop: false, now: () => Date.now(), epoch: 'test',
    publish: (s, d) => srv.bus.publish(s, d),
    onCommands: (h) => { const sub = srv.bus.subscribe(`nb.${srv.community.id}.cmd.>`, (m) => h(m.subject, m.data)); return () => sub.unsubscribe(); },
  });
}

test('sim fixtures: the committed replays → every bay has a start state, devices registered, attributions kept', async () => {
  const srv = await startTestServer({ analyticsEnabled: false });
  try {
    const bays = parseBayReplay(bayText);
    const building = parseBuildingReplay(buildingText);
    assert.deepEqual([bays.skipped, building.skipped], [0, 0]);
    const all = srv.community.lots.flatMap((l) => l.bays.map((b) => b.sensorDeviceId));
    assert.deepEqual(new Set(bays.steps.filter((s) => s.offsetS === 0).map((s) => s.deviceId)), new Set(all));
    assert.ok(bays.steps.length > all.length, 'the bays change during the day');
    for (const s of building.steps) assert.ok(srv.devices.schemaOf(s.deviceId, s.signal), `${s.deviceId}.${s.signal} is a registered signal`);
    assert.match(bayText, /© City of Melbourne, CC BY 4\.0/);
    for (const notice of ['Candanedo & Feldheim', 'Singh, Jain', 'CC BY-SA 4.0', 'Fraunhofer Institute for Building Physics', 'Hebrail & Berard']) assert.ok(buildingText.includes(notice), notice);
  } finally {
    await srv.close();
  }
});

test('sim: bays and building sensors played fast → every reading accepted and stored', async () => {
  const srv = await startTestServer();
  try {
    const timeline = mergeTimelines(parseBayReplay(bayText), parseBuildingReplay(buildingText));
    const sim = simulate(srv, timeline.steps, 5000);
    sim.start();
    await until('the simulator finished', () => sim.done, 60_000, () => sim.stats);
    await srv.bus.flush();
    assert.equal(sim.stats.sent, timeline.steps.length);
    assert.equal(srv.gateway.stats.dropped, 0, JSON.stringify(srv.gateway.health().devices.slice(0, 3)));
    assert.equal(srv.gateway.stats.accepted, timeline.steps.length);
    await srv.ingestion!.flush();
    const q = await srv.analytics!.query(`SELECT kind, count() AS n FROM linli.device_readings GROUP BY kind ORDER BY kind`);
    const byKind = Object.fromEntries(q.rows.map((r) => [r.kind, Number(r.n)]));
    assert.equal(byKind['bay-sensor'], parseBayReplay(bayText).steps.length);
    assert.equal((byKind['smoke'] ?? 0) + (byKind['water-leak'] ?? 0) + (byKind['meter'] ?? 0), parseBuildingReplay(buildingText).steps.length);
  } finally {
    await srv.close();
  }
});

test('sim: over the per-device rate → the gateway tells it to back off; it pauses and halves its rate', async () => {
  const srv = await startTestServer({ analyticsEnabled: false, deviceMaxReadingsPerSecond: 5 });
  try {
    const bay = srv.community.lots[0]!.bays[0]!.sensorDeviceId;
    const steps: SimStep[] = Array.from({ length: 60 }, (_, i) => ({ offsetS: 0, deviceId: bay, signal: 'occupied', value: i % 2, unit: null }));
    const sim = simulate(srv, steps, 1000);
    sim.start();
    await until('a backoff', () => sim.stats.backoffs > 0, 10_000, () => sim.stats);
    assert.ok(sim.stats.rate <= 500, `rate halved: ${sim.stats.rate}`);
    assert.ok((srv.gateway.healthOf(bay)?.rejected.flood ?? 0) > 0);
    sim.stop();
  } finally {
    await srv.close();
  }
});

test('sim: a lot room whose mailbox is full → ENGINE_ACTOR_BUSY backoff to the counter', async () => {
  const srv = await startTestServer({ analyticsEnabled: false, mailboxSize: 1 });
  try {
    const lot = srv.community.lots[0]!;
    const steps: SimStep[] = Array.from({ length: 400 }, (_, i) => ({ offsetS: 0, deviceId: lot.counterDeviceId, signal: 'occupancy', value: i % lot.capacity, unit: null }));
    const sim = simulate(srv, steps, 100_000);
    sim.start();
    await until('an ENGINE_ACTOR_BUSY backoff', () => sim.stats.backoffs > 0, 10_000, () => ({ ...sim.stats, busy: srv.metrics.get('lot_readings_refused_total', { code: 'ENGINE_ACTOR_BUSY' }) }));
    assert.ok(srv.metrics.get('lot_readings_refused_total', { code: 'ENGINE_ACTOR_BUSY' }) > 0);
    sim.stop();
  } finally {
    await srv.close();
  }
});
