/**
 * @module bench/chat/fanout.bench
 * Chat fan-out in one building room: N residents on the official @colyseus/sdk, S senders at a
 * fixed total rate, latency measured at every receiver. Linli (full community server, analytics
 * on) and a peer (stock Colyseus 0.18 room on ws-transport) each run in a child process and are
 * measured in the same run with the same generator and parameters, alternating (A B, B A, …).
 * Prints a side-by-side table of medians and appends one JSON line per server to
 * bench/results/chat-fanout.jsonl. Bounded: fixed rounds, drain deadline, overall timeout.
 * Usage: `npm run bench:chat -- --clients 500 --rate 50 --repeat 3` (see bench/README.md).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Fleet, type JoinReport, type RoundReport } from './load.ts';
import { ServerProcess, stopAllServers } from './server-process.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const MB = 1024 * 1024;
const SERVER_START_TIMEOUT_MS = 120_000;
const LEAVE_TIMEOUT_MS = 5_000;
const RSS_SAMPLE_MS = 200;
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: the unit of /proc/stat

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '500' },
    senders: { type: 'string', default: '10' },
    messages: { type: 'string', default: '20' },
    rate: { type: 'string', default: '50' },
    repeat: { type: 'string', default: '3' },
    batch: { type: 'string', default: '25' },
    warmup: { type: 'string', default: '2' },
    prefill: { type: 'string', default: '0' },
    'prefill-rate': { type: 'string', default: '200' },
    'drain-ms': { type: 'string', default: '10000' },
    'settle-ms': { type: 'string', default: '1000' },
    'join-timeout-ms': { type: 'string', default: '20000' },
    'timeout-s': { type: 'string', default: '1500' },
    only: { type: 'string', default: 'both' },
    'linli-transport': { type: 'string' },
    out: { type: 'string', default: join(ROOT, 'bench/results/chat-fanout.jsonl') },
    'no-write': { type: 'boolean', default: false },
    'prof-dir': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`usage: npm run bench:chat -- [--clients 500] [--senders 10] [--messages 20] [--rate 50] [--repeat 3]
  [--batch 25] [--warmup 2] [--prefill 0] [--prefill-rate 200] [--drain-ms 10000] [--settle-ms 1000] [--join-timeout-ms 20000] [--timeout-s 1500]
  [--only both|linli|peer] [--linli-transport auto|uws|ws[,…]] [--out file.jsonl] [--no-write]
  [--prof-dir DIR]   write a V8 CPU profile of each server process (node --cpu-prof) into DIR`);
  process.exit(0);
}

function posInt(name: keyof typeof args, min = 1): number {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${args[name]}`);
  return n;
}

const P = {
  clients: posInt('clients'), senders: posInt('senders'), messages: posInt('messages'), rate: posInt('rate'),
  repeat: posInt('repeat'), batch: posInt('batch'), warmup: posInt('warmup', 0), drainMs: posInt('drain-ms'),
  prefill: posInt('prefill', 0), prefillRate: posInt('prefill-rate'),
  settleMs: posInt('settle-ms', 0), joinTimeoutMs: posInt('join-timeout-ms'), timeoutS: posInt('timeout-s'),
};
interface Target {
  readonly name: string;
  readonly label: string;
  readonly script: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Linli variants: no flag means TRANSPORT from the environment, else auto (uWS when it loads), named
 * 'chat-fanout/linli'; an explicit transport gets its own result name so baselines never mix.
 */
function linliTargets(flag: string | undefined): Target[] {
  const script = join(HERE, 'linli-server.ts');
  const accounts = { BENCH_ACCOUNTS: String(P.clients + 1) }; // every client is a verified resident of the room's building
  if (!flag) return [{ name: 'chat-fanout/linli', label: 'Linli', script, env: { ...process.env, ...accounts } }];
  return flag.split(',').map((t) => {
    if (!['auto', 'uws', 'ws'].includes(t)) throw new Error(`--linli-transport takes auto, uws or ws (comma-separated), got ${t}`);
    const name = t === 'auto' ? 'chat-fanout/linli' : `chat-fanout/linli-${t}`;
    return { name, label: t === 'auto' ? 'Linli' : `Linli ${t}`, script, env: { ...process.env, ...accounts, TRANSPORT: t } };
  });
}

