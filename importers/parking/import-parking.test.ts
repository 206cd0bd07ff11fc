/**
 * @module importers/parking/import-parking.test
 * The import:parking CLI as a user runs it: bad input exits 1 with one clear line; the committed
 * test cut gives a slice that parses. Regenerating the committed slice runs only where
 * ../shared/data exists (skipped in a user's clone and CI).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PARKING_SLICE, parseParkingSlice } from '../../devices/replay/parking-slice.ts';
import { REPO_ROOT, repoPath } from '../cli.ts';
import { DEFAULT_CSV } from './import-parking.ts';

const SCRIPT = fileURLToPath(new URL('./import-parking.ts', import.meta.url));
const CUT = fileURLToPath(new URL('./testdata/birmingham-2016-10-28.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'linli-import-parking-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertCleanFailure(r: ReturnType<typeof run>, message: RegExp): void {
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
}

describe('import-parking CLI', () => {
  test('import-parking: missing CSV → exit 1, "no such file"', () => {
    assertCleanFailure(run('--csv', join(dir, 'nope.csv'), '--out', join(dir, 'x.csv')), /import-parking: error: cannot read parking CSV .*nope\.csv: no such file/);
  });

  test('import-parking: corrupt community file → exit 1 naming the file and field', () => {
    const community = join(dir, 'community.json');
    writeFileSync(community, JSON.stringify({ id: 'x' }));
    assertCleanFailure(run('--csv', CUT, '--community', community, '--out', join(dir, 'x.csv')), /community\.json: name must be an object/);
  });

  test('import-parking: --days not a number → exit 1', () => {
    assertCleanFailure(run('--csv', CUT, '--days', 'five', '--out', join(dir, 'x.csv')), /--days must be a positive integer/);
  });

  test('import-parking: committed cut, 2 days → exit 0, slice parses with rows for all 6 lots', () => {
    const out = join(dir, 'slice.csv');
    const r = run('--csv', CUT, '--days', '2', '--out', out);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /2016-10-28\.\.2016-10-29 \(2 days\)/);
    const { rows, skipped } = parseParkingSlice(readFileSync(out, 'utf8'));
    assert.deepEqual(skipped, []);
    assert.equal(new Set(rows.map((row) => row.lotId)).size, 6);
  });

  const source = repoPath(DEFAULT_CSV);
  test('import-parking: default source → output equals the committed slice', { skip: !existsSync(source) && `needs ${source}` }, () => {
    const out = join(dir, 'regenerated.csv');
    const r = run('--out', out);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(DEFAULT_PARKING_SLICE, 'utf8'), 'fixtures/shikeyuan/parking-replay.csv is stale: run npm run import:parking');
  });
});
