/**
 * @module analytics/ingest
 * Feeds the analytics store from the bus: every committed room event (`nb.<c>.room.>`, JSON
 * JournalRecord) and every accepted device reading (`nb.<c>.reading.>`, JSON DeviceReading),
 * batched by size (`batchMaxRows`) or age (`batchMaxWaitMs`).
 * Owns: validation, batching, retries with backoff, and the ingest counters. Does not: throw into
 * the bus (handlers only enqueue), or decide table layout (schema.ts).
 * Concurrency: one insert in flight at a time, FIFO per kind, so a retried batch keeps its order.
 * Overflow: at most `queueMaxRows` rows wait (both kinds together). A message arriving when the
 * queue is full is refused: counted in `dropped` (metric analytics_ingest_dropped_total
 * {reason="queue_full"}), warned once per overflow episode, with the episode's total logged when the
 * queue is back under half. Rows already queued are never evicted. Malformed payloads are counted
 * and dropped (warned at 1, 10, 100, …). A batch the store rejects as non-retryable is retried
 * `maxAttempts` times, then dropped, counted and logged as an error; retryable failures retry forever.
 * Exactly once: with `follow` (a journal), room events pass through a StreamFollower: duplicates
 * are skipped and holes (events whose fan-out was lost in a crash) are filled from the journal;
 * `catchUp()` reads what the store holds and brings every stream up to the journal's end.
 */
import { decodeJson, subjects, type Bus, type BusMessage, type BusSubscription } from '../engine/bus/contract.ts';
import { LinliError, errorSpec } from '../engine/errors.ts';
import type { JournalRecord } from '../engine/journal/record.ts';
import type { DeviceReading } from '../devices/reading.ts';
import { silentLog, type AnalyticsLog, type AnalyticsMetrics, type AnalyticsStore } from './contract.ts';
import { AnalyticsError } from './errors.ts';
import type { Journal } from '../engine/journal/contract.ts';
import { StreamFollower, streamId, type Projection } from './stream-follower.ts';
import { ROOM_EVENTS } from './schema.ts';

export const DEFAULT_BATCH_MAX_ROWS = 1000;
export const DEFAULT_BATCH_MAX_WAIT_MS = 500;
export const DEFAULT_QUEUE_MAX_ROWS = 100_000;
export const DEFAULT_INGEST_MAX_ATTEMPTS = 5;
export const DEFAULT_RETRY_MIN_MS = 100;
export const DEFAULT_RETRY_MAX_MS = 10_000;
export const DEFAULT_FLUSH_TIMEOUT_MS = 30_000;
export const DEFAULT_STOP_TIMEOUT_MS = 5_000;

/** The metrics registry shape used here; engine/metrics.ts's Metrics satisfies it. */
export interface IngestMetrics extends AnalyticsMetrics {
  set(name: string, help: string, labels: Readonly<Record<string, string>>, value: number): void;
}

export interface IngestionOptions {
  /** Rows per insert at most. Default 1000. */
  readonly batchMaxRows?: number;
  /** Longest a row waits before its batch is inserted, ms. Default 500. */
  readonly batchMaxWaitMs?: number;
  /** Rows waiting in memory at most (both kinds); more are refused and counted. Default 100000. */
  readonly queueMaxRows?: number;
  /** Attempts for a batch the store rejects as non-retryable. Default 5. */
  readonly maxAttempts?: number;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /** How long stop() keeps trying to store what is queued, ms. Default 5000. */
  readonly stopTimeoutMs?: number;
  readonly log?: AnalyticsLog;
  readonly metrics?: IngestMetrics;
  /** Follow the journal for exactly-once room events (see StreamFollower). */
  readonly follow?: { readonly journal: Journal; readonly project: Projection; readonly isPrivate?: (kind: string) => boolean };
  /** Take room events from the bus (embedded); false when a JetStream feed offers them. Default true. */
  readonly roomEventsFromBus?: boolean;
}

