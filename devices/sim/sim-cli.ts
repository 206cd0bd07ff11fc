/**
 * @module devices/sim/sim-cli
 * CLI: `npm run sim:devices -- [--source bays|building|all] [--rate <msgs/s>] [--speed <×>] [--once] [--nats <url>]`
 * plays the committed replays (real Melbourne bay sensors on the compound's bays, real UCI and
 * Open Smart Home series on unit devices) to a running server over NATS, as the devices would:
 * NATS_URL (or --nats) must be the server's NATS. Backs off when told (DEVICE_FLOOD,
 * ENGINE_ACTOR_BUSY). Prints progress every 5 s; Ctrl-C stops it.
 * Owns: argument parsing and the NATS connection. Does not: pace (simulator.ts).
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { connect } from 'nats';
import { loadConfig } from '../../engine/config.ts';
import { loadCommunityFile } from '../../engine/community-file.ts';
import { DEFAULT_BAY_REPLAY, DEFAULT_BUILDING_REPLAY, mergeTimelines, parseBayReplay, parseBuildingReplay } from './fixtures.ts';
import { DeviceSimulator } from './simulator.ts';

const USAGE = `usage: npm run sim:devices -- [--source bays|building|all] [--rate <msgs/s>] [--speed <x>] [--once] [--nats <url>]
  --source  bays (Melbourne bay sensors), building (UCI / Open Smart Home unit sensors) or all (default all)
  --rate    messages per second at most (default 50); halved on each backoff the server sends
  --speed   times faster than recorded (default 60)
  --once    stop at the end instead of looping
  --nats    the server's NATS (default NATS_URL)`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { source: { type: 'string' }, rate: { type: 'string' }, speed: { type: 'string' }, once: { type: 'boolean' }, nats: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { process.stdout.write(`${USAGE}\n`); return; }
  const config = loadConfig();
  const url = values.nats ?? config.natsUrl;
  if (!url) throw new Error('set NATS_URL (the server must run with the same NATS_URL) or pass --nats');
  const source = values.source ?? 'all';
  if (!['bays', 'building', 'all'].includes(source)) throw new Error(`--source must be bays, building or all (got ${source})`);
  const num = (v: string | undefined, def: number, name: string) => {
    const n = v === undefined ? def : Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const community = loadCommunityFile(config.communityFile);
  const timeline = mergeTimelines(
    ...(source !== 'building' ? [parseBayReplay(readFileSync(DEFAULT_BAY_REPLAY, 'utf8'))] : []),
    ...(source !== 'bays' ? [parseBuildingReplay(readFileSync(DEFAULT_BUILDING_REPLAY, 'utf8'))] : []),
  );
  const nc = await connect({ servers: url, name: 'linli-sim' });
  const sim = new DeviceSimulator(timeline.steps, {
    community: community.id, speed: num(values.speed, 60, 'speed'), rate: num(values.rate, 50, 'rate'), loop: !values.once,
    publish: (s, d) => nc.publish(s, d), now: () => Date.now(), epoch: randomUUID().slice(0, 8),
    onCommands: (h) => { const sub = nc.subscribe(`nb.${community.id}.cmd.>`, { callback: (_e, m) => h(m.subject, m.data) }); return () => sub.unsubscribe(); },
  });
  process.stdout.write(`simulating ${timeline.steps.length} readings (${source}) on ${url} for ${community.id}${timeline.skipped ? `, ${timeline.skipped} bad lines skipped` : ''}\n`);
  sim.start();
  const report = setInterval(() => process.stdout.write(`sent ${sim.stats.sent}, rate ${sim.stats.rate.toFixed(1)}/s, backoffs ${sim.stats.backoffs}, loops ${sim.stats.loops}\n`), 5000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    const check = setInterval(() => { if (sim.done) { clearInterval(check); resolve(); } }, 200);
  });
  clearInterval(report);
  sim.stop();
  await nc.drain();
  process.stdout.write(`done: sent ${sim.stats.sent}, backoffs ${sim.stats.backoffs}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`sim-devices: error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
