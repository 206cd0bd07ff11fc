/**
 * @module engine/cluster/placement
 * Which node hosts which room. Every node announces itself with a `node.<id>` lease and, every
 * `tickMs`, renews the leases of the rooms it hosts and takes unowned rooms up to its fair share
 * (rooms ÷ live nodes, rounded up), preferring the rooms it ranks highest (rendezvous hashing,
 * so nodes starting together spread the rooms without talking). A room whose node died has no
 * renewed lease; it lapses after the TTL and a live node takes it, reactivating the room from the
 * journal. A node holding more than its share + 1 hands one room per tick back (its clients are
 * told to reconnect and land on the new host).
 * Owns: lease bookkeeping and the decisions. Does not: create or close rooms itself (`open` and
 * `close` are given), or decide what a room is.
 * Failure: a renew that cannot reach the store keeps the room while the lease's own deadline
 * (`validUntil`) lasts, then closes it here: a node cut off from NATS stops writing before anyone
 * else may take over.
 * Concurrency: renewing runs on its own timer, apart from taking and handing over rooms, so a
 * room that is slow to open or close (its matchmaking listing waits for NATS) never delays the
 * renewals of the others; neither loop overlaps itself.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { isValid, type Lease, type LeaseStore } from '../lease/contract.ts';

export interface PlacedRoom {
  /** The Colyseus room type (`building`, `parking-lot`, …). */
  readonly name: string;
  readonly id: string;
}

export type CloseReason = 'lost' | 'handed-over' | 'stopping';

export interface PlacementOptions {
  readonly nodeId: string;
  readonly leases: LeaseStore;
  readonly rooms: readonly PlacedRoom[];
  /** Creates the room on this node; the lease is already held. */
  readonly open: (room: PlacedRoom, lease: Lease) => Promise<void>;
  /** Disposes the room on this node (its clients are told to reconnect). */
  readonly close: (room: PlacedRoom, reason: CloseReason) => Promise<void>;
  /** Checks, each balance round, that a room hosted here is still reachable (repairs its listing). */
  readonly verify?: (room: PlacedRoom) => Promise<void>;
  readonly tickMs: number;
  /** The clock lease deadlines are read with (the store's); default performance.now. */
  readonly now?: () => number;
  readonly log: Logger;
  readonly metrics: Metrics;
}

interface Held { readonly room: PlacedRoom; lease: Lease }

export const roomLeaseName = (roomId: string) => `room.${roomId}`;
const nodeLeaseName = (nodeId: string) => `node.${nodeId}`;

export class RoomPlacement {
  private readonly held = new Map<string, Held>();
  private node: Lease | null = null;
  private timers: NodeJS.Timeout[] = [];
  private ticking: Promise<void> | null = null;
  private renewing: Promise<void> | null = null;
  private balancing: Promise<void> | null = null;
  private stopped = false;
  private ticks = 0;
  private readonly now: () => number;

  constructor(private readonly o: PlacementOptions) {
    this.now = o.now ?? (() => performance.now());
  }

  /**
   * Announces the node, waits one tick so that nodes starting together see each other, then
   * takes its share; resolves once that first share is open.
   */
  async start(): Promise<void> {
    await this.tick();
    await new Promise((r) => setTimeout(r, this.o.tickMs));
    await this.tick();
    this.timers = [
      setInterval(() => { void this.renewRound(); }, this.o.tickMs),
      setInterval(() => { void this.balanceRound(); }, this.o.tickMs),
    ];
  }

  /** The lease this node holds on a room, while it is still valid here. */
  leaseOf(roomId: string): Lease | null {
    const h = this.held.get(roomId);
    return h && isValid(h.lease, this.now()) ? h.lease : null;
  }

  hostedRooms(): string[] {
    return [...this.held.keys()];
  }

