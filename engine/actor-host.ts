/**
 * @module engine/actor-host
 * Runs one actor: activates it from its latest snapshot and the journal after it, then takes
 * commands through a bounded mailbox, asks the actor's pure `decide`, appends accepted events to
 * the journal with the expected sequence number, folds them with `evolve` and fans the records
 * out on the bus. A command is answered only after its events are durable.
 * Owns: the actor's in-memory state, command order, idempotency keys, snapshot timing.
 * Does not: validate wire input (rooms do), know any concrete actor.
 * Concurrency: commands are decided one at a time, in arrival order; the commands waiting when a
 * commit starts are decided together and committed in one append (group commit), so a burst
 * costs one disk sync or one JetStream round trip per batch, not per command.
 * Idempotency: a command with (author, key) already committed returns its first outcome with
 * `duplicate: true` and appends nothing (the last `idempotencyKeys` keys are remembered).
 * Failure: a journal that cannot be reached is retried for `retryMs` (re-reading the position in
 * between, since a timed-out commit may have landed); then the waiting commands are answered
 * ENGINE_JOURNAL_UNAVAILABLE. A conflict means another copy of the actor wrote: an owned actor
 * (a room: one node holds its lease) is fenced, answers ENGINE_ACTOR_FENCED from then on and
 * tells its room (`onFenced`); a shared actor (community services every node writes to) folds
 * what the other copy wrote and decides the batch again (optimistic concurrency).
 * Ownership (cluster): with `mayWrite` the host commits only while its lease is valid; with
 * `claim` it appends a `$OwnerClaimed` record on activation, so an append still in flight from a
 * frozen former owner meets a moved fence. Records whose type starts with `$` are the engine's,
 * never folded by the actor.
 * Overflow: at `mailboxSize` waiting commands, submit() answers ENGINE_ACTOR_BUSY (retryable) at
 * once and counts `actor_mailbox_rejected_total`; nothing is dropped silently.
 */
import type { ActorDefinition, Decision } from '../actors/_kit/index.ts';
import type { Bus } from './bus/contract.ts';
import { encodeJson, subjects } from './bus/contract.ts';
import { EngineError, LinliError } from './errors.ts';
import type { Journal, NewEvent, StreamKey } from './journal/contract.ts';
import { SYSTEM_AUTHOR, type JournalRecord } from './journal/record.ts';
import { DEFAULT_IDEMPOTENCY_KEYS, idKey, KeyMemory } from './key-memory.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { SnapshotStore } from './snapshot/contract.ts';

type EngineCode = typeof EngineError[keyof typeof EngineError];

export type Outcome<E, Code extends string> = Decision<E, Code | EngineCode> & {
  readonly records?: readonly JournalRecord[];
  /** True when this is the first outcome of the same (author, key), returned again. */
  readonly duplicate?: boolean;
};

/**
 * The sequence number to acknowledge a command with: its own last record (also when it is a
 * repeat answered with its first outcome), or the actor's position when it wrote nothing.
 */
export function ackSeqOf(out: { readonly records?: readonly JournalRecord[] }, position: number): number {
  return out.records?.at(-1)?.seq ?? position;
}

/** Who sent a command and its idempotency key (scoped to the author). */
export interface CommandMeta {
  readonly author?: string;
  readonly key?: string | null;
}

export const DEFAULT_COMMIT_BATCH = 64;
export const DEFAULT_COMMIT_BATCH_CHARS = 256 * 1024;
export const DEFAULT_SNAPSHOT_EVERY_EVENTS = 1000;
export const DEFAULT_SNAPSHOT_EVERY_MS = 300_000;
export const DEFAULT_JOURNAL_RETRY_MS = 3000;
/** Commits whose records are kept in memory to answer a repeated command without reading the journal. */
export const RECENT_COMMITS_KEPT = 1024;
/** How often a shared actor decides one batch again after losing a race before answering JOURNAL_CONFLICT. */
export const SHARED_CONFLICT_RETRIES = 8;
export const OWNER_CLAIMED = '$OwnerClaimed';

