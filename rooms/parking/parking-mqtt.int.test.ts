/**
 * Plate events from real device protocols reaching a parking session: a private nats-server with
 * JetStream and its own MQTT listener (free ports); `mosquitto_pub` is the gate's plate reader for
 * the entry (topic `nb/<c>/dev/<gate>/plate`), a nats.js client publishes the exit on the subject.
 * The barrier's commands travel back on `nb.<c>.cmd.<gate>` over NATS, where a nats.js subscriber
 * plays the barrier and acknowledges them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { connect, type NatsConnection } from 'nats';
import type { CommunityServer } from '../../engine/community-server.ts';
import { mosquittoPub, natsServerAvailable, startNatsServer, type PrivateNats } from '../../engine/testing/nats-server.ts';
import { startTestServer } from '../../engine/testing/test-server.ts';
import { until } from '../../engine/testing/until.ts';

function hasMosquittoPub(): boolean {
  try { execFileSync('mosquitto_pub', ['--help'], { stdio: 'ignore' }); return true; } catch (err) { return (err as { status?: number }).status !== undefined; }
}
const skip = !natsServerAvailable() ? 'no /usr/sbin/nats-server' : !hasMosquittoPub() ? 'no mosquitto_pub (apt-get install mosquitto-clients)' : false;

let nats: PrivateNats;
let srv: CommunityServer;
let nc: NatsConnection;
const commands: { commandId: string; action: string }[] = [];
before(async () => {
  if (skip) return;
  nats = await startNatsServer({ mqtt: true });
  srv = await startTestServer({ natsUrl: nats.url, deviceCommandAckWaitMs: 3000 });
  nc = await connect({ servers: nats.url });
  const gate = srv.community.gates[2]!;
  const sub = nc.subscribe(`nb.${srv.community.id}.cmd.${gate.deviceId}`);
  void (async () => {
    for await (const m of sub) {
      const c = JSON.parse(new TextDecoder().decode(m.data)) as { commandId?: string; action?: string };
      if (!c.commandId || !c.action) continue;
      commands.push({ commandId: c.commandId, action: c.action });
      nc.publish(`nb.${srv.community.id}.dev.${gate.deviceId}.ack`, JSON.stringify({ commandId: c.commandId, ok: true }));
    }
  })();
});
after(async () => {
  await nc?.close();
  await srv?.close();
  await nats?.stop();
});

test('parking over MQTT and NATS: mosquitto_pub plate in → a session and an acknowledged barrier opening over NATS; nats.js plate out within the free minutes → closed, opened again', { skip }, async () => {
  const gate = srv.community.gates[2]!;
  const plate = '粤B12345';
  await mosquittoPub(nats.mqttPort!, `nb/${srv.community.id}/dev/${gate.deviceId}/plate`, JSON.stringify({ plate, direction: 'in', at: Date.now() - 1000 }), `linli-parking-${process.pid}`);
  await until('the session from MQTT', () => srv.parking.state.open[plate], 10_000, () => Object.keys(srv.parking.state.open));
  assert.deepEqual([srv.parking.state.open[plate]!.class, srv.parking.state.open[plate]!.entryGateId], ['temporary', gate.id]);
  await until('the barrier told to open over NATS', () => commands.filter((c) => c.action === 'open').length === 1, 10_000);
  await until('its acknowledgement recorded', () => srv.metrics.get('parking_gate_opens_total', { status: 'acknowledged' }) === 1, 10_000);

  nc.publish(`nb.${srv.community.id}.dev.${gate.deviceId}.plate`, JSON.stringify({ plate, direction: 'out', at: Date.now() }));
  await until('the session closed from NATS', () => !srv.parking.state.open[plate] && srv.parking.state.closed.some((s) => s.plate === plate), 10_000);
  const closed = srv.parking.state.closed.find((s) => s.plate === plate)!;
  assert.deepEqual([closed.feeFen, closed.reason], [0, 'exit']);
  await until('the barrier opened for the exit', () => commands.filter((c) => c.action === 'open').length === 2, 10_000);
});
