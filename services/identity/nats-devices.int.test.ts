/**
 * Device credentials on a real nats-server: the generated authorization block lets a device
 * publish its own readings and nothing else, and read only its own commands.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, StringCodec, type NatsConnection } from 'nats';
import { KeyRing } from '../../engine/auth/secrets.ts';
import { until } from '../../engine/testing/until.ts';
import { deviceNatsUser, natsAuthorizationBlock } from './nats-devices.ts';

const NATS_SERVER = '/usr/sbin/nats-server';
const COMMUNITY = 'shikeyuan';
const keys = new KeyRing(new TextEncoder().encode('nats-device-test-secret-0123456789'));
const SERVICE = { user: 'linli', password: 'service-password-123' };
const sc = StringCodec();
let server: ChildProcess | null = null;
let url = '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

before(async () => {
  if (!existsSync(NATS_SERVER)) return;
  const dir = mkdtempSync(join(tmpdir(), 'linli-nats-auth-'));
  const conf = join(dir, 'nats.conf');
  writeFileSync(conf, natsAuthorizationBlock(keys, COMMUNITY, ['gate-1', 'lot-2-counter'], SERVICE));
  const port = await freePort();
  url = `nats://127.0.0.1:${port}`;
  server = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-c', conf], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    try {
      await (await connect({ servers: url, user: SERVICE.user, pass: SERVICE.password, reconnect: false })).close();
      break;
    } catch (err) {
      if (i > 100) throw err; // 10 s without a server
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});
after(() => { server?.kill('SIGTERM'); });

test('nats devices: a device publishes its own reading → delivered; another device\'s subject or a wrong password → refused', { skip: existsSync(NATS_SERVER) ? false : `${NATS_SERVER} not installed` }, async () => {
  const platform = await connect({ servers: url, user: SERVICE.user, pass: SERVICE.password });
  const seen: string[] = [];
  const sub = platform.subscribe(`nb.${COMMUNITY}.dev.>`, { callback: (_e, m) => seen.push(`${m.subject} ${sc.decode(m.data)}`) });
  await platform.flush();

  const me = deviceNatsUser(keys, COMMUNITY, 'gate-1');
  const gate: NatsConnection = await connect({ servers: url, user: me.user, pass: me.password });
  const errors: string[] = [];
  void (async () => { for await (const s of gate.status()) errors.push(JSON.stringify(s)); })();
  gate.publish(`nb.${COMMUNITY}.dev.gate-1.plate`, sc.encode('{"value":1}'));
  gate.publish(`nb.${COMMUNITY}.dev.lot-2-counter.occupancy`, sc.encode('{"value":999}')); // forging another device
  gate.publish(`nb.${COMMUNITY}.room.building.x.ev`, sc.encode('{}')); // forging a room event
  await gate.flush();
  await until('own reading delivered', () => seen.some((s) => s.startsWith(`nb.${COMMUNITY}.dev.gate-1.plate`)), 5000);
  await platform.flush();
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(seen, [`nb.${COMMUNITY}.dev.gate-1.plate {"value":1}`], 'only its own subject got through');
  await until('the server reported both violations', () => errors.filter((e) => /PERMISSIONS_VIOLATION/.test(e)).length >= 2, 5000, () => errors);
  assert.ok(errors.some((e) => e.includes('lot-2-counter')) && errors.some((e) => e.includes('room.building')), errors.join('\n'));

  const snoop = gate.subscribe(`nb.${COMMUNITY}.reading.>`);
  const closed = (async () => { try { for await (const _ of snoop) { /* nothing may arrive */ } return 'ended'; } catch (e) { return String(e); } })();
  assert.match(await closed, /permissions violation|PERMISSIONS_VIOLATION/i, 'a device cannot read other subjects');

  await assert.rejects(connect({ servers: url, user: me.user, pass: 'guessed', reconnect: false }), /authorization/i);
  const other = deviceNatsUser(keys, 'another-community', 'gate-1');
  assert.notEqual(other.password, me.password, 'passwords differ per community');
  sub.unsubscribe();
  await gate.close();
  await platform.close();
});
