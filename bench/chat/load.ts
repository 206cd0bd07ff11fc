/**
 * @module bench/chat/load
 * The load generator: N residents joined to one room through the official @colyseus/sdk Client,
 * S of them sending chat at a fixed total rate; every resident timestamps every 'chat' it receives.
 * Latency = receive time − send time, both read in this one process (timeOrigin + performance.now()),
 * the send time travelling inside the message text. Deliveries are tracked per (receiver, message),
 * so duplicates and losses are counted exactly.
 * Owns: client sockets, the send schedule and the raw samples. Does not: start servers or print.
 * Concurrency: one event loop; receive timestamps include this process's own queueing delay.
 */
import { Client, type Room } from '@colyseus/sdk';

export interface JoinParams {
  readonly clients: number;
  /** Joins in flight at once. */
  readonly batch: number;
  readonly joinTimeoutMs: number;
  /** Access tokens to join with, one per client (a server that checks identities hands them out); none for the peer. */
  readonly tokens?: readonly string[];
}

export interface RoundParams {
  readonly senders: number;
  readonly messagesPerSender: number;
  /** Total messages per second over all senders. */
  readonly rate: number;
  /** How long after the last send to wait for missing deliveries. */
  readonly drainMs: number;
}

export interface JoinReport {
  readonly joined: number;
  readonly failed: number;
  readonly firstErrors: string[];
  readonly elapsedMs: number;
}

export interface RoundReport {
  readonly sent: number;
  readonly receivers: number;
  readonly expected: number;
  readonly delivered: number;
  readonly duplicates: number;
  readonly lost: number;
  /** From the first send to the last delivery. */
  readonly elapsedMs: number;
  readonly sendSpanMs: number;
  readonly deliveredPerSecond: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Other message types received during the round (ack, error, state-patch, …), by type (and code for errors). */
  readonly other: Record<string, number>;
  readonly drops: number;
  readonly reconnects: number;
  readonly leaves: number;
  readonly drained: boolean;
}

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const DRAIN_POLL_MS = 10;

interface Round {
  readonly id: string;
  readonly total: number;
  /** received[receiver * total + msg]: how many times that receiver got that message. */
  readonly received: Uint8Array;
  readonly latencies: Float64Array;
  count: number;
  duplicates: number;
  lastDeliveryAt: number;
  readonly other: Record<string, number>;
}

export class Fleet {
  private readonly rooms: Room[] = [];
  private round: Round | null = null;
  private roundSeq = 0;
  private drops = 0;
  private reconnects = 0;
  private leaves = 0;
  private stale = 0;
  private readonly idleOther: Record<string, number> = {};

  private constructor(private readonly label: string) {}

  get size(): number { return this.rooms.length; }
  /** Deliveries of a finished round that arrived after it was closed. */
  get staleDeliveries(): number { return this.stale; }

  static async join(url: string, roomId: string, p: JoinParams, label: string, onProgress?: (n: number) => void): Promise<{ fleet: Fleet; report: JoinReport }> {
    const fleet = new Fleet(label);
    const errors: string[] = [];
    let failed = 0;
    const t0 = now();
    for (let i = 0; i < p.clients; i += p.batch) {
      const batch = Array.from({ length: Math.min(p.batch, p.clients - i) }, (_, j) => i + j);
      const results = await Promise.allSettled(batch.map((k) => fleet.joinOne(url, roomId, k, p.joinTimeoutMs, p.tokens?.[k])));
      for (const r of results) {
        if (r.status === 'fulfilled') continue;
        failed++;
        if (errors.length < 5) errors.push(String((r.reason as Error)?.message ?? r.reason));
      }
      onProgress?.(fleet.rooms.length);
    }
    return { fleet, report: { joined: fleet.rooms.length, failed, firstErrors: errors, elapsedMs: now() - t0 } };
  }

