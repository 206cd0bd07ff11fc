/**
 * @module scripts/run-tests
 * Runs every `*.test.ts` file under the project with Node's built-in test runner (through tsx),
 * each file in its own process, so the runner's summary is the last thing printed.
 * Owns: test discovery and ordering. Does not: start services (each test starts what it needs).
 * Usage: `npm test` or `npm test -- rooms/building` to run the files whose path contains a filter.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';

const ROOTS = ['actors', 'engine', 'services', 'rooms', 'analytics', 'devices', 'importers', 'client', 'docs', 'test'];
const SKIP = new Set(['node_modules', 'dist', 'data']);

function findTests(dir, out) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; } // a root that does not exist yet has no tests
  for (const name of entries) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(process.cwd(), path));
  }
  return out;
}

const filters = process.argv.slice(2);
const files = ROOTS.flatMap((root) => findTests(root, []))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=180000', ...files];
const child = spawn(process.execPath, args, { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
