/**
 * @module engine/journal/file
 * The embedded durable journal: one append-only file per actor under `<dir>/<community>/<kind>/`,
 * one checksummed frame per commit (frame.ts). An append resolves after the frame is written and
 * (with `fsync`) synced to disk, so an acknowledged command survives a crash of the process or
 * of the machine.
 * Owns: files, the per-stream frame index, the cross-process fence, tail recovery.
 * Does not: decode domain events, fan out, snapshot.
 * Concurrency: appends to one stream are serialised in this process and, through the write lock
 * (write-lock.ts), with every other process using the same directory; inside the lock the file
 * size is compared with what this process last saw, so an append from a process that missed
 * another's write is refused with ENGINE_JOURNAL_CONFLICT (the same fence as JetStream's expected
 * last subject sequence). Reads see every frame that was whole when they looked.
 * Recovery: at open, a torn or unreadable last frame (a crash mid-write) is moved to a
 * `.corrupt-*` file beside the journal, reported (log, metric, `incidents`) and cut off; the valid
 * prefix is kept. A bad frame followed by valid ones is not a torn tail: the stream is refused with
 * ENGINE_JOURNAL_CORRUPT rather than lose the acknowledged frames after it.
 */
import { mkdirSync, readdirSync, existsSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError, LinliError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { Journal, NewEvent, StreamKey } from './contract.ts';
import { streamName, toRecords } from './contract.ts';
import { decodeFrame, encodeFrame, FILE_MAGIC, FRAME_HEADER_BYTES, MAX_FRAME_BYTES, scanFrames, type FrameInfo, type ScanStop } from './frame.ts';
import type { JournalRecord } from './record.ts';
import { DEFAULT_LOCK_STALE_MS, DEFAULT_LOCK_WAIT_MS, withWriteLock } from './write-lock.ts';

export interface FileJournalOptions {
  /** Sync every commit to disk before acknowledging it. Default true. */
  readonly fsync?: boolean;
  readonly lockWaitMs?: number;
  readonly lockStaleMs?: number;
  readonly log?: Logger;
  readonly metrics?: Metrics;
}

/** What recovery found and did, for operators and tests. */
export interface JournalIncident {
  readonly stream: string;
  readonly file: string;
  readonly offset: number;
  readonly bytes: number;
  readonly reason: string;
  /** Where the cut-off bytes were kept; null when the stream was refused instead. */
  readonly keptAt: string | null;
}

const SCAN_CHUNK_BYTES = 1 << 20;

class StreamFile {
  /** Frames in file order; parallel arrays keep 100,000 commits cheap. */
  readonly offsets: number[] = [];
  readonly firstSeqs: number[] = [];
  readonly counts: number[] = [];
  size = FILE_MAGIC.length;
  lastSeq = 0;
  /** Serialises this process's appends to the stream. */
  tail: Promise<unknown> = Promise.resolve();

  constructor(readonly key: StreamKey, readonly path: string, readonly fh: FileHandle) {}

  addFrame(f: FrameInfo): void {
    this.offsets.push(f.offset);
    this.firstSeqs.push(f.firstSeq);
    this.counts.push(f.count);
    this.size = f.offset + f.bytes;
    this.lastSeq = f.firstSeq + f.count - 1;
  }

  frameEnd(i: number): number {
    return i + 1 < this.offsets.length ? this.offsets[i + 1] : this.size;
  }

  /** Index of the frame holding `seq`, or -1. */
  frameOf(seq: number): number {
    let lo = 0;
    let hi = this.firstSeqs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.firstSeqs[mid] > seq) hi = mid - 1;
      else if (this.firstSeqs[mid] + this.counts[mid] <= seq) lo = mid + 1;
      else return mid;
    }
    return -1;
  }
}

export class FileJournal implements Journal {
  readonly kind = 'file';
  readonly incidents: JournalIncident[] = [];
  private readonly open = new Map<string, Promise<StreamFile>>();
  private readonly fsync: boolean;
  private closed = false;

  constructor(private readonly dir: string, private readonly opts: FileJournalOptions = {}) {
    this.fsync = opts.fsync ?? true;
    mkdirSync(dir, { recursive: true });
  }

  async append(key: StreamKey, expectedSeq: number, events: readonly NewEvent[]): Promise<JournalRecord[]> {
    const s = await this.stream(key);
    const run = s.tail.then(() => this.appendLocked(s, expectedSeq, events));
    s.tail = run.catch(() => undefined); // a failed append must not block the next one
    return run;
  }