  private async joinOne(url: string, roomId: string, k: number, timeoutMs: number, token: string | undefined): Promise<void> {
    const client = new Client(url);
    if (token) client.auth.token = token;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`join ${k} timed out after ${timeoutMs} ms`)), timeoutMs); });
    try {
      const room = await Promise.race([client.joinById(roomId, { name: `${this.label}-${k}` }), timeout]);
      const index = this.rooms.length;
      this.rooms.push(room);
      room.onMessage('chat', (m: { text?: unknown; key?: unknown }) => this.onChat(index, m));
      room.onMessage('*', (type: string | number, m: unknown) => this.onOther(String(type), m));
      room.onStateChange(() => bump(this.round ? this.round.other : this.idleOther, 'state-patch'));
      room.onDrop(() => { this.drops++; });
      room.onReconnect(() => { this.reconnects++; });
      room.onLeave(() => { this.leaves++; });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends S×M messages on a fixed schedule and waits until every resident has them or drainMs passes. */
  async runRound(p: RoundParams): Promise<RoundReport> {
    const senders = Math.min(p.senders, this.rooms.length);
    const total = senders * p.messagesPerSender;
    const receivers = this.rooms.length;
    const id = `${this.label}.r${++this.roundSeq}`; // unique across fleets, so keys never collide in one room
    const r: Round = {
      id, total, received: new Uint8Array(receivers * total), latencies: new Float64Array(receivers * total),
      count: 0, duplicates: 0, lastDeliveryAt: 0, other: {},
    };
    const base = { drops: this.drops, reconnects: this.reconnects, leaves: this.leaves };
    this.round = r;
    const interval = 1000 / p.rate;
    const firstSend = now();
    for (let k = 0; k < total; k++) {
      const wait = firstSend + k * interval - now();
      if (wait >= 1) await sleep(wait);
      const key = `${id}-${k}`;
      this.rooms[k % senders].send('chat', { text: `${key} ${now().toFixed(3)}`, key });
    }
    const lastSend = now();
    const expected = receivers * total;
    while (r.count < expected && now() - lastSend < p.drainMs) await sleep(DRAIN_POLL_MS);
    this.round = null;
    const samples = r.latencies.subarray(0, r.count).sort();
    const elapsedMs = (r.lastDeliveryAt || now()) - firstSend;
    return {
      sent: total, receivers, expected, delivered: r.count, duplicates: r.duplicates, lost: expected - r.count,
      elapsedMs, sendSpanMs: lastSend - firstSend,
      deliveredPerSecond: r.count / (elapsedMs / 1000),
      p50Ms: quantile(samples, 0.5), p90Ms: quantile(samples, 0.9), p99Ms: quantile(samples, 0.99), maxMs: samples[samples.length - 1] ?? NaN,
      other: r.other,
      drops: this.drops - base.drops, reconnects: this.reconnects - base.reconnects, leaves: this.leaves - base.leaves,
      drained: r.count >= expected,
    };
  }

  /** Message types received outside rounds (welcome, state-less extras), by type. */
  idleMessages(): Record<string, number> { return { ...this.idleOther }; }

  async leaveAll(timeoutMs: number): Promise<void> {
    for (const room of this.rooms) room.reconnection.enabled = false;
    await Promise.race([Promise.allSettled(this.rooms.map((room) => room.leave(true))), sleep(timeoutMs)]);
    for (const room of this.rooms) {
      try {
        room.connection.close();
      } catch {
        // already closed by leave(); nothing left to release
      }
    }
  }

  private onChat(receiver: number, m: { text?: unknown; key?: unknown }): void {
    const at = now();
    const r = this.round;
    const key = typeof m.key === 'string' ? m.key : '';
    const dash = key.lastIndexOf('-');
    if (!r || key.slice(0, dash) !== r.id) {
      this.stale++;
      return;
    }
    const msg = Number(key.slice(dash + 1));
    const text = typeof m.text === 'string' ? m.text : '';
    const sentAt = Number(text.slice(text.lastIndexOf(' ') + 1));
    const slot = receiver * r.total + msg;
    if (!(msg >= 0 && msg < r.total) || !Number.isFinite(sentAt)) {
      bump(r.other, 'chat-malformed');
      return;
    }
    if (r.received[slot]++ > 0) {
      r.duplicates++;
      return;
    }
    r.latencies[r.count++] = at - sentAt;
    r.lastDeliveryAt = at;
  }

  private onOther(type: string, m: unknown): void {
    const code = type === 'error' && typeof m === 'object' && m !== null ? (m as { code?: unknown }).code : undefined;
    const name = code ? `error:${String(code)}` : type;
    bump(this.round ? this.round.other : this.idleOther, name);
  }
}

function bump(o: Record<string, number>, k: string): void {
  o[k] = (o[k] ?? 0) + 1;
}

/** Nearest-rank quantile of sorted samples. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}
