/**
 * @module engine/config
 * The one configuration schema. `loadConfig(env)` is the only reader of `process.env`: it
 * validates every key once at boot and fails fast naming the bad key. Tests use `testConfig()`.
 * Owns: names, meanings, units, defaults and bounds of every setting (the README table mirrors it).
 * Does not: hold state; config is passed down explicitly.
 */
import { mkdtempSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export type TransportChoice = 'auto' | 'uws' | 'ws';
export type JournalChoice = 'auto' | 'memory' | 'file' | 'jetstream';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Config {
  /** PORT: TCP port for HTTP and WebSocket; 0 picks a free one. Default 2567. */
  readonly port: number;
  /** HOST: address to bind (ws transport; uWS binds all interfaces). Default 0.0.0.0. */
  readonly host: string;
  /** TRANSPORT: `auto` (uWebSockets.js, falling back to ws), `uws` or `ws`. Default auto. */
  readonly transport: TransportChoice;
  /** COMMUNITY_FILE: the community layout to serve. Default fixtures/shikeyuan/community.json. */
  readonly communityFile: string;
  /** PARKING_SLICE: the parking replay CSV. Default fixtures/shikeyuan/parking-replay.csv. */
  readonly parkingSliceFile: string;
  /** DATA_DIR: where embedded stores keep data (chDB under DATA_DIR/chdb). Default ./data. */
  readonly dataDir: string;
  /** NATS_URL: when set, device readings are also taken from NATS (and the replayer publishes there). */
  readonly natsUrl: string | null;
  /**
   * NATS_KV_REPLICAS: replicas of the JetStream KV buckets that hold the Colyseus presence and the
   * room cache when NATS_URL is set (1 on one NATS server; 3 or 5 in a NATS cluster). Default 1.
   */
  readonly natsKvReplicas: number;
  /**
   * CLUSTER_NAME: with NATS_URL, the nodes of one community that share a Colyseus presence and room
   * cache ([A-Za-z0-9_-], 1–32); two clusters on one NATS (staging, a test run) never see each
   * other. Default `main`.
   */
  readonly clusterName: string;
  /** CLICKHOUSE_URL: when set, analytics go to this ClickHouse server instead of embedded chDB. */
  readonly clickhouseUrl: string | null;
  /** REPLAY_ENABLED: replay the parking slice as device readings. Default true. */
  readonly replayEnabled: boolean;
  /** REPLAY_SPEED: how many times faster than real time the slice replays (1–100000). Default 600. */
  readonly replaySpeed: number;
  /** REPLAY_MIN_GAP_MS: smallest wait between two replay steps, ms (0–60000). Default 50. */
  readonly replayMinGapMs: number;
  /** REPLAY_LOOP: start the slice again when it ends. Default true. */
  readonly replayLoop: boolean;
  /** CHAT_MAX_CHARS: longest chat text, in Unicode code points (1–10000). Default 500. */
  readonly chatMaxChars: number;
  /** NOTICE_MAX_CHARS: longest notice body, code points (1–20000). Default 2000. */
  readonly noticeMaxChars: number;
  /** CHAT_HISTORY_SIZE: messages a late joiner receives (0–1000). Default 50. */
  readonly chatHistorySize: number;
  /** CHAT_KEY_MEMORY: idempotency keys remembered per room (1–100000); a key older than that many posts is new again. Default 1000. */
  readonly chatKeyMemory: number;
  /** MESSAGE_MAX_BYTES: largest WebSocket frame accepted; larger frames close the socket (1009). Default 16384. */
  readonly messageMaxBytes: number;
  /** CLIENT_MAX_MESSAGES_PER_SECOND: per client; over it a message gets ENGINE_RATE_LIMITED. Default 20. */
  readonly clientMaxMessagesPerSecond: number;
  /** CLIENT_MAX_VIOLATIONS: rejected messages per minute before the client is closed with 4101 (or 4029 for floods). Default 30. */
  readonly clientMaxViolations: number;
  /** DEVICE_PAYLOAD_MAX_BYTES: largest device message (64–1048576); larger ones are dropped. Default 4096. */
  readonly devicePayloadMaxBytes: number;
  /** DEVICE_MAX_CLOCK_SKEW_MS: how far ahead of the server clock a reading's time may be (0–86400000). Default 300000. */
  readonly deviceMaxClockSkewMs: number;
  /** DEVICE_VALUE_LIMIT: largest |value| a device reading may carry (1–1e15). Default 1e9. */
  readonly deviceValueLimit: number;
  /** DEVICE_MAX_AGE_MS: how far behind the server clock a reading's time may be (1000–31536000000). Default 86400000 (a day). */
  readonly deviceMaxAgeMs: number;
  /** DEVICE_MAX_READINGS_PER_SECOND: sustained messages per second one device may send; more are refused as a flood (1–100000). Default 50. */
  readonly deviceMaxReadingsPerSecond: number;
  /** ALARM_ACK_TIMEOUT_S: how long an alarm waits for a guard's acknowledgement before it escalates (next guard, then property staff), seconds (5–3600). Default 120. */
  readonly alarmAckTimeoutS: number;
  /** ALARM_SHIFT_HOURS: local hours at which guard shifts start, comma-separated, for response times per shift. Default 8,20. */
  readonly alarmShiftHours: readonly number[];
  /** ALARM_UTC_OFFSET_MIN: the community's local time offset from UTC, minutes (-720–840); alarm shifts, parking's local days (daily cap) and forecast hours use it. Default 480 (Beijing). */
  readonly alarmUtcOffsetMin: number;
  /** DEVICE_COMMAND_ACK_WAIT_MS: how long a command request waits for the device's acknowledgement before answering "sent" (0–30000). Default 3000. */
  readonly deviceCommandAckWaitMs: number;
  /** DEVICE_GRANT_MAX_HOURS: the longest temporary access a visitor or carer may be granted, hours (1–2160). Default 168. */
  readonly deviceGrantMaxHours: number;
  /** PARKING_HOLD_S: how long a bay is held for a resident being guided to it, seconds (30–3600); released when the bay's sensor does not show it occupied by then. Default 300. */
  readonly parkingHoldS: number;
  /** PARKING_REPEAT_READ_S: a gate plate read repeating the car's last one within this many seconds changes nothing (a reader's burst of reads is one read), 1–3600. Default 120. */
  readonly parkingRepeatReadS: number;
  /** PARKING_FORECAST_HOURS: hours ahead a forecast covers when the request does not say (1–24). Default 6. */
  readonly parkingForecastHours: number;
  /** PARKING_FORECAST_WEEKS: weeks of history the forecast reads (1–104). Default 8. */
  readonly parkingForecastWeeks: number;
  /** PARKING_FORECAST_CACHE_S: how long the history profile read from analytics is reused, seconds (0–3600; 0 reads it for every request). Default 60. */
  readonly parkingForecastCacheS: number;
  /** DEVICES_FILE: the building and unit devices (door readers, detectors, meters, SOS buttons). Default: devices.json beside COMMUNITY_FILE, when there is one (null here). */
  readonly devicesFile: string | null;
  /** MAILBOX_SIZE: commands waiting per actor before ENGINE_ACTOR_BUSY (1–100000). Default 256. */
  readonly mailboxSize: number;
  /** HTTP_MAX_BODY_BYTES: largest HTTP request body (413 above). Default 65536. */
  readonly httpMaxBodyBytes: number;
  /** ANALYTICS_QUERY_TIMEOUT_MS: analytics query deadline (100–600000). Default 10000. */
  readonly analyticsQueryTimeoutMs: number;
  /** ANALYTICS_MAX_ROWS: rows an analytics query returns at most (1–1000000). Default 10000. */
  readonly analyticsMaxRows: number;
  /** ANALYTICS_ENABLED: store events and readings in ClickHouse/chDB. Default true. */
  readonly analyticsEnabled: boolean;
  /** LOG_LEVEL: debug, info, warn, error or silent. Default info. */
  readonly logLevel: LogLevel;
  /** CLIENT_DIST: built web client to serve at `/`. Default client/dist. */
  readonly clientDist: string;
  /**
   * TOKEN_SECRET: at least 32 characters; signs access tokens and keys invite-code hashes. Every
   * node of a deployment needs the same one. Unset: a random secret per start (tokens and
   * invite codes then do not survive a restart).
   */
  readonly tokenSecret: string | null;
  /** ACCESS_TOKEN_TTL_S: lifetime of an access token, seconds (30–86400). Default 600. */
  readonly accessTokenTtlS: number;
  /** REFRESH_TOKEN_TTL_S: lifetime of a session's refresh token, seconds (300–31536000). Default 2592000 (30 days). */
  readonly refreshTokenTtlS: number;
  /** INVITE_TTL_HOURS: default validity of an invite code, hours (1–2160). Default 168 (7 days). */
  readonly inviteTtlHours: number;
  /** SIGNIN_MAX_FAILURES: failed sign-ins (or invite redemptions) per phone and per address that lock it (1–100). Default 5. */
  readonly signInMaxFailures: number;
  /** SIGNIN_MAX_FAILURES_PER_ADDRESS: failed sign-ins or redemptions from one address that lock it (1–10000); higher than per phone because neighbours share addresses. Default 50. */
  readonly signInMaxFailuresPerAddress: number;
  /** SIGNIN_LOCKOUT_S: the window those failures count in, and so the longest lock, seconds (10–86400). Default 900. */
  readonly signInLockoutS: number;
  /** SESSIONS_PER_ACCOUNT: open sessions per account; one more closes the oldest (1–1000). Default 20. */
  readonly sessionsPerAccount: number;
  /** PASSWORD_HASH_COST: scrypt N, a power of two (1024–1048576). Default 16384. */
  readonly passwordHashCost: number;
  /** ACCESS_RECHECK_S: how often open rooms re-check their clients' access (tenancy ends), seconds (1–3600). Default 30. */
  readonly accessRecheckS: number;
  /** TRUST_PROXY: take the client address from X-Forwarded-For (only behind a load balancer that sets it). Default false. */
  readonly trustProxy: boolean;
  /**
   * JOURNAL: where room events are stored. `auto`: JetStream when NATS_URL is set, else `file`
   * (DATA_DIR/journal). `memory` keeps nothing across restarts. Default auto.
   */
  readonly journal: JournalChoice;
  /** JOURNAL_FSYNC: sync every commit to disk before acknowledging it (file journal). Default true. */
  readonly journalFsync: boolean;
  /** JOURNAL_RETRY_MS: how long a command waits for an unreachable journal before it is told ENGINE_JOURNAL_UNAVAILABLE, ms (0–60000). Default 6000. */
  readonly journalRetryMs: number;
  /** JOURNAL_APPEND_TIMEOUT_MS: how long one JetStream append waits for its acknowledgement, ms (100–60000). Default 2000. */
  readonly journalAppendTimeoutMs: number;
  /** JETSTREAM_REPLICAS: replicas of each community's journal stream and snapshot bucket (1–5). Default 1. */
  readonly jetstreamReplicas: number;
  /** SNAPSHOT_EVERY_EVENTS: snapshot an actor after this many events (1–1000000). Default 1000. */
  readonly snapshotEveryEvents: number;
  /** SNAPSHOT_EVERY_S: or after this many seconds with new events, checked at each commit (1–86400). Default 300. */
  readonly snapshotEveryS: number;
  /** IDEMPOTENCY_KEYS: idempotency keys each actor remembers (1–1000000); a command re-sent with a remembered key returns its first outcome. Default 10000. */
  readonly idempotencyKeys: number;
  /** HISTORY_PAGE_MAX: most chat messages one history page returns (1–500). Default 100. */
  readonly historyPageMax: number;
  /**
   * PUBLIC_ADDRESS: cluster mode: `host:port` (or `host/path` behind a proxy) where clients reach
   * this node's WebSocket; seat reservations carry it so that a client matchmade on any node
   * connects to the node hosting its room. Default: none (clients use the address they called).
   */
  readonly publicAddress: string | null;
  /** ROOM_REOPEN_MS: embedded mode: how often a room that went away (fenced by another copy, disposed after an error) is looked for and opened again; a room that keeps going away waits up to 30 s (100–600000). Default 2000. */
  readonly roomReopenMs: number;
  /** CLUSTER_LEASE_TTL_MS: how long a node's room leases last unrenewed; a dead node's rooms move after it (3000–600000). Default 10000. */
  readonly clusterLeaseTtlMs: number;
  /** NODE_ID: this node's name in the cluster (leases, broker). Default: host name, pid and a random suffix. */
  readonly nodeId: string | null;
  /** VOTE_PATCH_INTERVAL_MS: how often live vote tallies reach screens (the commons room's patch interval); ballots in between are coalesced into one patch (20–10000). Default 500: twice a second is plenty for a tally, and each patch costs a send per screen. */
  readonly votePatchIntervalMs: number;
  /** VOTE_MAILBOX_SIZE: ballots waiting in the commons room's inbox (and in each vote actor's mailbox) before ENGINE_ACTOR_BUSY (retryable) (1–1000000). Default 20000. */
  readonly voteMailboxSize: number;
  /** VOTE_MAX_DAYS: longest a vote may stay open, extensions included, days (1–365). Default 180. */
  readonly voteMaxDays: number;
  /** VOUCHER_MAX_BYTES: largest voucher file (PNG, JPEG, WebP or PDF) of the public accounts (1024–52428800). Default 5242880 (5 MiB). */
  readonly voucherMaxBytes: number;
  /** SIGNIN_MAX_DELAY_S: longest wait a phone's failed sign-ins impose on devices its account never used, seconds (1–86400). Default 60. */
  readonly signInMaxDelayS: number;
  /** AUTH_FAILURE_KEYS: addresses, devices and phones whose failures are remembered (1000–10000000). Default 100000. */
  readonly authFailureKeys: number;
  /** AUTH_HASH_CONCURRENCY: password hashes (scrypt) computed at once for sign-in, sign-up and setup (1–64). Default 2. */
  readonly authHashConcurrency: number;
  /** AUTH_HASH_QUEUE: sign-ins waiting for a hash slot; more get 503 IDENTITY_BUSY (1–100000). Default 64. */
  readonly authHashQueue: number;
  /** AUTH_HASH_PER_SOURCE: hash slots (running or waiting) one address may hold (1–1000). Default 4. */
  readonly authHashPerSource: number;
  /** ROOM_CONNECTIONS_PER_ACCOUNT: open connections (and seat reservations) one account may hold in one room (1–1000). Default 5. */
  readonly roomConnectionsPerAccount: number;
  /** PROCESS_CONNECTIONS_PER_ACCOUNT: open connections one account may hold in this process, all rooms together (1–10000). Default 20. */
  readonly processConnectionsPerAccount: number;
  /** RENAMES_PER_HOUR: display-name changes one account may make per hour (1–1000). Default 6. */
  readonly renamesPerHour: number;
  /** METRICS_TOKEN: when set (16+ characters), /metrics needs `Authorization: Bearer <token>`; unset, /metrics answers loopback callers only. */
  readonly metricsToken: string | null;
  /** ANALYTICS_MAX_RESULT_BYTES: largest analytics result, bytes of row text (1024–1073741824); over it the rows are cut and `truncated` set. Default 16777216. */
  readonly analyticsMaxResultBytes: number;
}

export class ConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`config ${key}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function int(env: Env, key: string, def: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new ConfigError(key, `expected an integer, got "${raw}"`);
  if (n < min || n > max) throw new ConfigError(key, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, key: string, def: boolean): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return def;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(key, `expected true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, key: string, def: T, allowed: readonly T[]): T {
  const raw = env[key];
  if (raw === undefined || raw === '') return def;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(key, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function url(env: Env, key: string, schemes: readonly string[]): string | null {
  const raw = env[key];
  if (raw === undefined || raw === '') return null;
  let parsed: URL;
  try { parsed = new URL(raw); } catch { throw new ConfigError(key, `not a URL: "${raw}"`); }
  if (!schemes.includes(parsed.protocol)) throw new ConfigError(key, `scheme must be ${schemes.join(' or ')}`);
  return raw;
}

function hostname(env: Env, key: string, def: string): string {
  const raw = env[key];
  if (raw === undefined || raw === '') return def;
  if (isIP(raw) || /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$/.test(raw) && !/^[\d.]+$/.test(raw)) return raw;
  throw new ConfigError(key, `not an IP address or host name: "${raw}"`);
}

function pattern(env: Env, key: string, def: string, re: RegExp, what: string): string {
  const raw = env[key];
  if (raw === undefined || raw === '') return def;
  if (!re.test(raw)) throw new ConfigError(key, `expected ${what}, got "${raw}"`);
  return raw;
}

function secret(env: Env, key: string, minChars: number): string | null {
  const raw = env[key];
  if (raw === undefined || raw === '') return null;
  if (raw.length < minChars) throw new ConfigError(key, `must be at least ${minChars} characters`);
  return raw;
}

function powerOfTwo(env: Env, key: string, def: number, min: number, max: number): number {
  const n = int(env, key, def, min, max);
  if ((n & (n - 1)) !== 0) throw new ConfigError(key, `must be a power of two, got ${n}`);
  return n;
}

function hours(env: Env, key: string, def: number[]): number[] {
  const raw = env[key];
  if (raw === undefined || raw === '') return def;
  const list = raw.split(',').map((h) => Number(h.trim()));
  if (list.length === 0 || list.some((h) => !Number.isInteger(h) || h < 0 || h > 23)) throw new ConfigError(key, `expected hours 0-23 separated by commas, got "${raw}"`);
  return [...new Set(list)].sort((a, b) => a - b);
}

function path(env: Env, key: string, def: string): string {
  return resolve(env[key] || def);
}

export function loadConfig(env: Env = process.env): Config {
  const c = readConfig(env);
  if (c.journal === 'jetstream' && !c.natsUrl) throw new ConfigError('JOURNAL', 'jetstream needs NATS_URL');
  return c;
}

function readConfig(env: Env): Config {
  return {
    port: int(env, 'PORT', 2567, 0, 65535),
    host: hostname(env, 'HOST', '0.0.0.0'),
    transport: oneOf<TransportChoice>(env, 'TRANSPORT', 'auto', ['auto', 'uws', 'ws']),
    communityFile: path(env, 'COMMUNITY_FILE', join(PROJECT_ROOT, 'fixtures/shikeyuan/community.json')),
    parkingSliceFile: path(env, 'PARKING_SLICE', join(PROJECT_ROOT, 'fixtures/shikeyuan/parking-replay.csv')),
    dataDir: path(env, 'DATA_DIR', './data'),
    natsUrl: url(env, 'NATS_URL', ['nats:', 'tls:', 'ws:', 'wss:']),
    natsKvReplicas: int(env, 'NATS_KV_REPLICAS', 1, 1, 5),
    clusterName: pattern(env, 'CLUSTER_NAME', 'main', /^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ or -, at most 32'),
    clickhouseUrl: url(env, 'CLICKHOUSE_URL', ['http:', 'https:']),
    replayEnabled: bool(env, 'REPLAY_ENABLED', true),
    replaySpeed: int(env, 'REPLAY_SPEED', 600, 1, 100000),
    replayMinGapMs: int(env, 'REPLAY_MIN_GAP_MS', 50, 0, 60000),
    replayLoop: bool(env, 'REPLAY_LOOP', true),
    chatMaxChars: int(env, 'CHAT_MAX_CHARS', 500, 1, 10000),
    noticeMaxChars: int(env, 'NOTICE_MAX_CHARS', 2000, 1, 20000),
    chatHistorySize: int(env, 'CHAT_HISTORY_SIZE', 50, 0, 1000),
    chatKeyMemory: int(env, 'CHAT_KEY_MEMORY', 1000, 1, 100000),
    devicePayloadMaxBytes: int(env, 'DEVICE_PAYLOAD_MAX_BYTES', 4096, 64, 1048576),
    deviceMaxClockSkewMs: int(env, 'DEVICE_MAX_CLOCK_SKEW_MS', 300000, 0, 86400000),
    deviceValueLimit: int(env, 'DEVICE_VALUE_LIMIT', 1e9, 1, 1e15),
    deviceMaxAgeMs: int(env, 'DEVICE_MAX_AGE_MS', 86400000, 1000, 31536000000),
    deviceMaxReadingsPerSecond: int(env, 'DEVICE_MAX_READINGS_PER_SECOND', 50, 1, 100000),
    alarmAckTimeoutS: int(env, 'ALARM_ACK_TIMEOUT_S', 120, 5, 3600),
    alarmShiftHours: hours(env, 'ALARM_SHIFT_HOURS', [8, 20]),
    alarmUtcOffsetMin: int(env, 'ALARM_UTC_OFFSET_MIN', 480, -720, 840),
    deviceCommandAckWaitMs: int(env, 'DEVICE_COMMAND_ACK_WAIT_MS', 3000, 0, 30000),
    deviceGrantMaxHours: int(env, 'DEVICE_GRANT_MAX_HOURS', 168, 1, 2160),
    parkingHoldS: int(env, 'PARKING_HOLD_S', 300, 30, 3600),
    parkingRepeatReadS: int(env, 'PARKING_REPEAT_READ_S', 120, 1, 3600),
    parkingForecastHours: int(env, 'PARKING_FORECAST_HOURS', 6, 1, 24),
    parkingForecastWeeks: int(env, 'PARKING_FORECAST_WEEKS', 8, 1, 104),
    parkingForecastCacheS: int(env, 'PARKING_FORECAST_CACHE_S', 60, 0, 3600),
    devicesFile: env['DEVICES_FILE'] ? resolve(env['DEVICES_FILE']) : null,
    messageMaxBytes: int(env, 'MESSAGE_MAX_BYTES', 16384, 256, 1048576),
    clientMaxMessagesPerSecond: int(env, 'CLIENT_MAX_MESSAGES_PER_SECOND', 20, 1, 10000),
    clientMaxViolations: int(env, 'CLIENT_MAX_VIOLATIONS', 30, 1, 10000),
    mailboxSize: int(env, 'MAILBOX_SIZE', 256, 1, 100000),
    httpMaxBodyBytes: int(env, 'HTTP_MAX_BODY_BYTES', 65536, 1024, 16777216),
    analyticsQueryTimeoutMs: int(env, 'ANALYTICS_QUERY_TIMEOUT_MS', 10000, 100, 600000),
    analyticsMaxRows: int(env, 'ANALYTICS_MAX_ROWS', 10000, 1, 1000000),
    analyticsEnabled: bool(env, 'ANALYTICS_ENABLED', true),
    logLevel: oneOf<LogLevel>(env, 'LOG_LEVEL', 'info', ['debug', 'info', 'warn', 'error', 'silent']),
    clientDist: path(env, 'CLIENT_DIST', join(PROJECT_ROOT, 'client/dist')),
    tokenSecret: secret(env, 'TOKEN_SECRET', 32),
    accessTokenTtlS: int(env, 'ACCESS_TOKEN_TTL_S', 600, 30, 86400),
    refreshTokenTtlS: int(env, 'REFRESH_TOKEN_TTL_S', 2592000, 300, 31536000),
    inviteTtlHours: int(env, 'INVITE_TTL_HOURS', 168, 1, 2160),
    signInMaxFailures: int(env, 'SIGNIN_MAX_FAILURES', 5, 1, 100),
    signInMaxFailuresPerAddress: int(env, 'SIGNIN_MAX_FAILURES_PER_ADDRESS', 50, 1, 10000),
    signInLockoutS: int(env, 'SIGNIN_LOCKOUT_S', 900, 10, 86400),
    sessionsPerAccount: int(env, 'SESSIONS_PER_ACCOUNT', 20, 1, 1000),
    passwordHashCost: powerOfTwo(env, 'PASSWORD_HASH_COST', 16384, 1024, 1048576),
    accessRecheckS: int(env, 'ACCESS_RECHECK_S', 30, 1, 3600),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    journal: oneOf<JournalChoice>(env, 'JOURNAL', 'auto', ['auto', 'memory', 'file', 'jetstream']),
    journalFsync: bool(env, 'JOURNAL_FSYNC', true),
    journalRetryMs: int(env, 'JOURNAL_RETRY_MS', 6000, 0, 60000),
    journalAppendTimeoutMs: int(env, 'JOURNAL_APPEND_TIMEOUT_MS', 2000, 100, 60000),
    jetstreamReplicas: int(env, 'JETSTREAM_REPLICAS', 1, 1, 5),
    snapshotEveryEvents: int(env, 'SNAPSHOT_EVERY_EVENTS', 1000, 1, 1000000),
    snapshotEveryS: int(env, 'SNAPSHOT_EVERY_S', 300, 1, 86400),
    idempotencyKeys: int(env, 'IDEMPOTENCY_KEYS', 10000, 1, 1000000),
    historyPageMax: int(env, 'HISTORY_PAGE_MAX', 100, 1, 500),
    publicAddress: env.PUBLIC_ADDRESS ? pattern(env, 'PUBLIC_ADDRESS', '', /^[A-Za-z0-9.:[\]_-]+(\/[A-Za-z0-9._~\/-]*)?$/, 'host:port or host/path') : null,
    roomReopenMs: int(env, 'ROOM_REOPEN_MS', 2000, 100, 600000),
    clusterLeaseTtlMs: int(env, 'CLUSTER_LEASE_TTL_MS', 10000, 3000, 600000),
    nodeId: env.NODE_ID ? pattern(env, 'NODE_ID', '', /^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -') : null,
    votePatchIntervalMs: int(env, 'VOTE_PATCH_INTERVAL_MS', 500, 20, 10000),
    voteMailboxSize: int(env, 'VOTE_MAILBOX_SIZE', 20000, 1, 1000000),
    voteMaxDays: int(env, 'VOTE_MAX_DAYS', 180, 1, 365),
    voucherMaxBytes: int(env, 'VOUCHER_MAX_BYTES', 5242880, 1024, 52428800),
    signInMaxDelayS: int(env, 'SIGNIN_MAX_DELAY_S', 60, 1, 86400),
    authFailureKeys: int(env, 'AUTH_FAILURE_KEYS', 100000, 1000, 10000000),
    authHashConcurrency: int(env, 'AUTH_HASH_CONCURRENCY', 2, 1, 64),
    authHashQueue: int(env, 'AUTH_HASH_QUEUE', 64, 1, 100000),
    authHashPerSource: int(env, 'AUTH_HASH_PER_SOURCE', 4, 1, 1000),
    roomConnectionsPerAccount: int(env, 'ROOM_CONNECTIONS_PER_ACCOUNT', 5, 1, 1000),
    processConnectionsPerAccount: int(env, 'PROCESS_CONNECTIONS_PER_ACCOUNT', 20, 1, 10000),
    renamesPerHour: int(env, 'RENAMES_PER_HOUR', 6, 1, 1000),
    metricsToken: secret(env, 'METRICS_TOKEN', 16),
    analyticsMaxResultBytes: int(env, 'ANALYTICS_MAX_RESULT_BYTES', 16777216, 1024, 1073741824),
  };
}

/** The journal a config selects once `auto` is resolved. */
export function journalKind(c: Config): Exclude<JournalChoice, 'auto'> {
  if (c.journal !== 'auto') return c.journal;
  return c.natsUrl ? 'jetstream' : 'file';
}

/** A config for tests: a free port, a fresh temp data dir, quiet logs, fast replay; override anything. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({});
  return {
    ...base,
    port: 0,
    host: '127.0.0.1',
    dataDir: mkdtempSync(join(tmpdir(), 'linli-test-')),
    logLevel: 'warn',
    replaySpeed: 100000,
    replayMinGapMs: 20,
    passwordHashCost: 1024, // fast hashing: tests create many accounts
    deviceMaxReadingsPerSecond: 100000, // replays at 100000× send far faster than a real device; flood tests set their own
    journal: 'file', // tests that give NATS_URL for devices keep the embedded journal unless they ask for JetStream
    // Tests open many connections as one account and rename freely; the tests of these caps set their own.
    roomConnectionsPerAccount: 1000,
    processConnectionsPerAccount: 10000,
    renamesPerHour: 1000,
    authHashQueue: 10000,
    authHashPerSource: 1000,
    ...overrides,
  };
}
