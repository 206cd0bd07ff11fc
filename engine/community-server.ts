/**
 * @module engine/community-server
 * Boots one community in one process: loads its layout, starts the backplane (in-process bus,
 * plus NATS when configured), the journal, analytics, the device gateway, the Colyseus server
 * on the chosen transport with one room per building, lot, group and the map, the HTTP API and
 * the parking replay. `close()` takes it all down in reverse order.
 * Owns: wiring and lifecycle order. Does not: any domain or room logic.
 */
import { randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { Server, matchMaker } from '@colyseus/core';
import type { CommunityLayout } from '../actors/community/layout.ts';
import { createAnalyticsStore, startIngestion, analyticsRoutes, analyticsDisabledRoutes, type AnalyticsStore, type Ingestion } from '../analytics/index.ts';
import { DeviceGateway } from '../devices/gateway/gateway.ts';
import { DeviceRegistry } from '../devices/registry.ts';
import { deviceInfoRoutes } from '../devices/http.ts';
import type { AnalyticsQueries } from './banner.ts';
import { describeDevice, deviceLink } from '../devices/link.ts';
import { DeviceCommandService } from '../devices/commands/command-service.ts';
import { bridgeCommandsToNats, bridgeDevicesFromNats } from '../devices/nats-bridge.ts';
import { parseParkingSlice } from '../devices/replay/parking-slice.ts';
import { ParkingReplayer } from '../devices/replay/replayer.ts';
import { defineRooms, roomsToCreate } from '../rooms/registry.ts';
import { CommonsHub } from '../rooms/commons/commons-hub.ts';
import { commonsRoutes } from '../rooms/commons/commons-routes.ts';
import { VoucherStore } from '../services/commons/voucher-store.ts';
import { registerActorErrors } from '../rooms/register-errors.ts';
import { ParkingHub } from '../rooms/parking/hub.ts';
import { contactPlates, ParkingOffice } from '../rooms/parking/office.ts';
import { Guidance } from '../rooms/parking/guidance.ts';
import { ParkingForecast } from '../rooms/parking/forecast.ts';
import { parkingRoutes } from '../rooms/parking/routes.ts';
import { IdentityService } from '../services/identity/identity-service.ts';
import { identityRoutes } from '../services/identity/routes.ts';
import { directoryRoutes } from '../services/identity/directory-routes.ts';
import { behindDoor, deviceRoutes } from '../services/identity/access-routes.ts';
import { ContactService } from '../services/identity/contact-routes.ts';
import { MemoryBus, NatsBus, type Bus } from './bus/index.ts';
import { loadCommunityFile } from './community-file.ts';
import { journalKind, type Config } from './config.ts';
import { buildRouter } from './http/router.ts';
import { attachNodeDispatcher } from './http/node-dispatch.ts';
import { coreRoutes } from './http/core-routes.ts';
import { staticFiles } from './http/static-files.ts';
import { openJournal } from './journal/open.ts';
import { keepRooms, type RoomKeeper } from './room-keeper.ts';
import { JetStreamJournal } from './journal/jetstream.ts';
import { startJetStreamFeed } from '../analytics/jetstream-feed.ts';
import { analyticsService, RemoteAnalyticsStore } from '../services/analytics/analytics-service.ts';
import { joinCluster } from './cluster/node.ts';
import type { CloseReason, RoomPlacement } from './cluster/placement.ts';
import { CloseCode } from './transport/close-codes.ts';
import { watchEventLoop } from './loop-watch.ts';
import type { Journal } from './journal/contract.ts';
import { ActorRuntime } from './actor-runtime.ts';
import { resolveTokenSecret } from './auth/token-secret.ts';
import { selectMatchmaking } from './presence/index.ts';
import { createLogger, type Logger } from './log.ts';
import { Metrics } from './metrics.ts';
import { selectTransport, type TransportName } from './transport/select.ts';
import { assertPortFree } from './transport/port.ts';

export interface StartupReport {
  readonly community: string;
  readonly buildings: number;
  readonly residentialBuildings: number;
  readonly lots: number;
  readonly lotCapacity: number;
  readonly groups: number;
  readonly devices: number;
  readonly devicesByKind: Readonly<Record<string, number>>;
  readonly replayRows: number;
  readonly replaySkipped: number;
  readonly rooms: number;
  readonly analytics: string;
  readonly analyticsRows: number;
  /** Who answers /api/analytics/*: this node's store, another cluster node's, or nobody (404). */
  readonly analyticsQueries: AnalyticsQueries;
  /** Room events analytics took from the journal at start (committed while it was behind). */
  readonly analyticsCaughtUp: number;
  readonly journal: string;
  readonly journalWhere: string;
  readonly nats: string | null;
}

export interface CommunityServer {
  readonly url: string;
  readonly port: number;
  readonly transport: TransportName;
  readonly transportReason: string;
  readonly community: CommunityLayout;
  readonly bus: Bus;
  readonly nats: NatsBus | null;
  readonly metrics: Metrics;
  readonly analytics: AnalyticsStore | null;
  readonly ingestion: Ingestion | null;
  readonly gateway: DeviceGateway;
  readonly devices: DeviceRegistry;
  readonly commands: DeviceCommandService;
  /** Gate sessions, tariff, passes and payments; guidance and lots are reached through `parking.hub`. */
  readonly parking: ParkingOffice;
  readonly replayer: ParkingReplayer | null;
  readonly identity: IdentityService;
  readonly journal: Journal;
  readonly actors: ActorRuntime;
  /** This node's id in cluster mode; null when embedded. */
  readonly nodeId: string | null;
  /** Times faster than real time the replay runs. */
  readonly replaySpeed: number;
  readonly report: StartupReport;
  readonly log: Logger;
  close(): Promise<void>;
}

/** What a test may replace; production passes nothing. */
export interface StartOptions {
  /** The clock every service and room reads (epoch ms); tests pass a controllable one. Default Date.now. */
  readonly now?: () => number;
}

export async function startCommunityServer(config: Config, options: StartOptions = {}): Promise<CommunityServer> {
  registerActorErrors();
  const log = createLogger(config.logLevel, { mod: 'engine' });
  const metrics = new Metrics();
  const now = options.now ?? (() => Date.now());
  const community = loadCommunityFile(config.communityFile);

  // Everything that can fail on bad configuration is checked before anything starts.
  const slice = parseParkingSlice(readFileSync(config.parkingSliceFile, 'utf8'));
  if ((config.analyticsEnabled && !config.clickhouseUrl) || journalKind(config) === 'file') ensureWritableDir(config.dataDir, 'DATA_DIR');
  const selected = await selectTransport(config.transport, { messageMaxBytes: config.messageMaxBytes });
  log.info('transport selected', { transport: selected.name, reason: selected.reason });
  // uWebSockets.js binds every interface whatever HOST says, so the free-port check uses them all.
  const bindHost = selected.name === 'uws' ? '0.0.0.0' : config.host;
  if (selected.name === 'uws' && config.host !== '0.0.0.0') log.warn('HOST is ignored by the uWebSockets.js transport, which listens on all interfaces; use TRANSPORT=ws to bind one address', { host: config.host });
  await assertPortFree(config.port, bindHost);

  // If a later step fails, what already started is stopped in reverse order.
  const started: Array<() => Promise<void> | void> = [];
  try {
    const nats = config.natsUrl ? await NatsBus.connect(config.natsUrl, `linli-${community.id}`, log.child({ mod: 'engine.bus.nats' }), metrics) : null;
    started.push(() => nats?.close());
    const opened = await openJournal(config, community.id, log, metrics);
    const journal = opened.journal;
    started.push(() => journal.close());
    log.info('journal opened', { journal: journal.kind, where: opened.where });
    // Cluster mode (JetStream journal): every subject over NATS, rooms placed by lease, services on the broker.
    let actors: ActorRuntime | null = null;
    const cluster = journal instanceof JetStreamJournal && nats
      ? await joinCluster({ config, community: community.id, nats, journal, project: (r) => actors?.project(r) ?? null, log, metrics })
      : null;
    started.push(() => cluster?.close());
    const bus: Bus = cluster ? cluster.bus : new MemoryBus(log.child({ mod: 'engine.bus' }), metrics);
    const natsBridge = nats && !cluster ? bridgeDevicesFromNats(community.id, nats, bus, metrics) : null;
    const commandBridge = nats && !cluster ? bridgeCommandsToNats(community.id, bus, nats, metrics) : null;
    started.push(() => bus.close(), () => natsBridge?.unsubscribe(), () => commandBridge?.unsubscribe());
    const runtime = new ActorRuntime(journal, opened.snapshots, bus, config, log, metrics, cluster?.hooks ?? null);
    actors = runtime;
    started.push(() => runtime.close());

    let analytics: AnalyticsStore | null = null;
    let ingestion: Ingestion | null = null;
    let stopFeed: () => Promise<void> = async () => {};
    if (config.analyticsEnabled) {
      analytics = createAnalyticsStore({
        clickhouseUrl: config.clickhouseUrl ?? undefined, dataPath: join(config.dataDir, 'chdb'),
        queryTimeoutMs: config.analyticsQueryTimeoutMs, maxRows: config.analyticsMaxRows, maxResultBytes: config.analyticsMaxResultBytes, log: log.child({ mod: 'analytics' }), metrics,
      });
      started.push(() => analytics?.close());
      await analytics.init();
      // Cluster: room events come from the JetStream journal (every node's commits); embedded: from the bus.
      const fromJetStream = journal instanceof JetStreamJournal;
      ingestion = startIngestion(bus, analytics, community.id, {
        log: log.child({ mod: 'analytics.ingest' }), metrics, roomEventsFromBus: !fromJetStream,
        follow: { journal, project: (r) => runtime.project(r), isPrivate: (kind) => runtime.isPrivate(kind) },
      });
      if (journal instanceof JetStreamJournal) {
        await journal.ensureStream(community.id);
        const feed = await startJetStreamFeed(journal.connection, community.id, ingestion, { log: log.child({ mod: 'analytics.feed' }), metrics });
        started.push(() => feed.stop());
        stopFeed = () => feed.stop();
      }
      started.push(() => ingestion?.stop());
    }

    const registry = DeviceRegistry.load(community, config.devicesFile ?? besideIfPresent(config.communityFile, 'devices.json'));
    const toDevice = deviceLink(community.id, bus);
    const tokenSecret = resolveTokenSecret(config, journal.kind, log);
    const identity = await IdentityService.start({
      community: community.id, actors: runtime, bus, config: { ...config, tokenSecret }, log: log.child({ mod: 'identity' }), metrics, now, knownDevice: (id) => registry.get(id) !== undefined,
      describeDevice: (id) => describeDevice(registry, community.id, id),
    });
    const gatewayLimits = {
      maxBytes: config.devicePayloadMaxBytes, maxClockSkewMs: config.deviceMaxClockSkewMs, maxAgeMs: config.deviceMaxAgeMs,
      valueLimit: config.deviceValueLimit, maxReadingsPerSecond: config.deviceMaxReadingsPerSecond,
    };
    const gateway = new DeviceGateway(community.id, registry, bus, log.child({ mod: 'devices.gateway' }), metrics, now, gatewayLimits, toDevice, cluster ? 'linli-gateway' : undefined);
    gateway.start();
    started.push(() => gateway.stop());

    // NATS_URL set: presence and room cache on NATS, shared by the cluster; else Colyseus's local ones.
    const matchmaking = await selectMatchmaking({ natsUrl: config.natsUrl, community: community.id, cluster: config.clusterName, replicas: config.natsKvReplicas, log: log.child({ mod: 'engine.presence' }), metrics });
    started.push(() => matchmaking.close());
    const server = new Server({
      transport: selected.transport, greet: false, gracefullyShutdown: false, logger: colyseusLogger(log, metrics), presence: matchmaking.presence, driver: matchmaking.driver,
      ...(config.publicAddress ? { publicAddress: config.publicAddress } : {}),
      // Rooms are opened where their lease is held, never sent to another process.
      selectProcessIdToCreateRoom: async () => matchMaker.processId,
    });
    const roomCreationToken = randomUUID();
    const contact = await ContactService.start({ identity, actors: runtime, bus, config, log: log.child({ mod: 'contact' }), metrics, now });
    const commons = new CommonsHub(new VoucherStore(config.dataDir, config.voucherMaxBytes));
    const parkingHub = new ParkingHub(community);
    const services = { community, bus, journal, actors: runtime, config, log, metrics, now, roomCreationToken, identity, devices: registry, commons, parking: parkingHub };
    for (const [name, klass] of Object.entries(defineRooms(services))) server.define(name, klass);
    const commands = await DeviceCommandService.start(services, toDevice);
    started.push(() => commands.stop());
    const plates = contactPlates(() => contact.relay.state);
    const parking = await ParkingOffice.start(services, { openAsSystem: (by, deviceId) => commands.openAsSystem(by, deviceId), plates });
    started.push(() => parking.stop());
    const guidance = new Guidance(services, (accountId) => plates.platesOf(accountId), () => `hold-${randomUUID()}`);
    const httpLog = log.child({ mod: 'engine.http' });
    // Cluster: the analytics store is a service of the node that has it; the others reach it through the broker.
    let placement: RoomPlacement | null = null;
    let keeper: RoomKeeper | null = null;
    const broker = cluster ? await cluster.startBroker(analytics ? [analyticsService(analytics)] : [], config.analyticsQueryTimeoutMs) : null;
    const queryStore: AnalyticsStore | null = analytics ?? (broker ? new RemoteAnalyticsStore(broker, config.analyticsQueryTimeoutMs) : null);
    const routes = [
      ...coreRoutes({ community, metrics, transport: selected.name, startedAt: now(), analytics: queryStore, nats, metricsToken: config.metricsToken,
        cluster: cluster ? { nodeId: cluster.nodeId, hostedRooms: () => placement?.hostedRooms() ?? [] } : null,
        missingRooms: () => keeper?.missing() ?? [] }),
      ...identityRoutes(identity, config.trustProxy, httpLog),
      ...directoryRoutes({ identity, buildingIds: new Set(community.buildings.filter((b) => b.residential).map((b) => b.id)), inviteTtlHours: config.inviteTtlHours, trustProxy: config.trustProxy, log: httpLog, now }),
      // The HTTP answer is the gateway's own verdict (checks, rate, sequence numbers), not a guess at it.
      ...deviceRoutes(identity, (deviceId, signal, data) => gateway.submit(deviceId, signal, data), config.trustProxy, httpLog),
      ...deviceInfoRoutes(identity, registry, gateway, config.trustProxy, httpLog),
      ...commands.routes(config.trustProxy),
      ...contact.routes(config.trustProxy),
      ...commonsRoutes({ identity, hub: commons, community: community.id, voucherMaxBytes: config.voucherMaxBytes, trustProxy: config.trustProxy, log: httpLog }),
      ...parkingRoutes({
        identity, office: parking, guidance, forecast: new ParkingForecast(services, queryStore), lotIds: community.lots.map((l) => l.id),
        defaultHours: config.parkingForecastHours, trustProxy: config.trustProxy, log: httpLog, now,
      }),
      ...(queryStore ? behindDoor(analyticsRoutes(queryStore, { maxRows: config.analyticsMaxRows }), identity, { kind: 'analytics', id: 'analytics' }, config.trustProxy, httpLog) : analyticsDisabledRoutes()),
    ];
    const site = staticFiles(config.clientDist);
    server.router = buildRouter(routes, site, config.httpMaxBodyBytes, log.child({ mod: 'engine.http' })) as never;
    started.push(() => server.gracefullyShutdown(false).catch(() => undefined));
    await server.listen(config.port, config.host);
    const httpServer = selected.httpServer();
    if (httpServer) attachNodeDispatcher(httpServer, routes, site, config.httpMaxBodyBytes, log.child({ mod: 'engine.http' }));
    const port = selected.boundPort();
    if (!port) throw new Error(`the ${selected.name} transport did not bind PORT ${config.port}`);

    declareMetrics(metrics);
    const stopLoopWatch = watchEventLoop(log.child({ mod: 'engine.loop' }), metrics);
    started.push(() => stopLoopWatch());
    metrics.collect(() => {
      metrics.set('rooms', 'Live rooms in this process', {}, matchMaker.stats.local.roomCount);
      metrics.set('clients_connected', 'Connected clients in this process', {}, matchMaker.stats.local.ccu);
      metrics.set('process_resident_memory_bytes', 'Resident memory of this process', {}, process.memoryUsage.rss());
      if (ingestion) metrics.set('analytics_ingest_queued_rows', 'Rows waiting to be inserted into analytics', {}, ingestion.counters.queued);
    });
    const toCreate = roomsToCreate(community);
    if (cluster) {
      placement = await cluster.startPlacement(toCreate, (room) => openHere(room.name, room.id, roomCreationToken), (room, reason) => closeHere(room.id, reason),
        // A room this node holds but no longer has (discarded in a race) is opened again; its listing is checked.
        async (room) => (matchMaker.getLocalRoomById(room.id) ? repairListing(room.id) : openHere(room.name, room.id, roomCreationToken)));
    } else {
      for (const r of toCreate) await matchMaker.createRoom(r.name, { id: r.id, token: roomCreationToken });
      keeper = keepRooms({
        rooms: toCreate, everyMs: config.roomReopenMs, log: log.child({ mod: 'engine.rooms' }),
        isLive: (id) => matchMaker.getLocalRoomById(id) !== undefined,
        open: async (r) => { await matchMaker.createRoom(r.name, { id: r.id, token: roomCreationToken }); },
        onReopened: () => metrics.inc('rooms_reopened_total', 'Rooms opened again after they went away (embedded mode)'),
      });
      started.push(() => keeper?.stop());
    }
    // Events committed while analytics was behind (the last batch before a crash) come from the journal.
    const caughtUp = ingestion ? await ingestion.catchUp().catch((err: unknown) => { log.warn('analytics catch-up failed', { err }); return 0; }) : 0;

    let replayer: ParkingReplayer | null = null;
    if (config.replayEnabled) {
      const target = nats ?? bus;
      replayer = new ParkingReplayer(slice.rows, {
        community: community.id, speed: config.replaySpeed, minGapMs: config.replayMinGapMs, loop: config.replayLoop,
        publish: (subject, data) => target.publish(subject, data), now,
      });
      replayer.start();
      started.push(() => replayer?.stop());
    }

    const analyticsRows = analytics ? await countRows(analytics) : 0;
    const report: StartupReport = {
      community: community.name['zh-CN'],
      buildings: community.buildings.length,
      residentialBuildings: community.buildings.filter((b) => b.residential).length,
      lots: community.lots.length,
      lotCapacity: community.lots.reduce((n, l) => n + l.capacity, 0),
      groups: community.groups.length,
      devices: registry.size,
      devicesByKind: registry.countByKind(),
      replayRows: slice.rows.length,
      replaySkipped: slice.skipped.length,
      rooms: toCreate.length,
      analytics: analytics ? analytics.kind : 'off',
      analyticsRows,
      analyticsQueries: analytics ? 'here' : queryStore ? 'cluster' : 'none',
      analyticsCaughtUp: caughtUp,
      journal: journal.kind,
      journalWhere: opened.where,
      nats: config.natsUrl,
    };
    const host = config.host === '0.0.0.0' || selected.name === 'uws' ? '127.0.0.1' : config.host;

    return {
      url: `http://${host}:${port}`, port, transport: selected.name, transportReason: selected.reason,
      community, bus, nats, metrics, analytics, ingestion, gateway, devices: registry, commands, parking, replayer, identity, journal, actors: runtime, report, log, replaySpeed: config.replaySpeed,
      nodeId: cluster?.nodeId ?? null,
      async close() {
        keeper?.stop();
        stopLoopWatch();
        await cluster?.close(); // hands the rooms to the other nodes first
        replayer?.stop();
        gateway.stop();
        commands.stop();
        parking.stop();
        natsBridge?.unsubscribe();
        commandBridge?.unsubscribe();
        await server.gracefullyShutdown(false).catch((err: unknown) => log.warn('colyseus shutdown', { err }));
        await matchmaking.close();
        await runtime.close();
        await stopFeed();
        await ingestion?.flush().catch((err: unknown) => log.warn('analytics flush at shutdown', { err }));
        await ingestion?.stop();
        await analytics?.close();
        await nats?.close();
        await bus.close();
        await journal.close();
      },
    };
  } catch (err) {
    for (const stop of started.reverse()) {
      try { await stop(); } catch { /* best effort while failing; the original error is what matters */ }
    }
    throw err;
  }
}

/**
 * Opens a room on this node (cluster placement holds its lease). A listing of the same room left by
 * a node that died is removed first: the room cache would otherwise discard the new room as a duplicate.
 */
async function openHere(name: string, id: string, token: string): Promise<void> {
  // Stale: from a node that died, or this node's own when it closed the room while NATS was away.
  const stale = await matchMaker.driver.findOne({ roomId: id });
  if (stale && !matchMaker.getLocalRoomById(id)) await matchMaker.driver.remove(id);
  await matchMaker.handleCreateRoom(name, { id, token });
}

/**
 * A room this node hosts must be the one matchmaking finds: a listing lost or overwritten in a
 * race during a NATS outage (another node's stale copy, a remove that came late) is put back.
 */
async function repairListing(id: string): Promise<void> {
  const room = matchMaker.getLocalRoomById(id) as unknown as { _listing?: { roomId?: string; processId?: string } } | undefined;
  const listing = room?._listing;
  if (!listing) return;
  const found = await matchMaker.driver.findOne({ roomId: id });
  if (found && found.processId === matchMaker.processId) return;
  if (found) await matchMaker.driver.remove(id);
  listing.roomId = id;
  await (matchMaker.driver as unknown as { insert?: (l: unknown) => Promise<boolean> }).insert?.(listing);
}

/**
 * Disposes a room here after its lease was lost or handed over: clients are told to reconnect
 * (4021). A lost room's listing may already be the new owner's: it is left alone (Colyseus would
 * remove the listing by room id when the room is disposed), and the new owner replaces a stale one.
 */
async function closeHere(id: string, reason: CloseReason): Promise<void> {
  const room = matchMaker.getLocalRoomById(id);
  if (!room) return;
  if (reason === 'lost') (room as unknown as { _listing: { roomId?: string } })._listing.roomId = undefined;
  await room.disconnect(CloseCode.ROOM_MOVED);
}

/** `name` in the directory of `file`, or null when there is no such file. */
function besideIfPresent(file: string, name: string): string | null {
  const p = join(dirname(file), name);
  return existsSync(p) ? p : null;
}

function ensureWritableDir(dir: string, key: string): void {
  try {
    // One level at a time: Node 20's recursive mkdir never returns for some paths (e.g. under /proc).
    let path = '';
    for (const part of resolve(dir).split(sep).slice(1)) {
      path += sep + part;
      if (!existsSync(path)) mkdirSync(path);
    }
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new Error(`${key} ${dir} is not a writable directory: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Counters that matter most when they are zero are exported from the start, not at their first increment. */
function declareMetrics(m: Metrics): void {
  m.inc('bus_dropped_total', 'Bus messages dropped because the pending queue was full', { bus: 'memory' }, 0);
  m.inc('bus_handler_errors_total', 'Bus subscriber handlers that threw', { bus: 'memory' }, 0);
  m.inc('actor_mailbox_rejected_total', 'Commands refused because the actor mailbox was full', {}, 0);
  m.inc('room_errors_total', 'Error replies sent to clients', {}, 0);
  m.inc('device_readings_total', 'Device readings by gateway outcome', { outcome: 'accepted' }, 0);
}

async function countRows(store: AnalyticsStore): Promise<number> {
  try {
    const r = await store.query('SELECT (SELECT count() FROM linli.room_events) + (SELECT count() FROM linli.device_readings) AS n');
    return Number(r.rows[0]?.n ?? 0);
  } catch {
    return -1; // reported as unknown; the store logs its own failure
  }
}

/**
 * Colyseus logs a client's bad frame (oversize, not msgpack) as an error with a stack trace; for
 * us that is a misbehaving client, not something a human must act on: it is logged as a warning,
 * first line only, at most once per second, and counted.
 */
function colyseusLogger(log: Logger, metrics: Metrics) {
  const l = log.child({ mod: 'colyseus' });
  const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(' ').split('\n')[0].slice(0, 300);
  let lastWarnAt = 0;
  const warn = (a: unknown[]) => {
    metrics.inc('colyseus_warnings_total', 'Errors and warnings Colyseus reported (mostly malformed client frames)');
    const now = Date.now();
    if (now - lastWarnAt < 1000) return;
    lastWarnAt = now;
    l.warn(text(a));
  };
  return {
    debug: (...a: unknown[]) => l.debug(text(a)),
    info: (...a: unknown[]) => l.debug(text(a)),
    warn: (...a: unknown[]) => warn(a),
    error: (...a: unknown[]) => warn(a),
    trace: (...a: unknown[]) => l.debug(text(a)),
  };
}
