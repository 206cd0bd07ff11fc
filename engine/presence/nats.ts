/**
 * @module engine/presence/nats
 * Colyseus `Presence` on NATS alone: topics are core NATS subjects, keys live in one JetStream KV
 * bucket and change only by compare-and-set (cas.ts), so every node of a cluster shares them.
 * Owns: topic subscriptions (one NATS subscription per topic, any number of callbacks), the
 * channel listing across nodes, the blocking pop, the expiry sweep. Does not: own the NATS
 * connection unless it opened it (then shutdown() drains it).
 * Concurrency: callbacks run on the event loop in publish order per topic; a callback that throws
 * is logged and counted (`presence_callback_errors_total`) and the others still run. Operations on
 * one key take effect in call order (see cas.ts); operations on different keys are independent.
 * Overflow: see cas.ts (ENGINE_PRESENCE_BUSY); nats.js buffers publishes while reconnecting.
 */
import { EventEmitter } from 'node:events';
import { connect, createInbox, type KV, type NatsConnection, type Subscription } from 'nats';
import type { Presence } from '@colyseus/core';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { KvCas, openBucket, unavailable } from './cas.ts';
import { PresenceError, presenceError } from './errors.ts';
import { encodeToken, natsNames, type NatsNames } from './keys.ts';
import * as ops from './values.ts';

export const DEFAULT_PRESENCE_CHANNELS_QUIET_MS = 25;
export const DEFAULT_PRESENCE_CHANNELS_MAX_WAIT_MS = 250;
/** How often a node reads every key to remove expired ones that no node has a timer for (e.g. their writer died). */
export const DEFAULT_PRESENCE_SWEEP_INTERVAL_MS = 600_000;
/** Keys with a deadline this node wrote and removes itself when it passes; beyond this the full sweep does it. */
const MAX_EXPIRY_TIMERS = 10_000;
/** A channel listing reply is split so that no message comes near NATS's 1 MiB default max_payload. */
const CHANNELS_REPLY_CHUNK = 2000;

export interface NatsPresenceOptions {
  /** A connection to share (not closed by shutdown()); otherwise one is opened to `servers`. */
  readonly connection?: NatsConnection;
  readonly servers?: string;
  /** Bucket `<namespace>-presence` and subjects under `subjectPrefix` (see keys.ts). Default `colyseus`. */
  readonly namespace?: string;
  readonly subjectPrefix?: string;
  /** KV replicas (1 on a single server, 3 or 5 in a NATS cluster). Default 1. */
  readonly replicas?: number;
  /** Where the KV lives on the server. Default file (survives a NATS restart). */
  readonly storage?: 'file' | 'memory';
  /** Clock for TTL deadlines (epoch ms). Default Date.now; tests inject one. */
  readonly now?: () => number;
  /** How long a channel listing waits for other nodes after the last answer. */
  readonly channelsQuietMs?: number;
  readonly channelsMaxWaitMs?: number;
  /**
   * Expired keys read as absent at once; removing them from the bucket is housekeeping: a node
   * removes the keys it gave a deadline when the deadline passes, and every `sweepIntervalMs` reads
   * all keys for expired ones nobody removed. 0 turns both off (tests call sweepExpired()).
   */
  readonly sweepIntervalMs?: number;
  readonly maxPendingPerKey?: number;
  readonly log?: Logger;
  readonly metrics?: Metrics;
}

