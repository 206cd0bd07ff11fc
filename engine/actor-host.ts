/**
 * @module engine/actor-host
 * Runs one actor: replays its journal on activation, then takes commands one at a time through
 * a bounded mailbox, asks the actor's pure `decide`, appends accepted events to the journal with
 * the expected sequence number, folds them with `evolve` and fans the records out on the bus.
 * Owns: the actor's in-memory state and its command ordering. Does not: validate wire input
 * (rooms do), know any concrete actor.
 * Concurrency: one command in flight per actor; others wait in the mailbox.
 * Overflow: at `mailboxSize` waiting commands, submit() answers ENGINE_ACTOR_BUSY (retryable) at
 * once and counts `actor_mailbox_rejected_total`; nothing is dropped silently.
 */
import type { ActorDefinition, Decision } from '../actors/_kit/index.ts';
import { fold } from '../actors/_kit/index.ts';
import type { Bus } from './bus/contract.ts';
import { encodeJson, subjects } from './bus/contract.ts';
import { EngineError, LinliError } from './errors.ts';
import type { Journal, StreamKey } from './journal/contract.ts';
import type { JournalRecord } from './journal/record.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';

export type Outcome<E, Code extends string> = Decision<E, Code | typeof EngineError[keyof typeof EngineError]> & {
  readonly records?: readonly JournalRecord[];
};

export interface ActorHostOptions {
  readonly mailboxSize: number;
  /**
   * What of a committed record goes on the bus (and so to analytics and other nodes): the record
   * itself by default; an actor holding secrets or personal data redacts it, or returns null to
   * keep it off the bus entirely (it is still journaled).
   */
  readonly publish?: (record: JournalRecord) => JournalRecord | null;
  readonly log: Logger;
  readonly metrics: Metrics;
}

type Evt = { readonly type: string; readonly at: number };

export class ActorHost<S, C, E extends Evt, Code extends string> {
  private current: S;
  private seq = 0;
  private queue: Array<() => Promise<void>> = [];
  private running = false;

  constructor(
    private readonly def: ActorDefinition<S, C, E, Code>,
    readonly key: StreamKey,
    private readonly journal: Journal,
    private readonly bus: Bus,
    private readonly opts: ActorHostOptions,
  ) {
    this.current = def.initial;
  }

  get state(): S {
    return this.current;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Rebuilds state from the journal; call once before the first command. */
  async activate(): Promise<void> {
    const records = await this.journal.read(this.key, 0);
    this.current = fold(this.def, records.map((r) => r.event as E));
    this.seq = records.length > 0 ? records[records.length - 1].seq : await this.journal.lastSeq(this.key);
  }

  submit(command: C): Promise<Outcome<E, Code>> {
    if (this.queue.length >= this.opts.mailboxSize) {
      this.opts.metrics.inc('actor_mailbox_rejected_total', 'Commands refused because the actor mailbox was full', { kind: this.key.kind });
      return Promise.resolve({ ok: false, code: EngineError.ACTOR_BUSY, details: { mailboxSize: this.opts.mailboxSize } });
    }
    return new Promise((resolve) => {
      this.queue.push(async () => resolve(await this.run(command)));
      if (!this.running) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) await this.queue.shift()!();
    this.running = false;
  }

  private async run(command: C): Promise<Outcome<E, Code>> {
    const started = performance.now();
    let decision: Decision<E, Code>;
    try {
      decision = this.def.decide(this.current, command);
    } catch (err) {
      this.opts.log.error('actor decide threw', { kind: this.key.kind, id: this.key.actorId, err });
      return { ok: false, code: EngineError.INTERNAL };
    }
    this.opts.metrics.inc('actor_commands_total', 'Commands decided', { kind: this.key.kind, outcome: decision.ok ? 'accepted' : decision.code });
    if (!decision.ok || decision.events.length === 0) return decision;
    let records: JournalRecord[];
    try {
      records = await this.journal.append(this.key, this.seq, decision.events.map((e) => ({ type: e.type, at: e.at, event: e })));
    } catch (err) {
      const code = err instanceof LinliError ? err.code : EngineError.INTERNAL;
      this.opts.log.error('journal append failed', { kind: this.key.kind, id: this.key.actorId, err });
      return { ok: false, code: code as typeof EngineError[keyof typeof EngineError] };
    }
    for (const e of decision.events) this.current = this.def.evolve(this.current, e);
    this.seq = records[records.length - 1].seq;
    const subject = subjects.roomEvents(this.key.community, this.key.kind, this.key.actorId);
    for (const r of records) {
      const out = this.opts.publish ? this.opts.publish(r) : r;
      if (out) this.bus.publish(subject, encodeJson(out));
    }
    this.opts.metrics.inc('actor_events_total', 'Events committed', { kind: this.key.kind }, records.length);
    this.opts.log.debug('committed', { kind: this.key.kind, id: this.key.actorId, seq: this.seq, ms: performance.now() - started });
    return { ...decision, records };
  }
}
