/**
 * @module analytics/data-path.test
 * A data path chDB cannot use fails init() with ANALYTICS_UNAVAILABLE and a message naming the
 * path and the OS reason; a good one is created. Uses Linux's /proc, whose tree refuses new entries
 * for root too (chDB itself runs on Linux and macOS only; the /proc cases skip elsewhere).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbStore } from './chdb.ts';
import { checkDataPath } from './data-path.ts';
import { AnalyticsError, AnalyticsInitError } from './errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'linli-data-path-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const noProc = existsSync('/proc/self') ? false : 'no /proc on this system';

function rejectsWith(path: string, message: RegExp, problem: string): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof AnalyticsInitError, `not an AnalyticsInitError: ${String(err)}`);
    assert.equal(err.code, AnalyticsError.UNAVAILABLE);
    assert.match(err.message, message);
    assert.equal(err.details?.dataPath, path);
    assert.equal(err.details?.problem, problem);
    assert.match(String(err.details?.errno), /^E[A-Z]+$/);
    return true;
  };
}

test('ChdbStore.init: data path under /proc (cannot be created) → ANALYTICS_UNAVAILABLE naming the path and the OS code', { skip: noProc }, async () => {
  const store = new ChdbStore({ dataPath: '/proc/nope/chdb' });
  await assert.rejects(store.init(), rejectsWith('/proc/nope/chdb', /chDB data path \/proc\/nope\/chdb cannot be created: ENOENT$/, 'create'));
  assert.deepEqual(store.health(), { ok: false, kind: 'chdb', detail: 'not initialised' });
  await store.close();
});

test('ChdbStore.init: data path is a file → ANALYTICS_UNAVAILABLE "is not a directory: ENOTDIR"', async () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a directory');
  const store = new ChdbStore({ dataPath: file });
  await assert.rejects(store.init(), rejectsWith(file, /chDB data path .*a-file is not a directory: ENOTDIR$/, 'not_directory'));
  await store.close();
});

test('checkDataPath: path below a file → "cannot be created: ENOTDIR"', () => {
  const file = join(dir, 'another-file');
  writeFileSync(file, 'x');
  assert.throws(() => checkDataPath(join(file, 'chdb')), rejectsWith(join(file, 'chdb'), /another-file\/chdb cannot be created: ENOTDIR$/, 'create'));
});

test('checkDataPath: an existing directory that refuses new entries → "is not writable" with the OS code', { skip: noProc }, () => {
  assert.throws(() => checkDataPath('/proc'), rejectsWith('/proc', /chDB data path \/proc is not writable: E[A-Z]+$/, 'not_writable'));
});

test('checkDataPath: missing nested directories → created, nothing else left in them', () => {
  const nested = join(dir, 'a', 'b', 'chdb');
  checkDataPath(nested);
  assert.ok(statSync(nested).isDirectory());
  assert.deepEqual(readdirSync(nested), []); // the write probe is removed again
});
