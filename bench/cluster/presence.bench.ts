/**
 * @module bench/cluster/presence.bench
 * Latency of Colyseus presence operations on Linli's NATS presence, next to Colyseus's own
 * RedisPresence (the usual way to scale Colyseus) on the machine's Redis, and next to a raw
 * nats.js KV loop (the floor under ours), all measured in the same run, alternating A B C, C B A…
 * Operations: hset, hget, incr (one awaited call after another: latency, not throughput),
 * publish→subscriber (publish on one instance, time to the callback on a second instance with its
 * own connection), and incr by two instances racing on one key (compare-and-set under contention).
 * Prints a table of medians over the repeats and appends one JSON line per system and operation to
 * bench/results/cluster-presence.jsonl. Bounded: fixed op counts, a per-op timeout, unique keys,
 * and its NATS bucket and Redis keys deleted at the end.
 * Usage: `npm run bench:presence -- [--ops 2000] [--repeat 3] [--nats nats://127.0.0.1:4222]
 *        [--redis redis://127.0.0.1:6379/12] [--no-write]`
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { connect, type KV, type NatsConnection } from 'nats';
import { RedisPresence } from '@colyseus/redis-presence';
import type { Presence } from '@colyseus/core';
import { NatsPresence } from '../../engine/presence/nats.ts';
import { natsNames } from '../../engine/presence/keys.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const OP_TIMEOUT_MS = 5000;

const { values: args } = parseArgs({
  options: {
    ops: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '200' },
    repeat: { type: 'string', default: '3' },
    nats: { type: 'string', default: 'nats://127.0.0.1:4222' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379/12' },
    out: { type: 'string', default: join(ROOT, 'bench/results/cluster-presence.jsonl') },
    'no-write': { type: 'boolean', default: false },
  },
});
const OPS = Number(args.ops);
const WARMUP = Number(args.warmup);
const REPEAT = Number(args.repeat);
const RUN = `bench${randomUUID().slice(0, 8)}`;

type OpName = 'hset' | 'hget' | 'incr' | 'publish→subscriber' | 'incr, 2 racing';
const OP_NAMES: OpName[] = ['hset', 'hget', 'incr', 'publish→subscriber', 'incr, 2 racing'];

/** One system under test: two instances on separate connections (a second node). */
interface System {
  readonly name: string;
  readonly a: Presence;
  readonly b: Presence;
  close(): Promise<void>;
}

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => { t = setTimeout(() => reject(new Error(`${what} took over ${OP_TIMEOUT_MS} ms`)), OP_TIMEOUT_MS); })]).finally(() => clearTimeout(t));
}

async function natsSystem(): Promise<System> {
  const conns = [await connect({ servers: args.nats, name: 'bench-presence-a' }), await connect({ servers: args.nats, name: 'bench-presence-b' })];
  const [a, b] = await Promise.all(conns.map((connection) => NatsPresence.create({ connection, namespace: RUN, sweepIntervalMs: 0 })));
  return {
    name: 'linli-nats-presence', a, b,
    async close() {
      await a.shutdown();
      await b.shutdown();
      const jsm = await conns[0].jetstreamManager();
      await jsm.streams.delete(`KV_${natsNames(RUN).presenceBucket}`).catch(() => false); // already gone
      for (const nc of conns) await nc.close();
    },
  };
}

async function redisSystem(): Promise<System> {
  const a = new RedisPresence(args.redis);
  const b = new RedisPresence(args.redis);
  await withTimeout(a.set(`${RUN}:ping`, '1').then(() => a.get(`${RUN}:ping`)).then((v) => { if (v !== '1') throw new Error('no answer'); }), 'reaching Redis');
  return {
    name: 'colyseus-redis-presence', a, b,
    async close() {
      for (const k of ['ping', 'h', 'n', 'race']) await a.del(`${RUN}:${k}`);
      a.shutdown();
      b.shutdown();
    },
  };
}

/** The floor: nats.js KV put/get and a plain subscription, no presence layer at all. */
async function rawKvSystem(): Promise<System & { kv: KV; nc: NatsConnection }> {
  const nc = await connect({ servers: args.nats, name: 'bench-raw-a' });
  const nc2 = await connect({ servers: args.nats, name: 'bench-raw-b' });
  const bucket = `${RUN}-raw`;
  const kv = await nc.jetstream().views.kv(bucket, { history: 1 });
  const enc = new TextEncoder();
  const key = (k: string) => k.replaceAll(':', '_'); // KV keys allow no ':'
  let n = 0;
  const subs = new Map<string, Array<(d: unknown) => void>>();
  const raw = {
    hset: async (k: string, f: string, v: string) => { await kv.put(`${key(k)}.${f}`, enc.encode(v)); return true; },
    hget: async (k: string, f: string) => (await kv.get(`${key(k)}.${f}`))?.string() ?? null,
    incr: async (k: string) => { n++; await kv.put(key(k), enc.encode(String(n))); return n; }, // a blind put: no read, no check
    publish: async (t: string, d: unknown) => { nc.publish(`${RUN}.raw.${t}`, enc.encode(JSON.stringify(d))); },
    subscribe: async (t: string, cb: (d: unknown) => void) => {
      if (!subs.has(t)) {
        subs.set(t, []);
        nc2.subscribe(`${RUN}.raw.${t}`, { callback: (_e, m) => { for (const c of subs.get(t)!) c(JSON.parse(new TextDecoder().decode(m.data))); } });
        await nc2.flush();
      }
      subs.get(t)!.push(cb);
    },
    unsubscribe: async (t: string) => { subs.delete(t); },
  } as unknown as Presence;
  return {
    name: 'raw-nats-kv (floor)', a: raw, b: raw, kv, nc,
    async close() {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.delete(`KV_${bucket}`).catch(() => false); // already gone
      await nc.close();
      await nc2.close();
    },
  };
}

