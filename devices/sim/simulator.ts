/**
 * @module devices/sim/simulator
 * Plays a timeline of device messages as the devices would send them: `{ value, unit?, at, seq,
 * epoch }` on `nb.<c>.dev.<deviceId>.<signal>`, stamped with the sender's clock (so live and
 * replayed readings share one timeline), `speed` times faster than recorded, at most `rate`
 * messages a second. It listens on the devices' command subjects: a `backoff` (sent by the
 * gateway for DEVICE_FLOOD, or by a room whose actor answered ENGINE_ACTOR_BUSY) pauses it for
 * `retryAfterMs` and halves its rate, which then climbs back by a tenth a second.
 * Owns: pacing, sequence numbers and backoff. Does not: validate (the gateway does).
 * Concurrency: one timer chain; stop() cancels it and unsubscribes.
 */
import type { SimStep } from './fixtures.ts';

export interface SimulatorOptions {
  readonly community: string;
  /** Times faster than the recorded timeline. */
  readonly speed: number;
  /** Messages per second at most. */
  readonly rate: number;
  readonly loop: boolean;
  readonly publish: (subject: string, data: Uint8Array) => void;
  /** Subscribes to commands (`nb.<c>.cmd.>`); returns an unsubscribe function. */
  readonly onCommands: (handler: (subject: string, data: Uint8Array) => void) => () => void;
  readonly now: () => number;
  /** Boot epoch sent with every seq, so a restarted simulator is not refused as a replay. */
  readonly epoch: string;
}

export interface SimulatorStats {
  sent: number;
  backoffs: number;
  loops: number;
  /** The rate now (it drops on backoff and climbs back). */
  rate: number;
}

const TICK_MS = 20;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class DeviceSimulator {
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private index = 0;
  private startedAt = 0;
  private pausedUntil = 0;
  private budget = 0;
  private lastTick = 0;
  private readonly seq = new Map<string, number>();
  readonly stats: SimulatorStats;

  constructor(private readonly steps: readonly SimStep[], private readonly o: SimulatorOptions) {
    this.stats = { sent: 0, backoffs: 0, loops: 0, rate: o.rate };
  }

  get done(): boolean {
    return this.timer === null && this.index >= this.steps.length;
  }

  start(): void {
    if (this.timer || this.steps.length === 0) return;
    this.unsubscribe = this.o.onCommands((_subject, data) => this.onCommand(data));
    this.startedAt = this.lastTick = this.o.now();
    this.tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private onCommand(data: Uint8Array): void {
    let m: { action?: unknown; retryAfterMs?: unknown };
    try { m = JSON.parse(decoder.decode(data)) as typeof m; } catch { return; } // not for us: commands to real devices are not JSON we need
    if (m?.action !== 'backoff') return;
    const wait = typeof m.retryAfterMs === 'number' && m.retryAfterMs > 0 ? Math.min(m.retryAfterMs, 60_000) : 1000;
    this.pausedUntil = Math.max(this.pausedUntil, this.o.now() + wait);
    this.stats.backoffs++;
    this.stats.rate = Math.max(1, this.stats.rate / 2);
  }

  private tick(): void {
    const now = this.o.now();
    const dt = Math.max(0, now - this.lastTick) / 1000;
    this.lastTick = now;
    if (now >= this.pausedUntil) {
      this.stats.rate = Math.min(this.o.rate, this.stats.rate + (this.o.rate / 10) * dt);
      this.budget = Math.min(this.stats.rate, this.budget + this.stats.rate * dt + (this.stats.sent === 0 ? 1 : 0));
      const due = (now - this.startedAt) * this.o.speed / 1000;
      while (this.index < this.steps.length && this.steps[this.index]!.offsetS <= due && this.budget >= 1) {
        this.send(this.steps[this.index]!, now);
        this.index++;
        this.budget--;
      }
      if (this.index >= this.steps.length && this.o.loop) {
        this.index = 0;
        this.startedAt = now;
        this.stats.loops++;
      }
    }
    if (this.index >= this.steps.length && !this.o.loop) {
      this.timer = null;
      return;
    }
    this.timer = setTimeout(() => this.tick(), TICK_MS);
  }

  private send(s: SimStep, at: number): void {
    const seq = (this.seq.get(s.deviceId) ?? 0) + 1;
    this.seq.set(s.deviceId, seq);
    const payload = { value: s.value, ...(s.unit ? { unit: s.unit } : {}), at, seq, epoch: this.o.epoch };
    this.o.publish(`nb.${this.o.community}.dev.${s.deviceId}.${s.signal}`, encoder.encode(JSON.stringify(payload)));
    this.stats.sent++;
  }
}
