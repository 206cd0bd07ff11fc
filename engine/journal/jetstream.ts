/**
 * @module engine/journal/jetstream
 * The cluster journal: one JetStream stream per community (`NB_<community>`) capturing
 * `nb.<community>.room.<kind>.<id>.ev`, one message per commit (commit.ts: the first actor seq
 * and the entries, the same as an embedded frame; headers `Linli-Seq` and `Linli-Count` repeat
 * the first seq and the size for look-ups that read headers only). A commit is acknowledged when JetStream has stored it (its PubAck).
 * Owns: the stream, the subject ⇄ actor mapping, the fence. Does not: fan out to rooms (every
 * subscriber of the subject sees commits as they are stored), decode domain events.
 * Fence: each publish carries `expect.lastSubjectSequence` = the stream sequence of the actor's
 * last commit, so of two live copies of one actor only the first append after a common point
 * lands; the other gets ENGINE_JOURNAL_CONFLICT. A publish that times out or finds NATS away is
 * ENGINE_JOURNAL_UNAVAILABLE: it may or may not have landed, so the position is forgotten and
 * asked again before the next append.
 * Concurrency: appends to one stream are serialised in this process.
 */
import { connect, DeliverPolicy, headers as natsHeaders, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { EngineError, LinliError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { Journal, NewEvent, StreamKey } from './contract.ts';
import { streamName, toRecords } from './contract.ts';
import { decodeCommit, encodeCommit } from './commit.ts';
import type { JournalRecord } from './record.ts';

export const DEFAULT_JETSTREAM_APPEND_TIMEOUT_MS = 5_000;
const ERR_WRONG_LAST_SEQUENCE = 10071;
const ERR_NO_MESSAGE = 10037;
const READ_BATCH = 512;

export interface JetStreamJournalOptions {
  /** How long one append waits for its PubAck. */
  readonly appendTimeoutMs?: number;
  /** Replicas of each community stream (1 on a single server). */
  readonly replicas?: number;
  readonly log?: Logger;
  readonly metrics?: Metrics;
}

interface Position {
  /** Last actor seq of the stream. */
  lastSeq: number;
  /** JetStream sequence of the message holding it; 0 for an empty subject. */
  streamSeq: number;
}

export function communityStreamName(community: string): string {
  return `NB_${community.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function journalSubject(k: StreamKey): string {
  return `nb.${k.community}.room.${k.kind}.${k.actorId}.ev`;
}

export class JetStreamJournal implements Journal {
  readonly kind = 'jetstream';
  private readonly positions = new Map<string, Position>();
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly ensured = new Map<string, Promise<void>>();
  private readonly timeoutMs: number;

  private constructor(private readonly nc: NatsConnection, private readonly js: JetStreamClient, private readonly jsm: JetStreamManager, private readonly opts: JetStreamJournalOptions) {
    this.timeoutMs = opts.appendTimeoutMs ?? DEFAULT_JETSTREAM_APPEND_TIMEOUT_MS;
  }

  static async connect(url: string, name: string, opts: JetStreamJournalOptions = {}): Promise<JetStreamJournal> {
    const nc = await connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    const jsm = await nc.jetstreamManager({ timeout: opts.appendTimeoutMs ?? DEFAULT_JETSTREAM_APPEND_TIMEOUT_MS });
    return new JetStreamJournal(nc, nc.jetstream({ timeout: opts.appendTimeoutMs ?? DEFAULT_JETSTREAM_APPEND_TIMEOUT_MS }), jsm, opts);
  }

  /** The community's stream, created when missing (consumers of it call this before subscribing). */
  ensureStream(community: string): Promise<void> {
    let p = this.ensured.get(community);
    if (!p) {
      p = (async () => {
        const name = communityStreamName(community);
        try {
          await this.jsm.streams.info(name);
        } catch {
          await this.jsm.streams.add({
            name, subjects: [`nb.${community}.room.*.*.ev`], storage: StorageType.File, retention: RetentionPolicy.Limits,
            allow_direct: true, num_replicas: this.opts.replicas ?? 1, max_msgs_per_subject: -1, discard: undefined,
          }).catch(async (err: unknown) => {
            await this.jsm.streams.info(name).catch(() => { throw err; }); // created meanwhile by another node: fine
          });
        }
      })();
      this.ensured.set(community, p);
      p.catch(() => this.ensured.delete(community));
    }
    return p;
  }

  append(key: StreamKey, expectedSeq: number, events: readonly NewEvent[]): Promise<JournalRecord[]> {
    const name = streamName(key);
    const run = (this.tails.get(name) ?? Promise.resolve()).then(() => this.appendNow(key, expectedSeq, events));
    this.tails.set(name, run.catch(() => undefined));
    return run;
  }

  private async appendNow(key: StreamKey, expectedSeq: number, events: readonly NewEvent[]): Promise<JournalRecord[]> {
    const name = streamName(key);
    await this.ensureStream(key.community).catch((err) => { throw unavailable(name, err); });
    let pos = this.positions.get(name);
    if (!pos || pos.lastSeq !== expectedSeq) pos = await this.fetchPosition(key);
    if (pos.lastSeq !== expectedSeq) throw new LinliError(EngineError.JOURNAL_CONFLICT, { stream: name, expectedSeq, lastSeq: pos.lastSeq });
    const h = natsHeaders();
    h.set('Linli-Seq', String(expectedSeq + 1));
    h.set('Linli-Count', String(events.length));
    const payload = encodeCommit(expectedSeq + 1, events);
    try {
      const ack = await this.js.publish(journalSubject(key), payload, { headers: h, timeout: this.timeoutMs, expect: { lastSubjectSequence: pos.streamSeq } });
      this.positions.set(name, { lastSeq: expectedSeq + events.length, streamSeq: ack.seq });
    } catch (err) {
      this.positions.delete(name);
      if (apiErrorCode(err) === ERR_WRONG_LAST_SEQUENCE) throw new LinliError(EngineError.JOURNAL_CONFLICT, { stream: name, expectedSeq }, { cause: err });
      this.opts.metrics?.inc('journal_append_failures_total', 'Journal appends that could not be confirmed', { journal: 'jetstream' });
      throw unavailable(name, err);
    }
    this.opts.metrics?.inc('journal_appends_total', 'Commits appended to the journal', { journal: 'jetstream' });
    return toRecords(key, expectedSeq, events);
  }

  /** Asks the stream for the actor's last commit. */
  private async fetchPosition(key: StreamKey): Promise<Position> {
    const name = streamName(key);
    await this.ensureStream(key.community).catch((err) => { throw unavailable(name, err); });
    let pos: Position;
    try {
      const m = await this.jsm.streams.getMessage(communityStreamName(key.community), { last_by_subj: journalSubject(key) });
      pos = { lastSeq: Number(m.header.get('Linli-Seq')) + Number(m.header.get('Linli-Count')) - 1, streamSeq: m.seq };
    } catch (err) {
      if (apiErrorCode(err) !== ERR_NO_MESSAGE) throw unavailable(name, err);
      pos = { lastSeq: 0, streamSeq: 0 };
    }
    this.positions.set(name, pos);
    return pos;
  }

  async read(key: StreamKey, afterSeq = 0, limit = Infinity): Promise<JournalRecord[]> {
    const name = streamName(key);
    const last = await this.fetchPosition(key);
    const out: JournalRecord[] = [];
    if (last.lastSeq <= afterSeq || limit <= 0) return out;
    const startSeq = afterSeq === 0 ? 1 : await this.streamSeqOf(key, afterSeq + 1, last.streamSeq);
    let consumer;
    try {
      consumer = await this.js.consumers.get(communityStreamName(key.community), {
        filterSubjects: journalSubject(key), deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startSeq,
      });
    } catch (err) {
      throw unavailable(name, err);
    }
    try {
      for (;;) {
        const batch = await consumer.fetch({ max_messages: READ_BATCH, expires: this.timeoutMs });
        let got = 0;
        for await (const m of batch) {
          got++;
          for (const r of decodeCommit(m.subject, m.data)) {
            if (out.length >= limit) break;
            if (r.seq > afterSeq) out.push(r);
          }
          if (m.seq >= last.streamSeq || out.length >= limit) {
            batch.stop();
            return out;
          }
        }
        if (got === 0) throw new Error(`read stopped before stream seq ${last.streamSeq}`);
      }
    } catch (err) {
      throw err instanceof LinliError ? err : unavailable(name, err);
    } finally {
      await consumer.delete().catch(() => undefined); // ordered consumers are ephemeral; this only speeds clean-up
    }
  }

  /**
   * The stream sequence of the commit holding actor seq `seq`: a binary search with direct gets
   * (`next_by_subj`) on the stream's message API, because commits of many actors interleave in one stream.
   */
  private async streamSeqOf(key: StreamKey, seq: number, hi: number): Promise<number> {
    const stream = communityStreamName(key.community);
    const subject = journalSubject(key);
    let lo = 1;
    let found = 1;
    try {
      while (lo <= hi) {
        const mid = Math.floor((lo + hi) / 2);
        // `next_by_subj` (server 2.9+): the first message on the subject at or after `seq`.
        const m = await this.jsm.streams.getMessage(stream, { seq: mid, next_by_subj: subject } as never);
        const first = Number(m.header.get('Linli-Seq'));
        if (first > seq) hi = mid - 1;
        else {
          found = m.seq;
          if (first + Number(m.header.get('Linli-Count')) - 1 >= seq) return m.seq;
          lo = m.seq + 1;
        }
      }
    } catch (err) {
      throw unavailable(streamName(key), err);
    }
    return found;
  }

  async lastSeq(key: StreamKey): Promise<number> {
    return (await this.fetchPosition(key)).lastSeq;
  }

  async streams(community: string): Promise<StreamKey[]> {
    await this.ensureStream(community);
    const info = await this.jsm.streams.info(communityStreamName(community), { subjects_filter: '>' });
    return Object.keys(info.state.subjects ?? {}).map((subject) => {
      const [, c, , kind, actorId] = subject.split('.');
      return { community: c, kind, actorId };
    });
  }

  /** The connection, for other seams in the same process that use JetStream (snapshots). */
  get connection(): NatsConnection {
    return this.nc;
  }

  async close(): Promise<void> {
    await Promise.all([...this.tails.values()]);
    await this.nc.drain().catch(() => undefined);
  }
}

function apiErrorCode(err: unknown): number | undefined {
  return (err as { api_error?: { err_code?: number } })?.api_error?.err_code;
}

function unavailable(stream: string, err: unknown): LinliError {
  return new LinliError(EngineError.JOURNAL_UNAVAILABLE, { stream, cause: (err as Error)?.message ?? String(err) }, { cause: err });
}
