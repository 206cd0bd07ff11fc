/**
 * @module analytics/errors
 * The analytics area's error codes, registered in the engine catalogue with zh-CN and en messages.
 * Owns: codes, their messages and retryability, and which HTTP status each maps to.
 * Does not: throw or log; stores throw `LinliError(code, details)` with these codes, or
 * AnalyticsInitError when init() fails (same code, a message naming the cause).
 */
import { EngineError, LinliError, registerErrors } from '../engine/errors.ts';

export const AnalyticsError = {
  NOT_READ_ONLY: 'ANALYTICS_NOT_READ_ONLY',
  QUERY_FAILED: 'ANALYTICS_QUERY_FAILED',
  TIMEOUT: 'ANALYTICS_TIMEOUT',
  UNAVAILABLE: 'ANALYTICS_UNAVAILABLE',
  BUSY: 'ANALYTICS_BUSY',
  BUFFER_FULL: 'ANALYTICS_BUFFER_FULL',
  INSERT_FAILED: 'ANALYTICS_INSERT_FAILED',
  DISABLED: 'ANALYTICS_DISABLED',
} as const;
export type AnalyticsErrorCode = (typeof AnalyticsError)[keyof typeof AnalyticsError];

registerErrors({
  [AnalyticsError.NOT_READ_ONLY]: {
    retryable: false,
    message: { 'zh-CN': '只允许一条只读查询（SELECT、SHOW、DESCRIBE、EXPLAIN、EXISTS）', en: 'Only one read-only statement is allowed (SELECT, SHOW, DESCRIBE, EXPLAIN, EXISTS)' },
  },
  [AnalyticsError.QUERY_FAILED]: {
    retryable: false,
    message: { 'zh-CN': '查询执行失败', en: 'The query failed' },
  },
  [AnalyticsError.TIMEOUT]: {
    retryable: false,
    message: { 'zh-CN': '查询超时，请缩小查询范围', en: 'The query took too long; narrow it down' },
  },
  [AnalyticsError.UNAVAILABLE]: {
    retryable: true,
    message: { 'zh-CN': '分析数据库暂时不可用，请稍后再试', en: 'The analytics database is unavailable; retry shortly' },
  },
  [AnalyticsError.BUSY]: {
    retryable: true,
    message: { 'zh-CN': '分析查询过多，请稍后再试', en: 'Too many analytics queries; retry shortly' },
  },
  [AnalyticsError.BUFFER_FULL]: {
    retryable: true,
    message: { 'zh-CN': '分析写入缓冲区已满', en: 'The analytics write buffer is full' },
  },
  [AnalyticsError.INSERT_FAILED]: {
    retryable: false,
    message: { 'zh-CN': '分析数据写入被拒绝', en: 'The analytics database rejected the rows' },
  },
  [AnalyticsError.DISABLED]: {
    retryable: false,
    message: { 'zh-CN': '本服务未开启数据分析（ANALYTICS_ENABLED=false）', en: 'Analytics is turned off on this server (ANALYTICS_ENABLED=false)' },
  },
});

/**
 * A store that cannot open, with a message that says why in words (the data path and the OS
 * reason, or the engine's answer), since startup prints only the message. Code ANALYTICS_UNAVAILABLE.
 */
export class AnalyticsInitError extends LinliError {
  constructor(text: string, details: Record<string, unknown>, options?: { cause?: unknown }) {
    super(AnalyticsError.UNAVAILABLE, details, options);
    this.name = 'AnalyticsInitError';
    this.message = `${AnalyticsError.UNAVAILABLE}: ${text}`;
  }
}

const STATUS: Readonly<Record<string, number>> = {
  [AnalyticsError.NOT_READ_ONLY]: 400,
  [AnalyticsError.QUERY_FAILED]: 400,
  [AnalyticsError.TIMEOUT]: 504,
  [AnalyticsError.UNAVAILABLE]: 503,
  [AnalyticsError.BUSY]: 503,
  [AnalyticsError.BUFFER_FULL]: 503,
  [AnalyticsError.INSERT_FAILED]: 500,
  [AnalyticsError.DISABLED]: 503,
  [EngineError.BAD_INPUT]: 400,
  [EngineError.PAYLOAD_TOO_LARGE]: 413,
};

/** The HTTP status a failure with this code is answered with (500 for anything unknown). */
export function httpStatusFor(code: string): number {
  return STATUS[code] ?? 500;
}

/** The ClickHouse exception code for a query that ran past `max_execution_time` (TIMEOUT_EXCEEDED). */
export const CLICKHOUSE_TIMEOUT_EXCEEDED = 159;
/** The ClickHouse exception code for a statement refused under `readonly=1` (READONLY). */
export const CLICKHOUSE_READONLY = 164;

/** Maps a ClickHouse exception code (from chDB or the server) to an analytics code for a failed query. */
export function codeForClickHouseError(clickhouseCode: number | undefined): AnalyticsErrorCode {
  if (clickhouseCode === CLICKHOUSE_TIMEOUT_EXCEEDED) return AnalyticsError.TIMEOUT;
  if (clickhouseCode === CLICKHOUSE_READONLY) return AnalyticsError.NOT_READ_ONLY;
  return AnalyticsError.QUERY_FAILED;
}

/** Reads `Code: 123.` from a ClickHouse exception message when the error object does not carry it. */
export function clickhouseCodeOf(message: string): number | undefined {
  const m = /Code: (\d+)\./.exec(message);
  return m ? Number(m[1]) : undefined;
}
