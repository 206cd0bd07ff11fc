/**
 * @module bench/chat/linli-server
 * The Linli side of the chat fan-out benchmark: a full community server (startCommunityServer)
 * on 127.0.0.1, port 0, with analytics ON (the product stores every room event), the parking
 * replay off (it would add unrelated load), and the per-client rate limit raised so senders are
 * never refused. Prints `{ url, roomId, transport, … }`; the room is the first residential building.
 * TRANSPORT (auto | uws | ws) is read through engine/config's loadConfig, the one env reader.
 * Concurrency: one process; the Colyseus matchmaker is a per-process singleton.
 */
import { rmSync } from 'node:fs';
import { loadConfig, testConfig } from '../../engine/config.ts';
import { startCommunityServer } from '../../engine/community-server.ts';
import { allSamples, runServerChild } from './server-child.ts';
import { signUp, unitIn } from '../../engine/testing/accounts.ts';

/** The highest CLIENT_MAX_MESSAGES_PER_SECOND the config accepts; senders stay far below it. */
const UNLIMITED_MESSAGES_PER_SECOND = 10_000;

await runServerChild(async () => {
  const config = testConfig({
    transport: loadConfig(process.env).transport,
    replayEnabled: false,
    analyticsEnabled: true,
    clientMaxMessagesPerSecond: UNLIMITED_MESSAGES_PER_SECOND,
    accessTokenTtlS: 86400, // tokens outlive any run
  });
  // rm on any exit (startup failure, SIGTERM, a hung close cut short), not only after close().
  process.on('exit', () => rmSync(config.dataDir, { recursive: true, force: true }));
  const srv = await startCommunityServer(config);
  const building = srv.community.buildings.filter((b) => b.residential)[0];
  if (!building) throw new Error('the community has no residential building');
  // Every benchmark client is a real account (owners and family of the building's units), made
  // through the invite flow before the run; sign-up time is not part of the measured numbers.
  const wanted = Number(process.env.BENCH_ACCOUNTS ?? 501);
  const tokens: string[] = [];
  for (let i = 0; i < wanted; i += 25) {
    const batch = await Promise.all(Array.from({ length: Math.min(25, wanted - i) }, (_, j) => signUp(srv, `bench-${i + j}`, 'family', unitIn(building.id, ['101', '102', '201', '202'][(i + j) % 4]))));
    tokens.push(...batch.map((a) => a.accessToken));
  }
  return {
    ready: {
      kind: 'linli', url: srv.url, roomId: building.id, transport: srv.transport, tokens,
      notes: {
        transportReason: srv.transportReason, analytics: srv.report.analytics, validation: true, journal: 'memory',
        rateLimitPerClient: config.clientMaxMessagesPerSecond, mailboxSize: config.mailboxSize, replay: false,
      },
    },
    counters: () => allSamples(srv.metrics.render()),
    close: () => srv.close(),
  };
});
