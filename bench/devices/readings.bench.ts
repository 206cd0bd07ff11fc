/**
 * @module bench/devices/readings.bench
 * Device readings per second from NATS into rooms and into analytics, with no loss, next to a
 * bare nats.js subscriber that only counts, in the same run: one publisher (a nats.js client, as
 * devices are) sends `--messages` lot-counter and bay-sensor readings at up to `--rate` per
 * second on a private nats-server; the bare subscriber and the Linli server (in this process,
 * embedded chDB) take the same stream. Linli's figure is readings per second until the last one
 * is in its lot room (counters) and every one is stored in chDB; loss is published − stored.
 * Then latency: one SDK client in a lot room; a reading every `--gap` ms (more than the patch
 * interval, so each reading gets its own patch); the time from publish to the client's state
 * change, p50/p99, and p99 as a ratio of the room's patch interval.
 * The server runs in this process, so the publisher and the bare subscriber share its CPU: the
 * bare figure is the stream's own pace here, and Linli keeping up with it means no backlog.
 * Writes two JSON lines to bench/results/devices-readings.jsonl. Bounded: fixed counts and deadlines.
 * Usage: npm run bench:devices [-- --messages 20000 --rate 20000 --latency 200 --gap 60]
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@colyseus/sdk';
import { connect } from 'nats';
import { startCommunityServer } from '../../engine/community-server.ts';
import { testConfig } from '../../engine/config.ts';
import { accountFor } from '../../engine/testing/accounts.ts';
import { startNatsServer } from '../../engine/testing/nats-server.ts';
import { until } from '../../engine/testing/until.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { values: a } = parseArgs({ options: {
  messages: { type: 'string', default: '20000' }, rate: { type: 'string', default: '20000' },
  latency: { type: 'string', default: '200' }, gap: { type: 'string', default: '60' },
  out: { type: 'string', default: join(ROOT, 'bench/results/devices-readings.jsonl') },
} });
const P = { messages: Number(a.messages), rate: Number(a.rate), latency: Number(a.latency), gap: Number(a.gap) };
const say = (s: string) => process.stdout.write(`${s}\n`);
const enc = new TextEncoder();
/** Colyseus's default state patch interval (rooms here do not change it). */
const PATCH_INTERVAL_MS = 50;

function git(): { commit: string; dirty: boolean } {
  try {
    return { commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim(), dirty: execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '' };
  } catch { return { commit: 'unknown', dirty: true }; }
}

const pct = (xs: number[], p: number) => { const s = [...xs].sort((x, y) => x - y); return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN; };

