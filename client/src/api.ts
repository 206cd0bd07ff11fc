/**
 * @module client/api
 * HTTP to the page's own origin: the public community layout, and one JSON request helper that
 * every API module (auth, directory, contact) goes through.
 * Owns: URLs of public reads, response checks, turning a failure answer into an ApiError.
 * Does not: cache, retry or add credentials (auth/session does that for signed-in calls).
 * A non-2xx answer that carries the Failure wire shape is surfaced with its localized message;
 * anything else (network down, a proxy's HTML page) becomes an ApiError with status 0 or the HTTP status.
 */
import type { CommunityLayout } from '../../actors/community/layout.ts';
import type { Failure } from './protocol.ts';

export type { CommunityLayout };

export const COMMUNITY_URL = '/api/community';

/** Thrown for a failed request; `failure` is set when the server answered with the wire shape. */
export class ApiError extends Error {
  /** HTTP status, or 0 when no answer arrived (network, abort). */
  readonly status: number;
  readonly failure?: Failure;
  /** Seconds from a 429's Retry-After header, when given. */
  readonly retryAfterS?: number;
  constructor(message: string, status: number, failure?: Failure, retryAfterS?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    if (failure) this.failure = failure;
    if (retryAfterS !== undefined) this.retryAfterS = retryAfterS;
  }

  get code(): string | undefined {
    return this.failure?.code;
  }
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  /** An object is sent as JSON; a string as text (the unit register CSV). */
  readonly body?: unknown;
  readonly token?: string;
  readonly signal?: AbortSignal;
}

/** One request to the API; resolves with the JSON body of a 2xx answer, throws ApiError otherwise. */
export async function requestJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (typeof options.body === 'string') {
    headers['content-type'] = 'text/csv; charset=utf-8';
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(path, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: options.signal });
  } catch (error) {
    throw new ApiError(error instanceof Error ? error.message : String(error), 0);
  }
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const failure = isFailure(json) ? json : undefined;
    const retry = Number(res.headers.get('retry-after'));
    throw new ApiError(failure ? `${failure.code}: ${failure.message.en}` : `HTTP ${res.status}`, res.status, failure, Number.isFinite(retry) && retry > 0 ? retry : undefined);
  }
  if (json === undefined) throw new ApiError('the answer is not JSON', res.status);
  return json as T;
}

/** Client-side failure for a request that got no usable answer; it never crosses the wire. */
export const NO_ANSWER: Failure = {
  ok: false,
  code: 'CLIENT_NO_ANSWER',
  message: { 'zh-CN': '服务器没有回应，请检查网络后重试', en: 'The server did not answer; check the connection and retry' },
  retryable: true,
};

/** What to show for a failed request: the server's failure, or NO_ANSWER. */
export function failureOf(error: unknown): Failure {
  return error instanceof ApiError && error.failure ? error.failure : NO_ANSWER;
}

export async function fetchCommunity(signal?: AbortSignal): Promise<CommunityLayout> {
  const body = await requestJson<unknown>(COMMUNITY_URL, { signal });
  if (!isLayout(body)) throw new ApiError('the community answer is not a layout', 200);
  return body;
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as Failure).ok === false && typeof (value as Failure).code === 'string'
    && typeof (value as Failure).message === 'object' && (value as Failure).message !== null;
}

function isLayout(value: unknown): value is CommunityLayout {
  const v = value as CommunityLayout | null;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && Array.isArray(v.buildings) && Array.isArray(v.lots) && typeof v.bounds === 'object';
}
