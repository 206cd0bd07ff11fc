/**
 * @module bench/votes/burst.bench
 * 10 000 owners' ballots within one second, through real clients, on Linli (full community
 * server, commons room, official @colyseus/sdk clients, one verified owner account each) and on a
 * bare uWebSockets.js tally server doing the same counting (bench/votes/peer-uws-server.ts), in
 * the same run with the same schedule. Checks every ballot counted exactly once, no screen closed
 * for backpressure, and the servers' longest event-loop block against the patch interval; prints
 * time-to-final-tally over every client, and appends one JSON line per server to
 * bench/results/vote-burst.jsonl. With taskset, the server's process tree and this generator are
 * pinned to different CPUs from the joins to the end of the burst (bench/votes/pinning.ts; the
 * `pinning` field says which). Bounded: join timeout, final-tally deadline, overall timeout.
 * Usage: `npm run bench:votes -- --owners 10000 --window-ms 1000` (see bench/README.md).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, type Room } from '@colyseus/sdk';
import WebSocket from 'ws';
import { quantile } from '../chat/load.ts';
import { ServerProcess, stopAllServers } from '../chat/server-process.ts';
import { pinForBurst, type Pinning } from './pinning.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const { values: args } = parseArgs({
  options: {
    owners: { type: 'string', default: '10000' },
    'window-ms': { type: 'string', default: '1000' },
    'patch-ms': { type: 'string', default: '500' },
    batch: { type: 'string', default: '100' },
    'final-timeout-ms': { type: 'string', default: '60000' },
    'timeout-s': { type: 'string', default: '1200' },
    only: { type: 'string', default: 'both' },
    out: { type: 'string', default: join(ROOT, 'bench/results/vote-burst.jsonl') },
    'no-write': { type: 'boolean', default: false },
    'prof-dir': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('usage: npm run bench:votes -- [--owners 10000] [--window-ms 1000] [--patch-ms 500] [--batch 100] [--final-timeout-ms 60000] [--only both|linli|peer] [--out file] [--no-write] [--prof-dir DIR]');
  process.exit(0);
}
const num = (k: keyof typeof args) => {
  const n = Number(args[k]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${k} must be a positive integer`);
  return n;
};
const P = { owners: num('owners'), windowMs: num('window-ms'), patchMs: num('patch-ms'), batch: num('batch'), finalTimeoutMs: num('final-timeout-ms'), timeoutS: num('timeout-s') };
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const say = (s: string) => process.stdout.write(`${s}\n`);
setTimeout(() => { say(`overall timeout ${P.timeoutS} s`); void stopAllServers().then(() => process.exit(2)); }, P.timeoutS * 1000).unref();

/** One screen: an owner's connection that votes once and watches the tally. */
interface Screen {
  send(choice: number): void;
  finalAt: number;
  acks: number;
  errors: string[];
  closes: number[];
  drops: number;
  patches: number;
  close(): void;
}

interface Result {
  readonly name: string;
  readonly label: string;
  readonly joinMs: number;
  readonly sendSpanMs: number;
  readonly finals: number;
  readonly final: { p50: number; p99: number; max: number; min: number };
  readonly acks: number;
  readonly errors: Record<string, number>;
  readonly closes: number;
  readonly drops: number;
  readonly counted: number;
  readonly patchesPerScreen: number;
  readonly loopMaxMs: number;
  readonly loopP99Ms: number;
  readonly rss: number;
  readonly pinning: string;
}

function linliScreen(url: string, roomId: string, voteId: string, token: string, owners: number): Promise<Screen> {
  const client = new Client(url);
  client.auth.token = token;
  return client.joinById(roomId).then((room: Room) => {
    const s: Screen = {
      finalAt: 0, acks: 0, errors: [], closes: [], drops: 0, patches: 0,
      send: (choice) => room.send('ballot', { key: `b-${choice}`, voteId, choices: [choice] }),
      close: () => { room.reconnection.enabled = false; void room.leave(true).catch(() => undefined); },
    };
    room.onMessage('ballot', () => { s.acks++; });
    room.onMessage('error', (e: { code?: string }) => s.errors.push(String(e.code)));
    room.onMessage('*', () => undefined);
    room.onStateChange((state: { votes?: Map<string, { turnoutHeads: number }> }) => {
      s.patches++;
      if (s.finalAt === 0 && state.votes?.get(voteId)?.turnoutHeads === owners) s.finalAt = now();
    });
    room.onLeave((code: number) => s.closes.push(code));
    room.onDrop(() => { s.drops++; });
    return s;
  });
}

