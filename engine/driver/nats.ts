/**
 * @module engine/driver/nats
 * Colyseus `MatchMakerDriver` on NATS alone: the room cache is a JetStream KV bucket, one key per
 * room (`r.<roomId>`), shared by every node. Each node keeps a mirror of the bucket fed by a KV
 * watch and answers queries from it after a read barrier (the watch has applied everything the
 * stream held when the query began), so a query sees every write acknowledged before it started.
 * Owns: listings' writes (compare-and-set per key through presence/cas.ts: an update never
 * resurrects a removed room, concurrent `$inc` from several nodes add up), the mirror, clear().
 * Does not: own the NATS connection unless it opened it (then shutdown() drains it).
 * Concurrency: writes to one room run in call order per process; queries never block writes.
 * Overflow: see cas.ts (ENGINE_PRESENCE_BUSY); a read barrier the watch does not reach within
 * `syncTimeoutMs` answers from the mirror as it is, counted in `driver_sync_timeouts_total`.
 */
import { connect, headers, type JetStreamClient, type JetStreamManager, type KV, type KvEntry, type NatsConnection, type QueuedIterator } from 'nats';
import type { IRoomCache, MatchMakerDriver, SortOptions } from '@colyseus/core';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { KvCas, openBucket, unavailable } from '../presence/cas.ts';
import { encodeToken, natsNames, type NatsNames } from '../presence/keys.ts';
import { unchanged } from '../presence/values.ts';
import { applyOperations, copyListing, listingCodec, query, type Listing, type UpdateOperations } from './query.ts';

export const DEFAULT_DRIVER_SYNC_TIMEOUT_MS = 2000;
/** Removals one cleanup() sends at once. */
const CLEANUP_BATCH = 500;
const ROOM_PREFIX = 'r.';
/** The key whose write (with `Nats-Rollup: all`) empties the bucket; mirrors drop older entries. */
const CLEAR_KEY = 'c.clear';
/** Pause before a stopped watch is started again. */
const WATCH_RETRY_MS = 200;

export interface NatsDriverOptions {
  readonly connection?: NatsConnection;
  readonly servers?: string;
  /** Bucket `<namespace>-rooms` (see presence/keys.ts). Default `colyseus`. */
  readonly namespace?: string;
  readonly replicas?: number;
  readonly storage?: 'file' | 'memory';
  readonly syncTimeoutMs?: number;
  readonly log?: Logger;
  readonly metrics?: Metrics;
}

interface Mirrored {
  readonly rev: number;
  readonly room: Listing;
}

export class NatsDriver implements MatchMakerDriver {
  readonly names: NatsNames;
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private jsm: JetStreamManager | null = null;
  private kv: KV | null = null;
  private cas: KvCas<Listing> | null = null;
  private watcher: QueuedIterator<KvEntry> | null = null;
  private booting: Promise<void> | null = null;
  private clearing: Promise<void> | null = null;
  private closed = false;
  private readonly mirror = new Map<string, Mirrored>();
  /** Keys this node removed, by revision, until the watch passes them (so an older entry cannot come back). */
  private readonly tombstones = new Map<string, number>();
  /** Highest stream sequence the watch has applied. */
  private watched = 0;
  private readonly waiters = new Set<{ seq: number; resolve(): void }>();

  constructor(private readonly opts: NatsDriverOptions = {}) {
    this.names = natsNames(opts.namespace ?? 'colyseus');
  }

  static async create(opts: NatsDriverOptions = {}): Promise<NatsDriver> {
    const d = new NatsDriver(opts);
    await d.boot();
    return d;
  }

  /** Connects, creates the bucket if needed and loads the mirror; idempotent (the matchmaker calls it on every setup). */
  boot(): Promise<void> {
    this.booting ??= this.open();
    return this.booting;
  }

  private async open(): Promise<void> {
    const nc = this.opts.connection ?? await connect({ servers: this.opts.servers ?? 'nats://127.0.0.1:4222', name: 'colyseus-driver', maxReconnectAttempts: -1, reconnectTimeWait: 500, noAsyncTraces: true });
    const js = nc.jetstream();
    let kv: KV;
    try {
      kv = await openBucket(nc, this.names.roomsBucket, this.opts);
    } catch (err) {
      if (!this.opts.connection) await nc.close().catch(() => undefined); // ours, and of no use now
      throw err;
    }
    this.nc = nc;
    this.js = js;
    this.jsm = await nc.jetstreamManager();
    this.kv = kv;
    this.cas = new KvCas<Listing>(kv, js, (k) => this.subjectOf(k), {
      now: Date.now, log: this.opts.log, metrics: this.opts.metrics,
      onWrite: (key, rev, room) => this.applyEntry(key, rev, room),
    }, listingCodec);
    await new Promise<void>((resolve, reject) => { void this.watchLoop(resolve, reject); });
    void this.restartWatchOnReconnect(nc);
    await this.sync();
  }

