/**
 * @module engine/main
 * `npm start`: reads the configuration, starts the community and prints where to open it,
 * what it loaded and which transport it chose. SIGINT/SIGTERM close it cleanly.
 * Owns: the process lifecycle. Does not: any wiring (engine/community-server does).
 */
import { analyticsBannerLine } from './banner.ts';
import { ConfigError, loadConfig } from './config.ts';
import { startCommunityServer, type CommunityServer } from './community-server.ts';

function printReport(s: CommunityServer): void {
  const r = s.report;
  const lines = [
    '',
    `  邻里 Linli · ${r.community} (${s.community.id})`,
    `  Open        ${s.url}/`,
    `  Transport   ${s.transport} — ${s.transportReason}`,
    `  Loaded      ${r.buildings} buildings (${r.residentialBuildings} residential), ${r.lots} parking lots (${r.lotCapacity} spaces), ${r.groups} groups`,
    `  Rooms       ${r.rooms} live rooms (buildings, lots, groups, community map, commons)`,
    `  Devices     ${r.devices} registered (${r.devicesByKind['lot-counter'] ?? 0} lot counters, ${r.devicesByKind['bay-sensor'] ?? 0} bay sensors, ${r.devicesByKind['gate'] ?? 0} gates, ${r.devices - (r.devicesByKind['lot-counter'] ?? 0) - (r.devicesByKind['bay-sensor'] ?? 0) - (r.devicesByKind['gate'] ?? 0)} in buildings); ${s.replayer ? `replaying ${r.replayRows} real readings at ${s.replaySpeed}×` : `replay off (REPLAY_ENABLED=false), ${r.replayRows} readings loaded`}${r.replaySkipped ? ` (${r.replaySkipped} malformed lines skipped)` : ''}`,
    analyticsBannerLine(r, s.url),
    `  NATS        ${r.nats ?? 'off (embedded bus); set NATS_URL to take device readings from NATS'}`,
    `  Journal     ${r.journal} — ${r.journalWhere}${s.nodeId ? `; cluster node ${s.nodeId}` : ''}`,
    `  Data        © OpenStreetMap contributors (ODbL); Parking Birmingham, UCI (CC BY 4.0)`,
    ...(s.identity.setupCode ? [
      `  Setup       首位物业管理员设置码 / first property admin setup code: ${s.identity.setupCode}`,
      `              open ${s.url}/ and choose 设置管理员 / Set up (the code works once, until this process stops)`,
    ] : []),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const server = await startCommunityServer(config);
  printReport(server);
  let closing = false;
  const stop = async (signal: string) => {
    if (closing) return;
    closing = true;
    server.log.info('shutting down', { signal });
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  keepRunningOnStrayRejections(server);
}

/**
 * A promise some library left without a handler (Colyseus writes presence stats fire-and-forget,
 * and those writes fail while NATS is away) must not take the whole node down: Node's default is
 * to exit. Each is counted and logged (once a minute per kind of error); real failures of our
 * own code still surface where they are awaited.
 */
function keepRunningOnStrayRejections(server: CommunityServer): void {
  const lastLogged = new Map<string, number>();
  process.on('unhandledRejection', (reason: unknown) => {
    const code = (reason as { code?: unknown })?.code;
    const kind = typeof code === 'string' ? code : reason instanceof Error ? reason.name : 'unknown';
    server.metrics.inc('process_unhandled_rejections_total', 'Promise rejections nobody handled (logged, not fatal)', { kind });
    const now = Date.now();
    if (now - (lastLogged.get(kind) ?? 0) < 60_000) return;
    lastLogged.set(kind, now);
    server.log.error('unhandled rejection (the process keeps running)', { kind, err: reason });
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`linli failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
