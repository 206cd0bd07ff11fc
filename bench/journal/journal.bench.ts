/**
 * @module bench/journal/journal.bench
 * How fast are the durable journals, next to the bare systems under them, in the same run?
 *   append: `--streams` actors each appending `--commits` one-event commits in turn (a chat
 *   message each, ~230 bytes), all streams at once. Measured: commits/s and per-append latency
 *   (p50, p99) for
 *     journal/file        FileJournal (fsync on, write lock, frame, checksum)
 *     peer/fs-fdatasync   a bare loop: FileHandle.write of the same bytes + datasync, one file per stream
 *     journal/jetstream   JetStreamJournal (expected-last-subject-sequence fence) on a private nats-server
 *     peer/js-publish     a bare `js.publish` awaited per message (what `nats bench --js` does), same subjects
 *   activation: a building actor whose journal holds `--events` chat events; time to activate it
 *   with no snapshot (replay everything) and with a snapshot at the end (replay nothing), per journal.
 * Writes one JSON line per measured system to bench/results/journal.jsonl (unless --no-write).
 * Usage: npm run bench:journal [-- --streams 20 --commits 250 --events 100000 --no-write]
 */
import { execSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from 'nats';
import { createBuildingActor } from '../../actors/building/building.ts';
import { ActorHost } from '../../engine/actor-host.ts';
import { MemoryBus } from '../../engine/bus/memory.ts';
import type { Journal, NewEvent } from '../../engine/journal/contract.ts';
import { FileJournal } from '../../engine/journal/file.ts';
import { encodeFrame } from '../../engine/journal/frame.ts';
import { encodeCommit } from '../../engine/journal/commit.ts';
import { JetStreamJournal, communityStreamName } from '../../engine/journal/jetstream.ts';
import { createLogger } from '../../engine/log.ts';
import { Metrics } from '../../engine/metrics.ts';
import { FileSnapshotStore, KvSnapshotStore, type SnapshotStore } from '../../engine/snapshot/index.ts';
import { natsServerAvailable, startNatsServer } from '../../engine/testing/nats-server.ts';

const { values: args } = parseArgs({
  options: {
    streams: { type: 'string', default: '20' }, commits: { type: 'string', default: '250' }, events: { type: 'string', default: '100000' },
    'no-write': { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('npm run bench:journal -- [--streams N] [--commits N] [--events N] [--no-write]');
  process.exit(0);
}
const STREAMS = Number(args.streams);
const COMMITS = Number(args.commits);
const EVENTS = Number(args.events);

const log = createLogger('silent');
const chat = (n: number, author = 'acct-bench'): NewEvent => ({
  type: 'ChatPosted', v: 1, at: 1_700_000_000_000 + n, author, key: `k-${n}`,
  event: { type: 'ChatPosted', v: 1, n, key: `k-${n}`, authorId: author, authorName: '住户', text: `第${n}条：楼道灯坏了，请物业尽快修理。`, at: 1_700_000_000_000 + n },
});

interface Result { name: string; ops: number; p50Ms: number; p99Ms: number; commits: number; extra?: Record<string, unknown> }

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `STREAMS` writers at once, each doing `COMMITS` awaited appends through `appendOne(stream, i)`. */
async function measure(name: string, appendOne: (stream: number, i: number) => Promise<unknown>): Promise<Result> {
  const lat: number[] = [];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: STREAMS }, async (_, s) => {
    for (let i = 0; i < COMMITS; i++) {
      const a = performance.now();
      await appendOne(s, i);
      lat.push(performance.now() - a);
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  lat.sort((x, y) => x - y);
  return { name, ops: Math.round(lat.length / secs), p50Ms: round(pct(lat, 50)), p99Ms: round(pct(lat, 99)), commits: lat.length };
}

const round = (n: number) => Math.round(n * 100) / 100;

async function appendBench(dir: string, natsUrl: string | null): Promise<Result[]> {
  const out: Result[] = [];
  const fileJ = new FileJournal(join(dir, 'journal'));
  out.push(await measure('journal/file', (s, i) => fileJ.append({ community: 'bench', kind: 'building', actorId: `b${s}` }, i, [chat(i)])));
  await fileJ.close();

  mkdirSync(join(dir, 'bare'), { recursive: true });
  const handles = await Promise.all(Array.from({ length: STREAMS }, (_, s) => open(join(dir, 'bare', `b${s}.log`), 'a')));
  out.push(await measure('peer/fs-fdatasync', async (s, i) => {
    const bytes = encodeFrame(i + 1, [chat(i)]);
    await handles[s].write(bytes);
    await handles[s].datasync();
  }));
  for (const h of handles) await h.close();

  if (natsUrl) {
    const community = `jb${Date.now().toString(36)}`;
    const js = await JetStreamJournal.connect(natsUrl, 'bench-journal');
    await js.ensureStream(community);
    out.push(await measure('journal/jetstream', (s, i) => js.append({ community, kind: 'building', actorId: `b${s}` }, i, [chat(i)])));
    const nc = await connect({ servers: natsUrl });
    const raw = nc.jetstream();
    const payload = encodeCommit(1, [chat(0)]);
    out.push(await measure('peer/js-publish', (s) => raw.publish(`nb.${community}.room.building.p${s}.ev`, payload)));
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(communityStreamName(community)).catch(() => undefined);
    await nc.close();
    await js.close();
  }
  return out;
}

/** Activation of one building actor with EVENTS chat events, without and with a snapshot. */
async function activationBench(journal: Journal, snapshots: SnapshotStore, label: string, community: string): Promise<Result[]> {
  const key = { community, kind: 'building', actorId: 'bldg-bench' };
  const batch = 500;
  for (let first = 0; first < EVENTS; first += batch) {
    await journal.append(key, first, Array.from({ length: Math.min(batch, EVENTS - first) }, (_, i) => {
      const n = first + i + 1;
      const e = chat(n);
      return { ...e, event: { ...(e.event as object), n } };
    }));
  }
  const metrics = new Metrics();
  const def = createBuildingActor();
  const timed = async (snaps: SnapshotStore | null) => {
    const host = new ActorHost(def, key, journal, new MemoryBus(log, metrics), { mailboxSize: 16, log, metrics, snapshots: snaps });
    const t = performance.now();
    const a = await host.activate();
    return { ms: performance.now() - t, host, a };
  };
  const cold = await timed(null);
  await snapshots.save(key, { seq: cold.host.lastSeq, version: def.snapshotVersion ?? 1, state: cold.host.state, keys: [], takenAt: Date.now() });
  const warm = await timed(snapshots);
  if (warm.a.fromSnapshot !== EVENTS || cold.a.replayed !== EVENTS) throw new Error(`activation did not see ${EVENTS} events: ${JSON.stringify([cold.a, warm.a])}`);
  return [
    { name: `activation/${label}/no-snapshot`, ops: Math.round(EVENTS / (cold.ms / 1000)), p50Ms: round(cold.ms), p99Ms: round(cold.ms), commits: EVENTS, extra: { events: EVENTS, replayed: cold.a.replayed } },
    { name: `activation/${label}/snapshot`, ops: 0, p50Ms: round(warm.ms), p99Ms: round(warm.ms), commits: EVENTS, extra: { events: EVENTS, replayed: warm.a.replayed } },
  ];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'linli-bench-journal-'));
  const nats = natsServerAvailable() ? await startNatsServer() : null;
  if (!nats) console.warn('no /usr/sbin/nats-server: JetStream rows skipped');
  try {
    const results = await appendBench(dir, nats?.url ?? null);
    const fj = new FileJournal(join(dir, 'activation'));
    results.push(...(await activationBench(fj, new FileSnapshotStore(join(dir, 'snapshots')), 'file', 'bench')));
    await fj.close();
    if (nats) {
      const js = await JetStreamJournal.connect(nats.url, 'bench-activation');
      const community = `ja${Date.now().toString(36)}`;
      results.push(...(await activationBench(js, new KvSnapshotStore(js.connection), 'jetstream', community)));
      await js.close();
    }
    print(results);
    if (!args['no-write']) write(results);
  } finally {
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(rs: Result[]): void {
  console.log(`\njournal append: ${STREAMS} streams × ${COMMITS} one-event commits, all streams at once; activation: ${EVENTS} events\n`);
  console.log('system                               commits/s     p50 ms     p99 ms');
  for (const r of rs) {
    const ops = r.name.startsWith('activation/') ? (r.ops ? `${r.ops} ev/s` : '') : String(r.ops);
    const time = r.name.startsWith('activation/') ? `${r.p50Ms} ms to activate` : `${r.p50Ms}`.padStart(9) + `${r.p99Ms}`.padStart(11);
    console.log(`${r.name.padEnd(36)} ${ops.padStart(10)}  ${time}`);
  }
  const by = (n: string) => rs.find((r) => r.name === n);
  const ratio = (a?: Result, b?: Result) => (a && b ? `${(a.ops / b.ops).toFixed(2)}×` : 'n/a');
  console.log(`\nfile journal / bare fs+fdatasync throughput: ${ratio(by('journal/file'), by('peer/fs-fdatasync'))}`);
  console.log(`jetstream journal / bare js.publish throughput: ${ratio(by('journal/jetstream'), by('peer/js-publish'))}\n`);
}

function write(rs: Result[]): void {
  let commit = 'unknown';
  let dirty = false;
  try {
    commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    dirty = execSync('git status --porcelain', { encoding: 'utf8' }).trim().length > 0;
  } catch { /* not a git checkout: recorded as unknown */ }
  mkdirSync('bench/results', { recursive: true });
  const date = new Date().toISOString();
  for (const r of rs) {
    appendFileSync('bench/results/journal.jsonl', JSON.stringify({ name: r.name, commit, date, ops: r.ops, p50Ms: r.p50Ms, p99Ms: r.p99Ms, bytes: 0, dirty, cores: 2, params: { streams: STREAMS, commits: COMMITS, events: EVENTS }, ...(r.extra ?? {}) }) + '\n');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