  /**
   * Keeps one KV watch running for the driver's life: when it ends (the server restarted, the
   * connection came back) a new one resumes after the last revision applied; if the stream is
   * younger than that (the bucket was re-created), the mirror starts again from nothing.
   */
  private async watchLoop(started: () => void, failed: (err: unknown) => void): Promise<void> {
    let first = true;
    while (!this.closed && !this.nc!.isClosed()) {
      try {
        if (!first) await this.resetIfStreamIsNew();
        const w = await this.kv!.watch({ key: '>', ...(this.watched > 0 ? { resumeFromRevision: this.watched + 1 } : {}) });
        this.watcher = w;
        if (first) started();
        first = false;
        await this.follow(w);
      } catch (err) {
        if (first) return failed(unavailable(err));
        if (!this.closed) this.opts.log?.warn('room cache watch failed; retrying', { err });
      }
      if (!this.closed && !this.nc!.isClosed()) await new Promise((r) => setTimeout(r, WATCH_RETRY_MS));
    }
  }

  private async resetIfStreamIsNew(): Promise<void> {
    const last = (await this.jsm!.streams.info(this.streamName())).state.last_seq;
    if (last >= this.watched) return;
    this.opts.log?.warn('room cache stream is younger than the mirror; reloading it', { last, watched: this.watched });
    this.mirror.clear();
    this.tombstones.clear();
    this.cas?.forget();
    this.watched = 0;
  }

