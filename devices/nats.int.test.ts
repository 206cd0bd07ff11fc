/**
 * With NATS configured, device readings published on NATS subjects
 * `nb.<community>.dev.<deviceId>.<signal>` reach the parking room, and the replayer publishes
 * through NATS. Runs against NATS_URL or the machine's 127.0.0.1:4222; skips visibly without one.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from 'nats';
import type { CommunityServer } from '../engine/community-server.ts';
import { natsAvailable, testNatsUrl } from '../engine/testing/nats.ts';
import { startTestServer, TestResident } from '../engine/testing/test-server.ts';
import { until } from '../engine/testing/until.ts';

const url = testNatsUrl();
const available = await natsAvailable(url);

test('nats device: a reading published on NATS → seen by a parking-room client', { skip: available ? false : `no NATS server at ${url}` }, async () => {
  const srv = await startTestServer({ natsUrl: url, journal: 'file' }); // device input over NATS; the journal stays embedded
  const nc = await connect({ servers: url });
  try {
    const lot = srv.community.lots[1];
    const resident = await TestResident.join(srv, lot.id, { name: 'driver' });
    await until('initial state', () => resident.room.state?.lotId === lot.id);
    const value = Math.min(lot.capacity, 4);
    nc.publish(`nb.${srv.community.id}.dev.${lot.counterDeviceId}.occupancy`, new TextEncoder().encode(JSON.stringify({ value, at: Date.now() })));
    await nc.flush();
    await until(`occupied=${value} from NATS`, () => resident.room.state.occupied === value && resident.room.state.readings === 1, 10_000, () => resident.room.state.toJSON());
    nc.publish(`nb.${srv.community.id}.dev.${lot.counterDeviceId}.occupancy`, new TextEncoder().encode('garbage'));
    await nc.flush();
    await until('the malformed NATS reading counted', () => srv.gateway.stats.dropped === 1);
    assert.equal(srv.metrics.total('nats_device_messages_total'), 2);
    await resident.leave();
  } finally {
    await nc.close();
    await srv.close();
  }
});

test('nats replay: with NATS configured → the replayer publishes through NATS and every lot updates', { skip: available ? false : `no NATS server at ${url}` }, async () => {
  const srv = await startTestServer({ natsUrl: url, journal: 'file', replayEnabled: true, replayLoop: false });
  try {
    const guard = await TestResident.join(srv, `map-${srv.community.id}`, { name: 'guard' });
    await until('every lot on the map updated by the replay', () => srv.community.lots.every((l) => (guard.room.state?.lots?.get(l.id)?.updatedAt ?? 0) > 0), 20_000, () => guard.room.state?.toJSON?.());
    assert.ok(srv.metrics.total('nats_device_messages_total') > 0, 'readings came in over NATS');
    await guard.leave();
  } finally {
    await srv.close();
  }
});
