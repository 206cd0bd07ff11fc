/**
 * @module analytics/testing/log
 * An AnalyticsLog that keeps every line and lets a test await one by level and message text, so a
 * test waits for the store's own lifecycle events (worker exited, restarted) instead of sleeping.
 * A wait that never matches fails with the lines seen. Extend `Level` if AnalyticsLog grows.
 */
import type { AnalyticsLog } from '../contract.ts';

type Level = 'info' | 'warn' | 'error';

export interface LogLine {
  readonly level: Level;
  readonly msg: string;
  readonly fields: Record<string, unknown>;
}

export interface WatchedLog extends AnalyticsLog {
  readonly lines: readonly LogLine[];
  /** Resolves with the first line (already logged or to come) at `level` whose message contains `text`. */
  next(level: Level, text: string, timeoutMs?: number): Promise<LogLine>;
}

export function watchedLog(): WatchedLog {
  const lines: LogLine[] = [];
  let waiters: Array<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  const write = (level: Level) => (msg: string, fields: Record<string, unknown> = {}) => {
    const line = { level, msg, fields };
    lines.push(line);
    waiters = waiters.filter((w) => {
      if (!w.match(line)) return true;
      w.resolve(line);
      return false;
    });
  };
  return {
    lines,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    next(level, text, timeoutMs = 30_000) {
      const match = (l: LogLine) => l.level === level && l.msg.includes(text);
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${level} line containing "${text}" within ${timeoutMs} ms; lines: ${JSON.stringify(lines.map((l) => `${l.level} ${l.msg}`))}`)), timeoutMs);
        waiters.push({ match, resolve: (l) => { clearTimeout(timer); resolve(l); } });
      });
    },
  };
}
