/**
 * @module devices/gateway/gateway
 * The device gateway: takes raw device messages from `nb.<community>.dev.<deviceId>.<signal>`
 * (NATS, MQTT through the NATS server's MQTT listener, HTTP, simulators), checks the device is
 * registered, the payload decodes and fits its kind's schema (actors/devices/catalog), its
 * sequence number is new and the device is within its rate, and republishes each accepted
 * reading, normalised, on `nb.<community>.reading.<deviceId>.<signal>` for rooms and analytics.
 * Owns: acceptance of device input and the per-device health counters staff read. Does not:
 * judge values in context (the lot actor clamps counts; the alarm actor raises alarms).
 * Concurrency: runs in bus delivery order; never throws into the bus.
 * Overflow: every refused reading is counted per device and reason (`health()`) and in
 * `device_readings_total{outcome}`, never fatal; one warning per reason per minute at most.
 * A device over `maxReadingsPerSecond` is refused (`flood`) and told to back off on its command
 * subject, at most once a second. Unknown device ids are counted together (the last 50 kept).
 * HTTP readings enter through `submit()`, which runs the same checks and counters synchronously
 * and returns the verdict, so the route answers what the gateway decided (bus paths ignore it).
 */
import { checkPayload, rejectCode } from '../../actors/devices/catalog.ts';
import type { DeviceKind, RejectReason } from '../../actors/devices/protocol.ts';
import type { Bus, BusSubscription } from '../../engine/bus/contract.ts';
import { encodeJson, subjects } from '../../engine/bus/contract.ts';
import type { Logger } from '../../engine/log.ts';
import type { Metrics } from '../../engine/metrics.ts';
import type { DeviceReading } from '../reading.ts';
import type { DeviceRegistry } from '../registry.ts';
import { DEFAULT_PAYLOAD_LIMITS, decodeDevicePayload, type PayloadLimits } from './parse.ts';

export interface GatewayStats {
  accepted: number;
  dropped: number;
}

/** What staff see per device (GET /api/devices/health). */
export interface DeviceHealth {
  readonly deviceId: string;
  readonly kind: DeviceKind | null;
  readonly accepted: number;
  readonly lastAcceptedAt: number | null;
  readonly rejected: Readonly<Partial<Record<RejectReason, number>>>;
  readonly lastRejection: { readonly reason: RejectReason; readonly code: string; readonly at: number; readonly signal: string } | null;
}

interface Tally {
  accepted: number;
  lastAcceptedAt: number | null;
  rejected: Partial<Record<RejectReason, number>>;
  lastRejection: { reason: RejectReason; code: string; at: number; signal: string } | null;
  epoch: string | null;
  seq: number | null;
  tokens: number;
  refilledAt: number;
  backoffSentAt: number;
}

/** The gateway's decision on one reading; a flood refusal says how long until the device may send again. */
export type ReadingVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: RejectReason; readonly retryAfterMs?: number };

const ACCEPTED: ReadingVerdict = { ok: true };

/** Sends a JSON message to a device's command subject (the bus, and NATS when configured). */
export type ToDevice = (deviceId: string, message: Record<string, unknown>) => void;

const WARN_EVERY_MS = 60_000;
const BACKOFF_EVERY_MS = 1000;
const UNKNOWN_KEPT = 50;
export const UNKNOWN_DEVICE = '(unknown)';

export class DeviceGateway {
  private sub: BusSubscription | null = null;
  private readonly lastWarn = new Map<string, number>();
  private readonly tallies = new Map<string, Tally>();
  private readonly unknownIds: string[] = [];
  readonly stats: GatewayStats = { accepted: 0, dropped: 0 };

  constructor(
    private readonly community: string,
    private readonly registry: DeviceRegistry,
    private readonly bus: Bus,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly now: () => number,
    private readonly limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS,
    private readonly toDevice: ToDevice = () => undefined,
    /** In a cluster every node runs a gateway; a queue group hands each reading to one of them. */
    private readonly queue?: string,
  ) {}

  start(): void {
    this.sub = this.bus.subscribe(subjects.allDevices(this.community), (msg) => this.onMessage(msg.subject, msg.data), this.queue ? { queue: this.queue } : undefined);
  }

  stop(): void {
    this.sub?.unsubscribe();
    this.sub = null;
  }

  /** Health of every device that sent anything, plus the unknown-device bucket; worst first. */
  health(): { devices: DeviceHealth[]; unknownIds: readonly string[]; totals: { accepted: number; rejected: number } } {
    const devices = [...this.tallies.entries()].map(([deviceId, t]): DeviceHealth => ({
      deviceId, kind: this.registry.get(deviceId)?.kind ?? null, accepted: t.accepted, lastAcceptedAt: t.lastAcceptedAt,
      rejected: { ...t.rejected }, lastRejection: t.lastRejection,
    }));
    const bad = (h: DeviceHealth) => Object.values(h.rejected).reduce((s, n) => s + (n ?? 0), 0);
    devices.sort((a, b) => bad(b) - bad(a) || (a.deviceId < b.deviceId ? -1 : 1));
    return { devices, unknownIds: [...this.unknownIds], totals: { accepted: this.stats.accepted, rejected: this.stats.dropped } };
  }