export interface ActorHostOptions {
  readonly mailboxSize: number;
  /**
   * What of a committed record goes on the bus (and so to analytics and other nodes): the record
   * itself by default; an actor holding secrets or personal data redacts it, or returns null to
   * keep it off the bus entirely (it is still journaled).
   */
  readonly publish?: (record: JournalRecord) => JournalRecord | null;
  readonly snapshots?: SnapshotStore | null;
  readonly snapshotEveryEvents?: number;
  readonly snapshotEveryMs?: number;
  readonly idempotencyKeys?: number;
  readonly retryMs?: number;
  /** Owned actors: whether this node still holds the actor's lease (checked before each commit). */
  readonly mayWrite?: () => boolean;
  /** Owned actors: the lease this activation holds, recorded as `$OwnerClaimed`. */
  readonly claim?: { readonly owner: string; readonly epoch: number };
  /** Shared actors: on a conflict, fold the other copy's records and decide again. */
  readonly shared?: boolean;
  readonly log: Logger;
  readonly metrics: Metrics;
}

type Evt = { readonly type: string; readonly at: number };

interface Pending<C, E> {
  readonly command: C;
  readonly meta: CommandMeta;
  readonly resolve: (o: Outcome<E, string>) => void;
}

export class ActorHost<S, C, E extends Evt, Code extends string> {
  private current: S;
  private seq = 0;
  private readonly queue: Pending<C, E>[] = [];
  private running = false;
  private syncWanted = false;
  private syncWaiters: Array<() => void> = [];
  private fenced = false;
  private closed = false;
  /** A commit whose outcome is unknown (timed out): the journal must be re-read before the next. */
  private unsure = false;
  private readonly keys: KeyMemory;
  private snapshotSeq = 0;
  private snapshotAt = Date.now();
  private snapshotting: Promise<void> | null = null;
  private readonly fencedListeners: Array<() => void> = [];
  /** idKey → records of the most recent commits, oldest first (bounded by RECENT_COMMITS_KEPT). */
  private readonly recent = new Map<string, JournalRecord[]>();

  constructor(
    private readonly def: ActorDefinition<S, C, E, Code>,
    readonly key: StreamKey,
    private readonly journal: Journal,
    private readonly bus: Bus,
    private readonly opts: ActorHostOptions,
  ) {
    this.current = def.initial;
    this.keys = new KeyMemory(opts.idempotencyKeys ?? DEFAULT_IDEMPOTENCY_KEYS);
  }

  get state(): S {
    return this.current;
  }

  get lastSeq(): number {
    return this.seq;
  }

  get isFenced(): boolean {
    return this.fenced;
  }

  /** Calls `listener` once if this copy of the actor is fenced off by another. */
  onFenced(listener: () => void): void {
    this.fencedListeners.push(listener);
  }

  /** Rebuilds state from the latest snapshot and the journal after it; call once before the first command. */
  async activate(): Promise<{ fromSnapshot: number; replayed: number }> {
    const started = performance.now();
    const snap = await this.loadSnapshot();
    if (snap) {
      this.current = snap.state as S;
      this.seq = snap.seq;
      this.snapshotSeq = snap.seq;
      this.keys.load(snap.keys);
    }
    const replayed = await this.catchUp();
    if (this.opts.claim) {
      const c = this.opts.claim;
      const records = await this.journal.append(this.key, this.seq, [{ type: OWNER_CLAIMED, v: 1, at: Date.now(), author: SYSTEM_AUTHOR, key: null, event: { type: OWNER_CLAIMED, v: 1, owner: c.owner, epoch: c.epoch } }]);
      this.seq = records[records.length - 1].seq;
    }
    this.snapshotAt = Date.now();
    const ms = performance.now() - started;
    this.opts.metrics.observe('actor_activation_seconds', 'Time to activate an actor (snapshot + replay)', { kind: this.key.kind }, ms / 1000);
    this.opts.log.debug('actor activated', { kind: this.key.kind, id: this.key.actorId, seq: this.seq, fromSnapshot: snap?.seq ?? 0, replayed, ms });
    return { fromSnapshot: snap?.seq ?? 0, replayed };
  }