export interface IngestionCounters {
  /** Bus messages seen (valid or not). */
  readonly received: number;
  /** Rows the store confirmed. */
  readonly inserted: number;
  /** Valid rows that will never be stored: queue full, rejected by the store, or left at stop. */
  readonly dropped: number;
  /** Messages that were not a valid record or reading for this community. */
  readonly malformed: number;
  /** Insert attempts that failed (each is retried or, at last, dropped). */
  readonly failedBatches: number;
  /** Rows waiting now. */
  readonly queued: number;
}

export interface Ingestion {
  readonly counters: IngestionCounters;
  /** Stores everything received so far; rejects with ANALYTICS_TIMEOUT after `timeoutMs` (rows stay queued). */
  flush(timeoutMs?: number): Promise<void>;
  /** Takes what was published so far, unsubscribes, stores what it can within `stopTimeoutMs`, counts the rest as dropped. Never rejects. */
  stop(): Promise<void>;
  /**
   * With `follow`: reads the last stored seq of every stream, then ingests what the journal holds
   * after it (events committed while analytics was behind, e.g. before a crash). Returns how many.
   */
  catchUp(): Promise<number>;
  /** Room events from a feed other than the bus (JetStream); `raw` ones are projected first. */
  offerRecords(records: readonly JournalRecord[], raw: boolean): void;
}

type Kind = 'room_events' | 'device_readings';

interface Lane<T> {
  readonly kind: Kind;
  items: T[];
  head: number;
  /** When the oldest waiting row arrived (ms), or 0 when empty. */
  oldestAt: number;
  enqueued: number;
  settled: number;
  readonly insert: (rows: T[]) => Promise<void>;
}

interface FlushWaiter {
  readonly targets: readonly number[];
  readonly resolve: () => void;
}

/**
 * Subscribes to one community's room events and readings and stores them.
 * @example
 * const ingest = startIngestion(bus, store, 'shikeyuan', { log });
 * await ingest.flush(); // everything published so far is queryable
 */
export function startIngestion(bus: Bus, store: AnalyticsStore, community: string, opts: IngestionOptions = {}): Ingestion {
  return new IngestionImpl(bus, store, community, opts);
}

class IngestionImpl implements Ingestion {
  private readonly batchMaxRows: number;
  private readonly batchMaxWaitMs: number;
  private readonly queueMaxRows: number;
  private readonly maxAttempts: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  private readonly stopTimeoutMs: number;
  private readonly log: AnalyticsLog;
  private readonly metrics: IngestMetrics | undefined;
  private readonly lanes: [Lane<JournalRecord>, Lane<DeviceReading>];
  private readonly subs: BusSubscription[];

  private c = { received: 0, inserted: 0, dropped: 0, malformed: 0, failedBatches: 0 };
  private pumping = false;
  private timer: NodeJS.Timeout | null = null;
  private waiters: FlushWaiter[] = [];
  private overflowing = false;
  private episodeDrops = 0;
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private abandoned = false;
  private wakeSleeper: (() => void) | null = null;
  private readonly follower: StreamFollower | null;

