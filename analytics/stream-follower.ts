/**
 * @module analytics/stream-follower
 * Turns room events that may arrive twice, late or with holes (bus fan-out lost in a crash, a
 * JetStream redelivery, a restart) into each stream's records exactly once and in seq order. It
 * keeps a watermark per actor stream (the last seq handed on), drops what is at or below it, and
 * fills a hole above it from the journal, which always has every committed record.
 * Owns: watermarks and hole filling. Does not: batch or store rows (ingest.ts does).
 * Concurrency: records of one stream are handed on in seq order; while a hole is being filled,
 * later records of that stream wait (at most `maxHeldPerStream`; beyond that they are left to the
 * next hole fill, never lost, because the journal still has them).
 * Privacy: journal records are raw; `project` gives what of each may reach analytics (redacted,
 * or null for none), the same as the actor's bus projection. Records offered from the bus were
 * projected by their actor host already.
 */
import type { Journal, StreamKey } from '../engine/journal/contract.ts';
import type { JournalRecord } from '../engine/journal/record.ts';
import { silentLog, type AnalyticsLog, type AnalyticsMetrics } from './contract.ts';

export const DEFAULT_MAX_HELD_PER_STREAM = 10_000;
const FILL_PAGE = 2000;

export type Projection = (record: JournalRecord) => JournalRecord | null;

interface Offered {
  readonly record: JournalRecord;
  /** Straight from the journal: still to be projected. */
  readonly raw: boolean;
}

interface Cursor {
  /** Last seq handed on; null while unknown (store unreadable): records are then taken as they come. */
  wm: number | null;
  /** Busy: reading the store's watermark or filling a hole; offered records wait in `held`. */
  filling: boolean;
  held: Offered[];
}

export interface FollowerOptions {
  readonly journal: Journal;
  readonly project: Projection;
  /** Where records go, in order, exactly once per (stream, seq). */
  readonly emit: (record: JournalRecord) => void;
  /** Kinds that never reach analytics (credentials, …): not swept. */
  readonly isPrivate?: (kind: string) => boolean;
  /**
   * The last seq the store holds for a stream this follower has not seen yet (a room that moved
   * here from another node, or was opened after start); null when the store cannot tell.
   */
  readonly storedSeq?: (kind: string, actorId: string) => Promise<number | null>;
  readonly maxHeldPerStream?: number;
  readonly log?: AnalyticsLog;
  readonly metrics?: AnalyticsMetrics;
}

export class StreamFollower {
  private readonly cursors = new Map<string, Cursor>();
  private readonly log: AnalyticsLog;
  /** Whether the store's watermarks were read (so an unseen stream starts at 0, not "unknown"). */
  private known = false;
  duplicates = 0;
  filled = 0;

  constructor(private readonly o: FollowerOptions) {
    this.log = o.log ?? silentLog;
  }

  /** Sets the watermarks from what the store already holds (max seq per `streamId`). */
  setWatermarks(stored: ReadonlyMap<string, number>): void {
    this.known = true;
    for (const [name, seq] of stored) {
      const c = this.cursor(name);
      c.wm = Math.max(c.wm ?? 0, seq);
    }
  }

  /** A record from the live feed: projected already (`raw` false, from the bus) or raw (JetStream). */
  offer(record: JournalRecord, raw = false): void {
    const name = streamId(record.kind, record.actorId);
    if (!this.cursors.has(name) && this.o.storedSeq) {
      const c = this.cursor(name);
      c.filling = true;
      c.held.push({ record, raw });
      void this.loadWatermark(record.kind, record.actorId, c);
      return;
    }
    const c = this.cursor(name);
    if (c.filling) {
      if (c.held.length < (this.o.maxHeldPerStream ?? DEFAULT_MAX_HELD_PER_STREAM)) c.held.push({ record, raw });
      else this.o.metrics?.inc('analytics_follower_deferred_total', 'Room events left to the next hole fill because too many waited');
      return;
    }
    if (c.wm !== null && record.seq <= c.wm) {
      this.duplicates++;
      this.o.metrics?.inc('analytics_ingest_duplicates_total', 'Room events seen again (redelivery, replay) and not stored twice', { kind: record.kind });
      return;
    }
    if (c.wm === null || record.seq === c.wm + 1) {
      c.wm = record.seq;
      this.hand(record, raw);
      return;
    }
    // A hole between the watermark and this record: the journal has what is missing.
    c.filling = true;
    c.held.push({ record, raw });
    void this.fill({ community: record.community, kind: record.kind, actorId: record.actorId }, c, record.seq - 1);
  }

  /** Brings every stream of `community` up to the journal's end (after a restart or a crash). */
  async sweep(community: string): Promise<number> {
    const before = this.filled;
    for (const key of await this.o.journal.streams(community)) {
      if (this.o.isPrivate?.(key.kind)) continue;
      const c = this.cursor(streamId(key.kind, key.actorId));
      if (c.filling || c.wm === null) continue;
      const last = await this.o.journal.lastSeq(key);
      if (last <= c.wm) continue;
      c.filling = true;
      await this.fill(key, c, last);
    }
    return this.filled - before;
  }

  private async fill(key: StreamKey, c: Cursor, upTo: number): Promise<void> {
    try {
      while ((c.wm ?? 0) < upTo) {
        const page = await this.o.journal.read(key, c.wm ?? 0, Math.min(FILL_PAGE, upTo - (c.wm ?? 0)));
        if (page.length === 0) break;
        for (const r of page) {
          c.wm = r.seq;
          this.filled++;
          this.hand(r, true);
        }
      }
    } catch (err) {
      this.log.warn('analytics could not fill a hole from the journal; taking records as they come', { stream: streamId(key.kind, key.actorId), err });
      c.wm = null;
    } finally {
      c.filling = false;
      for (const h of c.held.splice(0)) this.offer(h.record, h.raw);
    }
  }

  private async loadWatermark(kind: string, actorId: string, c: Cursor): Promise<void> {
    try {
      const stored = await this.o.storedSeq!(kind, actorId);
      c.wm = stored === null ? null : Math.max(c.wm ?? 0, stored);
    } catch (err) {
      this.log.warn('analytics could not read a stream watermark; taking records as they come', { stream: streamId(kind, actorId), err });
      c.wm = null;
    }
    c.filling = false;
    for (const h of c.held.splice(0)) this.offer(h.record, h.raw);
  }

  private hand(record: JournalRecord, raw: boolean): void {
    const out = raw ? this.o.project(record) : record;
    if (out) this.o.emit(out);
  }

  private cursor(name: string): Cursor {
    let c = this.cursors.get(name);
    if (!c) {
      c = { wm: this.known ? 0 : null, filling: false, held: [] };
      this.cursors.set(name, c);
    }
    return c;
  }
}

/** How a stream is named in watermark maps: `<kind>/<actorId>`. */
export function streamId(kind: string, actorId: string): string {
  return `${kind}/${actorId}`;
}