const PEER: Target = { name: 'chat-fanout/peer-stock-colyseus-ws', label: 'peer stock Colyseus ws', script: join(HERE, 'peer-server.ts'), env: { ...process.env } };
const only = args.only as 'both' | 'linli' | 'peer';
if (!['both', 'linli', 'peer'].includes(only)) throw new Error('--only must be both, linli or peer');
const chosen: Target[] = [...(only === 'peer' ? [] : linliTargets(args['linli-transport'])), ...(only === 'linli' ? [] : [PEER])];

interface Session {
  readonly target: Target;
  readonly transport: string;
  readonly notes: Record<string, unknown>;
  readonly join: JoinReport;
  readonly round: RoundReport;
  /** Whole server process tree (Linli: server + chDB worker), bytes. */
  readonly rssIdle: number;
  readonly rssAfter: number;
  readonly rssPeak: number;
  /** The server process alone, bytes. */
  readonly rssMainIdle: number;
  readonly rssMainAfter: number;
  readonly tree: string[];
  readonly heapAfter: number;
  readonly serverCpuPct: number;
  readonly loadgenCpuPct: number;
  /** CPU used by everything else on the machine during the round (other tests, builds), % of one core. */
  readonly otherCpuPct: number;
  readonly serverCpuUsPerDelivery: number;
  readonly cpuByProcessPct: Record<string, number>;
  readonly counterDelta: Record<string, number>;
  readonly idleMessages: Record<string, number>;
  readonly stale: number;
  readonly log: ReturnType<ServerProcess['logSummary']>;
  readonly exited: boolean;
}

const say = (s: string) => process.stdout.write(s + '\n');