  constructor(private readonly bus: Bus, private readonly analytics: AnalyticsStore, private readonly community: string, opts: IngestionOptions) {
    this.batchMaxRows = Math.max(1, opts.batchMaxRows ?? DEFAULT_BATCH_MAX_ROWS);
    this.batchMaxWaitMs = Math.max(0, opts.batchMaxWaitMs ?? DEFAULT_BATCH_MAX_WAIT_MS);
    this.queueMaxRows = Math.max(1, opts.queueMaxRows ?? DEFAULT_QUEUE_MAX_ROWS);
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? DEFAULT_INGEST_MAX_ATTEMPTS);
    this.retryMinMs = opts.retryMinMs ?? DEFAULT_RETRY_MIN_MS;
    this.retryMaxMs = opts.retryMaxMs ?? DEFAULT_RETRY_MAX_MS;
    this.stopTimeoutMs = opts.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.log = opts.log ?? silentLog;
    this.metrics = opts.metrics;
    this.lanes = [
      newLane<JournalRecord>('room_events', (rows) => analytics.insertRoomEvents(rows)),
      newLane<DeviceReading>('device_readings', (rows) => analytics.insertReadings(rows)),
    ];
    this.follower = opts.follow
      ? new StreamFollower({ ...opts.follow, emit: (r) => this.enqueue(this.lanes[0], r), storedSeq: (kind, actorId) => this.storedSeq(kind, actorId), log: this.log, metrics: this.metrics })
      : null;
    this.subs = [
      ...(opts.roomEventsFromBus === false ? [] : [bus.subscribe(subjects.allRoomEvents(community), (m) => this.onMessage(m, 0, parseJournalRecord))]),
      bus.subscribe(subjects.allReadings(community), (m) => this.onMessage(m, 1, parseReading)),
    ];
  }

  /** The last seq analytics holds for one stream (rows still queued here count too: they are on their way). */
  private async storedSeq(kind: string, actorId: string): Promise<number | null> {
    const r = await this.analytics.query(`SELECT max(seq) AS seq FROM linli.${ROOM_EVENTS} WHERE community = ${sqlString(this.community)} AND kind = ${sqlString(kind)} AND actor_id = ${sqlString(actorId)}`);
    const stored = Number(r.rows[0]?.seq ?? 0);
    const lane = this.lanes[0];
    let queued = 0;
    for (let i = lane.head; i < lane.items.length; i++) if (lane.items[i].kind === kind && lane.items[i].actorId === actorId) queued = Math.max(queued, lane.items[i].seq);
    return Math.max(stored, queued);
  }

  async catchUp(): Promise<number> {
    if (!this.follower) return 0;
    const stored = new Map<string, number>();
    const r = await this.analytics.query(`SELECT kind, actor_id, max(seq) AS seq FROM linli.${ROOM_EVENTS} WHERE community = ${sqlString(this.community)} GROUP BY kind, actor_id`, { maxRows: 1_000_000 });
    for (const row of r.rows) stored.set(streamId(String(row.kind), String(row.actor_id)), Number(row.seq));
    this.follower.setWatermarks(stored);
    const n = await this.follower.sweep(this.community);
    if (n > 0) this.log.info('analytics caught up from the journal', { records: n });
    return n;
  }

  offerRecords(records: readonly JournalRecord[], raw: boolean): void {
    for (const r of records) {
      this.c.received++;
      if (this.follower) this.follower.offer(r, raw);
      else this.enqueue(this.lanes[0], r);
    }
  }

  get counters(): IngestionCounters {
    return { ...this.c, queued: this.queued() };
  }

  async flush(timeoutMs: number = DEFAULT_FLUSH_TIMEOUT_MS): Promise<void> {
    await this.bus.flush();
    const targets = this.lanes.map((l) => l.enqueued);
    if (this.reached(targets)) return;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => this.waiters.push({ targets, resolve }));
    this.kick();
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LinliError(AnalyticsError.TIMEOUT, { reason: 'ingest flush', queued: this.queued() })), timeoutMs);
    });
    try {
      await Promise.race([done, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    try {
      await this.bus.flush(); // what was published before stop() is taken, not cut off
    } catch {
      // a closed or failing bus has nothing more to hand over; stopping goes on
    }
    this.stopping = true;
    for (const s of this.subs) s.unsubscribe();
    try {
      await this.flush(this.stopTimeoutMs);
    } catch {
      // timed out: what is left is counted as dropped just below
    }
    this.abandoned = true;
    this.wakeSleeper?.();
    if (this.timer) clearTimeout(this.timer);
    for (const lane of this.lanes) {
      const left = lane.items.length - lane.head;
      if (left > 0) {
        this.drop(lane.kind, left, 'stopped');
        this.log.error('analytics ingest stopped with rows not stored', { kind: lane.kind, rows: left });
        lane.settled += left;
        lane.items = [];
        lane.head = 0;
      }
    }
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  // ---- intake ----

  private onMessage<T>(msg: BusMessage, lane: 0 | 1, parse: (v: unknown, community: string) => T | undefined): void {
    const l = this.lanes[lane] as unknown as Lane<T>;
    this.c.received++;
    this.metrics?.inc('analytics_ingest_received_total', 'Bus messages seen by analytics ingestion', { kind: l.kind });
    const item = parse(decodeJson(msg.data), this.community);
    if (item === undefined) return this.onMalformed(l.kind, msg.subject);
    if (lane === 0 && this.follower) return this.follower.offer(item as unknown as JournalRecord);
    this.enqueue(l, item);
  }

  private enqueue<T>(l: Lane<T>, item: T): void {
    if (this.stopping) return this.drop(l.kind, 1, 'stopped');
    if (this.queued() >= this.queueMaxRows) return this.onOverflow(l.kind);
    if (l.items.length === l.head) l.oldestAt = Date.now();
    l.items.push(item);
    l.enqueued++;
    this.gauge();
    if (l.items.length - l.head >= this.batchMaxRows) this.kick();
    else this.arm();
  }

  private onMalformed(kind: Kind, subject: string): void {
    this.c.malformed++;
    this.metrics?.inc('analytics_ingest_malformed_total', 'Analytics payloads that were not a valid record or reading', { kind });
    if (isPowerOfTen(this.c.malformed)) this.log.warn('malformed analytics payloads dropped', { malformed: this.c.malformed, subject });
  }

  private onOverflow(kind: Kind): void {
    this.drop(kind, 1, 'queue_full');
    this.episodeDrops++;
    if (!this.overflowing) {
      this.overflowing = true;
      this.log.warn('analytics ingest queue full; refusing new rows until it drains', { queueMaxRows: this.queueMaxRows });
    }
  }

  private drop(kind: Kind, rows: number, reason: 'queue_full' | 'rejected' | 'stopped'): void {
    this.c.dropped += rows;
    this.metrics?.inc('analytics_ingest_dropped_total', 'Valid analytics rows that were not stored', { kind, reason }, rows);
  }

  // ---- batching ----

  private queued(): number {
    return this.lanes[0].items.length - this.lanes[0].head + this.lanes[1].items.length - this.lanes[1].head;
  }

  private arm(): void {
    if (this.timer || this.pumping) return;
    const oldest = Math.min(...this.lanes.filter((l) => l.items.length > l.head).map((l) => l.oldestAt));
    if (!Number.isFinite(oldest)) return;
    const wait = Math.max(0, oldest + this.batchMaxWaitMs - Date.now());
    this.timer = setTimeout(() => { this.timer = null; this.kick(); }, wait);
  }

  private kick(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    if (!this.pumping) void this.pump();
  }

  private due(l: Lane<unknown>, now: number): boolean {
    const n = l.items.length - l.head;
    if (n === 0) return false;
    return n >= this.batchMaxRows || now - l.oldestAt >= this.batchMaxWaitMs || this.waiters.length > 0 || this.stopping;
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (;;) {
        if (this.abandoned) return;
        const now = Date.now();
        const lane = (this.lanes as Lane<unknown>[]).find((l) => this.due(l, now));
        if (!lane) break;
        const batch = lane.items.slice(lane.head, lane.head + this.batchMaxRows);
        lane.head += batch.length;
        if (lane.head === lane.items.length) { lane.items = []; lane.head = 0; }
        else {
          lane.oldestAt = now;
          if (lane.head > 4096 && lane.head * 2 > lane.items.length) { lane.items = lane.items.slice(lane.head); lane.head = 0; }
        }
        await this.store(lane, batch);
        lane.settled += batch.length;
        this.gauge();
        this.afterSettle();
      }
    } finally {
      this.pumping = false;
    }
    this.arm();
  }

  private async store(lane: Lane<unknown>, batch: unknown[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1 && this.abandoned) {
        this.drop(lane.kind, batch.length, 'stopped');
        this.log.error('analytics batch dropped at stop', { kind: lane.kind, rows: batch.length, attempts: attempt - 1 });
        return;
      }
      try {
        await lane.insert(batch);
        this.c.inserted += batch.length;
        this.metrics?.inc('analytics_ingest_inserted_total', 'Analytics rows stored', { kind: lane.kind }, batch.length);
        return;
      } catch (err) {
        this.c.failedBatches++;
        this.metrics?.inc('analytics_ingest_failed_batches_total', 'Analytics insert attempts that failed', { kind: lane.kind });
        const code = (err as { code?: unknown })?.code;
        const retryable = typeof code === 'string' ? errorSpec(code).retryable : true;
        if (this.abandoned || (!retryable && attempt >= this.maxAttempts)) {
          this.drop(lane.kind, batch.length, this.abandoned ? 'stopped' : 'rejected');
          this.log.error('analytics batch dropped', { kind: lane.kind, rows: batch.length, attempts: attempt, err });
          return;
        }
        const delay = Math.min(this.retryMaxMs, this.retryMinMs * 2 ** (attempt - 1));
        this.log.warn('analytics insert failed; retrying', { kind: lane.kind, rows: batch.length, attempt, delayMs: delay, err });
        await this.sleep(delay * (0.75 + Math.random() * 0.5));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.wakeSleeper = null; resolve(); }, ms);
      this.wakeSleeper = () => { clearTimeout(t); this.wakeSleeper = null; resolve(); };
    });
  }

  private afterSettle(): void {
    if (this.overflowing && this.queued() <= this.queueMaxRows / 2) {
      this.overflowing = false;
      this.log.warn('analytics ingest queue drained; rows refused during the overflow', { dropped: this.episodeDrops });
      this.episodeDrops = 0;
    }
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((w) => {
      if (!this.reached(w.targets)) return true;
      w.resolve();
      return false;
    });
  }

  private reached(targets: readonly number[]): boolean {
    return this.lanes.every((l, i) => l.settled >= targets[i]!);
  }

  private gauge(): void {
    this.metrics?.set('analytics_ingest_queued_rows', 'Analytics rows waiting to be stored', { community: this.community }, this.queued());
  }
}