async function timed(n: number, op: (i: number) => Promise<unknown>, what: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await withTimeout(Promise.resolve(op(i)), what);
    out.push(performance.now() - t);
  }
  return out;
}

async function measure(s: System, op: OpName): Promise<{ samples: number[]; wallMs: number }> {
  const k = (x: string) => `${RUN}:${x}`;
  const started = performance.now();
  let samples: number[];
  switch (op) {
    case 'hset':
      await timed(WARMUP, (i) => s.a.hset(k('h'), `f${i % 50}`, String(i)), op);
      samples = await timed(OPS, (i) => s.a.hset(k('h'), `f${i % 50}`, String(i)), op);
      break;
    case 'hget':
      await timed(WARMUP, (i) => s.b.hget(k('h'), `f${i % 50}`), op);
      samples = await timed(OPS, (i) => s.b.hget(k('h'), `f${i % 50}`), op);
      break;
    case 'incr':
      await timed(WARMUP, () => s.a.incr(k('n')), op);
      samples = await timed(OPS, () => s.a.incr(k('n')), op);
      break;
    case 'publish→subscriber': {
      const topic = `lat-${randomUUID().slice(0, 6)}`;
      let arrived: ((at: number) => void) | null = null;
      await s.b.subscribe(topic, () => arrived?.(performance.now()));
      const one = async () => {
        const got = new Promise<number>((r) => { arrived = r; });
        const t = performance.now();
        await s.a.publish(topic, { t, payload: 'x'.repeat(64) });
        return (await withTimeout(got, op)) - t;
      };
      for (let i = 0; i < WARMUP; i++) await one();
      samples = [];
      for (let i = 0; i < OPS; i++) samples.push(await one());
      await s.b.unsubscribe(topic);
      break;
    }
    case 'incr, 2 racing': {
      const half = Math.ceil(OPS / 2);
      const key = k('race');
      const [x, y] = await Promise.all([timed(half, () => s.a.incr(key), op), timed(half, () => s.b.incr(key), op)]);
      samples = [...x, ...y];
      break;
    }
  }
  return { samples, wallMs: performance.now() - started };
}

function pct(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const commit = (() => { try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim(); } catch { return 'unknown'; } })();

const systems: System[] = [await natsSystem(), await rawKvSystem()];
try {
  systems.push(await redisSystem());
} catch (err) {
  console.error(`RedisPresence not measured: ${(err as Error).message}`);
}

const results = new Map<string, { p50: number[]; p99: number[]; ops: number[] }>();
try {
  for (let r = 0; r < REPEAT; r++) {
    const order = r % 2 === 0 ? systems : [...systems].reverse();
    for (const s of order) {
      for (const op of OP_NAMES) {
        if (s.name.startsWith('raw') && op === 'incr, 2 racing') continue; // a blind put has no race to lose
        const { samples, wallMs } = await measure(s, op);
        const sorted = [...samples].sort((a, b) => a - b);
        const key = `${s.name}|${op}`;
        const e = results.get(key) ?? { p50: [], p99: [], ops: [] };
        e.p50.push(pct(sorted, 0.5));
        e.p99.push(pct(sorted, 0.99));
        e.ops.push(Math.round(samples.length / (wallMs / 1000)));
        results.set(key, e);
      }
    }
  }
} finally {
  for (const s of systems) await s.close().catch((err) => console.error(`closing ${s.name}: ${(err as Error).message}`));
}

const date = new Date().toISOString();
const lines: string[] = [];
console.log(`\npresence op latency, ms (median of ${REPEAT} runs of ${OPS} awaited ops each; ops/s = one caller, or two for the race)`);
console.log(['operation'.padEnd(20), ...systems.map((s) => s.name.padStart(34))].join(''));
for (const op of OP_NAMES) {
  const cells = systems.map((s) => {
    const e = results.get(`${s.name}|${op}`);
    return (e ? `p50 ${median(e.p50).toFixed(3)} p99 ${median(e.p99).toFixed(3)} ${String(median(e.ops)).padStart(6)}/s` : '—').padStart(34);
  });
  console.log([op.padEnd(20), ...cells].join(''));
  for (const s of systems) {
    const e = results.get(`${s.name}|${op}`);
    if (!e) continue;
    lines.push(JSON.stringify({ name: `cluster-presence/${s.name}/${op}`, commit, date, ops: median(e.ops), p50Ms: +median(e.p50).toFixed(3), p99Ms: +median(e.p99).toFixed(3), bytes: 0, runs: REPEAT, opsPerRun: OPS }));
  }
}
if (!args['no-write']) {
  mkdirSync(dirname(args.out), { recursive: true });
  appendFileSync(args.out, lines.map((l) => l + '\n').join(''));
  console.log(`\nappended ${lines.length} lines to ${args.out}`);
}
process.exit(0);
