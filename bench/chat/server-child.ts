/**
 * @module bench/chat/server-child
 * The child-process half of a benchmark server (linli-server.ts, peer-server.ts): announces
 * readiness as one JSON line on stdout, answers `{ type: 'stats' }` IPC requests with
 * process.memoryUsage() plus server counters, and shuts down when told to, on SIGTERM/SIGINT, or
 * when the parent's IPC channel goes away, so a crashed benchmark never leaves a server behind.
 * Owns: the child lifecycle. Does not: start any server itself (the caller passes `start`).
 */

/** The one line a server child prints on stdout once it accepts connections. */
export interface ServerReady {
  readonly benchReady: true;
  readonly kind: string;
  readonly url: string;
  readonly roomId: string;
  readonly transport: string;
  readonly pid: number;
  /** What the server runs that matters for reading the numbers (analytics on, validation, …). */
  readonly notes: Record<string, unknown>;
  /** Access tokens of accounts admitted to the room, when the server checks identities (Linli). */
  readonly tokens?: readonly string[];
}

export interface ChildStats {
  readonly type: 'stats';
  readonly id: number;
  readonly memory: NodeJS.MemoryUsage;
  readonly counters: Record<string, number>;
}

export interface StartedServer {
  readonly ready: Omit<ServerReady, 'benchReady' | 'pid'>;
  counters(): Record<string, number>;
  close(): Promise<void>;
}

const CLOSE_DEADLINE_MS = 5_000;

export async function runServerChild(start: () => Promise<StartedServer>): Promise<void> {
  let server: StartedServer | null = null;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // A close that hangs (a stuck socket, a store flush) must not keep the child alive.
    setTimeout(() => process.exit(code), CLOSE_DEADLINE_MS).unref();
    try {
      await server?.close();
    } catch (err) {
      process.stderr.write(`bench server close failed: ${(err as Error).message}\n`);
    }
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  process.on('disconnect', () => void stop(0));
  process.on('message', (m: { type?: string; id?: number }) => {
    if (m?.type === 'stop') void stop(0);
    if (m?.type === 'stats' && server) {
      const reply: ChildStats = { type: 'stats', id: m.id ?? 0, memory: process.memoryUsage(), counters: server.counters() };
      process.send?.(reply);
    }
  });
  try {
    server = await start();
  } catch (err) {
    process.stderr.write(`bench server failed to start: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  }
  const ready: ServerReady = { benchReady: true, pid: process.pid, ...server.ready };
  process.stdout.write(JSON.stringify(ready) + '\n');
}

/** Every non-zero Prometheus sample, keyed `name{labels}`; the benchmark prints what changed in a run. */
export function allSamples(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const sp = line.lastIndexOf(' ');
    const value = Number(line.slice(sp + 1));
    if (sp > 0 && Number.isFinite(value) && value !== 0) out[line.slice(0, sp)] = value;
  }
  return out;
}