  private async restartWatchOnReconnect(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (this.closed) break;
      if (s.type === 'reconnect') this.watcher?.stop(); // watchLoop resumes it at once, instead of after missed heartbeats
    }
  }

  private streamName(): string {
    return `KV_${this.names.roomsBucket}`;
  }

  private subjectOf(key: string): string {
    return `$KV.${this.names.roomsBucket}.${key}`;
  }

  private async follow(w: QueuedIterator<KvEntry>): Promise<void> {
    {
      for await (const e of w) {
        if (e.key === CLEAR_KEY) this.applyClear(e.revision);
        else if (e.key.startsWith(ROOM_PREFIX)) {
          const room = e.operation === 'PUT' ? listingCodec.decode(e.value) : null;
          if (e.operation === 'PUT' && !room) this.opts.metrics?.inc('driver_bad_listings_total', 'Room cache entries that were not a listing and were skipped');
          this.applyEntry(e.key, e.revision, room);
          const dead = this.tombstones.get(e.key);
          if (dead !== undefined && dead <= e.revision) this.tombstones.delete(e.key);
        }
        this.advance(e.revision);
      }
    }
  }

  private applyEntry(key: string, rev: number, room: Listing | null): void {
    const known = this.mirror.get(key)?.rev ?? this.tombstones.get(key) ?? 0;
    if (known >= rev) return; // our own write got here first
    if (room) {
      this.mirror.set(key, { rev, room });
      this.tombstones.delete(key);
    } else {
      this.mirror.delete(key);
      this.tombstones.set(key, rev);
    }
  }

  private applyClear(rev: number): void {
    for (const [k, m] of this.mirror) if (m.rev < rev) this.mirror.delete(k);
    for (const [k, r] of this.tombstones) if (r < rev) this.tombstones.delete(k);
    this.cas?.forget();
  }

  private advance(seq: number): void {
    if (seq <= this.watched) return;
    this.watched = seq;
    for (const w of this.waiters) if (w.seq <= seq) { this.waiters.delete(w); w.resolve(); }
  }

  /** Resolves once the mirror holds every write the bucket had acknowledged when sync() was called. */
  private async sync(): Promise<void> {
    let last: number;
    try {
      last = (await this.jsm!.streams.info(this.streamName())).state.last_seq;
    } catch (err) {
      throw unavailable(err);
    }
    if (this.watched >= last) return;
    const timeout = this.opts.syncTimeoutMs ?? DEFAULT_DRIVER_SYNC_TIMEOUT_MS;
    await new Promise<void>((resolve) => {
      const w = { seq: last, resolve: () => { clearTimeout(t); resolve(); } };
      const t = setTimeout(() => {
        this.waiters.delete(w);
        this.opts.metrics?.inc('driver_sync_timeouts_total', 'Room cache queries answered before the watch caught up');
        this.opts.log?.warn('room cache watch is behind; answering from the mirror as it is', { watched: this.watched, last });
        resolve();
      }, timeout);
      this.waiters.add(w);
    });
  }

  private async ready(): Promise<KvCas<Listing>> {
    await this.boot();
    // Calls made after clear() take effect after it, even when clear() was not awaited (as on Redis).
    if (this.clearing) await this.clearing;
    if (this.closed) throw unavailable(new Error('driver shut down'));
    return this.cas!;
  }

  private key(roomId: string): string {
    return ROOM_PREFIX + encodeToken(roomId);
  }

  private *rooms(): Iterable<Listing> {
    for (const m of this.mirror.values()) yield m.room;
  }

  async has(roomId: string): Promise<boolean> {
    return (await this.ready()).run(this.key(roomId), (cur) => unchanged<boolean, Listing>(cur !== null), false);
  }

  async query(conditions: Partial<IRoomCache>, sortOptions?: SortOptions): Promise<IRoomCache[]> {
    await this.ready();
    await this.sync();
    return query(this.rooms(), conditions as Record<string, unknown>, sortOptions).map(copyListing);
  }

  async findOne(conditions: Partial<IRoomCache>, sortOptions?: SortOptions): Promise<IRoomCache> {
    const keys = Object.keys(conditions);
    if (keys.length === 1 && typeof conditions.roomId === 'string') {
      // By id: one read of the key, no barrier.
      const room = await (await this.ready()).run(this.key(conditions.roomId), (cur) => unchanged<Listing | null, Listing>(cur), false);
      return (room ? copyListing(room) : undefined) as IRoomCache;
    }
    return (await this.query(conditions, sortOptions))[0];
  }

  async findByIds(roomIds: string[]): Promise<Map<string, IRoomCache>> {
    const out = new Map<string, IRoomCache>();
    if (roomIds.length === 0) return out;
    await this.ready();
    await this.sync();
    for (const id of roomIds) {
      const room = this.mirror.get(this.key(id))?.room;
      if (room) out.set(id, copyListing(room));
    }
    return out;
  }

  async cleanup(processId: string): Promise<void> {
    const stale = await this.query({ processId });
    for (let i = 0; i < stale.length; i += CLEANUP_BATCH) await Promise.all(stale.slice(i, i + CLEANUP_BATCH).map((r) => this.remove(r.roomId)));
  }

  /** Applies `$set`/`$inc` to `room` (the caller's listing) and to the stored listing; false if it is gone. */
  async update(room: IRoomCache, operations: UpdateOperations): Promise<boolean> {
    applyOperations(room, operations);
    if (!room.roomId) return false;
    return (await this.ready()).run(this.key(room.roomId), (cur) =>
      cur ? { next: applyOperations(copyListing(cur), operations), result: true } : unchanged<boolean, Listing>(false));
  }

  /** create: record the listing whatever is there (as RedisDriver); otherwise overwrite it only if it still exists. */
  async persist(room: IRoomCache, create = false): Promise<boolean> {
    if (!room.roomId) return false;
    const snapshot = copyListing(room);
    return (await this.ready()).run(this.key(room.roomId), (cur) =>
      cur || create ? { next: snapshot, result: true } : unchanged<boolean, Listing>(false));
  }

  /** Records the listing unless its roomId is taken; atomic across nodes. */
  async insert(room: IRoomCache): Promise<boolean> {
    if (!room.roomId) return false;
    const snapshot = copyListing(room);
    return (await this.ready()).run(this.key(room.roomId), (cur) => (cur ? unchanged<boolean, Listing>(false) : { next: snapshot, result: true }));
  }

  async remove(roomId: string): Promise<boolean> {
    if (!roomId) return false;
    return (await this.ready()).run(this.key(roomId), (cur) => (cur ? { next: null, result: true } : unchanged<boolean, Listing>(false)));
  }

  /** Empties the room cache on every node (tests only, as Colyseus says): one rollup write. */
  clear(): Promise<void> {
    const previous = this.clearing;
    const run = (async () => {
      await this.boot();
      await previous;
      const h = headers();
      h.set('Nats-Rollup', 'all');
      const ack = await this.js!.publish(this.subjectOf(CLEAR_KEY), new Uint8Array(0), { headers: h }).catch((err) => { throw unavailable(err); });
      this.applyClear(ack.seq);
      await this.sync();
    })();
    const settled = run.catch(() => undefined).finally(() => { if (this.clearing === settled) this.clearing = null; });
    this.clearing = settled;
    return run;
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.booting?.catch(() => undefined);
    this.watcher?.stop();
    for (const w of this.waiters) w.resolve();
    this.waiters.clear();
    if (this.nc && !this.opts.connection && !this.nc.isClosed()) await this.nc.drain().catch(() => undefined); // already closing
  }
}
