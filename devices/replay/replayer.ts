/**
 * @module devices/replay/replayer
 * Replays the parking slice (real Birmingham occupancy, scaled to each lot) as device readings,
 * faster than real time: rows sharing a timestamp are sent together, then the replayer waits
 * the real gap divided by `speed` (at least `minGapMs`, at most `maxGapMs`). Each reading is
 * stamped with the replayer's clock when it is sent, like a live counter, so replayed and live
 * readings of one lot share one timeline (a recorded 2016 time would make every live reading look
 * newer and freeze the replay as stale); the recorded time travels along as `recordedAt`.
 * Owns: pacing and the device payloads. Does not: validate values (bad rows are sent on purpose,
 * as the real counters sent them).
 * Concurrency: one timer chain; stop() cancels it.
 */
import type { ParkingSliceRow } from './parking-slice.ts';

export interface ReplayOptions {
  readonly community: string;
  readonly speed: number;
  readonly minGapMs: number;
  readonly maxGapMs?: number;
  readonly loop: boolean;
  /** Publishes one raw device message; the replayer is a device, so it writes `nb.<c>.dev.<id>.occupancy`. */
  readonly publish: (subject: string, data: Uint8Array) => void;
  /** Called after each step with the number of readings sent so far. */
  readonly onStep?: (sent: number) => void;
  /** Wall clock in epoch ms. */
  readonly now: () => number;
}

export const DEFAULT_REPLAY_MAX_GAP_MS = 5000;

const encoder = new TextEncoder();

export class ParkingReplayer {
  private readonly steps: ParkingSliceRow[][];
  private timer: NodeJS.Timeout | null = null;
  private index = 0;
  private stopped = true;
  sent = 0;

  constructor(rows: readonly ParkingSliceRow[], private readonly opts: ReplayOptions) {
    const sorted = [...rows].sort((a, b) => a.at - b.at);
    const steps: ParkingSliceRow[][] = [];
    for (const r of sorted) {
      const last = steps[steps.length - 1];
      if (last && last[0].at === r.at) last.push(r);
      else steps.push([r]);
    }
    this.steps = steps;
  }

  get stepCount(): number {
    return this.steps.length;
  }

  start(): void {
    if (!this.stopped || this.steps.length === 0) return;
    this.stopped = false;
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private tick(): void {
    if (this.stopped) return;
    const step = this.steps[this.index];
    // Rows of one step share one send time, so the source's exact duplicates stay recognisable.
    const at = this.opts.now();
    for (const r of step) {
      const payload = encoder.encode(JSON.stringify({ value: r.occupancy, at, recordedAt: r.at }));
      this.opts.publish(`nb.${this.opts.community}.dev.${r.deviceId}.occupancy`, payload);
      this.sent++;
    }
    this.opts.onStep?.(this.sent);
    this.index++;
    if (this.index >= this.steps.length) {
      if (!this.opts.loop) { this.stopped = true; return; }
      this.index = 0;
    }
    const next = this.steps[this.index];
    const realGap = this.index === 0 ? 30 * 60_000 : next[0].at - step[0].at;
    const wait = Math.min(this.opts.maxGapMs ?? DEFAULT_REPLAY_MAX_GAP_MS, Math.max(this.opts.minGapMs, realGap / this.opts.speed));
    this.timer = setTimeout(() => this.tick(), wait);
  }
}
