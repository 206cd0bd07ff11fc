/**
 * @module engine/presence/cas
 * Runs presence operations on one JetStream KV bucket with compare-and-set: read the key's entry
 * and revision, apply the pure operation (values.ts), write back only if the revision is still
 * the one read (Nats-Expected-Last-Subject-Sequence), else re-read and re-apply.
 * Owns: per-key ordering inside this process, batching, the revision cache, expiry sweeps.
 * Concurrency: operations on one key run in call order, one CAS round at a time per key and
 * process; a round applies every queued operation at once (one write for a burst of incr). Across
 * processes the KV revision check makes every operation apply exactly once to the latest value.
 * Overflow: at most `maxPendingPerKey` operations wait per key; beyond that a call rejects with
 * ENGINE_PRESENCE_BUSY (counted in `presence_busy_total`). A round that loses the race
 * `maxAttempts` times rejects with ENGINE_PRESENCE_CONFLICT (`presence_cas_conflicts_total`
 * counts every lost race).
 */
import { headers, type JetStreamClient, type KV, type NatsConnection } from 'nats';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { PresenceError, presenceError } from './errors.ts';
import { UNCHANGED, storedCodec, type Codec, type KeyOp, type Stored } from './values.ts';

export const DEFAULT_PRESENCE_CAS_ATTEMPTS = 64;
export const DEFAULT_PRESENCE_MAX_PENDING_PER_KEY = 10_000;
export const DEFAULT_PRESENCE_CACHE_KEYS = 10_000;
/** Operations one CAS round applies at most (the rest wait for the next round). */
const MAX_BATCH = 1000;
/** JetStream's "wrong last sequence": someone wrote the key after we read it. */
const WRONG_LAST_SEQUENCE = 10071;
/** JetStream's "message size exceeds maximum allowed". */
const MESSAGE_TOO_LARGE = 10054;

export interface CasOptions<T> {
  readonly now: () => number;
  /** Called after every write this process made, with the new revision (the driver's mirror uses it). */
  readonly onWrite?: (key: string, rev: number, value: T | null) => void;
  readonly maxAttempts?: number;
  readonly maxPendingPerKey?: number;
  readonly cacheKeys?: number;
  readonly log?: Logger;
  readonly metrics?: Metrics;
}

interface Pending<T> {
  readonly op: KeyOp<unknown, T>;
  readonly writes: boolean;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

interface Base<T> {
  readonly rev: number;
  readonly stored: T | null;
}

export class KvCas<T = Stored> {
  private readonly queues = new Map<string, Pending<T>[]>();
  private readonly cache = new Map<string, Base<T>>();
  private readonly maxAttempts: number;
  private readonly maxPending: number;
  private readonly cacheKeys: number;

  /** `subjectOf` names the stream subject of an encoded key (`$KV.<bucket>.<key>`). */
  constructor(
    private readonly kv: KV,
    private readonly js: JetStreamClient,
    private readonly subjectOf: (key: string) => string,
    private readonly opts: CasOptions<T>,
    private readonly codec: Codec<T> = storedCodec as unknown as Codec<T>,
  ) {
    this.maxAttempts = opts.maxAttempts ?? DEFAULT_PRESENCE_CAS_ATTEMPTS;
    this.maxPending = opts.maxPendingPerKey ?? DEFAULT_PRESENCE_MAX_PENDING_PER_KEY;
    this.cacheKeys = opts.cacheKeys ?? DEFAULT_PRESENCE_CACHE_KEYS;
  }