async function main(): Promise<void> {
  const g = git();
  const date = new Date().toISOString();
  say(`device readings benchmark  ${date}  commit ${g.commit}${g.dirty ? ' (dirty tree)' : ''}  node ${process.version}  ${JSON.stringify(P)}`);
  const nats = await startNatsServer();
  const srv = await startCommunityServer(testConfig({ natsUrl: nats.url, logLevel: 'error', replayEnabled: false, deviceMaxReadingsPerSecond: 1_000_000, mailboxSize: 100_000 }));
  const pub = await connect({ servers: nats.url, name: 'bench-devices' });
  const bare = await connect({ servers: nats.url, name: 'bench-bare' });
  try {
    const c = srv.community.id;
    const counters = srv.community.lots.map((l) => l.counterDeviceId);
    const bays = srv.community.lots.flatMap((l) => l.bays.map((b) => b.sensorDeviceId));
    const devices = [...counters, ...bays];
    let bareCount = 0;
    let bareFirst = 0;
    let bareLast = 0;
    bare.subscribe(`nb.${c}.dev.>`, { callback: () => { const t = performance.now(); if (bareCount++ === 0) bareFirst = t; bareLast = t; } });
    await bare.flush();
    const lotEvents = () => srv.metrics.get('actor_events_total', { kind: 'parking-lot' });
    const events0 = lotEvents();
    const accepted0 = srv.gateway.stats.accepted;

    // Throughput: paced publishing; every counter reading has a fresh (at, value), so none is a duplicate.
    const perTick = Math.max(1, Math.round(P.rate / 100));
    let sent = 0;
    let counterSent = 0;
    const t0 = performance.now();
    while (sent < P.messages) {
      const at = Date.now();
      for (let i = 0; i < perTick && sent < P.messages; i++, sent++) {
        const id = devices[sent % devices.length]!;
        const isCounter = sent % devices.length < counters.length;
        if (isCounter) counterSent++;
        pub.publish(`nb.${c}.dev.${id}.${isCounter ? 'occupancy' : 'occupied'}`, enc.encode(JSON.stringify({ value: isCounter ? sent % 50 : sent % 2, at: at + Math.floor(sent / devices.length) % 1000, seq: sent })));
      }
      const due = t0 + (sent / P.rate) * 1000;
      const wait = due - performance.now();
      // Ahead of the rate: wait; behind it: only yield, so the server in this process gets its turn.
      await new Promise((r) => (wait > 0 ? setTimeout(r, wait) : setImmediate(r)));
    }
    await pub.flush();
    const published = performance.now();
    await until('the bare subscriber counted every reading', () => bareCount >= P.messages, 60_000, () => bareCount);
    await until('every counter reading in its lot room', () => lotEvents() - events0 >= counterSent, 120_000, () => ({ events: lotEvents() - events0, counterSent, refused: srv.metrics.total('lot_readings_refused_total') }));
    const inRooms = performance.now();
    await srv.ingestion!.flush(120_000);
    const stored = Number((await srv.analytics!.query('SELECT count() AS n FROM linli.device_readings')).rows[0]!.n);
    const inAnalytics = performance.now();
    const accepted = srv.gateway.stats.accepted - accepted0;
    const bareRate = P.messages / ((bareLast - bareFirst) / 1000 || 1e-3);
    const roomsRate = P.messages / ((inRooms - t0) / 1000);
    const analyticsRate = P.messages / ((inAnalytics - t0) / 1000);
    say(`  publish ${P.messages} readings (${counterSent} lot counters, ${P.messages - counterSent} bay sensors) in ${((published - t0) / 1000).toFixed(2)} s`);
    say(`  bare nats.js subscriber (count only)  ${bareRate.toFixed(0)} msgs/s`);
    say(`  linli: gateway accepted ${accepted}, lot rooms ${lotEvents() - events0}/${counterSent}, chDB rows ${stored}/${P.messages}; lost ${P.messages - stored}`);
    say(`  linli into rooms   ${roomsRate.toFixed(0)} readings/s  (${(roomsRate / bareRate * 100).toFixed(0)} % of bare)`);
    say(`  linli into chDB    ${analyticsRate.toFixed(0)} readings/s  (${(analyticsRate / bareRate * 100).toFixed(0)} % of bare)`);

    // Latency: a reading → the SDK client's state change.
    const lot = srv.community.lots[0]!;
    const account = await accountFor(srv, 'bench-driver', 'owner');
    const client = new Client(srv.url);
    client.auth.token = account.accessToken;
    const room = await client.joinById(lot.id);
    await until('initial state', () => (room.state as any)?.lotId === lot.id);
    const sentAt = new Map<number, number>();
    const lat: number[] = [];
    room.onStateChange((s: any) => {
      const t = sentAt.get(s.occupied);
      if (t !== undefined) { lat.push(performance.now() - t); sentAt.delete(s.occupied); }
    });
    for (let i = 0; i < P.latency; i++) {
      const value = 1 + (i % (lot.capacity - 1));
      sentAt.set(value, performance.now());
      pub.publish(`nb.${c}.dev.${lot.counterDeviceId}.occupancy`, enc.encode(JSON.stringify({ value, at: Date.now() })));
      await pub.flush();
      await new Promise((r) => setTimeout(r, P.gap));
    }
    await until('latency samples', () => lat.length >= P.latency * 0.95, 10_000, () => lat.length);
    await room.leave(true);
    const p50 = pct(lat, 50);
    const p99 = pct(lat, 99);
    say(`  reading → screen (SDK state change): p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms = ${(p99 / PATCH_INTERVAL_MS).toFixed(2)} × the ${PATCH_INTERVAL_MS} ms patch interval (${lat.length} samples)`);

    mkdirSync(dirname(a.out!), { recursive: true });
    const base = { commit: g.commit, dirty: g.dirty, date, cores: (await import('node:os')).cpus().length, params: P };
    appendFileSync(a.out!, JSON.stringify({ name: 'devices-readings/linli', ...base, ops: Math.round(analyticsRate), opsIntoRooms: Math.round(roomsRate), lost: P.messages - stored, p50Ms: +p50.toFixed(2), p99Ms: +p99.toFixed(2), p99PerPatch: +(p99 / PATCH_INTERVAL_MS).toFixed(2), bytes: process.memoryUsage.rss() }) + '\n');
    appendFileSync(a.out!, JSON.stringify({ name: 'devices-readings/peer-bare-natsjs', ...base, ops: Math.round(bareRate), lost: P.messages - bareCount, bytes: 0 }) + '\n');
  } finally {
    await pub.close();
    await bare.close();
    await srv.close();
    await nats.stop();
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`bench:devices failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
