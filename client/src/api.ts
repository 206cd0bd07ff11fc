/**
 * @module client/api
 * HTTP reads the web app makes to its own origin: the community layout.
 * Owns: URLs and response checks. Does not: cache or retry (the caller offers a retry button).
 * A non-2xx answer that carries the Failure wire shape is surfaced with its localized message.
 */
import type { CommunityLayout } from '../../actors/community/layout.ts';
import type { Failure } from './protocol.ts';

export type { CommunityLayout };

export const COMMUNITY_URL = '/api/community';

/** Thrown for a failed read; `failure` is set when the server answered with the wire shape. */
export class ApiError extends Error {
  readonly status: number;
  readonly failure?: Failure;
  constructor(message: string, status: number, failure?: Failure) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    if (failure) this.failure = failure;
  }
}

export async function fetchCommunity(signal?: AbortSignal): Promise<CommunityLayout> {
  const res = await fetch(COMMUNITY_URL, { headers: { accept: 'application/json' }, signal });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const failure = isFailure(body) ? body : undefined;
    throw new ApiError(failure ? `${failure.code}: ${failure.message.en}` : `HTTP ${res.status}`, res.status, failure);
  }
  if (!isLayout(body)) throw new ApiError('the community answer is not a layout', res.status);
  return body;
}

function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as Failure).ok === false && typeof (value as Failure).code === 'string';
}

function isLayout(value: unknown): value is CommunityLayout {
  const v = value as CommunityLayout | null;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && Array.isArray(v.buildings) && Array.isArray(v.lots) && typeof v.bounds === 'object';
}
