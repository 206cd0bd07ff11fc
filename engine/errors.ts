/**
 * @module engine/errors
 * The catalogue of error codes that cross a process or network boundary, each with a zh-CN and
 * an en message and whether retrying can help. Area catalogues (actors/<x>/errors.ts,
 * analytics/errors.ts) register here so that every code has one entry and docs/errors.md lists all.
 * Owns: codes, messages, retryability, the wire shape of a failure. Does not: log or send.
 */
export interface LocalizedText {
  readonly 'zh-CN': string;
  readonly en: string;
}

export interface ErrorSpec {
  readonly message: LocalizedText;
  readonly retryable: boolean;
}

export const EngineError = {
  BAD_INPUT: 'ENGINE_BAD_INPUT',
  UNKNOWN_MESSAGE: 'ENGINE_UNKNOWN_MESSAGE',
  PAYLOAD_TOO_LARGE: 'ENGINE_PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'ENGINE_RATE_LIMITED',
  ACTOR_BUSY: 'ENGINE_ACTOR_BUSY',
  NOT_FOUND: 'ENGINE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'ENGINE_METHOD_NOT_ALLOWED',
  UNAUTHORIZED: 'ENGINE_UNAUTHORIZED',
  INTERNAL: 'ENGINE_INTERNAL',
  JOURNAL_CONFLICT: 'ENGINE_JOURNAL_CONFLICT',
  JOURNAL_UNAVAILABLE: 'ENGINE_JOURNAL_UNAVAILABLE',
  JOURNAL_CORRUPT: 'ENGINE_JOURNAL_CORRUPT',
  ACTOR_FENCED: 'ENGINE_ACTOR_FENCED',
} as const;

const catalogue = new Map<string, ErrorSpec>([
  [EngineError.BAD_INPUT, { retryable: false, message: { 'zh-CN': '请求格式不正确', en: 'The request is malformed' } }],
  [EngineError.UNKNOWN_MESSAGE, { retryable: false, message: { 'zh-CN': '不支持的消息类型', en: 'Unknown message type' } }],
  [EngineError.PAYLOAD_TOO_LARGE, { retryable: false, message: { 'zh-CN': '消息太大', en: 'The message is too large' } }],
  [EngineError.RATE_LIMITED, { retryable: true, message: { 'zh-CN': '发送太频繁，请稍后再试', en: 'Too many messages; slow down and retry' } }],
  [EngineError.ACTOR_BUSY, { retryable: true, message: { 'zh-CN': '房间繁忙，请稍后再试', en: 'The room is busy; retry shortly' } }],
  [EngineError.NOT_FOUND, { retryable: false, message: { 'zh-CN': '找不到该对象', en: 'Not found' } }],
  [EngineError.METHOD_NOT_ALLOWED, { retryable: false, message: { 'zh-CN': '不支持该请求方法', en: 'Method not allowed for this path' } }],
  [EngineError.UNAUTHORIZED, { retryable: false, message: { 'zh-CN': '没有权限', en: 'Not allowed' } }],
  [EngineError.INTERNAL, { retryable: true, message: { 'zh-CN': '服务器内部错误', en: 'Internal server error' } }],
  [EngineError.JOURNAL_CONFLICT, { retryable: true, message: { 'zh-CN': '写入冲突，请重试', en: 'Write conflict; retry' } }],
  [EngineError.JOURNAL_UNAVAILABLE, { retryable: true, message: { 'zh-CN': '事件存储暂时不可用，本次操作未确认，请稍后重试', en: 'The event store is unavailable; this action was not confirmed, retry shortly' } }],
  [EngineError.JOURNAL_CORRUPT, { retryable: false, message: { 'zh-CN': '事件存储已损坏，需要运维人员处理', en: 'The event store is damaged; an operator must act' } }],
  [EngineError.ACTOR_FENCED, { retryable: true, message: { 'zh-CN': '该房间已由另一个副本接管，请重新连接', en: 'Another copy of this room has taken over; reconnect' } }],
]);

/** Adds an area's codes to the catalogue. Registering one code twice with another meaning throws at boot. */
export function registerErrors(specs: Record<string, ErrorSpec>): void {
  for (const [code, spec] of Object.entries(specs)) {
    const known = catalogue.get(code);
    if (known && known.message.en !== spec.message.en) throw new Error(`error code registered twice: ${code}`);
    catalogue.set(code, spec);
  }
}

export function errorSpec(code: string): ErrorSpec {
  return catalogue.get(code) ?? catalogue.get(EngineError.INTERNAL)!;
}

export function allErrorCodes(): string[] {
  return [...catalogue.keys()].sort();
}

/** The one wire shape of a failure. */
export interface Failure {
  readonly ok: false;
  readonly code: string;
  readonly message: LocalizedText;
  readonly retryable: boolean;
  readonly details?: Readonly<Record<string, unknown>>;
  /** The client's idempotency key of the command that failed, when it had one. */
  readonly key?: string;
}

export function failure(code: string, details?: Record<string, unknown>, key?: string): Failure {
  const spec = errorSpec(code);
  return {
    ok: false,
    code: catalogue.has(code) ? code : EngineError.INTERNAL,
    message: spec.message,
    retryable: spec.retryable,
    ...(details ? { details } : {}),
    ...(key !== undefined ? { key } : {}),
  };
}

/** Base for exceptions the engine throws; `code` comes from the catalogue. */
export class LinliError extends Error {
  readonly code: string;
  readonly details?: Record<string, unknown>;
  constructor(code: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(`${code}: ${errorSpec(code).message.en}`, options);
    this.name = 'LinliError';
    this.code = code;
    if (details) this.details = details;
  }
}