  private async loadSnapshot() {
    const store = this.opts.snapshots;
    if (!store) return null;
    const snap = await store.load(this.key);
    if (!snap) return null;
    if (snap.version !== (this.def.snapshotVersion ?? 1)) {
      this.opts.log.info('snapshot of another version ignored; replaying the journal', { kind: this.key.kind, id: this.key.actorId, version: snap.version });
      return null;
    }
    const last = await this.journal.lastSeq(this.key);
    if (snap.seq > last) {
      this.opts.log.warn('snapshot is ahead of the journal; ignored', { kind: this.key.kind, id: this.key.actorId, snapshotSeq: snap.seq, journalSeq: last });
      return null;
    }
    return snap;
  }

  /** Folds whatever the journal holds after `seq` (chunk by chunk); returns how many records. */
  private async catchUp(): Promise<number> {
    let n = 0;
    for (;;) {
      const records = await this.journal.read(this.key, this.seq, 4096);
      if (records.length === 0) return n;
      this.fold(records);
      this.keys.rememberRecords(records);
      this.seq = records[records.length - 1].seq;
      n += records.length;
    }
  }

  /** Folds stored records into the state; the engine's own (`$…`) records are skipped. */
  private fold(records: readonly JournalRecord[]): void {
    for (const r of records) if (!r.type.startsWith('$')) this.current = this.def.evolve(this.current, this.upcast(r));
  }

  /**
   * Shared actors: another copy may have written; fold whatever the journal has after our seq.
   * Runs in the mailbox's order (before the next batch), so it never interleaves with a commit.
   */
  sync(): void {
    this.syncWanted = true;
    if (!this.running) void this.pump();
  }

  /** sync(), resolved once the journal has been read (read-your-writes across nodes). */
  refresh(): Promise<void> {
    return new Promise((resolve) => {
      this.syncWaiters.push(resolve);
      this.sync();
    });
  }

  private upcast(r: JournalRecord): E {
    return this.def.upcast ? this.def.upcast(r.event as { type: string; v: number }) : (r.event as E);
  }