  private async appendLocked(s: StreamFile, expectedSeq: number, events: readonly NewEvent[]): Promise<JournalRecord[]> {
    if (this.closed) throw new LinliError(EngineError.JOURNAL_UNAVAILABLE, { stream: streamName(s.key), reason: 'closed' });
    const lock = {
      waitMs: this.opts.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
      staleMs: this.opts.lockStaleMs ?? DEFAULT_LOCK_STALE_MS,
      onBroken: (path: string, owner: string) => {
        this.opts.metrics?.inc('journal_locks_broken_total', 'Journal write locks of dead processes broken');
        this.opts.log?.warn('broke a stale journal write lock', { path, owner });
      },
    };
    return withWriteLock(`${s.path}.lock`, lock, async () => {
      await this.catchUp(s); // another process may have appended since we last looked
      if (s.lastSeq !== expectedSeq) {
        throw new LinliError(EngineError.JOURNAL_CONFLICT, { stream: streamName(s.key), expectedSeq, lastSeq: s.lastSeq });
      }
      const frame = encodeFrame(expectedSeq + 1, events);
      const offset = s.size;
      try {
        await s.fh.write(frame, 0, frame.length, offset);
        if (this.fsync) await s.fh.datasync();
      } catch (err) {
        // A partial write is a torn tail: cut it so the next append starts on a frame boundary.
        await s.fh.truncate(offset).catch(() => undefined);
        throw new LinliError(EngineError.JOURNAL_UNAVAILABLE, { stream: streamName(s.key), cause: (err as Error).message }, { cause: err });
      }
      s.addFrame({ offset, bytes: frame.length, firstSeq: expectedSeq + 1, count: events.length });
      this.opts.metrics?.inc('journal_appends_total', 'Commits appended to the journal', { journal: 'file' });
      return toRecords(s.key, expectedSeq, events);
    });
  }

  async read(key: StreamKey, afterSeq = 0, limit = Infinity): Promise<JournalRecord[]> {
    const s = await this.stream(key);
    await this.catchUp(s);
    const out: JournalRecord[] = [];
    let i = afterSeq < (s.firstSeqs[0] ?? 1) ? 0 : s.frameOf(afterSeq + 1);
    if (i < 0) return out;
    while (i < s.offsets.length && out.length < limit) {
      // Several frames per read, up to about 1 MiB or as many as the limit needs.
      let j = i;
      let records = s.counts[i];
      while (j + 1 < s.offsets.length && s.frameEnd(j + 1) - s.offsets[i] <= SCAN_CHUNK_BYTES && out.length + records < limit) records += s.counts[++j];
      const start = s.offsets[i];
      const buf = await readAt(s.fh, start, s.frameEnd(j) - start);
      for (let f = i; f <= j; f++) {
        const { firstSeq, entries } = decodeFrame(buf.subarray(s.offsets[f] - start, s.frameEnd(f) - start));
        for (let e = 0; e < entries.length && out.length < limit; e++) {
          if (firstSeq + e <= afterSeq) continue;
          const [type, v, at, author, k, event] = entries[e];
          out.push({ community: key.community, kind: key.kind, actorId: key.actorId, seq: firstSeq + e, type, v, at, author, key: k, event });
        }
      }
      i = j + 1;
    }
    return out;
  }

  async lastSeq(key: StreamKey): Promise<number> {
    const s = await this.stream(key);
    await this.catchUp(s);
    return s.lastSeq;
  }

  async streams(community: string): Promise<StreamKey[]> {
    const root = join(this.dir, fileSafe(community));
    if (!existsSync(root)) return [];
    const out: StreamKey[] = [];
    for (const kind of readdirSync(root)) {
      for (const f of readdirSync(join(root, kind))) {
        if (!f.endsWith('.log')) continue;
        const key = { community, kind: decodeURIComponent(kind), actorId: decodeURIComponent(f.slice(0, -4)) };
        if ((await this.lastSeq(key)) > 0) out.push(key);
      }
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.open.values()];
    this.open.clear();
    for (const p of all) {
      const s = await p.catch(() => null);
      if (!s) continue;
      await s.tail;
      await s.fh.close().catch(() => undefined);
    }
  }

  private stream(key: StreamKey): Promise<StreamFile> {
    const name = streamName(key);
    let p = this.open.get(name);
    if (!p) {
      p = this.openStream(key);
      this.open.set(name, p);
      p.catch(() => this.open.delete(name)); // a refused stream is tried afresh next time
    }
    return p;
  }

  private async openStream(key: StreamKey): Promise<StreamFile> {
    if (this.closed) throw new LinliError(EngineError.JOURNAL_UNAVAILABLE, { stream: streamName(key), reason: 'closed' });
    const folder = join(this.dir, fileSafe(key.community), fileSafe(key.kind));
    mkdirSync(folder, { recursive: true });
    const path = join(folder, `${fileSafe(key.actorId)}.log`);
    const fh = await open(path, 'a+');
    try {
      const { size } = await fh.stat();
      if (size === 0) {
        await fh.write(FILE_MAGIC, 0, FILE_MAGIC.length, 0);
        if (this.fsync) await fh.datasync();
      } else {
        const head = Buffer.alloc(FILE_MAGIC.length);
        await fh.read(head, 0, head.length, 0);
        if (!head.equals(FILE_MAGIC)) throw new LinliError(EngineError.JOURNAL_CORRUPT, { stream: streamName(key), file: path, reason: 'not a journal file' });
      }
      const s = new StreamFile(key, path, fh);
      const stop = await this.scan(s);
      if (stop.kind !== 'end') await this.recoverTail(s, stop);
      return s;
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw err;
    }
  }

