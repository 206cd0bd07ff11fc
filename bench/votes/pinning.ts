/**
 * @module bench/votes/pinning
 * CPU pinning for the vote burst: with `taskset` and at least two CPUs allowed to this process, the
 * server's whole process tree (every thread, its chDB worker included) is pinned to one CPU and the
 * load generator (this process, every thread) to another, for the burst only; both are set back to
 * the CPUs they had afterwards, so the next server's set-up is not slowed. Without taskset, or with
 * one CPU, nothing is pinned and the label says so. Linli and the peer get the same treatment.
 * Other processes on the machine are not pinned away and may still share either CPU.
 */
import { execFileSync } from 'node:child_process';

export interface Pinning {
  /** e.g. `server cpu 0, generator cpu 1 (taskset)` or `none (no taskset)`. */
  readonly label: string;
  /** Puts every pinned process back on the CPUs it was allowed before. */
  release(): void;
}

const taskset = (args: string[]) => execFileSync('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** CPUs this process may run on, from `taskset -c -p` (e.g. "0,1" or "0-3"); null without taskset. */
function allowedCpus(): number[] | null {
  try {
    const list = taskset(['-c', '-p', String(process.pid)]).split(':').pop()!.trim();
    return list.split(',').flatMap((part) => {
      const [a, b] = part.split('-').map(Number);
      return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
    });
  } catch {
    return null;
  }
}

/** Pins `serverPids` (all threads) to one allowed CPU and this process to another. */
export function pinForBurst(serverPids: readonly number[]): Pinning {
  const cpus = allowedCpus();
  if (cpus === null) return { label: 'none (no taskset)', release: () => undefined };
  if (cpus.length < 2) return { label: `none (one cpu allowed: ${cpus.join(',')})`, release: () => undefined };
  const all = cpus.join(',');
  const [serverCpu, generatorCpu] = cpus;
  const pinned: number[] = [];
  try {
    for (const pid of serverPids) {
      try {
        taskset(['-a', '-c', '-p', String(serverCpu), String(pid)]);
        pinned.push(pid);
      } catch {
        // a short-lived helper that exited between the scan and now
      }
    }
    taskset(['-a', '-c', '-p', String(generatorCpu), String(process.pid)]);
  } catch (err) {
    release();
    return { label: `none (taskset failed: ${String((err as Error).message).split('\n')[0]})`, release: () => undefined };
  }
  function release(): void {
    for (const pid of [...pinned, process.pid]) {
      try { taskset(['-a', '-c', '-p', all, String(pid)]); } catch { /* gone already */ }
    }
  }
  return { label: `server cpu ${serverCpu} (${pinned.length} processes), generator cpu ${generatorCpu} (taskset)`, release };
}
