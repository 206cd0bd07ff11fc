/**
 * MQTT through the NATS server's own MQTT listener: a private nats-server with JetStream and an
 * `mqtt` block on free ports; `mosquitto_pub` is the device. Topic `nb/<c>/dev/<id>/<signal>`
 * arrives as subject `nb.<c>.dev.<id>.<signal>`: a lot counter's count reaches the lot room's
 * SDK client, a gate's plate event reaches the readings with its data, and a malformed MQTT
 * payload is counted for that device, the server running on.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { decodeJson } from '../engine/bus/contract.ts';
import type { CommunityServer } from '../engine/community-server.ts';
import { mosquittoPub, natsServerAvailable, startNatsServer, type PrivateNats } from '../engine/testing/nats-server.ts';
import { startTestServer, TestResident } from '../engine/testing/test-server.ts';
import { until } from '../engine/testing/until.ts';
import type { DeviceReading } from './reading.ts';

function hasMosquittoPub(): boolean {
  try { execFileSync('mosquitto_pub', ['--help'], { stdio: 'ignore' }); return true; } catch (err) { return (err as { status?: number }).status !== undefined; }
}
const skip = !natsServerAvailable() ? 'no /usr/sbin/nats-server' : !hasMosquittoPub() ? 'no mosquitto_pub (apt-get install mosquitto-clients)' : false;

let nats: PrivateNats;
let srv: CommunityServer;
before(async () => {
  if (skip) return;
  nats = await startNatsServer({ mqtt: true });
  srv = await startTestServer({ natsUrl: nats.url });
});
after(async () => {
  await srv?.close();
  await nats?.stop();
});

test('mqtt device: mosquitto_pub on nb/<c>/dev/<counter>/occupancy → the lot room client sees the count', { skip }, async () => {
  const lot = srv.community.lots[2]!;
  const driver = await TestResident.join(srv, lot.id, { name: 'mqtt-driver' });
  await until('initial state', () => driver.room.state?.lotId === lot.id);
  const value = Math.min(lot.capacity, 5);
  await mosquittoPub(nats.mqttPort!, `nb/${srv.community.id}/dev/${lot.counterDeviceId}/occupancy`, JSON.stringify({ value, at: Date.now() }), `linli-test-${process.pid}-1`);
  await until(`occupied=${value} from MQTT`, () => driver.room.state.occupied === value, 10_000, () => driver.room.state.toJSON());
  assert.equal(driver.room.state.readings, 1);
  await driver.leave();
});

test('mqtt device: a gate plate event over MQTT → an accepted reading with {plate, direction}; garbage → counted for that gate', { skip }, async () => {
  const gate = srv.community.gates[0]!.deviceId;
  const seen: DeviceReading[] = [];
  const sub = srv.bus.subscribe(`nb.${srv.community.id}.reading.${gate}.plate`, (m) => seen.push(decodeJson(m.data) as DeviceReading));
  const at = Date.now() - 1000;
  await mosquittoPub(nats.mqttPort!, `nb/${srv.community.id}/dev/${gate}/plate`, JSON.stringify({ plate: '京A12345', direction: 'in', at }), `linli-test-${process.pid}-2`);
  await until('the plate reading', () => seen.length === 1, 10_000);
  assert.deepEqual(seen[0]!.data, { plate: '京A12345', direction: 'in' });
  assert.equal(seen[0]!.at, at);
  await mosquittoPub(nats.mqttPort!, `nb/${srv.community.id}/dev/${gate}/plate`, 'not json at all', `linli-test-${process.pid}-3`);
  await until('the malformed MQTT payload counted', () => srv.gateway.healthOf(gate)?.rejected.not_json === 1, 10_000, () => srv.gateway.healthOf(gate));
  sub.unsubscribe();
});