function peerScreen(url: string, head: number, owners: number): Promise<Screen> {
  return new Promise((resolveScreen, reject) => {
    const ws = new WebSocket(`${url}/?head=${head}`);
    const s: Screen = {
      finalAt: 0, acks: 0, errors: [], closes: [], drops: 0, patches: 0,
      send: (choice) => ws.send(JSON.stringify({ choice })),
      close: () => ws.close(),
    };
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { ok?: boolean; turnoutHeads?: number };
      if (m.ok) s.acks++;
      else {
        s.patches++;
        if (s.finalAt === 0 && m.turnoutHeads === owners) s.finalAt = now();
      }
    });
    ws.on('close', (code) => s.closes.push(code));
    ws.once('open', () => resolveScreen(s));
    ws.once('error', reject);
  });
}

async function runOne(kind: 'linli' | 'peer'): Promise<Result> {
  const script = join(HERE, kind === 'linli' ? 'linli-server.ts' : 'peer-uws-server.ts');
  say(`\n${kind}: starting server (${P.owners} owners${kind === 'linli' ? ', accounts made through the invite flow' : ''})`);
  const prof = args['prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(args['prof-dir'])}`] : [];
  const srv = await ServerProcess.start(script, { ...process.env, BENCH_OWNERS: String(P.owners), VOTE_PATCH_INTERVAL_MS: String(P.patchMs) }, 2_400_000, prof);
  const screens: Screen[] = [];
  let pin: Pinning | null = null;
  try {
    const { url, roomId, notes, tokens } = srv.ready;
    const voteId = String(notes.voteId ?? '');
    say(`${kind}: ${url} ${JSON.stringify(notes)}`);
    // Pinned from the joins to the end of the burst; set-up (accounts, password hashes) used every CPU.
    pin = pinForBurst(srv.treePids());
    say(`${kind}: pinning: ${pin.label}`);
    const t0 = now();
    for (let i = 0; i < P.owners; i += P.batch) {
      const batch = Array.from({ length: Math.min(P.batch, P.owners - i) }, (_, j) => i + j);
      screens.push(...await Promise.all(batch.map((k) => (kind === 'linli' ? linliScreen(url, roomId, voteId, tokens![k], P.owners) : peerScreen(url, k, P.owners)))));
      if ((i / P.batch) % 20 === 0) say(`  joined ${screens.length}/${P.owners}`);
    }
    const joinMs = now() - t0;
    await sleep(1000);
    for (const s of screens) s.patches = 0;
    srv.send({ type: 'reset-loop' });
    await sleep(100);
    // The burst: every owner sends one ballot at an evenly spread instant within the window.
    const start = now();
    const bins = new Map<number, number[]>();
    screens.forEach((_, i) => {
      const at = Math.floor((i * P.windowMs) / P.owners);
      (bins.get(at) ?? bins.set(at, []).get(at)!).push(i);
    });
    let lastSend = start;
    await new Promise<void>((done) => {
      let left = bins.size;
      for (const [at, list] of bins) {
        setTimeout(() => {
          for (const i of list) screens[i].send(i % 3);
          lastSend = now();
          if (--left === 0) done();
        }, Math.max(0, start + at - now()));
      }
    });
    const deadline = now() + P.finalTimeoutMs;
    while (screens.some((s) => s.finalAt === 0 || s.acks === 0) && now() < deadline) await sleep(20);
    const stats = await srv.stats();
    const rss = (await srv.rss()).tree;
    const finals = screens.filter((s) => s.finalAt > 0).map((s) => s.finalAt - start).sort((a, b) => a - b);
    const errors: Record<string, number> = {};
    for (const s of screens) for (const e of s.errors) errors[e] = (errors[e] ?? 0) + 1;
    const counters = stats?.counters ?? {};
    return {
      name: `vote-burst/${kind === 'linli' ? 'linli' : 'peer-bare-uws'}`, label: kind === 'linli' ? 'Linli (Colyseus SDK)' : 'bare uWebSockets.js',
      joinMs, sendSpanMs: lastSend - start, finals: finals.length,
      final: { p50: quantile(finals, 0.5), p99: quantile(finals, 0.99), max: finals[finals.length - 1] ?? NaN, min: finals[0] ?? NaN },
      acks: screens.reduce((a, s) => a + s.acks, 0), errors,
      closes: screens.reduce((a, s) => a + s.closes.length, 0), drops: screens.reduce((a, s) => a + s.drops, 0),
      counted: kind === 'peer' ? Number(counters.counted ?? 0) : P.owners === finals.length ? P.owners : -1,
      patchesPerScreen: screens.reduce((a, s) => a + s.patches, 0) / screens.length,
      loopMaxMs: Number(counters.eventLoopMaxMs ?? NaN), loopP99Ms: Number(counters.eventLoopP99Ms ?? NaN), rss, pinning: pin.label,
    };
  } finally {
    pin?.release();
    for (const s of screens) s.close();
    await srv.stop();
  }
}

const commit = (() => { try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim(); } catch { return 'unknown'; } })();
say(`vote burst: ${P.owners} ballots within ${P.windowMs} ms, patch interval ${P.patchMs} ms; commit ${commit}; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const kinds = args.only === 'both' ? (['linli', 'peer'] as const) : [args.only as 'linli' | 'peer'];
const results: Result[] = [];
try {
  for (const k of kinds) results.push(await runOne(k));
} finally {
  await stopAllServers();
}
const f = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '—');
for (const r of results) say(`${r.label}: pinning ${r.pinning}`);
say('\n| server | send span ms | screens with final tally | time-to-final p50 / p99 / max ms | ballots acked | errors | closed / dropped | patches per screen | loop max block ms (patch interval) | RSS MB |');
say('|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  say(`| ${r.label} | ${f(r.sendSpanMs)} | ${r.finals}/${P.owners} | ${f(r.final.p50)} / ${f(r.final.p99)} / ${f(r.final.max)} | ${r.acks} | ${JSON.stringify(r.errors)} | ${r.closes} / ${r.drops} | ${r.patchesPerScreen.toFixed(1)} | ${r.loopMaxMs.toFixed(1)} (${P.patchMs}) | ${(r.rss / 1048576).toFixed(0)} |`);
}
for (const r of results) {
  const exactlyOnce = r.acks === P.owners && r.finals === P.owners && Object.keys(r.errors).length === 0;
  say(`${r.label}: every ballot counted exactly once: ${exactlyOnce ? 'yes' : 'NO'}; no screen closed: ${r.closes === 0 && r.drops === 0 ? 'yes' : 'NO'}; longest loop block ${r.loopMaxMs <= P.patchMs ? 'within' : 'OVER'} one patch interval`);
}
if (!args['no-write']) {
  mkdirSync(dirname(args.out!), { recursive: true });
  for (const r of results) {
    appendFileSync(args.out!, `${JSON.stringify({
      name: r.name, commit, date: new Date().toISOString(), ops: P.owners / (r.final.max / 1000), p50Ms: r.final.p50, p99Ms: r.final.p99, bytes: r.rss,
      owners: P.owners, windowMs: P.windowMs, patchMs: P.patchMs, sendSpanMs: r.sendSpanMs, finals: r.finals, acks: r.acks, errors: r.errors,
      closes: r.closes, drops: r.drops, loopMaxMs: r.loopMaxMs, loopP99Ms: r.loopP99Ms, patchesPerScreen: r.patchesPerScreen, joinMs: r.joinMs,
      pinning: r.pinning,
    })}\n`);
  }
}
process.exit(0);
