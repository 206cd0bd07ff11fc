/**
 * @module engine/bus/memory
 * The embedded backplane: publish/subscribe inside one process with NATS subject semantics.
 * Owns: delivery order and isolation of handlers. Does not: persist or cross processes.
 * Concurrency: publish enqueues; delivery happens in a microtask batch, in publish order.
 * Overflow: the pending queue holds at most `maxPending` messages; beyond that the oldest is
 * dropped, counted in `bus_dropped_total` and warned about once per crossing.
 */
import type { Bus, BusHandler, BusMessage, BusSubscription } from './contract.ts';
import { isValidSubject, subjectMatches } from './match.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';

export const DEFAULT_BUS_MAX_PENDING = 100_000;

interface Sub {
  readonly pattern: string;
  readonly handler: BusHandler;
  active: boolean;
}

export class MemoryBus implements Bus {
  readonly kind = 'memory';
  private readonly subs: Sub[] = [];
  private queue: BusMessage[] = [];
  private scheduled = false;
  private closed = false;
  private overflowWarned = false;
  private idle: Array<() => void> = [];

  constructor(
    private readonly log?: Logger,
    private readonly metrics?: Metrics,
    private readonly maxPending = DEFAULT_BUS_MAX_PENDING,
  ) {}

  publish(subject: string, data: Uint8Array): void {
    if (this.closed) return;
    if (!isValidSubject(subject)) throw new Error(`invalid subject: ${subject}`);
    if (this.queue.length >= this.maxPending) {
      this.queue.shift();
      this.metrics?.inc('bus_dropped_total', 'Bus messages dropped because the pending queue was full', { bus: 'memory' });
      if (!this.overflowWarned) {
        this.overflowWarned = true;
        this.log?.warn('bus pending queue full, dropping oldest', { maxPending: this.maxPending });
      }
    }
    this.queue.push({ subject, data });
    this.schedule();
  }

  subscribe(pattern: string, handler: BusHandler): BusSubscription {
    const sub: Sub = { pattern, handler, active: true };
    this.subs.push(sub);
    return {
      unsubscribe: () => {
        sub.active = false;
        const i = this.subs.indexOf(sub);
        if (i >= 0) this.subs.splice(i, 1);
      },
    };
  }

  flush(): Promise<void> {
    if (this.queue.length === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.subs.length = 0;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    // Deliver in slices so that a burst never starves the event loop of I/O.
    const batch = this.queue.splice(0, 1000);
    for (const msg of batch) {
      for (const sub of this.subs.slice()) {
        if (!sub.active || !subjectMatches(sub.pattern, msg.subject)) continue;
        try {
          sub.handler(msg);
        } catch (err) {
          this.metrics?.inc('bus_handler_errors_total', 'Bus subscriber handlers that threw', { bus: 'memory' });
          this.log?.error('bus handler threw', { subject: msg.subject, err });
        }
      }
    }
    if (this.queue.length > 0) {
      setImmediate(() => this.drain());
      return;
    }
    this.scheduled = false;
    if (this.queue.length < this.maxPending / 2) this.overflowWarned = false;
    const waiters = this.idle;
    this.idle = [];
    for (const w of waiters) w();
  }
}