async function runSession(target: Target, run: string): Promise<Session> {
  say(`\n[${run}] ${target.label}: starting server`);
  const profArgs = args['prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(args['prof-dir'])}`] : [];
  const srv = await ServerProcess.start(target.script, target.env, SERVER_START_TIMEOUT_MS, profArgs);
  let fleet: Fleet | null = null;
  try {
    const { transport, url, roomId, notes } = srv.ready;
    say(`[${run}] ${target.label}: ${url} room ${roomId} transport ${transport} pid ${srv.pid} ${JSON.stringify(notes)}`);
    if (P.prefill > 0) {
      // One extra resident posts history before the others join, so the room is in its steady state
      // (full chat history and idempotency-key memory) rather than fresh.
      const pre = await Fleet.join(url, roomId, { clients: 1, batch: 1, joinTimeoutMs: P.joinTimeoutMs, tokens: srv.ready.tokens?.slice(-1) }, 'prefill');
      try {
        if (pre.report.joined === 0) throw new Error(`prefill client could not join: ${pre.report.firstErrors.join('; ')}`);
        const r = await pre.fleet.runRound({ senders: 1, messagesPerSender: P.prefill, rate: P.prefillRate, drainMs: P.drainMs });
        say(`[${run}] ${target.label}: prefill ${r.delivered}/${r.sent} msgs in ${(r.elapsedMs / 1000).toFixed(1)} s (${(r.delivered / (r.elapsedMs / 1000)).toFixed(0)} msg/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms)`);
      } finally {
        await pre.fleet.leaveAll(LEAVE_TIMEOUT_MS);
      }
    }
    const joined = await Fleet.join(url, roomId, { clients: P.clients, batch: P.batch, joinTimeoutMs: P.joinTimeoutMs, tokens: srv.ready.tokens }, target.label.split(' ')[0], (n) => {
      if (n % 100 === 0 && n < P.clients) say(`  joined ${n}/${P.clients}`);
    });
    fleet = joined.fleet;
    say(`[${run}] ${target.label}: ${joined.report.joined} joined, ${joined.report.failed} failed in ${(joined.report.elapsedMs / 1000).toFixed(1)} s${joined.report.firstErrors.length ? ` (${joined.report.firstErrors.join('; ')})` : ''}`);
    if (joined.report.joined === 0) throw new Error('no client could join');
    await new Promise((r) => setTimeout(r, P.settleMs));
    const idle = await srv.rss();
    const before = await srv.stats();
    let rssPeak = idle.tree;
    const sampler = setInterval(() => { void srv.rss().then((b) => { if (b.tree > rssPeak) rssPeak = b.tree; }); }, RSS_SAMPLE_MS);
    try {
      if (P.warmup > 0) {
        const w = await fleet.runRound({ senders: P.senders, messagesPerSender: P.warmup, rate: P.rate, drainMs: P.drainMs });
        say(`[${run}] ${target.label}: warm-up ${w.sent} msgs, ${w.delivered}/${w.expected} deliveries, p50 ${w.p50Ms.toFixed(1)} ms`);
      }
      const cpu0 = srv.cpuSeconds();
      const machine0 = machineBusySeconds();
      const byProc0 = srv.cpuByProcess();
      const own0 = process.cpuUsage();
      const t0 = performance.now();
      const round = await fleet.runRound({ senders: P.senders, messagesPerSender: P.messages, rate: P.rate, drainMs: P.drainMs });
      const wallS = (performance.now() - t0) / 1000;
      const own = process.cpuUsage(own0);
      const serverCpuPct = ((srv.cpuSeconds() - cpu0) / wallS) * 100;
      const loadgenCpuPct = ((own.user + own.system) / 1e6 / wallS) * 100;
      // clamped: the three readings are taken at slightly different instants, so a quiet machine can read −1 %
      const otherCpuPct = Math.max(0, ((machineBusySeconds() - machine0) / wallS) * 100 - serverCpuPct - loadgenCpuPct);
      const byProc = diffCounters(byProc0, srv.cpuByProcess());
      const cpuByProcessPct = Object.fromEntries(Object.entries(byProc).map(([k, v]) => [k, Math.round((v / wallS) * 100)]));
      const serverCpuUsPerDelivery = (((serverCpuPct / 100) * wallS) / round.delivered) * 1e6;
      clearInterval(sampler);
      const after0 = await srv.rss();
      const after = await srv.stats();
      const counterDelta = diffCounters(before?.counters ?? {}, after?.counters ?? {});
      say(`[${run}] ${target.label}: ${round.delivered}/${round.expected} deliveries, ${round.deliveredPerSecond.toFixed(0)} msg/s, p50 ${round.p50Ms.toFixed(1)} ms, p99 ${round.p99Ms.toFixed(1)} ms, lost ${round.lost}, RSS ${(idle.tree / MB).toFixed(0)}→${(after0.tree / MB).toFixed(0)} MB (${srv.treePids().length} process(es)), CPU % of a core: server ${serverCpuPct.toFixed(0)}, loadgen ${loadgenCpuPct.toFixed(0)}, other processes ${otherCpuPct.toFixed(0)}`);
      return {
        target, transport, notes, join: joined.report, round, rssIdle: idle.tree, rssAfter: after0.tree, rssPeak: Math.max(rssPeak, after0.tree),
        rssMainIdle: idle.main, rssMainAfter: after0.main, tree: srv.treeBreakdown(),
        heapAfter: after?.memory.heapUsed ?? NaN, serverCpuPct, loadgenCpuPct, otherCpuPct, serverCpuUsPerDelivery, cpuByProcessPct, counterDelta,
        idleMessages: fleet.idleMessages(), stale: fleet.staleDeliveries, log: srv.logSummary(), exited: srv.exitedWith !== null,
      };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await fleet?.leaveAll(LEAVE_TIMEOUT_MS);
    await srv.stop();
  }
}

/** Busy CPU seconds of the whole machine (all cores) from /proc/stat; NaN without /proc. */
function machineBusySeconds(): number {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = f;
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN; // not Linux
  }
}

function diffCounters(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(b)) if (v !== (a[k] ?? 0)) out[k] = v - (a[k] ?? 0);
  return out;
}

function median(xs: number[]): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((x, y) => x - y);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Summary {
  readonly target: Target;
  readonly runs: number;
  readonly transport: string;
  readonly clients: number;
  readonly sent: number;
  readonly deliveries: number;
  readonly deliveredPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly lost: number;
  readonly rssIdle: number;
  readonly rssAfter: number;
  readonly rssPeak: number;
  readonly rssMainAfter: number;
  readonly serverCpuPct: number;
  readonly loadgenCpuPct: number;
  readonly otherCpuPct: number;
  readonly serverCpuUsPerDelivery: number;
  readonly joinFailed: number;
  readonly drops: number;
}

