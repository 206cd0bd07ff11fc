/**
 * The embedded journal's own failure cases: torn and corrupt tails, damage in the middle, locks
 * left by dead processes, and two real processes appending to one stream at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../errors.ts';
import { Metrics } from '../metrics.ts';
import type { NewEvent, StreamKey } from './contract.ts';
import { FileJournal } from './file.ts';
import { encodeFrame } from './frame.ts';

const key: StreamKey = { community: 'c', kind: 'building', actorId: 'bldg-1' };
const ev = (n: number): NewEvent => ({ type: 'ChatPosted', v: 1, at: 1_700_000_000_000 + n, author: 'acct-1', key: `k${n}`, event: { type: 'ChatPosted', v: 1, n, text: '楼上漏水了' } });
const logFile = (dir: string) => join(dir, 'c', 'building', 'bldg-1.log');

async function journalWith(commits: number): Promise<{ dir: string; size: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'linli-fj-'));
  const j = new FileJournal(dir);
  const size: number[] = [];
  for (let i = 0; i < commits; i++) {
    await j.append(key, i, [ev(i + 1)]);
    size.push(statSync(logFile(dir)).size);
  }
  await j.close();
  return { dir, size };
}

test('file journal: a torn last frame (crash mid-write) → detected, kept aside, cut off; the valid prefix is read and appends go on', async () => {
  const { dir, size } = await journalWith(3);
  const torn = encodeFrame(4, [ev(4)]);
  appendFileSync(logFile(dir), torn.subarray(0, torn.length - 7));
  const metrics = new Metrics();
  const j = new FileJournal(dir, { metrics });
  assert.deepEqual((await j.read(key)).map((r) => r.seq), [1, 2, 3]);
  assert.equal(j.incidents.length, 1);
  assert.equal(j.incidents[0].offset, size[2]);
  assert.match(j.incidents[0].reason, /incomplete/);
  assert.ok(j.incidents[0].keptAt && existsSync(j.incidents[0].keptAt));
  assert.equal(readFileSync(j.incidents[0].keptAt!).length, torn.length - 7);
  assert.equal(metrics.get('journal_corrupt_tails_total', { outcome: 'recovered' }), 1);
  assert.equal(statSync(logFile(dir)).size, size[2]);
  await j.append(key, 3, [ev(4)]);
  await j.close();
  const again = new FileJournal(dir);
  assert.deepEqual((await again.read(key)).map((r) => r.seq), [1, 2, 3, 4]);
  assert.equal(again.incidents.length, 0);
  await again.close();
});

test('file journal: a flipped byte in the last frame → checksum mismatch reported, that frame cut, the rest kept', async () => {
  const { dir, size } = await journalWith(3);
  const bytes = readFileSync(logFile(dir));
  bytes[size[2] - 3] ^= 0xff;
  writeFileSync(logFile(dir), bytes);
  const j = new FileJournal(dir);
  assert.equal(await j.lastSeq(key), 2);
  assert.match(j.incidents[0].reason, /checksum/);
  await j.close();
});

test('file journal: damage in the middle with valid frames after it → ENGINE_JOURNAL_CORRUPT, nothing cut off', async () => {
  const { dir, size } = await journalWith(3);
  const bytes = readFileSync(logFile(dir));
  bytes[size[0] + 25] ^= 0xff;
  writeFileSync(logFile(dir), bytes);
  const j = new FileJournal(dir);
  await assert.rejects(j.read(key), (e: { code?: string }) => e.code === EngineError.JOURNAL_CORRUPT);
  assert.equal(j.incidents[0].keptAt, null);
  assert.equal(statSync(logFile(dir)).size, size[2]);
  await j.close();
});

test('file journal: a file that is not a journal → ENGINE_JOURNAL_CORRUPT, left as it is', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'linli-fj-'));
  const j0 = new FileJournal(dir);
  await j0.append(key, 0, [ev(1)]);
  await j0.close();
  writeFileSync(logFile(dir), 'hello, not a journal');
  const j = new FileJournal(dir);
  await assert.rejects(j.lastSeq(key), (e: { code?: string }) => e.code === EngineError.JOURNAL_CORRUPT);
  assert.equal(readFileSync(logFile(dir), 'utf8'), 'hello, not a journal');
  await j.close();
});

test('file journal: a write lock left by a dead process → broken and counted; the append proceeds', async () => {
  const { dir } = await journalWith(1);
  const dead = spawn(process.execPath, ['-e', '0']);
  const pid = dead.pid!;
  await new Promise((r) => dead.on('exit', r));
  writeFileSync(`${logFile(dir)}.lock`, `${pid} ${Date.now()}`);
  const metrics = new Metrics();
  const j = new FileJournal(dir, { metrics, lockWaitMs: 2000 });
  await j.append(key, 1, [ev(2)]);
  assert.equal(metrics.get('journal_locks_broken_total'), 1);
  assert.equal(existsSync(`${logFile(dir)}.lock`), false);
  await j.close();
});

test('file journal: a write lock held by a live process → the append waits, then ENGINE_JOURNAL_UNAVAILABLE', async () => {
  const { dir } = await journalWith(1);
  writeFileSync(`${logFile(dir)}.lock`, `${process.ppid} ${Date.now()}`);
  const j = new FileJournal(dir, { lockWaitMs: 300 });
  await assert.rejects(j.append(key, 1, [ev(2)]), (e: { code?: string }) => e.code === EngineError.JOURNAL_UNAVAILABLE);
  assert.equal(await j.lastSeq(key), 1);
  await j.close();
});

test('file journal: two processes appending to one stream at once → every success is stored once, in one gap-free sequence', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'linli-fj-'));
  const script = join(dir, 'writer.mts');
  writeFileSync(script, `
    import { FileJournal } from ${JSON.stringify(new URL('./file.ts', import.meta.url).pathname)};
    const j = new FileJournal(${JSON.stringify(dir)}, { fsync: false });
    const key = { community: 'c', kind: 'building', actorId: 'bldg-1' };
    const me = process.argv[2];
    let won = 0, lost = 0;
    while (won < 200) {
      const seq = await j.lastSeq(key);
      try { await j.append(key, seq, [{ type: 'W', v: 1, at: 0, author: me, key: me + won, event: { me, n: won } }]); won++; }
      catch (e: any) { if (e.code !== 'ENGINE_JOURNAL_CONFLICT') throw e; lost++; }
    }
    await j.close();
    console.log(JSON.stringify({ won, lost }));
  `);
  const runWriter = (name: string) => new Promise<{ won: number; lost: number }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, name], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`writer ${name} exited ${code}`))));
  });
  const [a] = await Promise.all([runWriter('a'), runWriter('b')]);
  const j = new FileJournal(dir);
  const records = await j.read(key);
  assert.equal(records.length, 400);
  assert.deepEqual(records.map((r) => r.seq), Array.from({ length: 400 }, (_, i) => i + 1));
  assert.equal(new Set(records.map((r) => r.key)).size, 400);
  assert.equal(records.filter((r) => r.author === 'a').length, a.won);
  assert.equal(j.incidents.length, 0);
  assert.deepEqual(readdirSync(join(dir, 'c', 'building')).filter((f) => f.includes('.lock')), []);
  await j.close();
});
