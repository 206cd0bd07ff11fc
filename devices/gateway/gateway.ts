/**
 * @module devices/gateway/gateway
 * The device gateway: takes raw device messages from `nb.<community>.dev.<deviceId>.<signal>`,
 * checks the device is registered and the payload well-formed, and republishes each accepted
 * reading, normalised, on `nb.<community>.reading.<deviceId>.<signal>` for rooms and analytics.
 * Owns: acceptance of device input. Does not: judge the value (the lot actor clamps and flags).
 * Concurrency: runs in bus delivery order; never throws into the bus.
 * Overflow: a malformed or unknown reading is counted in `device_readings_total{outcome}` and
 * dropped, never fatal; one warning per outcome per minute at most.
 */
import type { Bus, BusSubscription } from '../../engine/bus/contract.ts';
import { encodeJson, subjects } from '../../engine/bus/contract.ts';
import type { Logger } from '../../engine/log.ts';
import type { Metrics } from '../../engine/metrics.ts';
import type { DeviceReading } from '../reading.ts';
import { DEFAULT_PAYLOAD_LIMITS, parseDevicePayload, type PayloadLimits } from './parse.ts';
import type { DeviceRegistry } from './registry.ts';

export interface GatewayStats {
  accepted: number;
  dropped: number;
}

const WARN_EVERY_MS = 60_000;

export class DeviceGateway {
  private sub: BusSubscription | null = null;
  private readonly lastWarn = new Map<string, number>();
  readonly stats: GatewayStats = { accepted: 0, dropped: 0 };

  constructor(
    private readonly community: string,
    private readonly registry: DeviceRegistry,
    private readonly bus: Bus,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly now: () => number,
    private readonly limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS,
  ) {}

  start(): void {
    this.sub = this.bus.subscribe(subjects.allDevices(this.community), (msg) => this.onMessage(msg.subject, msg.data));
  }

  stop(): void {
    this.sub?.unsubscribe();
    this.sub = null;
  }

  private onMessage(subject: string, data: Uint8Array): void {
    const tokens = subject.split('.');
    if (tokens.length !== 5) return this.drop('bad_subject', subject);
    const [, , , deviceId, signal] = tokens;
    if (!this.registry.accepts(deviceId, signal)) return this.drop('unknown_device', subject);
    const parsed = parseDevicePayload(data, this.now(), this.limits);
    if (!parsed.ok) return this.drop(parsed.reason, subject);
    const reading: DeviceReading = { community: this.community, deviceId, signal, at: parsed.at, value: parsed.value, raw: parsed.value, quality: 'ok' };
    this.stats.accepted++;
    this.metrics.inc('device_readings_total', 'Device readings by gateway outcome', { outcome: 'accepted' });
    this.bus.publish(subjects.reading(this.community, deviceId, signal), encodeJson(reading));
  }

  private drop(reason: string, subject: string): void {
    this.stats.dropped++;
    this.metrics.inc('device_readings_total', 'Device readings by gateway outcome', { outcome: reason });
    const now = this.now();
    if (now - (this.lastWarn.get(reason) ?? -Infinity) >= WARN_EVERY_MS) {
      this.lastWarn.set(reason, now);
      this.log.warn('device reading dropped', { reason, subject: subject.slice(0, 200) });
    }
  }
}
