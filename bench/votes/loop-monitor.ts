/**
 * @module bench/votes/loop-monitor
 * The longest event-loop block of a benchmark server, measured in that process with
 * perf_hooks.monitorEventLoopDelay (10 ms resolution), reset by the parent right before a burst
 * (IPC `{ type: 'reset-loop' }`) and read back through the child's counters.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export function loopMonitor(): () => Record<string, number> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'reset-loop') h.reset();
  });
  return () => ({ eventLoopMaxMs: h.max / 1e6, eventLoopP99Ms: h.percentile(99) / 1e6, eventLoopMeanMs: h.mean / 1e6 });
}
