/**
 * @module rooms/_shared/inbound-guard
 * Per-client inbound limits: messages per second and invalid messages per minute.
 * Owns: counting and the verdict (accept, reject as rate-limited, or close with a code).
 * Does not: send or close anything itself; time comes from the caller.
 * Concurrency: one guard per client, used from the room's event loop only.
 * Overflow: over the per-second limit a message is refused (ENGINE_RATE_LIMITED); when refusals
 * and invalid messages pass `maxViolations` within a minute the verdict is to close (4003 flood,
 * 4101 protocol violation).
 */
import { CloseCode } from '../../engine/transport/close-codes.ts';

export interface GuardLimits {
  readonly maxMessagesPerSecond: number;
  readonly maxViolations: number;
}

export type Verdict =
  | { readonly kind: 'accept' }
  | { readonly kind: 'rate-limited' }
  | { readonly kind: 'close'; readonly code: number };

const VIOLATION_WINDOW_MS = 60_000;

export class InboundGuard {
  private windowStart = 0;
  private inWindow = 0;
  private violationsStart = 0;
  private floods = 0;
  private invalid = 0;

  constructor(private readonly limits: GuardLimits) {}

  /** Called for every inbound message before it is parsed. */
  onMessage(now: number): Verdict {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    this.inWindow++;
    if (this.inWindow <= this.limits.maxMessagesPerSecond) return { kind: 'accept' };
    this.rollViolations(now);
    this.floods++;
    if (this.floods + this.invalid > this.limits.maxViolations) return { kind: 'close', code: CloseCode.FLOOD };
    return { kind: 'rate-limited' };
  }

  /** Called when a message failed validation; returns a close verdict when the client keeps doing it. */
  onInvalid(now: number): Verdict {
    this.rollViolations(now);
    this.invalid++;
    if (this.floods + this.invalid > this.limits.maxViolations) return { kind: 'close', code: CloseCode.PROTOCOL_VIOLATION };
    return { kind: 'accept' };
  }

  private rollViolations(now: number): void {
    if (now - this.violationsStart >= VIOLATION_WINDOW_MS) {
      this.violationsStart = now;
      this.floods = 0;
      this.invalid = 0;
    }
  }
}
