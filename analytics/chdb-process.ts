/**
 * @module analytics/chdb-process
 * One forked chDB worker process (chdb-worker.ts run through the tsx loader) and request/reply
 * over its IPC channel.
 * Owns: the child's lifetime and the map of requests awaiting a reply. Does not: restart, retry
 * or time anything out (chdb.ts decides that).
 * Concurrency: replies may arrive in any order; when the child exits every pending request
 * rejects with WorkerGoneError, exactly once.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { FromWorker, OkReply, ToWorker, WorkerError } from './chdb-protocol.ts';

const WORKER_PATH = fileURLToPath(new URL('./chdb-worker.ts', import.meta.url));

/** The tsx loader as an absolute URL, so the worker starts whatever the server's cwd is. */
function tsxLoader(): string {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return 'tsx'; // resolution failed (unusual layout): fall back to cwd-relative resolution
  }
}

export class WorkerGoneError extends Error {
  constructor(readonly exitCode: number | null, readonly signal: string | null) {
    super(`chDB worker exited (code ${exitCode}, signal ${signal})`);
    this.name = 'WorkerGoneError';
  }
}

export class WorkerReplyError extends Error {
  readonly kind: WorkerError['kind'];
  readonly clickhouseCode: number | undefined;
  constructor(error: WorkerError) {
    super(error.message);
    this.name = 'WorkerReplyError';
    this.kind = error.kind;
    this.clickhouseCode = error.clickhouseCode;
  }
}

export type DistributiveOmitId<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: string | null;
}

export class WorkerProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve: (r: OkReply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private gone: ExitInfo | null = null;
  /** Resolves once when the process has exited (for any reason). */
  readonly exited: Promise<ExitInfo>;

  /** @param niceness added to the child's scheduling priority (0–19), so rooms win the CPU under contention. */
  constructor(niceness = 0) {
    this.child = fork(WORKER_PATH, [], {
      execArgv: ['--import', tsxLoader()],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    if (niceness > 0 && this.child.pid !== undefined) {
      try {
        setPriority(this.child.pid, niceness);
      } catch {
        // not permitted on this platform or sandbox: the worker runs at normal priority
      }
    }
    this.child.on('message', (raw: unknown) => this.onMessage(raw as FromWorker));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.gone = { code, signal };
        const err = new WorkerGoneError(code, signal);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        resolve(this.gone);
      });
    });
    // A failed spawn also emits 'exit' (or only 'error'); make sure 'error' never throws.
    this.child.on('error', () => { if (!this.gone) this.kill(); });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.gone === null;
  }

  /** Sends a request; `reply` settles with the worker's answer or WorkerGoneError. */
  call(req: DistributiveOmitId<ToWorker>): { id: number; reply: Promise<OkReply> } {
    const id = this.nextId++;
    const reply = new Promise<OkReply>((resolve, reject) => {
      if (this.gone) return reject(new WorkerGoneError(this.gone.code, this.gone.signal));
      this.pending.set(id, { resolve, reject });
      try {
        this.child.send({ ...req, id } as ToWorker, (err) => { if (err) this.kill(); });
      } catch (err) {
        // Serialisation failed (a value that cannot be cloned): only this request fails.
        this.pending.delete(id);
        reject(new WorkerReplyError({ kind: req.op === 'insert' ? 'insert' : 'internal', message: String((err as Error)?.message ?? err) }));
        if (!this.child.connected) this.kill();
      }
    });
    return { id, reply };
  }

  /** Fire-and-forget message (cancel). */
  notify(msg: ToWorker): void {
    if (this.gone) return;
    try {
      this.child.send(msg, (err) => { if (err) this.kill(); });
    } catch {
      this.kill(); // the channel is gone; the exit handler settles what is pending
    }
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (!this.gone) this.child.kill(signal);
  }

  private onMessage(msg: FromWorker): void {
    const p = this.pending.get(msg.id);
    if (!p) return; // a reply to a request that was already settled (cannot happen) is ignored
    this.pending.delete(msg.id);
    if (msg.op === 'ok') p.resolve(msg);
    else p.reject(new WorkerReplyError(msg.error));
  }
}
