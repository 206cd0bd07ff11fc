/**
 * @module rooms/_shared/paced-sends
 * Sends a room's state patch to its screens in slices of at most PATCH_SLICE_MS, with the event
 * loop free in between, instead of Colyseus's one synchronous pass over every client (with 10 000
 * screens that pass is ~100 ms of ws.send per patch, the longest block of a vote burst).
 * How: each client's `raw` is wrapped at join. While the room broadcasts its patch (`patch()`),
 * every frame is queued per client (a buffer is copied once per patch: Colyseus reuses its encode
 * buffer); afterwards the queue drains, one slice per event-loop turn, the first slice at once.
 * Order: a client with frames still queued gets any later frame behind them, so each screen sees
 * its frames in the order the room sent them; a client that is made to leave gets its queued frames
 * first. A small room drains within the first slice, i.e. synchronously, as before.
 * Does not: change what is sent, or to whom (Colyseus still encodes once and picks the clients).
 */
import type { Client } from '@colyseus/core';

/** Longest stretch spent sending queued frames before yielding to the event loop (setImmediate). */
export const PATCH_SLICE_MS = 10;
/** Clients served between two looks at the clock. */
const CLOCK_EVERY = 64;

type Raw = (data: Uint8Array, options?: unknown, cb?: unknown) => void;
interface Frame {
  readonly data: Uint8Array;
  readonly options: unknown;
  readonly cb: unknown;
}
interface Wrapped {
  raw: Raw;
  leave: (code?: number, data?: string) => void;
}

export class PacedSends {
  private readonly queued = new Map<Client, Frame[]>();
  private readonly originals = new WeakMap<Client, Raw>();
  private readonly copies = new Map<Uint8Array, Uint8Array>();
  private capturing = false;
  private scheduled = false;

  constructor(private readonly sliceMs = PATCH_SLICE_MS) {}

  /** Wraps a client's sends (idempotent); call when it joins or reconnects. */
  adopt(client: Client): void {
    if (this.originals.has(client)) return;
    const c = client as unknown as Wrapped;
    const raw = c.raw.bind(client);
    const leave = c.leave.bind(client);
    this.originals.set(client, raw);
    c.raw = (data, options, cb) => {
      const q = this.queued.get(client);
      if (q) q.push({ data: this.own(data), options, cb });
      else if (this.capturing) this.queued.set(client, [{ data: this.own(data), options, cb }]);
      else raw(data, options, cb);
    };
    c.leave = (code, data) => {
      this.flushOne(client);
      leave(code, data);
    };
  }

  /** Runs `broadcast` (the room's patch) with every frame queued, then sends the first slice. */
  patch<T>(broadcast: () => T): T {
    this.capturing = true;
    try {
      return broadcast();
    } finally {
      this.capturing = false;
      this.copies.clear();
      this.drain();
    }
  }

  /** Clients with frames not yet handed to their socket. */
  get backlog(): number {
    return this.queued.size;
  }

  /** A private copy of a frame: Colyseus encodes patches into a buffer it reuses. */
  private own(data: Uint8Array): Uint8Array {
    if (!(data instanceof Uint8Array)) return data; // strings are immutable
    let copy = this.copies.get(data);
    if (!copy) {
      copy = Uint8Array.prototype.slice.call(data) as Uint8Array;
      if (this.capturing) this.copies.set(data, copy);
    }
    return copy;
  }

  private flushOne(client: Client): void {
    const frames = this.queued.get(client);
    if (!frames) return;
    this.queued.delete(client);
    const raw = this.originals.get(client)!;
    for (const f of frames) raw(f.data, f.options, f.cb);
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    const started = performance.now();
    let n = 0;
    for (const client of this.queued.keys()) {
      this.flushOne(client);
      if (++n % CLOCK_EVERY === 0 && performance.now() - started > this.sliceMs) break;
    }
    if (this.queued.size > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
  };
}
