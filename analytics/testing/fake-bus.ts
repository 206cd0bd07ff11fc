/**
 * @module analytics/testing/fake-bus
 * A minimal in-process Bus for analytics tests. It exists so that ingestion can be tested without
 * depending on engine/bus/memory.ts (which was not in the repo when analytics was written) and so
 * that tests can count deliveries. Semantics follow engine/bus/contract.ts: handlers run later in
 * a microtask batch, in publish order; `*` matches one token and `>` one or more trailing tokens;
 * a throwing handler is counted in `handlerErrors`, never rethrown.
 * Extend it by adding counters or hooks here; keep it free of timers so tests never sleep.
 * Not for production: the queue is unbounded (tests publish a known, small number of messages).
 */
import type { Bus, BusHandler, BusMessage, BusSubscription } from '../../engine/bus/contract.ts';

export class FakeBus implements Bus {
  readonly kind = 'fake';
  handlerErrors = 0;
  published = 0;
  private readonly subs: Array<{ pattern: string; handler: BusHandler }> = [];
  private queue: BusMessage[] = [];
  private scheduled = false;
  private idle: Array<() => void> = [];

  publish(subject: string, data: Uint8Array): void {
    this.published++;
    this.queue.push({ subject, data });
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.deliver());
    }
  }

  subscribe(pattern: string, handler: BusHandler): BusSubscription {
    const sub = { pattern, handler };
    this.subs.push(sub);
    return { unsubscribe: () => { const i = this.subs.indexOf(sub); if (i >= 0) this.subs.splice(i, 1); } };
  }

  flush(): Promise<void> {
    if (!this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    this.subs.length = 0;
  }

  private deliver(): void {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    for (const msg of batch) {
      for (const sub of [...this.subs]) {
        if (!matches(sub.pattern, msg.subject)) continue;
        try {
          sub.handler(msg);
        } catch {
          this.handlerErrors++; // counted for tests to assert on; the bus keeps delivering
        }
      }
    }
    if (!this.scheduled) for (const r of this.idle.splice(0)) r();
  }
}

function matches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
