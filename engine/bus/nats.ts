/**
 * @module engine/bus/nats
 * The cluster backplane: the Bus contract over NATS core subjects (nats.js 2.x).
 * Owns: one NATS connection and its subscriptions. Does not: JetStream (see engine/journal).
 * Concurrency: nats.js delivers each subscription's messages in order on the event loop.
 * Overflow: nats.js buffers outbound data while disconnected (its reconnect buffer); a handler
 * that throws is counted in `bus_handler_errors_total` and logged, never fatal.
 */
import { connect, type NatsConnection } from 'nats';
import type { Bus, BusHandler, BusSubscription, SubscribeOptions } from './contract.ts';
import { isValidSubject } from './match.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';

export class NatsBus implements Bus {
  readonly kind = 'nats';
  private reconnecting = false;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly log?: Logger,
    private readonly metrics?: Metrics,
  ) {}

  static async connect(url: string, name: string, log?: Logger, metrics?: Metrics): Promise<NatsBus> {
    const nc = await connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
    const bus = new NatsBus(nc, log, metrics);
    void bus.watchStatus();
    return bus;
  }

  connected(): boolean {
    return !this.nc.isClosed() && !this.reconnecting;
  }

  publish(subject: string, data: Uint8Array): void {
    if (!isValidSubject(subject)) throw new Error(`invalid subject: ${subject}`);
    if (this.nc.isClosed()) return;
    this.nc.publish(subject, data);
  }

  subscribe(pattern: string, handler: BusHandler, opts: SubscribeOptions = {}): BusSubscription {
    const sub = this.nc.subscribe(pattern, {
      ...(opts.queue ? { queue: opts.queue } : {}),
      callback: (err, msg) => {
        if (err) {
          this.log?.warn('nats subscription error', { pattern, err });
          return;
        }
        try {
          handler({ subject: msg.subject, data: msg.data });
        } catch (e) {
          this.metrics?.inc('bus_handler_errors_total', 'Bus subscriber handlers that threw', { bus: 'nats' });
          this.log?.error('bus handler threw', { subject: msg.subject, err: e });
        }
      },
    });
    return { unsubscribe: () => sub.unsubscribe() };
  }

  async flush(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.flush();
  }

  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    await this.nc.drain();
  }

  private async watchStatus(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect') this.reconnecting = true;
      if (s.type === 'reconnect') this.reconnecting = false;
      if (s.type === 'disconnect' || s.type === 'reconnect') this.log?.warn(`nats ${s.type}`, { data: String(s.data) });
    }
  }
}