  /** Extends the index with frames written since `s.size`; stops at the first incomplete or bad one. */
  private async scan(s: StreamFile): Promise<ScanStop> {
    const { size } = await s.fh.stat();
    let pos = s.size;
    while (pos < size) {
      const chunk = await readAt(s.fh, pos, Math.min(SCAN_CHUNK_BYTES, size - pos));
      const stop = scanFrames(chunk, pos, (f) => this.acceptFrame(s, f));
      if (stop.kind === 'end') { pos += chunk.length; continue; }
      if (stop.kind === 'bad-frame') return stop;
      if (stop.offset > pos) { pos = stop.offset; continue; } // a frame cut by the chunk's end: read on from it
      // The frame at `pos` does not fit in the chunk: larger than a chunk, or torn by a crash.
      if (size - pos < FRAME_HEADER_BYTES) return stop;
      const bytes = 8 + chunk.readUInt32LE(0);
      if (pos + bytes > size) return stop;
      const whole = scanFrames(await readAt(s.fh, pos, bytes), pos, (f) => this.acceptFrame(s, f));
      if (whole.kind !== 'end') return whole;
      pos += bytes;
    }
    return { kind: 'end' };
  }

  private acceptFrame(s: StreamFile, f: FrameInfo): void {
    if (f.firstSeq !== s.lastSeq + 1) throw new LinliError(EngineError.JOURNAL_CORRUPT, { stream: streamName(s.key), offset: f.offset, reason: `frame starts at seq ${f.firstSeq}, expected ${s.lastSeq + 1}` });
    s.addFrame(f);
  }

  /**
   * New frames from other processes. A frame still being written by its owner looks torn; it is
   * left alone here (the owner holds the write lock) and seen whole on the next look.
   */
  private async catchUp(s: StreamFile): Promise<void> {
    const { size } = await s.fh.stat();
    if (size !== s.size) await this.scan(s);
  }

  private async recoverTail(s: StreamFile, stop: Exclude<ScanStop, { kind: 'end' }>): Promise<void> {
    // Under the write lock, so that a frame another process is writing right now is not mistaken for a torn one.
    await withWriteLock(`${s.path}.lock`, { waitMs: this.opts.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS, staleMs: this.opts.lockStaleMs ?? DEFAULT_LOCK_STALE_MS }, async () => {
      const again = await this.scan(s);
      if (again.kind === 'end') return;
      const { size } = await s.fh.stat();
      const name = streamName(s.key);
      const reason = again.kind === 'truncated' ? 'incomplete last frame' : again.reason;
      if (again.kind === 'bad-frame' && again.declaredEnd < size && (await this.validFrameAt(s, again.declaredEnd, size))) {
        this.report({ stream: name, file: s.path, offset: again.offset, bytes: size - again.offset, reason: `${reason}, with valid frames after it`, keptAt: null });
        throw new LinliError(EngineError.JOURNAL_CORRUPT, { stream: name, file: s.path, offset: again.offset, reason });
      }
      const keptAt = `${s.path}.corrupt-${Date.now()}-${again.offset}`;
      const tail = await readAt(s.fh, again.offset, size - again.offset);
      const out = await open(keptAt, 'wx');
      await out.write(tail);
      await out.sync();
      await out.close();
      await s.fh.truncate(again.offset);
      await s.fh.datasync();
      s.size = again.offset;
      this.report({ stream: name, file: s.path, offset: again.offset, bytes: tail.length, reason, keptAt });
    });
  }

  private async validFrameAt(s: StreamFile, offset: number, size: number): Promise<boolean> {
    if (offset + FRAME_HEADER_BYTES > size) return false;
    const bytes = 8 + (await readAt(s.fh, offset, 4)).readUInt32LE(0);
    if (offset + bytes > size || bytes > MAX_FRAME_BYTES) return false;
    let ok = false;
    scanFrames(await readAt(s.fh, offset, bytes), offset, () => { ok = true; });
    return ok;
  }

  private report(incident: JournalIncident): void {
    this.incidents.push(incident);
    this.opts.metrics?.inc('journal_corrupt_tails_total', 'Journal files whose damaged tail was cut off or refused', { outcome: incident.keptAt ? 'recovered' : 'refused' });
    this.opts.log?.error('journal damage found', { ...incident });
  }
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return bytesRead === length ? buf : buf.subarray(0, bytesRead);
}

/** A name safe as one path segment on every file system (ids are mostly [a-z0-9-] already). */
function fileSafe(part: string): string {
  return encodeURIComponent(part).replace(/\./g, '%2E').replace(/\*/g, '%2A');
}
