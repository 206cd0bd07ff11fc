/**
 * @module bench/cluster/cross-node.bench
 * What does crossing nodes cost a message? A resident posts in a building room; a guard watches
 * the community map, which counts the building's messages. Measured from the post to the guard's
 * map state showing it (official Colyseus SDK clients on both ends), for
 *   cluster/cross-node   building room on one node, map room on another (the commit reaches the
 *                        map's node through the JetStream journal subject on NATS)
 *   embedded/one-process the same two rooms in one process (in-process bus, file journal)
 *   peer/nats-req-reply  a bare nats.js request/reply round trip on the same nats-server
 * plus the throughput of each (messages per second the map took in while posts arrive at
 * `--rate`), and the ratio cluster/embedded. The map is a patched state (every 50 ms), which
 * hides small differences, so the hop itself is measured too, without rooms:
 *   hop/cluster-bus      a journal commit on JetStream → a ClusterBus subscriber on another connection
 *   hop/memory-bus       a record published on the in-process bus → its subscriber
 * Writes JSON lines to bench/results/cluster-cross-node.jsonl.
 * Usage: npm run bench:cross-node [-- --messages 300 --rate 40 --no-write]
 */
import { execSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from 'nats';
import { accountFor, type ServerRef } from '../../engine/testing/accounts.ts';
import { startTestCluster } from '../../engine/testing/cluster.ts';
import { startServerProcess } from '../../engine/testing/server-process.ts';
import { TestResident } from '../../engine/testing/test-server.ts';
import { roomsToCreate } from '../../rooms/registry.ts';
import { ClusterBus } from '../../engine/bus/cluster.ts';
import { decodeJson, encodeJson } from '../../engine/bus/contract.ts';
import { MemoryBus } from '../../engine/bus/memory.ts';
import { NatsBus } from '../../engine/bus/nats.ts';
import { JetStreamJournal, communityStreamName } from '../../engine/journal/jetstream.ts';
import { createLogger } from '../../engine/log.ts';
import { Metrics } from '../../engine/metrics.ts';

const { values: args } = parseArgs({ options: { messages: { type: 'string', default: '300' }, rate: { type: 'string', default: '40' }, 'no-write': { type: 'boolean', default: false } } });
const N = Number(args.messages);
const RATE = Number(args.rate);

interface Result { name: string; ops: number; p50Ms: number; p99Ms: number; samples: number }
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ?? 0;
const round = (n: number) => Math.round(n * 100) / 100;

/** Posts N messages in `building` via `poster`, timing each until `watcher`'s map shows the count. */
async function postAndWatch(name: string, posterSrv: ServerRef, watcherSrv: ServerRef, building: string, mapId: string): Promise<Result> {
  const tag = name.startsWith('cluster') ? 'c' : 'e';
  const owner = await accountFor(posterSrv, `住户${tag}`, 'owner', building);
  const guard = await accountFor(posterSrv, `值班${tag}`, 'guard'); // accounts live in the shared directory: any node can make them
  const poster = await TestResident.join(posterSrv, building, { token: owner.accessToken });
  await poster.waitFor('welcome');
  const watcher = await TestResident.join(watcherSrv, mapId, { token: guard.accessToken });
  const base = (watcher.room.state.toJSON().buildings?.[building]?.messages as number | undefined) ?? 0;
  const sentAt: number[] = [];
  const lat: number[] = [];
  let seen = 0;
  watcher.room.onStateChange((s: { toJSON(): { buildings?: Record<string, { messages: number }> } }) => {
    const now = performance.now();
    const count = (s.toJSON().buildings?.[building]?.messages ?? 0) - base;
    while (seen < count && seen < sentAt.length) lat.push(now - sentAt[seen++]!);
  });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    sentAt.push(performance.now());
    poster.send('chat', { text: `跨节点 ${i}`, key: `${name}-${i}` });
    await new Promise((r) => setTimeout(r, 1000 / RATE));
  }
  const deadline = Date.now() + 30_000;
  while (seen < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const secs = (performance.now() - t0) / 1000;
  await poster.leave();
  await watcher.leave();
  lat.sort((a, b) => a - b);
  return { name, ops: round(seen / secs), p50Ms: round(pct(lat, 50)), p99Ms: round(pct(lat, 99)), samples: lat.length };
}

/** One committed record from a room actor to a room on another node: JetStream append → ClusterBus delivery. */
async function hopClusterBus(url: string): Promise<Result> {
  const community = `hop${Date.now().toString(36)}`;
  const journal = await JetStreamJournal.connect(url, 'bench-hop-writer');
  await journal.ensureStream(community);
  const bus = new ClusterBus(await NatsBus.connect(url, 'bench-hop-reader'), (r) => r);
  const sentAt = new Map<number, number>();
  const lat: number[] = [];
  bus.subscribe(`nb.${community}.room.building.*.ev`, (m) => {
    const r = decodeJson(m.data) as { seq: number };
    const t = sentAt.get(r.seq);
    if (t !== undefined) lat.push(performance.now() - t);
  });
  await bus.flush();
  const key = { community, kind: 'building', actorId: 'b1' };
  const t0 = performance.now();
  for (let i = 0; i < 2000; i++) {
    sentAt.set(i + 1, performance.now());
    await journal.append(key, i, [{ type: 'ChatPosted', v: 1, at: Date.now(), author: 'a', key: `k${i}`, event: { type: 'ChatPosted', v: 1, n: i + 1, text: '跨节点' } }]);
  }
  const deadline = Date.now() + 10_000;
  while (lat.length < 2000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const secs = (performance.now() - t0) / 1000;
  const nc = await connect({ servers: url });
  await (await nc.jetstreamManager()).streams.delete(communityStreamName(community)).catch(() => undefined);
  await nc.close();
  await bus.close();
  await journal.close();
  lat.sort((a, b) => a - b);
  return { name: 'hop/cluster-bus', ops: round(lat.length / secs), p50Ms: round(pct(lat, 50)), p99Ms: round(pct(lat, 99)), samples: lat.length };
}

async function hopMemoryBus(): Promise<Result> {
  const log = createLogger('silent');
  const bus = new MemoryBus(log, new Metrics());
  const lat: number[] = [];
  let t = 0;
  bus.subscribe('nb.c.room.building.b1.ev', () => { lat.push(performance.now() - t); });
  const t0 = performance.now();
  for (let i = 0; i < 2000; i++) {
    t = performance.now();
    bus.publish('nb.c.room.building.b1.ev', encodeJson({ seq: i + 1 }));
    await bus.flush();
  }
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { name: 'hop/memory-bus', ops: round(lat.length / secs), p50Ms: round(pct(lat, 50)), p99Ms: round(pct(lat, 99)), samples: lat.length };
}

async function natsRoundTrip(url: string): Promise<Result> {
  const nc = await connect({ servers: url });
  const responder = await connect({ servers: url });
  responder.subscribe('bench.echo', { callback: (_e, m) => m.respond(m.data) });
  await responder.flush();
  const lat: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < 2000; i++) {
    const t = performance.now();
    await nc.request('bench.echo', new TextEncoder().encode(`{"n":${i}}`), { timeout: 2000 });
    lat.push(performance.now() - t);
  }
  const secs = (performance.now() - t0) / 1000;
  await nc.close();
  await responder.close();
  lat.sort((a, b) => a - b);
  return { name: 'peer/nats-req-reply', ops: round(lat.length / secs), p50Ms: round(pct(lat, 50)), p99Ms: round(pct(lat, 99)), samples: lat.length };
}

async function main(): Promise<void> {
  const results: Result[] = [];
  const cluster = await startTestCluster(2, { LOG_LEVEL: 'warn', ANALYTICS_ENABLED: 'false' });
  try {
    const community = cluster.nodes[0]!.proc.community;
    const mapId = `map-${community.id}`;
    const where = await cluster.settled(roomsToCreate(community).length);
    const mapNode = cluster.nodes.find((n) => n.id === where.get(mapId))!;
    const building = community.buildings.filter((b) => b.residential).find((b) => where.get(b.id) !== mapNode.id)!.id;
    const buildingNode = cluster.nodes.find((n) => n.id === where.get(building))!;
    results.push(await postAndWatch('cluster/cross-node', buildingNode.proc, mapNode.proc, building, mapId));
    results.push(await natsRoundTrip(cluster.nats.url));
    results.push(await hopClusterBus(cluster.nats.url));
    results.push(await hopMemoryBus());
  } finally {
    await cluster.stop();
  }
  const embedded = await startServerProcess({ DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-bench-embedded-')), ANALYTICS_ENABLED: 'false', CLIENT_MAX_MESSAGES_PER_SECOND: '1000' });
  try {
    const building = embedded.community.buildings.find((b) => b.residential)!.id;
    results.splice(1, 0, await postAndWatch('embedded/one-process', embedded, embedded, building, `map-${embedded.community.id}`));
  } finally {
    await embedded.stop();
  }
  console.log(`\ncross-node: ${N} chat posts at ${RATE}/s, post → the guard's map state (SDK on both ends); NATS request/reply: 2000 round trips\n`);
  console.log('system                      msgs/s    p50 ms    p99 ms  samples');
  for (const r of results) console.log(`${r.name.padEnd(26)} ${String(r.ops).padStart(7)} ${String(r.p50Ms).padStart(9)} ${String(r.p99Ms).padStart(9)} ${String(r.samples).padStart(8)}`);
  const c = results.find((r) => r.name === 'cluster/cross-node')!;
  const e = results.find((r) => r.name === 'embedded/one-process')!;
  const hc = results.find((r) => r.name === 'hop/cluster-bus')!;
  const hm = results.find((r) => r.name === 'hop/memory-bus')!;
  console.log(`\nextra latency of crossing nodes, end to end (within the map's 50 ms patches): p50 ${round(c.p50Ms - e.p50Ms)} ms, p99 ${round(c.p99Ms - e.p99Ms)} ms; throughput ratio cluster/embedded ${(c.ops / e.ops).toFixed(2)}`);
  console.log(`the hop alone: p50 ${round(hc.p50Ms - hm.p50Ms)} ms, p99 ${round(hc.p99Ms - hm.p99Ms)} ms more than in process (a NATS request/reply round trip: p50 ${results.find((r) => r.name === 'peer/nats-req-reply')!.p50Ms} ms)\n`);
  if (!args['no-write']) {
    let commit = 'unknown';
    try { commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim(); } catch { /* not a git checkout */ }
    mkdirSync('bench/results', { recursive: true });
    const date = new Date().toISOString();
    for (const r of results) appendFileSync('bench/results/cluster-cross-node.jsonl', JSON.stringify({ ...r, commit, date, bytes: 0, cores: 2, params: { messages: N, rate: RATE } }) + '\n');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