  submit(command: C, meta: CommandMeta = {}): Promise<Outcome<E, Code>> {
    if (this.queue.length >= this.opts.mailboxSize) {
      this.opts.metrics.inc('actor_mailbox_rejected_total', 'Commands refused because the actor mailbox was full', { kind: this.key.kind });
      return Promise.resolve({ ok: false, code: EngineError.ACTOR_BUSY, details: { mailboxSize: this.opts.mailboxSize } });
    }
    return new Promise((resolve) => {
      this.queue.push({ command, meta, resolve: resolve as (o: Outcome<E, string>) => void });
      if (!this.running) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0 || this.syncWanted) {
        if (this.syncWanted) {
          this.syncWanted = false;
          const waiters = this.syncWaiters.splice(0);
          await this.catchUp().catch((err: unknown) => this.opts.log.warn('actor sync failed; the next commit catches up', { kind: this.key.kind, id: this.key.actorId, err }));
          for (const w of waiters) w();
          if (this.queue.length === 0) continue;
        }
        const batch = this.queue.splice(0, DEFAULT_COMMIT_BATCH);
        try {
          await this.runBatch(batch);
        } catch (err) {
          this.opts.log.error('actor batch failed', { kind: this.key.kind, id: this.key.actorId, err });
          for (const p of batch) p.resolve({ ok: false, code: EngineError.INTERNAL });
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async runBatch(batch: Pending<C, E>[], attempt = 0): Promise<void> {
    if (this.opts.mayWrite && !this.fenced && !this.opts.mayWrite()) this.fence(new Error('the lease of this actor lapsed on this node'));
    if (this.fenced || this.closed) {
      for (const p of batch) p.resolve({ ok: false, code: this.fenced ? EngineError.ACTOR_FENCED : EngineError.JOURNAL_UNAVAILABLE });
      return;
    }
    if (this.unsure && !(await this.resync())) {
      for (const p of batch) p.resolve({ ok: false, code: EngineError.JOURNAL_UNAVAILABLE });
      return;
    }
    // A shared actor decides on everything any node has committed (an invite issued on another
    // node a moment ago is known here): one read of the journal's end per batch.
    if (this.opts.shared && attempt === 0) await this.catchUp().catch(() => undefined); // unreachable: the append below finds out
    const started = performance.now();
    let working = this.current;
    const events: NewEvent[] = [];
    const decided: Array<{ p: Pending<C, E>; from: number; count: number; decision: Decision<E, string> }> = [];
    const repeats: Array<{ p: Pending<C, E>; k: string }> = [];
    const inBatch = new Map<string, number>();
    let chars = 0;
    let i = 0;
    for (; i < batch.length; i++) {
      const p = batch[i];
      const author = p.meta.author ?? SYSTEM_AUTHOR;
      const k = p.meta.key ? idKey(author, p.meta.key) : null;
      if (k && (this.keys.get(k) || inBatch.has(k))) {
        repeats.push({ p, k });
        continue;
      }
      let decision: Decision<E, Code>;
      try {
        decision = this.def.decide(working, p.command);
      } catch (err) {
        this.opts.log.error('actor decide threw', { kind: this.key.kind, id: this.key.actorId, err });
        p.resolve({ ok: false, code: EngineError.INTERNAL });
        continue;
      }
      this.opts.metrics.inc('actor_commands_total', 'Commands decided', { kind: this.key.kind, outcome: decision.ok ? 'accepted' : decision.code });
      const from = events.length;
      if (decision.ok) {
        for (const e of decision.events) {
          working = this.def.evolve(working, e);
          const json = e as unknown as { v?: number };
          events.push({ type: e.type, v: typeof json.v === 'number' ? json.v : 1, at: e.at, author, key: p.meta.key ?? null, event: e });
          chars += JSON.stringify(e).length;
        }
        if (k && decision.events.length > 0) inBatch.set(k, decided.length);
      }
      decided.push({ p, from, count: events.length - from, decision });
      if (chars > DEFAULT_COMMIT_BATCH_CHARS) { i++; break; }
    }
    // What did not fit goes back to the front of the mailbox, in order.
    if (i < batch.length) this.queue.unshift(...batch.slice(i));

    let records: JournalRecord[] = [];
    if (events.length > 0) {
      const committed = await this.commit(events);
      if (!committed.ok && committed.code === EngineError.JOURNAL_CONFLICT && attempt < SHARED_CONFLICT_RETRIES) {
        // Shared actor: another copy wrote first. Fold its records and decide the same batch again.
        this.opts.metrics.inc('actor_shared_conflicts_total', 'Batches of a shared actor decided again after another copy wrote first', { kind: this.key.kind });
        await this.catchUp();
        if (i < batch.length) this.queue.splice(0, batch.length - i); // taken back: the whole batch runs again
        return this.runBatch(batch, attempt + 1);
      }
      if (!committed.ok) {
        // Every decision of the batch was made on top of the uncommitted events: none stands.
        for (const d of decided) d.p.resolve({ ok: false, code: committed.code });
        for (const r of repeats) this.answerRepeat(r.p, r.k);
        return;
      }
      records = committed.records;
      this.current = working;
      this.seq = records[records.length - 1].seq;
      this.keys.rememberRecords(records);
      this.keepRecent(records);
      this.fanOut(records);
      this.opts.metrics.inc('actor_events_total', 'Events committed', { kind: this.key.kind }, records.length);
      this.opts.metrics.observe('actor_commit_seconds', 'Time from deciding a batch to its durable commit', { kind: this.key.kind }, (performance.now() - started) / 1000);
      this.maybeSnapshot();
    }
    for (const d of decided) {
      d.p.resolve(d.decision.ok ? { ...d.decision, records: records.slice(d.from, d.from + d.count) } : d.decision);
    }
    for (const r of repeats) this.answerRepeat(r.p, r.k);
  }

  /** Appends one batch, retrying an unreachable journal for `retryMs`. */
  private async commit(events: NewEvent[]): Promise<{ ok: true; records: JournalRecord[] } | { ok: false; code: EngineCode }> {
    const deadline = Date.now() + (this.opts.retryMs ?? DEFAULT_JOURNAL_RETRY_MS);
    let pause = 50;
    for (;;) {
      try {
        return { ok: true, records: await this.journal.append(this.key, this.seq, events) };
      } catch (err) {
        const code = err instanceof LinliError ? err.code : EngineError.INTERNAL;
        if (code === EngineError.JOURNAL_CONFLICT) {
          if (this.opts.shared) return { ok: false, code: EngineError.JOURNAL_CONFLICT };
          this.fence(err);
          return { ok: false, code: EngineError.ACTOR_FENCED };
        }
        if (code !== EngineError.JOURNAL_UNAVAILABLE) {
          this.opts.log.error('journal append failed', { kind: this.key.kind, id: this.key.actorId, err });
          return { ok: false, code: code === EngineError.PAYLOAD_TOO_LARGE ? code : EngineError.INTERNAL };
        }
        this.opts.metrics.inc('actor_commit_retries_total', 'Journal appends retried because the journal was unreachable', { kind: this.key.kind });
        // The append may have landed without us hearing so: find out before trying again.
        this.unsure = true;
        const landed = await this.landedAfterTimeout(events);
        if (landed) return { ok: true, records: landed };
        if (this.fenced) return { ok: false, code: EngineError.ACTOR_FENCED };
        if (Date.now() + pause > deadline) {
          this.opts.log.warn('journal unavailable; commands answered with a retryable error', { kind: this.key.kind, id: this.key.actorId, err });
          return { ok: false, code: EngineError.JOURNAL_UNAVAILABLE };
        }
        await new Promise((r) => setTimeout(r, pause));
        pause = Math.min(pause * 2, 1000);
      }
    }
  }

  /**
   * After an append that may or may not have landed: reads the journal after our seq. Our own
   * commit found there (same count, same authors and keys) is returned as committed; anyone
   * else's means another copy wrote, and this one is fenced. Null: nothing landed, or unreachable.
   */
  private async landedAfterTimeout(events: NewEvent[]): Promise<JournalRecord[] | null> {
    let found: JournalRecord[];
    try {
      found = await this.journal.read(this.key, this.seq);
    } catch {
      return null; // still unreachable: the caller waits and tries again
    }
    this.unsure = false;
    if (found.length === 0) return null;
    const ours = found.length === events.length && found.every((r, i) => r.type === events[i].type && r.author === events[i].author && r.key === events[i].key && r.at === events[i].at);
    if (ours) return found;
    if (this.opts.shared) return null; // another copy wrote: the next append conflicts and the batch is decided again
    this.fence(new Error(`journal holds ${found.length} records after seq ${this.seq} that this copy did not write`));
    return null;
  }

  /** Before a batch, after an unconfirmed commit: fold what landed (our own or nothing). */
  private async resync(): Promise<boolean> {
    try {
      const found = await this.journal.read(this.key, this.seq);
      this.fold(found);
      if (found.length > 0) {
        this.keys.rememberRecords(found);
        this.seq = found[found.length - 1].seq;
        this.fanOut(found);
      }
      this.unsure = false;
      return true;
    } catch {
      return false; // still unreachable: the batch is answered JOURNAL_UNAVAILABLE
    }
  }

  private keepRecent(records: readonly JournalRecord[]): void {
    for (const r of records) {
      if (r.key === null) continue;
      const k = idKey(r.author, r.key);
      const list = this.recent.get(k);
      if (list && list[list.length - 1].seq === r.seq - 1) list.push(r);
      else { this.recent.delete(k); this.recent.set(k, [r]); }
    }
    while (this.recent.size > RECENT_COMMITS_KEPT) this.recent.delete(this.recent.keys().next().value!);
  }

  private answerRepeat(p: Pending<C, E>, k: string): void {
    const seen = this.keys.get(k);
    if (!seen) {
      // Its first attempt did not commit (refused or failed): decide it afresh.
      void this.submit(p.command, p.meta).then(p.resolve);
      return;
    }
    this.opts.metrics.inc('actor_duplicates_total', 'Commands recognised by their idempotency key and answered with their first outcome', { kind: this.key.kind });
    const kept = this.recent.get(k);
    if (kept && kept[0].seq === seen.first) {
      p.resolve({ ok: true, events: kept.map((r) => this.upcast(r)), records: kept, duplicate: true });
      return;
    }
    this.journal.read(this.key, seen.first - 1, seen.last - seen.first + 1).then(
      (records) => p.resolve({ ok: true, events: records.filter((r) => !r.type.startsWith('$')).map((r) => this.upcast(r)), records, duplicate: true }),
      () => p.resolve({ ok: false, code: EngineError.JOURNAL_UNAVAILABLE }),
    );
  }

  private fanOut(records: readonly JournalRecord[]): void {
    const subject = subjects.roomEvents(this.key.community, this.key.kind, this.key.actorId);
    for (const r of records) {
      const out = this.opts.publish ? this.opts.publish(r) : r;
      if (out) this.bus.publish(subject, encodeJson(out));
    }
  }

  private fence(cause: unknown): void {
    if (this.fenced) return;
    this.fenced = true;
    this.opts.metrics.inc('actor_fenced_total', 'Actor copies fenced off because another copy wrote to their journal', { kind: this.key.kind });
    this.opts.log.warn('actor fenced: another copy wrote to its journal', { kind: this.key.kind, id: this.key.actorId, seq: this.seq, err: cause });
    for (const l of this.fencedListeners.splice(0)) {
      try { l(); } catch (err) { this.opts.log.error('fenced listener threw', { err }); }
    }
  }

  private maybeSnapshot(force = false): Promise<void> | null {
    const store = this.opts.snapshots;
    if (!store || this.snapshotting || this.seq === this.snapshotSeq) return this.snapshotting;
    const dueByCount = this.seq - this.snapshotSeq >= (this.opts.snapshotEveryEvents ?? DEFAULT_SNAPSHOT_EVERY_EVENTS);
    const dueByTime = Date.now() - this.snapshotAt >= (this.opts.snapshotEveryMs ?? DEFAULT_SNAPSHOT_EVERY_MS);
    if (!force && !dueByCount && !dueByTime) return null;
    const snapshot = { seq: this.seq, version: this.def.snapshotVersion ?? 1, state: this.current, keys: this.keys.toSnapshot(), takenAt: Date.now() };
    const started = performance.now();
    this.snapshotting = store.save(this.key, snapshot).then(
      () => {
        this.snapshotSeq = snapshot.seq;
        this.snapshotAt = snapshot.takenAt;
        this.opts.metrics.observe('actor_snapshot_seconds', 'Time to store an actor snapshot', { kind: this.key.kind }, (performance.now() - started) / 1000);
      },
      (err: unknown) => {
        this.opts.metrics.inc('actor_snapshot_failures_total', 'Snapshots that could not be stored (activation then replays more)', { kind: this.key.kind });
        this.opts.log.warn('snapshot failed', { kind: this.key.kind, id: this.key.actorId, err });
      },
    ).finally(() => { this.snapshotting = null; });
    return this.snapshotting;
  }

  /** Stops taking commands once the mailbox is empty and stores a last snapshot when there is news. */
  async close(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 5));
    this.closed = true;
    await this.snapshotting;
    if (!this.fenced) await this.maybeSnapshot(true);
  }
}
