/**
 * @module engine/testing/nats-server
 * Starts a private `nats-server` for a test: JetStream in a temp dir, and optionally the server's
 * own MQTT listener (`mqtt { listen }`), both on free loopback ports, so tests never share
 * subjects or MQTT sessions with anyone else on the machine. `stop()` ends that process only.
 * Tests skip with a visible reason when /usr/sbin/nats-server is absent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NATS_SERVER_BIN = '/usr/sbin/nats-server';

export interface PrivateNats {
  readonly url: string;
  readonly port: number;
  readonly mqttPort: number | null;
  stop(): Promise<void>;
}

export function natsServerAvailable(): boolean {
  return existsSync(NATS_SERVER_BIN);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

export async function startNatsServer(opts: { mqtt?: boolean } = {}): Promise<PrivateNats> {
  const dir = mkdtempSync(join(tmpdir(), 'linli-nats-'));
  const port = await freePort();
  const mqttPort = opts.mqtt ? await freePort() : null;
  const conf = join(dir, 'nats.conf');
  writeFileSync(conf, [
    `listen: "127.0.0.1:${port}"`,
    `server_name: "linli-test-${port}"`,
    `jetstream { store_dir: ${JSON.stringify(join(dir, 'js'))} }`,
    ...(mqttPort ? [`mqtt { listen: "127.0.0.1:${mqttPort}" }`] : []),
  ].join('\n'));
  const child: ChildProcess = spawn(NATS_SERVER_BIN, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (b: Buffer) => { log = (log + b.toString()).slice(-4000); });
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(port)) || (mqttPort !== null && !(await portOpen(mqttPort)))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nats-server did not start: ${log.slice(-800)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `nats://127.0.0.1:${port}`, port, mqttPort,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `mosquitto_pub` once: one QoS-1 message to `topic` on the given MQTT port. */
export function mosquittoPub(port: number, topic: string, message: string, clientId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-i', clientId, '-t', topic, '-m', message], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr?.on('data', (b: Buffer) => { err += b.toString(); });
    p.once('error', reject);
    p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mosquitto_pub exited ${code}: ${err}`))));
  });
}
