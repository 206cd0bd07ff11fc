/**
 * @module engine/testing/nats-server
 * Starts a private `nats-server` for a test: JetStream in a temp dir, and optionally the server's
 * own MQTT listener (`mqtt { listen }`), both on free loopback ports, so tests never share
 * subjects or MQTT sessions with anyone else on the machine. `halt()` stops the process and
 * `resume()` starts it again on the same port and store (a NATS restart); `stop()` ends it and
 * removes its store.
 * Tests skip with a visible reason when /usr/sbin/nats-server is absent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { connect as natsConnect } from 'nats';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NATS_SERVER_BIN = '/usr/sbin/nats-server';

export interface PrivateNats {
  readonly url: string;
  readonly port: number;
  readonly mqttPort: number | null;
  /** Stops the server (SIGTERM), keeping its JetStream store. */
  halt(): Promise<void>;
  /** Starts it again on the same port with the same store. */
  resume(): Promise<void>;
  /** halt() then resume(), as an operator's restart would. */
  restart(): Promise<void>;
  /** Client connections the server has open now (its monitoring endpoint's /connz). */
  connections(): Promise<number>;
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

export async function startNatsServer(opts: { mqtt?: boolean; jetstream?: boolean } = {}): Promise<PrivateNats> {
  const dir = mkdtempSync(join(tmpdir(), 'linli-nats-'));
  const port = await freePort();
  const mqttPort = opts.mqtt ? await freePort() : null;
  const monitorPort = await freePort();
  const conf = join(dir, 'nats.conf');
  writeFileSync(conf, [
    `listen: "127.0.0.1:${port}"`,
    `server_name: "linli-test-${port}"`,
    `http_port: ${monitorPort}`,
    ...(opts.jetstream === false ? [] : [`jetstream { store_dir: ${JSON.stringify(join(dir, 'js'))} }`]),
    ...(mqttPort ? [`mqtt { listen: "127.0.0.1:${mqttPort}" }`] : []),
  ].join('\n'));
  let child: ChildProcess;
  let log = '';
  const launch = async () => {
    child = spawn(NATS_SERVER_BIN, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (b: Buffer) => { log = (log + b.toString()).slice(-4000); });
    const deadline = Date.now() + 10_000;
    while (!(await portOpen(port)) || (mqttPort !== null && !(await portOpen(mqttPort)))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`nats-server did not start: ${log.slice(-800)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (opts.jetstream !== false) await jetStreamAnswers(port, deadline);
  };
  const halt = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  try {
    await launch();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `nats://127.0.0.1:${port}`, port, mqttPort,
    halt,
    resume: launch,
    async restart() { await halt(); await launch(); },
    async connections() {
      const r = await fetch(`http://127.0.0.1:${monitorPort}/connz`);
      return ((await r.json()) as { num_connections: number }).num_connections;
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The port opens before JetStream is ready: wait until its API answers. */
async function jetStreamAnswers(port: number, deadline: number): Promise<void> {
  for (;;) {
    try {
      const nc = await natsConnect({ servers: `nats://127.0.0.1:${port}`, reconnect: false, timeout: 500 });
      try { await nc.jetstreamManager(); return; } finally { await nc.close(); }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`JetStream on ${port} did not answer: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
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
