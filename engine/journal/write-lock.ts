/**
 * @module engine/journal/write-lock
 * A cross-process write lock for one journal file: a lock file created exclusively (O_EXCL)
 * beside it, holding the owner's pid and the time it was taken. Held only for the length of one
 * append (check, write, sync), so two processes that both host an actor are serialised and the
 * expected-sequence check inside the lock is a true compare-and-set.
 * Owns: taking, waiting for and releasing the lock, and breaking a dead owner's lock.
 * Does not: read or write journal data.
 * Stale locks: a lock whose pid no longer runs, or older than `staleMs` (no append takes that
 * long), is broken and counted. Waiting longer than `waitMs` rejects with ENGINE_JOURNAL_UNAVAILABLE.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { EngineError, LinliError } from '../errors.ts';

export const DEFAULT_LOCK_WAIT_MS = 5_000;
export const DEFAULT_LOCK_STALE_MS = 30_000;

export interface WriteLockOptions {
  readonly waitMs: number;
  readonly staleMs: number;
  /** Called when a dead owner's lock is broken (for a metric and a log line). */
  readonly onBroken?: (path: string, owner: string) => void;
}

export async function withWriteLock<T>(path: string, opts: WriteLockOptions, body: () => Promise<T>): Promise<T> {
  await acquire(path, opts);
  try {
    return await body();
  } finally {
    try { unlinkSync(path); } catch { /* already broken by another process as stale; its owner fences on size */ }
  }
}

async function acquire(path: string, opts: WriteLockOptions): Promise<void> {
  const deadline = Date.now() + opts.waitMs;
  let pause = 0.2;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid} ${Date.now()}`);
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new LinliError(EngineError.JOURNAL_UNAVAILABLE, { path, cause: (err as Error).message }, { cause: err });
    }
    const owner = readOwner(path);
    if (owner && isStale(owner, opts.staleMs)) {
      try { unlinkSync(path); opts.onBroken?.(path, owner.text); } catch { /* someone else broke it first */ }
      continue;
    }
    if (Date.now() > deadline) throw new LinliError(EngineError.JOURNAL_UNAVAILABLE, { path, reason: 'write lock held', owner: owner?.text });
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 20);
  }
}

interface Owner { readonly pid: number | null; readonly since: number; readonly text: string }

function readOwner(path: string): Owner | null {
  try {
    const since = statSync(path).mtimeMs;
    const text = readFileSync(path, 'utf8');
    const pid = Number(text.split(' ')[0]);
    // Empty or half-written: its owner is between open and write (or died there): only age can tell.
    return { pid: Number.isInteger(pid) && pid > 0 ? pid : null, since, text };
  } catch {
    return null; // released between our open and this read: try again
  }
}

function isStale(owner: Owner, staleMs: number): boolean {
  if (Date.now() - owner.since > staleMs) return true;
  if (owner.pid === null || owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
