/**
 * @module importers/cli
 * What the importer CLIs share: argument parsing, paths relative to the repository, reading
 * input and writing output files, and the error boundary (message on stderr, exit code 1).
 * Owns: the CLI conventions of importers/. Does not: know any data format.
 * Concurrency: one CLI run per process; files are written whole (write then rename).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ImportError } from './errors.ts';

/** The repository root (the folder that holds importers/). */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Resolves a default path given relative to the repository root. */
export function repoPath(relative: string): string {
  return resolve(REPO_ROOT, relative);
}

/** Resolves a user-given path against the current directory (npm runs scripts in the repo root). */
export function userPath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

/** Parses `--flag value` options; every option is a string. Unknown flags are an ImportError. */
export function parseOptions<K extends string>(argv: readonly string[], names: readonly K[]): Partial<Record<K | 'help', string | boolean>> {
  const options = Object.fromEntries(names.map((n) => [n, { type: 'string' as const }]));
  try {
    const { values } = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    return values as Partial<Record<K | 'help', string | boolean>>;
  } catch (err) {
    throw new ImportError((err as Error).message);
  }
}

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? (err as Error).message;
    throw new ImportError(`cannot read ${what} ${path}: ${why}`);
  }
}

/** Writes a file whole: to a temporary name first, then renamed over the target. */
export function writeText(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    throw new ImportError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** True when the module at `moduleUrl` is the script node was started with (not an import). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(resolve(entry)).href === moduleUrl;
}

/**
 * Runs a CLI main function. Any failure prints `<name>: error: <message>` (never a stack) and
 * sets exit code 1; `--help` printing is up to main.
 */
export async function runCli(name: string, main: () => void | Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint = err instanceof ImportError ? '' : ' (this is a bug in the importer; please report it)';
    process.stderr.write(`${basename(name)}: error: ${message}${hint}\n`);
    process.exitCode = 1;
  }
}