type Callback = (...args: unknown[]) => unknown;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class NatsPresence implements Presence {
  /** Callbacks per topic (Colyseus's own tests look at this emitter, as in LocalPresence). */
  readonly subscriptions = new EventEmitter();
  readonly names: NatsNames;
  private nc: NatsConnection | null = null;
  private kv: KV | null = null;
  private cas: KvCas | null = null;
  private readonly ready: Promise<void>;
  /** One NATS subscription per topic, and the flush that registered it on the server. */
  private readonly topics = new Map<string, { sub: Subscription; registered: Promise<void> }>();
  /** Wakes blocked brpop() calls at shutdown. */
  private readonly shutdownHooks = new Set<() => void>();
  private responder: Subscription | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly opts: NatsPresenceOptions = {}) {
    this.names = natsNames(opts.namespace ?? 'colyseus', opts.subjectPrefix);
    this.now = opts.now ?? Date.now;
    this.ready = this.open();
    this.ready.catch(() => undefined); // surfaced by the first call (and by create())
  }

  /** Connects (or binds to the given connection), creates the bucket if needed, and resolves when usable. */
  static async create(opts: NatsPresenceOptions = {}): Promise<NatsPresence> {
    const p = new NatsPresence(opts);
    await p.ready;
    return p;
  }

  private async open(): Promise<void> {
    const nc = this.opts.connection ?? await connect({ servers: this.opts.servers ?? 'nats://127.0.0.1:4222', name: 'colyseus-presence', maxReconnectAttempts: -1, reconnectTimeWait: 500, noAsyncTraces: true });
    const js = nc.jetstream();
    let kv: KV;
    try {
      kv = await openBucket(nc, this.names.presenceBucket, this.opts);
    } catch (err) {
      if (!this.opts.connection) await nc.close().catch(() => undefined); // ours, and of no use now
      throw err;
    }
    this.nc = nc;
    this.kv = kv;
    const every = this.opts.sweepIntervalMs ?? DEFAULT_PRESENCE_SWEEP_INTERVAL_MS;
    this.cas = new KvCas(kv, js, (k) => this.keySubject(k), {
      now: this.now, maxPendingPerKey: this.opts.maxPendingPerKey, log: this.opts.log, metrics: this.opts.metrics,
      onWrite: every > 0 ? (key, _rev, value) => this.scheduleExpiry(key, value?.expiresAt) : undefined,
    });
    this.responder = nc.subscribe(this.names.channelsSubject, { callback: (err, msg) => { if (!err) this.answerChannels(msg.data, (d) => msg.respond(d)); } });
    if (every > 0) {
      this.sweepTimer = setInterval(() => void this.sweepExpired().catch((err) => this.opts.log?.warn('presence expiry sweep failed', { err })), every);
      this.sweepTimer.unref();
    }
    await nc.flush();
  }

  private async use(): Promise<KvCas> {
    if (!this.cas) await this.ready;
    if (this.closed) throw presenceError(PresenceError.UNAVAILABLE, { reason: 'presence shut down' });
    return this.cas!;
  }

  private keySubject(encodedKey: string): string {
    return `$KV.${this.names.presenceBucket}.${encodedKey}`;
  }

  private async run<R>(key: string, op: ops.KeyOp<R>, writes = true): Promise<R> {
    return (await this.use()).run(encodeToken(key), op, writes);
  }

  // Pub/sub ----------------------------------------------------------------------------------

  async subscribe(topic: string, callback: Callback): Promise<this> {
    if (!this.nc) await this.ready;
    this.subscriptions.on(topic, callback);
    if (this.closed) return this;
    let t = this.topics.get(topic);
    if (!t) {
      const sub = this.nc!.subscribe(this.names.topic(topic), { callback: (err, msg) => { if (!err) this.deliver(topic, msg.data); } });
      // The subscription is registered on the server before subscribe() resolves, as with Redis.
      t = { sub, registered: this.nc!.flush().catch((err) => { throw unavailable(err); }) };
      this.topics.set(topic, t);
    }
    await t.registered;
    return this;
  }

  async unsubscribe(topic: string, callback?: Callback): Promise<this> {
    if (!this.nc) await this.ready;
    if (callback) this.subscriptions.removeListener(topic, callback);
    else this.subscriptions.removeAllListeners(topic);
    if (this.subscriptions.listenerCount(topic) === 0) {
      this.topics.get(topic)?.sub.unsubscribe();
      this.topics.delete(topic);
    }
    return this;
  }

  async publish(topic: string, data: unknown): Promise<void> {
    if (!this.nc) await this.ready;
    if (this.closed) return;
    // undefined has no JSON form; RedisPresence sends false for it, and so do we.
    const payload = encoder.encode(JSON.stringify(data === undefined ? false : data));
    try {
      this.nc!.publish(this.names.topic(topic), payload);
    } catch (err) {
      throw (err as { code?: string }).code === 'MAX_PAYLOAD_EXCEEDED' ? presenceError(PresenceError.VALUE_TOO_LARGE, { topic }, err) : unavailable(err);
    }
  }

  private deliver(topic: string, bytes: Uint8Array): void {
    let data: unknown;
    try {
      data = JSON.parse(decoder.decode(bytes));
    } catch {
      this.opts.metrics?.inc('presence_bad_messages_total', 'Presence messages that were not JSON and were dropped');
      this.opts.log?.warn('presence message is not JSON; dropped', { topic });
      return;
    }
    // A copy: a callback that unsubscribes another does not stop it hearing this message.
    for (const cb of this.subscriptions.listeners(topic) as Callback[]) {
      try {
        const r = cb(data);
        if (r instanceof Promise) r.catch((err) => this.callbackFailed(topic, err));
      } catch (err) {
        this.callbackFailed(topic, err);
      }
    }
  }

  private callbackFailed(topic: string, err: unknown): void {
    this.opts.metrics?.inc('presence_callback_errors_total', 'Presence subscription callbacks that threw');
    this.opts.log?.error('presence callback threw', { topic, err });
  }

  /**
   * Topics with a subscriber anywhere in the namespace, matching a Redis glob (anchored, as
   * PUBSUB CHANNELS). Every presence answers on `channelsSubject`; the listing waits until no
   * node has answered for `channelsQuietMs`. A node too slow to answer is left out, which
   * Colyseus answers with a health check of it, never with the removal of a live node's rooms.
   */
  async channels(pattern = '*'): Promise<string[]> {
    if (!this.nc) await this.ready;
    const re = ops.globToRegExp(pattern);
    const found = new Set(this.localChannels(re));
    if (this.closed) return [...found];
    const quiet = this.opts.channelsQuietMs ?? DEFAULT_PRESENCE_CHANNELS_QUIET_MS;
    const maxWait = this.opts.channelsMaxWaitMs ?? DEFAULT_PRESENCE_CHANNELS_MAX_WAIT_MS;
    const nc = this.nc!;
    await new Promise<void>((resolve) => {
      const started = Date.now();
      let timer: NodeJS.Timeout;
      const done = () => { clearTimeout(timer); sub.unsubscribe(); resolve(); };
      const arm = () => { clearTimeout(timer); timer = setTimeout(done, Math.max(0, Math.min(quiet, maxWait - (Date.now() - started)))); };
      const sub = nc.subscribe(createInbox(), {
        callback: (err, msg) => {
          if (err) return done();
          try {
            for (const c of JSON.parse(decoder.decode(msg.data)) as string[]) if (typeof c === 'string' && re.test(c)) found.add(c);
          } catch {
            this.opts.metrics?.inc('presence_bad_messages_total', 'Presence messages that were not JSON and were dropped');
          }
          arm();
        },
      });
      arm();
      nc.publish(this.names.channelsSubject, encoder.encode(pattern), { reply: sub.getSubject() });
    });
    return [...found];
  }

  private localChannels(re: RegExp): string[] {
    return [...this.topics.keys()].filter((t) => re.test(t));
  }

  private answerChannels(data: Uint8Array, respond: (d: Uint8Array) => boolean): void {
    let re: RegExp;
    try {
      re = ops.globToRegExp(decoder.decode(data));
    } catch {
      return; // a pattern we cannot read gets no answer; the asker simply hears less
    }
    const mine = this.localChannels(re);
    for (let i = 0; i < mine.length || i === 0; i += CHANNELS_REPLY_CHUNK) respond(encoder.encode(JSON.stringify(mine.slice(i, i + CHANNELS_REPLY_CHUNK))));
  }

  // Keys -------------------------------------------------------------------------------------

  exists(key: string): Promise<boolean> { return this.run(key, ops.exists, false); }
  set(key: string, value: string): Promise<'OK'> { return this.run(key, ops.setString(value)); }
  setex(key: string, value: string, seconds: number): Promise<'OK'> { return this.run(key, ops.setString(value, seconds)); }
  expire(key: string, seconds: number): Promise<number> { return this.run(key, ops.expire(seconds)); }
  get(key: string): Promise<string | null> { return this.run(key, ops.getString, false); }
  del(key: string): Promise<number> { return this.run(key, ops.remove) as never; }
  incr(key: string): Promise<number> { return this.run(key, ops.incrBy(1)); }
  decr(key: string): Promise<number> { return this.run(key, ops.incrBy(-1)); }

  sadd(key: string, value: unknown): Promise<number> { return this.run(key, ops.setAdd(value)); }
  srem(key: string, value: unknown): Promise<number> { return this.run(key, ops.setRemove(value)); }
  smembers(key: string): Promise<string[]> { return this.run(key, ops.setMembers, false); }
  sismember(key: string, field: string): Promise<0 | 1> { return this.run(key, ops.setIsMember(field), false); }
  scard(key: string): Promise<number> { return this.run(key, ops.setCard, false); }

  /** SINTER: each set is read atomically, the sets together are not (unlike Redis). */
  async sinter(...keys: string[]): Promise<string[]> {
    return ops.intersect(await Promise.all(keys.map((k) => this.smembers(k))));
  }

  hset(key: string, field: string, value: string): Promise<boolean> { return this.run(key, ops.hashSet(field, value)); }
  hincrby(key: string, field: string, value: number): Promise<number> { return this.run(key, ops.hashIncrBy(field, value)); }
  /** HINCRBY and EXPIRE of the whole hash, in one atomic step. */
  hincrbyex(key: string, field: string, value: number, expireInSeconds: number): Promise<number> { return this.run(key, ops.hashIncrBy(field, value, expireInSeconds)); }
  hget(key: string, field: string): Promise<string | null> { return this.run(key, ops.hashGet(field), false); }
  hgetall(key: string): Promise<Record<string, string>> { return this.run(key, ops.hashGetAll, false); }
  hdel(key: string, field: string): Promise<boolean> { return this.run(key, ops.hashDelete(field)); }
  hlen(key: string): Promise<number> { return this.run(key, ops.hashLen, false); }

  llen(key: string): Promise<number> { return this.run(key, ops.listLen, false); }
  rpush(key: string, ...values: string[]): Promise<number> { return this.run(key, ops.listPush('right', values)); }
  lpush(key: string, ...values: string[]): Promise<number> { return this.run(key, ops.listPush('left', values)); }
  rpop(key: string): Promise<string | null> { return this.run(key, ops.listPop('right')); }
  lpop(key: string): Promise<string | null> { return this.run(key, ops.listPop('left')); }

  /**
   * BRPOP: pops the right end of the first non-empty list among `keys`, waiting up to
   * `timeoutInSeconds` (0 waits until shutdown) for one to be pushed. Waiting costs no polling:
   * a core subscription on the keys' KV subjects wakes the waiter on every write to them.
   */
  async brpop(...args: [...keys: string[], timeoutInSeconds: number]): Promise<[string, string] | null> {
    const keys = args.slice(0, -1) as string[];
    const seconds = Number(args[args.length - 1]);
    await this.use();
    const nc = this.nc!;
    let wake: (() => void) | null = null;
    let woken = false;
    const subs = keys.map((k) => nc.subscribe(this.keySubject(encodeToken(k)), { callback: () => { woken = true; wake?.(); } }));
    const stop = () => { woken = true; wake?.(); };
    this.shutdownHooks.add(stop);
    try {
      await nc.flush();
      const deadline = seconds > 0 ? Date.now() + seconds * 1000 : Infinity;
      for (;;) {
        woken = false;
        for (const k of keys) {
          const v = await this.rpop(k);
          if (v !== null) return [k, v];
        }
        if (this.closed) return null;
        const left = deadline - Date.now();
        if (left <= 0) return null;
        if (!woken) {
          await new Promise<void>((resolve) => {
            const t = Number.isFinite(left) ? setTimeout(resolve, left) : null;
            wake = () => { if (t) clearTimeout(t); wake = null; resolve(); };
          });
        }
      }
    } finally {
      this.shutdownHooks.delete(stop);
      for (const s of subs) s.unsubscribe();
    }
  }

  private scheduleExpiry(key: string, expiresAt: number | undefined): void {
    const old = this.expiryTimers.get(key);
    if (old) clearTimeout(old);
    this.expiryTimers.delete(key);
    if (expiresAt === undefined || this.closed || this.expiryTimers.size >= MAX_EXPIRY_TIMERS) return;
    const t = setTimeout(() => {
      this.expiryTimers.delete(key);
      void this.cas?.dropIfExpired(key).catch((err) => this.opts.log?.warn('presence expiry failed', { err })); // the full sweep retries
    }, Math.max(0, expiresAt - this.now()) + 1);
    t.unref();
    this.expiryTimers.set(key, t);
  }

  /** Removes every expired key from the bucket (one read per key); returns how many it removed. */
  async sweepExpired(): Promise<number> {
    const cas = await this.use();
    const keys: string[] = [];
    for await (const k of await this.kv!.keys()) keys.push(k);
    let removed = 0;
    for (const k of keys) if (await cas.dropIfExpired(k)) removed++;
    return removed;
  }

  /** The raw stored entry of a key, expired or not (for tests and debugging). */
  async peek(key: string): Promise<ops.Stored | null> {
    return (await this.use()).peek(encodeToken(key));
  }

  setMaxListeners(n: number): void {
    this.subscriptions.setMaxListeners(n);
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ready.catch(() => undefined);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const t of this.expiryTimers.values()) clearTimeout(t);
    this.expiryTimers.clear();
    for (const hook of this.shutdownHooks) hook();
    for (const t of this.topics.values()) t.sub.unsubscribe();
    this.topics.clear();
    this.responder?.unsubscribe();
    this.subscriptions.removeAllListeners();
    if (this.nc && !this.opts.connection && !this.nc.isClosed()) await this.nc.drain().catch(() => undefined); // already closing
  }
}
