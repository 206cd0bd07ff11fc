/**
 * @module engine/actor-runtime
 * Where every actor of a process is hosted: one journal, one snapshot store, one bus and one set
 * of durability settings for all of them. Rooms and services ask it for an activated host.
 * Owns: the hosts of this process (to snapshot and stop them at shutdown) and the bus projection
 * of each actor kind (what of its records may leave the journal, e.g. for analytics).
 * Does not: know any concrete actor.
 * Cluster: an `owned` actor (a room and what it hosts) commits only while this node holds the
 * room's lease and claims it on activation; a `shared` actor (community services every node
 * serves) folds the commits other nodes make as they appear on its journal subject, and decides
 * again when it loses a race (see actor-host.ts).
 */
import type { ActorDefinition } from '../actors/_kit/index.ts';
import { ActorHost } from './actor-host.ts';
import type { Bus } from './bus/contract.ts';
import type { Config } from './config.ts';
import type { Journal, StreamKey } from './journal/contract.ts';
import type { JournalRecord } from './journal/record.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { SnapshotStore } from './snapshot/contract.ts';
import { EngineError, LinliError } from './errors.ts';

export type Publish = (record: JournalRecord) => JournalRecord | null;

export interface HostOptions {
  readonly mailboxSize?: number;
  /** What of each record goes on the bus; default: all of it. `() => null` keeps the kind private. */
  readonly publish?: Publish;
  /** `owned` (default): one node writes, under a room lease. `shared`: every node may write. */
  readonly mode?: 'owned' | 'shared';
  /** Owned actors: the room whose lease guards it (default: the actor id). */
  readonly room?: string;
}

/** What a cluster node gives the runtime; absent in embedded mode. */
export interface ClusterHooks {
  /** The lease guard of a room this node holds, or null when it does not hold it. */
  ownership(roomId: string): { readonly mayWrite: () => boolean; readonly claim: { owner: string; epoch: number } } | null;
  /** Calls `onCommit` whenever any node commits to this stream; returns the unsubscribe. */
  watchCommits(key: StreamKey, onCommit: () => void): () => void;
}

export class ActorRuntime {
  private readonly hosts = new Set<ActorHost<any, any, any, any>>();
  private readonly projections = new Map<string, Publish | undefined>();
  private readonly unwatch = new Map<ActorHost<any, any, any, any>, () => void>();

  constructor(
    readonly journal: Journal,
    readonly snapshots: SnapshotStore | null,
    private readonly bus: Bus,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly cluster: ClusterHooks | null = null,
  ) {}

  /** A host for `key`, activated (snapshot + replay) and ready for commands. */
  async host<S, C, E extends { type: string; at: number }, Code extends string>(def: ActorDefinition<S, C, E, Code>, key: StreamKey, opts: HostOptions = {}): Promise<ActorHost<S, C, E, Code>> {
    this.projections.set(def.type, opts.publish);
    const shared = opts.mode === 'shared';
    const owner = this.cluster && !shared ? this.cluster.ownership(opts.room ?? key.actorId) : null;
    if (this.cluster && !shared && !owner) throw new LinliError(EngineError.ACTOR_FENCED, { actor: key.actorId, reason: 'this node does not hold the room lease' });
    const h = new ActorHost(def, key, this.journal, this.bus, {
      mailboxSize: opts.mailboxSize ?? this.config.mailboxSize, publish: opts.publish, snapshots: this.snapshots,
      snapshotEveryEvents: this.config.snapshotEveryEvents, snapshotEveryMs: this.config.snapshotEveryS * 1000,
      idempotencyKeys: this.config.idempotencyKeys, retryMs: this.config.journalRetryMs,
      shared, mayWrite: owner?.mayWrite, claim: owner?.claim,
      log: this.log.child({ mod: 'engine.actor', kind: def.type, id: key.actorId }), metrics: this.metrics,
    });
    await h.activate();
    this.hosts.add(h);
    if (this.cluster && shared) this.unwatch.set(h, this.cluster.watchCommits(key, () => h.sync()));
    return h;
  }

  /** What of a raw journal record may leave the journal (the same as its host puts on the bus). */
  project(record: JournalRecord): JournalRecord | null {
    if (!this.projections.has(record.kind)) return null; // a kind no host here declared: kept private
    const p = this.projections.get(record.kind);
    return p ? p(record) : record;
  }

  /** Whether records of `kind` never leave the journal. */
  isPrivate(kind: string): boolean {
    const p = this.projections.get(kind);
    return p !== undefined && isNever(p);
  }

  /** Forgets a host (its room closed); the host stores a last snapshot. */
  async release(h: ActorHost<any, any, any, any>): Promise<void> {
    this.hosts.delete(h);
    this.unwatch.get(h)?.();
    this.unwatch.delete(h);
    await h.close();
  }

  /** Closes every host (last snapshots) before the journal closes. */
  async close(): Promise<void> {
    const all = [...this.hosts];
    this.hosts.clear();
    for (const u of this.unwatch.values()) u();
    this.unwatch.clear();
    await Promise.all(all.map((h) => h.close().catch((err: unknown) => this.log.warn('actor close', { err }))));
  }
}

const NEVER = Symbol('never published');
/** The projection of a kind that never leaves the journal. */
export const keepPrivate: Publish = Object.assign(() => null, { [NEVER]: true });
function isNever(p: Publish): boolean {
  return (p as unknown as Record<symbol, unknown>)[NEVER] === true;
}
