/**
 * @module bench/chat/server-process
 * The parent half of a benchmark server: spawns `node --import tsx <script>` with an IPC channel,
 * waits for its ready line, reads RSS and CPU time of its whole process tree from /proc (Linli
 * forks a chDB worker; IPC memoryUsage is the fallback without /proc),
 * keeps a bounded tail of its stderr, and kills it. Every live child is killed when this process
 * exits, is interrupted or throws, so no server outlives the benchmark.
 * Owns: child processes. Does not: talk WebSocket (load.ts does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { ChildStats, ServerReady } from './server-child.ts';

const STDERR_KEPT_LINES = 200;
const STOP_GRACE_MS = 4_000;
const STATS_TIMEOUT_MS = 10_000;
const PIDS_TTL_MS = 2_000;
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux; /proc/<pid>/stat counts CPU in these

const live = new Set<ServerProcess>();
let hooked = false;

function killAllOnExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => { for (const s of live) s.kill('SIGKILL'); });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void stopAllServers().then(() => process.exit(130)));
}

/** Asks every live server to stop (they clean up their data dirs), SIGKILLs stragglers after the grace period. */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...live].map((s) => s.stop()));
}

export interface ServerLogSummary {
  readonly lines: number;
  readonly byLevel: Record<string, number>;
  /** Distinct messages (level + msg) with counts, most frequent first. */
  readonly top: { readonly what: string; readonly count: number }[];
}

export class ServerProcess {
  private readonly stderrTail: string[] = [];
  private stderrLines = 0;
  private readonly byLevel: Record<string, number> = {};
  private readonly byMessage = new Map<string, number>();
  private statsSeq = 0;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private pidsCache: { at: number; pids: number[] } | null = null;

  private constructor(private readonly child: ChildProcess, readonly ready: ServerReady) {}

