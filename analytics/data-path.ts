/**
 * @module analytics/data-path
 * Checks, before chDB is started, that its data directory exists (creating it if need be), is a
 * directory and can be written, so a bad DATA_DIR fails startup with the path and the OS reason
 * rather than an engine message from inside the worker.
 * Owns: that check. Does not: open chDB. Synchronous; runs once per init().
 */
import { mkdirSync, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AnalyticsInitError } from './errors.ts';

/** What is wrong with the path: `create` (cannot be made), `not_directory`, `not_writable`. */
export type DataPathProblem = 'create' | 'not_directory' | 'not_writable';

/** Throws AnalyticsInitError (ANALYTICS_UNAVAILABLE) naming the path and the OS error code. */
export function checkDataPath(path: string): void {
  try {
    makeDirs(path);
  } catch (err) {
    throw problem(path, 'create', osCode(err), err);
  }
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw problem(path, 'not_directory', 'ENOTDIR');
  // Create and remove a directory in it: permission bits alone say nothing for root or a read-only mount.
  let probe: string;
  try {
    probe = mkdtempSync(join(path, '.write-probe-'));
  } catch (err) {
    throw problem(path, 'not_writable', osCode(err), err);
  }
  try {
    rmdirSync(probe);
  } catch {
    // an empty probe directory left behind is harmless; the path is writable, which is what matters
  }
}

/**
 * `mkdir -p`, one level at a time. Not `mkdirSync(p, { recursive: true })`: on Node 20 that loops
 * forever when a parent cannot be created though its own parent exists (`/proc/nope/chdb`).
 */
function makeDirs(path: string): void {
  const missing: string[] = [];
  for (let p = resolve(path); !statSync(p, { throwIfNoEntry: false }); p = dirname(p)) {
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (err) {
      if (osCode(err) !== 'EEXIST') throw err; // created meanwhile by someone else: fine
    }
  }
}

const WORDS: Readonly<Record<DataPathProblem, string>> = {
  create: 'cannot be created',
  not_directory: 'is not a directory',
  not_writable: 'is not writable',
};

function problem(path: string, kind: DataPathProblem, errno: string, cause?: unknown): AnalyticsInitError {
  return new AnalyticsInitError(`chDB data path ${path} ${WORDS[kind]}: ${errno}`, { reason: 'data_path', dataPath: path, problem: kind, errno }, cause === undefined ? undefined : { cause });
}

function osCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String((err as Error)?.message ?? err);
}