function summarise(target: Target, ss: Session[]): Summary {
  const m = (f: (s: Session) => number) => median(ss.map(f));
  return {
    target, runs: ss.length, transport: [...new Set(ss.map((s) => s.transport))].join('/'),
    clients: m((s) => s.round.receivers), sent: m((s) => s.round.sent), deliveries: m((s) => s.round.delivered),
    deliveredPerSecond: m((s) => s.round.deliveredPerSecond), p50Ms: m((s) => s.round.p50Ms), p99Ms: m((s) => s.round.p99Ms),
    maxMs: m((s) => s.round.maxMs), lost: m((s) => s.round.lost), rssIdle: m((s) => s.rssIdle), rssAfter: m((s) => s.rssAfter),
    rssPeak: m((s) => s.rssPeak), rssMainAfter: m((s) => s.rssMainAfter), serverCpuPct: m((s) => s.serverCpuPct), loadgenCpuPct: m((s) => s.loadgenCpuPct),
    otherCpuPct: m((s) => s.otherCpuPct), serverCpuUsPerDelivery: m((s) => s.serverCpuUsPerDelivery),
    joinFailed: m((s) => s.join.failed), drops: ss.reduce((n, s) => n + s.round.drops, 0),
  };
}

function table(sums: Summary[]): string {
  const f0 = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(0));
  const f1 = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(1));
  const mb = (x: number) => (Number.isNaN(x) ? 'n/a' : (x / MB).toFixed(0));
  const rows: [string, (s: Summary) => string][] = [
    ['transport', (s) => s.transport],
    ['runs (median of)', (s) => String(s.runs)],
    ['clients (receivers)', (s) => f0(s.clients)],
    ['join failures', (s) => f0(s.joinFailed)],
    ['messages sent', (s) => f0(s.sent)],
    ['deliveries', (s) => f0(s.deliveries)],
    ['delivered msg/s', (s) => f0(s.deliveredPerSecond)],
    ['p50 latency ms', (s) => f1(s.p50Ms)],
    ['p99 latency ms', (s) => f1(s.p99Ms)],
    ['max latency ms', (s) => f1(s.maxMs)],
    ['lost deliveries', (s) => f0(s.lost)],
    ['client drops (all runs)', (s) => String(s.drops)],
    ['server RSS idle MB (tree)', (s) => mb(s.rssIdle)],
    ['server RSS after MB (tree)', (s) => mb(s.rssAfter)],
    ['server RSS peak MB (tree)', (s) => mb(s.rssPeak)],
    ['  of which server process', (s) => mb(s.rssMainAfter)],
    ['server CPU % of 1 core', (s) => f0(s.serverCpuPct)],
    ['server CPU µs per delivery', (s) => f1(s.serverCpuUsPerDelivery)],
    ['loadgen CPU % of 1 core', (s) => f0(s.loadgenCpuPct)],
    ['other processes CPU %', (s) => f0(s.otherCpuPct)],
  ];
  const head = ['', ...sums.map((s) => s.target.label)];
  const body = rows.map(([name, get]) => [name, ...sums.map(get)]);
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function gitCommit(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim().length > 0;
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: true };
  }
}

