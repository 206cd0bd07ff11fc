/**
 * @module engine/testing/nats-server
 * A nats-server of a test's own (JetStream on unless asked otherwise, a temp store dir, a free
 * port), for tests that stop and restart NATS under running nodes or need a server without JetStream. `restart()` keeps the port and the store, as an
 * operator's restart would. Skips (returns null) when no nats-server binary is installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';

const BINARIES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];
const START_TIMEOUT_MS = 10_000;

export function natsServerBinary(): string | null {
  return BINARIES.find((b) => existsSync(b)) ?? null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class OwnNatsServer {
  private child: ChildProcess | null = null;

  private constructor(readonly binary: string, readonly port: number, readonly monitorPort: number, readonly storeDir: string, readonly jetstream: boolean) {}

  /** Client connections the server has open now (its monitoring endpoint's /connz). */
  async connections(): Promise<number> {
    const r = await fetch(`http://127.0.0.1:${this.monitorPort}/connz`);
    return ((await r.json()) as { num_connections: number }).num_connections;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  static async start(opts: { jetstream?: boolean } = {}): Promise<OwnNatsServer | null> {
    const binary = natsServerBinary();
    if (!binary) return null;
    const s = new OwnNatsServer(binary, await freePort(), await freePort(), mkdtempSync(join(tmpdir(), 'linli-nats-')), opts.jetstream ?? true);
    await s.up();
    return s;
  }

  private async up(): Promise<void> {
    const js = this.jetstream ? ['-js', '-sd', this.storeDir] : [];
    this.child = spawn(this.binary, ['-a', '127.0.0.1', '-p', String(this.port), '-m', String(this.monitorPort), ...js], { stdio: 'ignore' });
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      try {
        const nc = await connect({ servers: this.url, reconnect: false, timeout: 500 });
        if (this.jetstream) await nc.jetstreamManager(); // JetStream answers too, not only the port
        await nc.close();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`nats-server on ${this.port} did not start: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  async stop(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill('SIGTERM'); });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.up();
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
