/**
 * @module engine/testing/server-process
 * A community server in a child process, started the way `npm start` starts one (engine/main.ts
 * with environment variables), for tests that kill it (`SIGKILL`), freeze it (`SIGSTOP`) or run
 * several. It reads the start-up report for the URL and the setup code, and keeps the output.
 * Owns: the child's lifecycle. Does not: make accounts (accounts.ts takes the returned ServerRef).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadCommunityFile } from '../community-file.ts';
import { loadConfig } from '../config.ts';
import type { ServerRef } from './accounts.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface ServerProcess extends ServerRef {
  readonly pid: number;
  readonly output: () => string;
  /** Resolves when the process has exited (with its code or signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(sig: NodeJS.Signals): void;
  /** SIGTERM and wait; SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

export async function startServerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const fullEnv = { ...process.env, PORT: '0', LOG_LEVEL: 'warn', REPLAY_ENABLED: 'false', PASSWORD_HASH_COST: '1024', ...env };
  const config = loadConfig(fullEnv);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const look = () => {
      const m = /Open\s+(http:\/\/\S+?)\/?\s/.exec(out);
      if (m && /\n\s*\n/.test(out.slice(m.index))) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout!.on('data', look);
    void exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`server exited (${code ?? signal}) before it started:\n${out}`)); });
  });
  const setup = /setup code:\s*([0-9A-Z]{5}(?:-[0-9A-Z]{5})+)/.exec(out);
  return {
    url, pid: child.pid!, community: loadCommunityFile(config.communityFile), identity: { setupCode: setup ? setup[1] : null },
    output: () => out, exited,
    signal: (sig) => { child.kill(sig); },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}
