/**
 * Commands back to devices over a private nats-server with its MQTT listener: a guard opens a
 * gate over HTTP; the gate (a real nats.js client on `nb.<c>.cmd.<id>`) acknowledges on
 * `nb.<c>.dev.<id>.ack` and the HTTP answer carries the acknowledgement; an MQTT device
 * (`mosquitto_sub` on `nb/<c>/cmd/<id>`) receives its command too. A resident may not open the
 * gate (typed 403, security log) but grants a carer their entrance's door and elevator (a PIN for
 * the window). Every command and ack is an event in analytics.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect, type NatsConnection } from 'nats';
import type { CommunityServer } from '../../engine/community-server.ts';
import { accountFor, api } from '../../engine/testing/accounts.ts';
import { natsServerAvailable, startNatsServer, type PrivateNats } from '../../engine/testing/nats-server.ts';
import { startTestServer } from '../../engine/testing/test-server.ts';
import { until } from '../../engine/testing/until.ts';

const skip = natsServerAvailable() ? false : 'no /usr/sbin/nats-server';
let nats: PrivateNats;
let srv: CommunityServer;
let device: NatsConnection;
before(async () => {
  if (skip) return;
  nats = await startNatsServer({ mqtt: true });
  srv = await startTestServer({ natsUrl: nats.url, deviceCommandAckWaitMs: 1500 });
  device = await connect({ servers: nats.url });
});
after(async () => {
  await device?.close();
  await srv?.close();
  await nats?.stop();
});

test('device command: a guard opens a gate → the gate gets it on NATS, acknowledges, the answer says acknowledged; audited in analytics', { skip }, async () => {
  const c = srv.community.id;
  const gate = srv.community.gates[0]!.deviceId;
  const got: any[] = [];
  const sub = device.subscribe(`nb.${c}.cmd.${gate}`, {
    callback: (_err, m) => {
      const cmd = JSON.parse(new TextDecoder().decode(m.data));
      got.push(cmd);
      device.publish(`nb.${c}.dev.${gate}.ack`, new TextEncoder().encode(JSON.stringify({ commandId: cmd.commandId, ok: true })));
    },
  });
  await device.flush();
  const guard = await accountFor(srv, 'gate-guard', 'guard');
  const r = await api(srv, '/api/devices/commands', { deviceId: gate, action: 'open' }, guard.accessToken);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.deepEqual([r.json.status, r.json.deviceId, r.json.action], ['acknowledged', gate, 'open']);
  assert.equal(got.length, 1);
  assert.deepEqual([got[0].action, got[0].commandId], ['open', r.json.commandId]);
  const record = await api(srv, `/api/devices/commands?commandId=${r.json.commandId}`, undefined, guard.accessToken);
  assert.equal(record.json.ack.ok, true);

  const resident = await accountFor(srv, 'gate-resident', 'owner');
  const denied = await api(srv, '/api/devices/commands', { deviceId: gate, action: 'open' }, resident.accessToken);
  assert.deepEqual([denied.status, denied.json.code], [403, 'DEVICE_COMMAND_FORBIDDEN']);
  const unknown = await api(srv, '/api/devices/commands', { deviceId: 'no-such-gate', action: 'open' }, guard.accessToken);
  assert.deepEqual([unknown.status, unknown.json.code], [404, 'DEVICE_UNKNOWN_DEVICE']);
  sub.unsubscribe();

  await srv.ingestion!.flush();
  const rows = await srv.analytics!.query(`SELECT type, JSONExtractString(event, 'role') AS role FROM linli.room_events WHERE kind = 'device-commands' ORDER BY seq`);
  assert.deepEqual(rows.rows.map((x) => [x.type, x.role]), [['CommandIssued', 'guard'], ['CommandAcknowledged', '']]);
  const security = await srv.analytics!.query(`SELECT count() AS n FROM linli.room_events WHERE kind = 'security' AND JSONExtractString(event, 'code') = 'DEVICE_COMMAND_FORBIDDEN'`);
  assert.equal(Number(security.rows[0]!.n), 1, 'the refusal is in the security log');
});

test('device command: a resident grants a carer access → the entrance door (MQTT device) and elevator get the PIN for the window; a device that does not answer → status sent', { skip }, async (t) => {
  const building = srv.community.buildings.find((b) => b.id === 'bldg-594889490')!;
  const c = srv.community.id;
  const door = `${building.id}-1-door`;
  assert.ok(srv.devices.get(door) && srv.devices.get(`${building.id}-1-elevator`), 'the entrance has a door reader and an elevator');
  const mqtt = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(nats.mqttPort), '-q', '1', '-i', `linli-door-${process.pid}`, '-t', `nb/${c}/cmd/${door}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => { mqtt.kill(); });
  let received = '';
  mqtt.stdout.on('data', (b: Buffer) => { received += b.toString(); });
  // mosquitto_sub says nothing when its subscription is live: probe the subject until a probe arrives.
  await until('the MQTT door subscribed', () => {
    device.publish(`nb.${c}.cmd.${door}`, new TextEncoder().encode('{"probe":true}'));
    return received.includes('probe');
  }, 10_000, () => received);
  const owner = await accountFor(srv, 'carer-owner', 'owner', building.id);
  const from = Date.now();
  const until_ = from + 3 * 3_600_000;
  const r = await api(srv, '/api/devices/grants', { buildingId: building.id, entrance: '1', holder: 'carer', label: '王阿姨 carer', from, until: until_ }, owner.accessToken);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.match(r.json.pin, /^\d{6}$/);
  assert.deepEqual(r.json.commands.map((x: any) => [x.deviceId, x.status]), [[door, 'sent'], [`${building.id}-1-elevator`, 'sent']]);
  await until('the MQTT door received its grant', () => received.includes('"grant"'), 10_000, () => received);
  const cmd = JSON.parse(received.trim().split('\n').pop()!);
  assert.deepEqual([cmd.action, cmd.pin, cmd.from, cmd.until, cmd.holder], ['grant', r.json.pin, from, until_, 'carer']);
  const other = await accountFor(srv, 'other-owner', 'owner', srv.community.buildings.find((b) => b.residential && b.id !== building.id)!.id);
  const denied = await api(srv, '/api/devices/grants', { buildingId: building.id, entrance: '1', holder: 'visitor', label: 'x', from, until: until_ }, other.accessToken);
  assert.deepEqual([denied.status, denied.json.code], [403, 'DEVICE_COMMAND_FORBIDDEN']);
  const tooLong = await api(srv, '/api/devices/grants', { buildingId: building.id, entrance: '1', holder: 'visitor', label: 'x', from, until: from + 1000 * 3_600_000 }, owner.accessToken);
  assert.equal(tooLong.json.code, 'DEVICE_BAD_WINDOW');
});