  /** One renew round then one balance round (tests drive placement with this). */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.ticking ??= (async () => {
      await this.renewRound();
      // The first tick only announces this node, so that its peers count it before anyone takes rooms.
      if (this.ticks++ > 0) await this.balanceRound();
    })().finally(() => { this.ticking = null; });
    return this.ticking;
  }

  private renewRound(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.renewing ??= (async () => {
      try {
        await this.keepNode();
        await this.renewRooms();
      } catch (err) {
        this.o.metrics.inc('cluster_placement_errors_total', 'Placement rounds that could not finish (NATS away)');
        this.o.log.warn('lease renewal failed; rooms are kept while their leases last', { err });
        await this.dropExpired();
      }
    })().finally(() => { this.renewing = null; });
    return this.renewing;
  }

  private balanceRound(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.balancing ??= (async () => {
      try {
        await this.balance();
        if (this.o.verify) for (const h of [...this.held.values()]) await this.o.verify(h.room);
      } catch (err) {
        this.o.metrics.inc('cluster_placement_errors_total', 'Placement rounds that could not finish (NATS away)');
        this.o.log.warn('placement round failed', { err });
      } finally {
        this.o.metrics.set('cluster_rooms_hosted', 'Rooms this node hosts', {}, this.held.size);
      }
    })().finally(() => { this.balancing = null; });
    return this.balancing;
  }

  private async keepNode(): Promise<void> {
    this.node = (this.node && (await this.o.leases.renew(this.node))) ?? (await this.o.leases.acquire(nodeLeaseName(this.o.nodeId), this.o.nodeId));
  }

  private async renewRooms(): Promise<void> {
    const lost: Array<[string, Held, string]> = [];
    await Promise.all([...this.held].map(async ([id, h]) => {
      let next: Lease | null;
      try {
        next = await this.o.leases.renew(h.lease);
      } catch {
        if (!isValid(h.lease, this.now())) lost.push([id, h, 'the lease ran out while NATS was away']);
        return; // still valid: the next round tries again
      }
      if (next) h.lease = next;
      else lost.push([id, h, 'another node holds the lease']);
    }));
    for (const [id, h, why] of lost) if (this.held.get(id) === h) await this.lose(id, h, why);
  }

  private async dropExpired(): Promise<void> {
    for (const [id, h] of [...this.held]) if (!isValid(h.lease, this.now())) await this.lose(id, h, 'the lease ran out');
  }

  private async lose(id: string, h: Held, why: string): Promise<void> {
    this.held.delete(id);
    this.o.metrics.inc('cluster_rooms_lost_total', 'Rooms this node stopped hosting because it lost their lease');
    this.o.log.warn('room lease lost; closing the room here', { room: id, why });
    // Not awaited: a close that waits for NATS must not hold up the renewal of the other leases.
    void this.o.close(h.room, 'lost').catch((err: unknown) => this.o.log.error('closing a lost room failed', { room: id, err }));
  }

  private async balance(): Promise<void> {
    const nodes = Math.max(1, (await this.o.leases.list('node.')).size);
    const owners = await this.o.leases.list('room.');
    const share = Math.ceil(this.o.rooms.length / nodes);
    if (this.held.size > share + 1) return this.handOver();
    const free = this.o.rooms.filter((r) => !owners.has(roomLeaseName(r.id)) && !this.held.has(r.id))
      .sort((a, b) => this.rank(b.id).localeCompare(this.rank(a.id)));
    for (const room of free) {
      if (this.held.size >= share || this.stopped) break;
      const lease = await this.o.leases.acquire(roomLeaseName(room.id), this.o.nodeId);
      if (!lease) continue; // another node was faster
      this.held.set(room.id, { room, lease });
      try {
        await this.o.open(room, lease);
        this.o.metrics.inc('cluster_rooms_opened_total', 'Rooms this node took and opened');
        this.o.log.info('room opened here', { room: room.id, epoch: lease.epoch });
      } catch (err) {
        this.held.delete(room.id);
        await this.o.leases.release(lease);
        this.o.log.error('opening a room failed; its lease is released', { room: room.id, err });
      }
    }
  }

  /** Gives the lowest-ranked room back, so that a node that joined can take it. */
  private async handOver(): Promise<void> {
    const [id, h] = [...this.held].sort(([a], [b]) => this.rank(a).localeCompare(this.rank(b)))[0]!;
    this.held.delete(id);
    await this.o.close(h.room, 'handed-over').catch((err: unknown) => this.o.log.error('handing over a room failed', { room: id, err }));
    await this.o.leases.release(h.lease);
    this.o.metrics.inc('cluster_rooms_handed_over_total', 'Rooms this node gave back to even out the load');
    this.o.log.info('room handed over', { room: id });
  }

  /** Rendezvous hashing: this node's preference for a room. */
  private rank(roomId: string): string {
    return createHash('sha1').update(`${this.o.nodeId}/${roomId}`).digest('hex');
  }

  /** Closes every room and gives the leases back, so that other nodes take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await Promise.all([this.ticking, this.renewing, this.balancing]);
    for (const [id, h] of [...this.held]) {
      this.held.delete(id);
      await this.o.close(h.room, 'stopping').catch(() => undefined); // stopping: best effort
      await this.o.leases.release(h.lease);
    }
    if (this.node) await this.o.leases.release(this.node);
  }
}