  /** One device's counters, or null when it never sent anything. */
  healthOf(deviceId: string): DeviceHealth | null {
    return this.health().devices.find((d) => d.deviceId === deviceId) ?? null;
  }

  /**
   * One reading from a caller that waits for the answer (the HTTP route): the same checks, counters
   * and republishing as a bus message on `nb.<community>.dev.<deviceId>.<signal>`, and the verdict.
   */
  submit(deviceId: string, signal: string, data: Uint8Array): ReadingVerdict {
    return this.judge(deviceId, signal, data, subjects.device(this.community, deviceId, signal));
  }

  private onMessage(subject: string, data: Uint8Array): void {
    const tokens = subject.split('.');
    if (tokens.length !== 5) {
      this.drop(UNKNOWN_DEVICE, '', 'bad_subject', subject);
      return;
    }
    const [, , , deviceId, signal] = tokens as [string, string, string, string, string];
    this.judge(deviceId, signal, data, subject);
  }

  private judge(deviceId: string, signal: string, data: Uint8Array, subject: string): ReadingVerdict {
    const device = this.registry.get(deviceId);
    if (!device) {
      if (!this.unknownIds.includes(deviceId)) {
        this.unknownIds.push(deviceId.slice(0, 96));
        if (this.unknownIds.length > UNKNOWN_KEPT) this.unknownIds.shift();
      }
      return this.drop(UNKNOWN_DEVICE, signal, 'unknown_device', subject);
    }
    const schema = this.registry.schemaOf(deviceId, signal);
    if (!schema) return this.drop(deviceId, signal, 'unknown_signal', subject);
    const now = this.now();
    const t = this.tally(deviceId, now);
    // The rate counts every message a device sends, good or bad: a device spraying garbage floods too.
    t.tokens = Math.min(this.limits.maxReadingsPerSecond, t.tokens + ((now - t.refilledAt) / 1000) * this.limits.maxReadingsPerSecond);
    t.refilledAt = now;
    if (t.tokens < 1) {
      if (now - t.backoffSentAt >= BACKOFF_EVERY_MS) {
        t.backoffSentAt = now;
        this.toDevice(deviceId, { action: 'backoff', code: rejectCode('flood'), retryAfterMs: BACKOFF_EVERY_MS });
      }
      const retryAfterMs = Math.ceil(((1 - t.tokens) / this.limits.maxReadingsPerSecond) * 1000);
      return this.drop(deviceId, signal, 'flood', subject, retryAfterMs);
    }
    t.tokens -= 1;
    const decoded = decodeDevicePayload(data, this.limits.maxBytes);
    if (!decoded.ok) return this.drop(deviceId, signal, decoded.reason, subject);
    const checked = checkPayload(schema, decoded.body, now, this.limits);
    if (!checked.ok) return this.drop(deviceId, signal, checked.reason, subject);
    if (checked.seq !== null) {
      if (checked.epoch !== t.epoch) { t.epoch = checked.epoch; t.seq = null; }
      if (t.seq !== null && checked.seq <= t.seq) return this.drop(deviceId, signal, 'replayed_seq', subject);
      t.seq = checked.seq;
    }
    const reading: DeviceReading = {
      community: this.community, deviceId, signal, at: checked.at, value: checked.value, raw: checked.value, quality: 'ok', kind: device.kind,
      ...(checked.data ? { data: checked.data } : {}), ...(checked.seq !== null ? { seq: checked.seq } : {}),
    };
    t.accepted++;
    t.lastAcceptedAt = now;
    this.stats.accepted++;
    this.metrics.inc('device_readings_total', 'Device readings by gateway outcome', { outcome: 'accepted' });
    this.bus.publish(subjects.reading(this.community, deviceId, signal), encodeJson(reading));
    return ACCEPTED;
  }

  private tally(deviceId: string, now: number): Tally {
    let t = this.tallies.get(deviceId);
    if (!t) {
      t = { accepted: 0, lastAcceptedAt: null, rejected: {}, lastRejection: null, epoch: null, seq: null, tokens: this.limits.maxReadingsPerSecond, refilledAt: now, backoffSentAt: -Infinity };
      this.tallies.set(deviceId, t);
    }
    return t;
  }

  private drop(deviceId: string, signal: string, reason: RejectReason, subject: string, retryAfterMs?: number): ReadingVerdict {
    const now = this.now();
    const t = this.tally(deviceId, now);
    t.rejected[reason] = (t.rejected[reason] ?? 0) + 1;
    t.lastRejection = { reason, code: rejectCode(reason), at: now, signal: signal.slice(0, 32) };
    this.stats.dropped++;
    this.metrics.inc('device_readings_total', 'Device readings by gateway outcome', { outcome: reason });
    if (now - (this.lastWarn.get(reason) ?? -Infinity) >= WARN_EVERY_MS) {
      this.lastWarn.set(reason, now);
      this.log.warn('device reading dropped', { reason, subject: subject.slice(0, 200) });
    }
    return retryAfterMs === undefined ? { ok: false, reason } : { ok: false, reason, retryAfterMs };
  }
}
