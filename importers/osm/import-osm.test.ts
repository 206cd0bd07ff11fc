/**
 * @module importers/osm/import-osm.test
 * The import:osm CLI as a user runs it (a child process): bad input exits 1 with one clear line
 * and no stack; good input writes a loadable file. The last test regenerates the committed fixture
 * and compares it byte for byte, only where ../shared/data exists (skipped in a user's clone and CI).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_COMMUNITY_FILE, loadCommunityFile } from '../../engine/community-file.ts';
import { REPO_ROOT, repoPath } from '../cli.ts';
import { DEFAULT_OSM_FILE } from './import-osm.ts';

const SCRIPT = fileURLToPath(new URL('./import-osm.ts', import.meta.url));
const MINI = fileURLToPath(new URL('./testdata/shikeyuan-mini.osm', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'linli-import-osm-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertCleanFailure(r: ReturnType<typeof run>, message: RegExp): void {
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
}

describe('import-osm CLI', () => {
  test('import-osm: missing OSM file → exit 1, "no such file"', () => {
    assertCleanFailure(run('--osm', join(dir, 'nope.osm'), '--out', join(dir, 'x.json')), /import-osm: error: cannot read OSM file .*nope\.osm: no such file/);
  });

  test('import-osm: compound not in the file → exit 1, "not found"', () => {
    assertCleanFailure(run('--osm', MINI, '--compound', '不存在小区', '--out', join(dir, 'x.json')), /compound "不存在小区" not found/);
  });

  test('import-osm: malformed XML → exit 1 with the line number', () => {
    const broken = join(dir, 'broken.osm');
    writeFileSync(broken, readFileSync(MINI, 'utf8').replace('</way>', '</wya>'));
    assertCleanFailure(run('--osm', broken, '--out', join(dir, 'x.json')), /malformed OSM XML at line \d+: <\/wya> closes <way>/);
    assert.equal(existsSync(join(dir, 'x.json')), false, 'nothing written');
  });

  test('import-osm: unknown flag → exit 1 naming the flag', () => {
    assertCleanFailure(run('--bogus', 'x'), /--bogus/);
  });

  test('import-osm: test cut → exit 0, one summary line, file loads', () => {
    const out = join(dir, 'mini', 'community.json');
    const r = run('--osm', MINI, '--id', 'mini', '--out', out);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^mini 石科院生活区 \(way\/595108678\): 2 buildings \(1 residential\), 1 lots/);
    assert.equal(r.stdout.trim().split('\n').length, 1);
    assert.equal(loadCommunityFile(out).id, 'mini');
  });

  const source = repoPath(DEFAULT_OSM_FILE);
  test('import-osm: default source → output equals the committed fixture', { skip: !existsSync(source) && `needs ${source}` }, () => {
    const out = join(dir, 'regenerated.json');
    const r = run('--out', out);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(DEFAULT_COMMUNITY_FILE, 'utf8'), 'fixtures/shikeyuan/community.json is stale: run npm run import:osm');
  });
});