async function main(): Promise<number> {
  const git = gitCommit();
  const date = new Date().toISOString();
  say(`chat fan-out benchmark  ${date}  commit ${git.commit}${git.dirty ? ' (dirty tree)' : ''}  node ${process.version}`);
  say(`params: clients ${P.clients}, senders ${P.senders} × ${P.messages} msgs at ${P.rate} msg/s total, warm-up ${P.warmup}/sender, prefill ${P.prefill}${P.prefill ? ` @ ${P.prefillRate}/s` : ''}, join batch ${P.batch}, drain ${P.drainMs} ms, repeat ${P.repeat}`);
  say(`machine: ${availableParallelism()} CPU cores SHARED by the load generator (this process, ${P.clients} SDK clients) and the server child; loadavg ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  say(`Linli: full community server, analytics ON, validation + rate guard + actor + journal per message; peer: stock Colyseus room that only broadcasts.`);

  const sessions = new Map<Target, Session[]>(chosen.map((t) => [t, []]));
  const failures: string[] = [];
  for (let i = 0; i < P.repeat; i++) {
    const order = i % 2 === 0 ? chosen : [...chosen].reverse();
    for (const t of order) {
      try {
        sessions.get(t)!.push(await runSession(t, `${i + 1}/${P.repeat}`));
      } catch (err) {
        const msg = `${t.label} run ${i + 1}: ${(err as Error).message}`;
        failures.push(msg);
        say(`FAILED ${msg}`);
      }
    }
  }

  const sums = chosen.filter((t) => sessions.get(t)!.length > 0).map((t) => summarise(t, sessions.get(t)!));
  say(`\n=== chat fan-out, one building room: medians of ${P.repeat} run(s) each; ${P.clients} clients, ${P.senders} senders × ${P.messages} msgs @ ${P.rate} msg/s${P.prefill ? `, room prefilled with ${P.prefill} msgs` : ''} ===`);
  say(`(2 CPU cores shared by load generator and server; latency includes the load generator's own event-loop delay)`);
  say(table(sums));

  for (const t of chosen) {
    for (const [n, s] of sessions.get(t)!.entries()) {
      const notable = { ...s.round.other, ...(s.stale ? { staleChat: s.stale } : {}), ...(s.round.duplicates ? { duplicates: s.round.duplicates } : {}) };
      say(`\n${s.target.label} run ${n + 1}: other messages during the round ${JSON.stringify(notable)}; before it ${JSON.stringify(s.idleMessages)}`);
      say(`  drops ${s.round.drops}, reconnects ${s.round.reconnects}, leaves ${s.round.leaves}, drained ${s.round.drained}, server exited early ${s.exited}, heap after ${(s.heapAfter / MB).toFixed(0)} MB, RSS server process ${(s.rssMainIdle / MB).toFixed(0)}→${(s.rssMainAfter / MB).toFixed(0)} MB, tree ${s.tree.join(' ')}, CPU % of a core in the round ${JSON.stringify(s.cpuByProcessPct)}`);
      if (Object.keys(s.counterDelta).length) say(`  server counters changed during warm-up+round: ${JSON.stringify(s.counterDelta)}`);
      if (s.log.lines) say(`  server stderr: ${s.log.lines} lines ${JSON.stringify(s.log.byLevel)} top: ${JSON.stringify(s.log.top.slice(0, 5))}`);
    }
  }
  say(`\nloadavg at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  if (failures.length) say(`\nFAILURES:\n  ${failures.join('\n  ')}`);

  if (!args['no-write'] && sums.length) {
    mkdirSync(dirname(args.out!), { recursive: true });
    for (const s of sums) {
      const line = {
        name: P.prefill ? `${s.target.name}/prefilled` : s.target.name, commit: git.commit, date, ops: Math.round(s.deliveredPerSecond),
        p50Ms: round2(s.p50Ms), p99Ms: round2(s.p99Ms), bytes: s.rssAfter,
        transport: s.transport, dirty: git.dirty, lost: s.lost, rssIdleBytes: s.rssIdle, rssServerProcessBytes: s.rssMainAfter,
        runs: s.runs, cores: availableParallelism(), serverCpuPct: Math.round(s.serverCpuPct), otherCpuPct: Math.round(s.otherCpuPct),
        params: { clients: P.clients, senders: P.senders, messages: P.messages, rate: P.rate, warmup: P.warmup, prefill: P.prefill },
      };
      appendFileSync(args.out!, JSON.stringify(line) + '\n');
    }
    say(`\nappended ${sums.length} line(s) to ${args.out}`);
  }
  return failures.length ? 1 : 0;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

const deadline = setTimeout(() => {
  say(`\nbench: overall timeout of ${P.timeoutS} s reached; stopping servers`);
  void stopAllServers().finally(() => process.exit(2));
}, P.timeoutS * 1000);
process.on('unhandledRejection', (err) => {
  say(`bench: unhandled rejection: ${(err as Error)?.stack ?? String(err)}`);
  void stopAllServers().finally(() => process.exit(1));
});

main().then(
  (code) => { clearTimeout(deadline); process.exit(code); },
  (err: unknown) => { say(`bench failed: ${(err as Error)?.stack ?? String(err)}`); void stopAllServers().finally(() => process.exit(1)); },
);