function newLane<T>(kind: Kind, insert: (rows: T[]) => Promise<void>): Lane<T> {
  return { kind, items: [], head: 0, oldestAt: 0, enqueued: 0, settled: 0, insert };
}

/** A ClickHouse string literal. */
function sqlString(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function isPowerOfTen(n: number): boolean {
  return n === 1 || (n % 10 === 0 && isPowerOfTen(n / 10));
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A JournalRecord of this community, or undefined. */
export function parseJournalRecord(v: unknown, community: string): JournalRecord | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const r = v as Record<string, unknown>;
  if (r.community !== community || !str(r.kind) || !str(r.actorId) || !str(r.type)) return undefined;
  if (!Number.isSafeInteger(r.seq) || (r.seq as number) < 0 || !num(r.at) || !('event' in r)) return undefined;
  const version = Number.isSafeInteger(r.v) ? (r.v as number) : 1;
  return { community, kind: r.kind, actorId: r.actorId, seq: r.seq as number, type: r.type, v: version, at: r.at, author: str(r.author) ? r.author : 'system', key: str(r.key) ? r.key : null, event: r.event };
}

/** A DeviceReading of this community, or undefined (also when `at`, `value` or `raw` is not a finite number). */
export function parseReading(v: unknown, community: string): DeviceReading | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const r = v as Record<string, unknown>;
  if (r.community !== community || !str(r.deviceId) || !str(r.signal) || !str(r.quality)) return undefined;
  if (!num(r.at) || !num(r.value) || !num(r.raw)) return undefined;
  const data = typeof r.data === 'object' && r.data !== null && !Array.isArray(r.data) ? { data: r.data as Record<string, unknown> } : {};
  const kind = typeof r.kind === 'string' ? { kind: r.kind } : {};
  return { community, deviceId: r.deviceId, signal: r.signal, at: r.at, value: r.value, raw: r.raw, quality: r.quality, ...kind, ...data };
}
