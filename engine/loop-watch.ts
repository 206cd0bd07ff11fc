/**
 * @module engine/loop-watch
 * Notices when this process's event loop was blocked (a long synchronous stretch, or starvation):
 * a timer that should fire every `everyMs` checks how late it is. A stall over `warnMs` is logged
 * at warn (it delays every room and every lease renewal of the node) and counted.
 * Owns: one timer. Does not: find the cause (a CPU profile does).
 */
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';

export function watchEventLoop(log: Logger, metrics: Metrics, everyMs = 500, warnMs = 1000): () => void {
  let expected = performance.now() + everyMs;
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - expected;
    expected = now + everyMs;
    worst = Math.max(worst, late);
    metrics.set('event_loop_worst_delay_ms', 'Longest event-loop stall seen by this process, ms', {}, Math.round(worst));
    if (late > warnMs) {
      metrics.inc('event_loop_stalls_total', 'Event-loop stalls over the warning threshold');
      log.warn('event loop was blocked', { ms: Math.round(late) });
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