  /** Applies `op` to `key` (an encoded KV key). `writes` false promises the op never changes the value. */
  run<R>(key: string, op: KeyOp<R, T>, writes = true): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let queue = this.queues.get(key);
      const idle = !queue;
      if (!queue) this.queues.set(key, (queue = []));
      if (queue.length >= this.maxPending) {
        this.opts.metrics?.inc('presence_busy_total', 'Presence operations refused because too many were pending on one key');
        reject(presenceError(PresenceError.BUSY, { pending: queue.length }));
        return;
      }
      queue.push({ op: op as KeyOp<unknown, T>, writes, resolve: resolve as (v: unknown) => void, reject });
      if (idle) void this.drain(key, queue);
    });
  }

  /** Deletes `key` if its entry has passed its deadline and nobody rewrote it meanwhile. */
  async dropIfExpired(key: string): Promise<boolean> {
    const base = await this.fetch(key);
    if (!base.stored || this.codec.live(base.stored, this.opts.now())) return false;
    try {
      const rev = await this.deleteAt(key, base.rev);
      this.remember(key, { rev, stored: null });
      this.opts.onWrite?.(key, rev, null);
      return true;
    } catch (err) {
      if (conflict(err)) return false; // rewritten since we read it: it is alive again
      throw unavailable(err);
    }
  }

  /** The raw entry as stored (expired or not), for sweeps and tests. */
  async peek(key: string): Promise<T | null> {
    return (await this.fetch(key)).stored;
  }

  forget(): void {
    this.cache.clear();
  }

  private async drain(key: string, queue: Pending<T>[]): Promise<void> {
    try {
      while (queue.length > 0) await this.round(key, queue.splice(0, MAX_BATCH));
    } finally {
      this.queues.delete(key);
    }
  }

  private async round(key: string, batch: Pending<T>[]): Promise<void> {
    const writes = batch.some((p) => p.writes);
    // A write to a key we know nothing of assumes it absent: the revision check makes a wrong
    // guess cost one failed write, the same round trip a read first would have cost.
    let fresh = !writes;
    let guessed = !this.cache.has(key);
    let base: Base<T> = this.cache.get(key) ?? { rev: 0, stored: null };
    if (fresh) {
      try {
        base = await this.fetch(key);
      } catch (err) {
        for (const p of batch) p.reject(unavailable(err));
        return;
      }
    }
    for (let attempt = 1; ; attempt++) {
      const now = this.opts.now();
      let cur: T | null = base.stored && this.codec.live(base.stored, now) ? base.stored : null;
      let changed = false;
      const outcomes = batch.map((p) => {
        try {
          const step = p.op(cur, now);
          if (step.next !== UNCHANGED) { cur = step.next; changed = true; }
          return { ok: true as const, value: step.result };
        } catch (err) {
          return { ok: false as const, err };
        }
      });
      const settle = () => batch.forEach((p, i) => { const o = outcomes[i]; if (o.ok) p.resolve(o.value); else p.reject(o.err); });
      if (!changed && fresh) return settle();
      try {
        if (changed) {
          const rev = await this.write(key, base, cur);
          this.remember(key, { rev, stored: cur });
          if (rev > 0) this.opts.onWrite?.(key, rev, cur);
          return settle();
        }
      } catch (err) {
        if (!conflict(err)) {
          this.cache.delete(key);
          const e = tooLarge(err) ? presenceError(PresenceError.VALUE_TOO_LARGE, { key }, err) : unavailable(err);
          for (const p of batch) p.reject(e);
          return;
        }
        if (!guessed) this.opts.metrics?.inc('presence_cas_conflicts_total', 'Presence compare-and-set rounds that lost a race and re-read');
        if (attempt >= this.maxAttempts) {
          this.cache.delete(key);
          for (const p of batch) p.reject(presenceError(PresenceError.CONFLICT, { key, attempts: attempt }));
          return;
        }
        if (attempt > 2) await new Promise((r) => setTimeout(r, Math.random() * attempt)); // spread out processes that keep colliding
      }
      // Lost a race, or answered a read from a cached value: read the key as it is now and redo.
      try {
        base = await this.fetch(key);
        fresh = true;
        guessed = false;
      } catch (err) {
        for (const p of batch) p.reject(unavailable(err));
        return;
      }
    }
  }

  /** Writes `next` over the entry read as `base`; resolves the new revision. */
  private async write(key: string, base: Base<T>, next: T | null): Promise<number> {
    if (next) return this.kv.put(key, this.codec.encode(next), { previousSeq: base.rev });
    if (base.rev === 0) return 0; // nothing stored and nothing to store
    return this.deleteAt(key, base.rev);
  }

  /**
   * A KV delete marker (the `KV-Operation: DEL` header of the KV format) written only if the key
   * is still at `rev`; published directly because kv.delete() does not return the new revision.
   */
  private async deleteAt(key: string, rev: number): Promise<number> {
    const h = headers();
    h.set('KV-Operation', 'DEL');
    const ack = await this.js.publish(this.subjectOf(key), new Uint8Array(0), { headers: h, expect: { lastSubjectSequence: rev } });
    return ack.seq;
  }

  private async fetch(key: string): Promise<Base<T>> {
    const e = await this.kv.get(key);
    const base: Base<T> = !e ? { rev: 0, stored: null } : { rev: e.revision, stored: e.operation === 'PUT' ? this.codec.decode(e.value) : null };
    this.remember(key, base);
    return base;
  }

  private remember(key: string, base: Base<T>): void {
    this.cache.delete(key);
    this.cache.set(key, base);
    if (this.cache.size > this.cacheKeys) this.cache.delete(this.cache.keys().next().value!);
  }
}

function apiCode(err: unknown): number | undefined {
  return (err as { api_error?: { err_code?: number } })?.api_error?.err_code;
}

function conflict(err: unknown): boolean {
  return apiCode(err) === WRONG_LAST_SEQUENCE;
}

function tooLarge(err: unknown): boolean {
  return apiCode(err) === MESSAGE_TOO_LARGE || (err as { code?: string })?.code === 'MAX_PAYLOAD_EXCEEDED';
}

export function unavailable(err: unknown): Error {
  if ((err as { code?: string })?.code?.startsWith?.('ENGINE_')) return err as Error;
  return presenceError(PresenceError.UNAVAILABLE, { reason: String((err as Error)?.message ?? err).slice(0, 200) }, err);
}

export interface BucketOptions {
  readonly replicas?: number;
  readonly storage?: 'file' | 'memory';
}

/**
 * Creates (or binds to) a KV bucket of history 1. With replicas, direct gets may be answered by a
 * follower that lags, so reads then go to the stream leader. A server without JetStream is named
 * as such instead of nats.js's bare "503".
 */
export async function openBucket(nc: NatsConnection, bucket: string, o: BucketOptions): Promise<KV> {
  const replicas = o.replicas ?? 1;
  try {
    return await nc.jetstream().views.kv(bucket, { history: 1, replicas, storage: (o.storage ?? 'file') as never, allow_direct: replicas === 1 });
  } catch (err) {
    const noJs = (err as { code?: string })?.code === '503';
    throw presenceError(PresenceError.UNAVAILABLE, { bucket, reason: noJs ? 'the NATS server has no JetStream (start nats-server with -js)' : String((err as Error)?.message ?? err).slice(0, 200) }, err);
  }
}