  /** `nodeArgs` go before the script, e.g. `['--cpu-prof', '--cpu-prof-dir=…']` (not allowed in NODE_OPTIONS). */
  static async start(script: string, env: NodeJS.ProcessEnv, timeoutMs: number, nodeArgs: readonly string[] = []): Promise<ServerProcess> {
    killAllOnExit();
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let sp: ServerProcess | null = null;
    const early: string[] = [];
    const onStderr = (line: string) => (sp ? sp.onStderr(line) : early.push(line));
    lines(child.stderr!, onStderr);
    const ready = await new Promise<ServerReady>((resolve, reject) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${script}: not ready after ${timeoutMs} ms\n${early.slice(-20).join('\n')}`)); }, timeoutMs);
      child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`${script} exited before ready (code ${code}, signal ${signal})\n${early.slice(-20).join('\n')}`)); });
      lines(child.stdout!, (line) => {
        if (!line.startsWith('{"benchReady"')) return;
        clearTimeout(timer);
        resolve(JSON.parse(line) as ServerReady);
      });
    });
    sp = new ServerProcess(child, ready);
    for (const l of early) sp.onStderr(l);
    live.add(sp);
    child.once('exit', (code, signal) => { sp!.exited = { code, signal }; live.delete(sp!); });
    return sp;
  }

  get pid(): number { return this.child.pid ?? 0; }
  get exitedWith(): { code: number | null; signal: NodeJS.Signals | null } | null { return this.exited; }

  /**
   * Pids of the server and every descendant (the chDB worker, …), from /proc; rescanned at most every
   * PIDS_TTL_MS. The tsx loader's esbuild service comes and goes with code loading, is not part of
   * either server, and would skew RSS by ~12 MB in whichever session happens to start it: left out.
   */
  treePids(): number[] {
    const t = Date.now();
    if (this.pidsCache && t - this.pidsCache.at < PIDS_TTL_MS) return this.pidsCache.pids;
    const pids = this.scanTree();
    this.pidsCache = { at: t, pids };
    return pids;
  }

  private scanTree(): number[] {
    const parent = new Map<number, number>();
    try {
      for (const d of readdirSync('/proc')) {
        if (!/^\d+$/.test(d)) continue;
        const st = procStat(Number(d));
        if (st) parent.set(Number(d), Number(st[1]));
      }
    } catch {
      return [this.pid]; // no /proc: only the server itself is known
    }
    const out = [this.pid];
    for (let i = 0; i < out.length; i++) for (const [pid, ppid] of parent) if (ppid === out[i]) out.push(pid);
    return out.filter((pid) => pid === this.pid || procName(pid) !== 'esbuild');
  }

  /** Resident set size in bytes (VmRSS) of the server process alone and of its whole tree; includes native memory. */
  async rss(): Promise<{ main: number; tree: number }> {
    const pids = this.treePids();
    const each = pids.map(vmRss);
    if (!Number.isNaN(each[0])) return { main: each[0], tree: each.reduce((a, b) => a + (Number.isNaN(b) ? 0 : b), 0) };
    const fromChild = (await this.stats())?.memory.rss ?? NaN; // no /proc (macOS): ask the child
    return { main: fromChild, tree: fromChild };
  }

  /** Each process of the tree as `name:RSS MB`, to tell the server from its chDB worker or the tsx loader's esbuild. */
  treeBreakdown(): string[] {
    return this.treePids().map((pid) => `${procName(pid)}:${(vmRss(pid) / (1024 * 1024)).toFixed(0)}MB`);
  }

  /** CPU seconds so far per process of the tree, keyed by name (server, chDB worker, …). */
  cpuByProcess(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const pid of this.treePids()) {
      const st = procStat(pid);
      if (st) out[procName(pid)] = (out[procName(pid)] ?? 0) + (Number(st[11]) + Number(st[12])) / CLOCK_TICKS_PER_SECOND;
    }
    return out;
  }

  /** User + system CPU seconds used so far by the server's process tree (NaN without /proc). */
  cpuSeconds(): number {
    let sum = 0;
    for (const pid of this.treePids()) {
      const st = procStat(pid);
      if (!st) continue;
      sum += (Number(st[11]) + Number(st[12])) / CLOCK_TICKS_PER_SECOND; // utime, stime
    }
    return sum || NaN;
  }

  async stats(): Promise<ChildStats | null> {
    if (!this.child.connected) return null;
    const id = ++this.statsSeq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.child.off('message', onMsg); resolve(null); }, STATS_TIMEOUT_MS);
      const onMsg = (m: ChildStats) => {
        if (m?.type !== 'stats' || m.id !== id) return;
        clearTimeout(timer);
        this.child.off('message', onMsg);
        resolve(m);
      };
      this.child.on('message', onMsg);
      this.child.send({ type: 'stats', id });
    });
  }

  logSummary(): ServerLogSummary {
    const top = [...this.byMessage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([what, count]) => ({ what, count }));
    return { lines: this.stderrLines, byLevel: { ...this.byLevel }, top };
  }

  stderrTailLines(): readonly string[] { return this.stderrTail; }

  /** Sends an IPC message to the child (e.g. `{ type: 'reset-loop' }`); false when the channel is gone. */
  send(message: Record<string, unknown>): boolean {
    return this.child.connected ? this.child.send(message) : false;
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.exited) this.child.kill(signal);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send({ type: 'stop' });
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await gone;
    clearTimeout(timer);
  }

  private onStderr(line: string): void {
    this.stderrLines++;
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_KEPT_LINES) this.stderrTail.shift();
    let what = line.slice(0, 120);
    let level = 'text';
    try {
      const j = JSON.parse(line) as { level?: string; msg?: string; mod?: string };
      if (j.level) level = j.level;
      if (j.msg) what = `${j.level} ${j.mod ?? ''}: ${j.msg}`;
    } catch {
      // not a JSON log line (a stack trace, a library warning): counted as text
    }
    this.byLevel[level] = (this.byLevel[level] ?? 0) + 1;
    if (this.byMessage.size < 1000 || this.byMessage.has(what)) this.byMessage.set(what, (this.byMessage.get(what) ?? 0) + 1);
  }
}

/** Fields of /proc/<pid>/stat after the command name: [0] state, [1] ppid, … [11] utime, [12] stime. */
function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // the process is gone, or there is no /proc
  }
}

/** The script a process runs (`linli-server.ts`, `chdb-worker.ts`) or its executable (`esbuild`). */
function procName(pid: number): string {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return (cmd.find((c) => c.endsWith('.ts')) ?? cmd[0] ?? '?').split('/').pop()!;
  } catch {
    return '?'; // exited between the scan and now
  }
}

function vmRss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN; // the process is gone, or there is no /proc
  }
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line) onLine(line);
    }
  });
}
