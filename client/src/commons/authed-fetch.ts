/**
 * @module client/commons/authed-fetch
 * A signed-in request that is not JSON-in/JSON-out (a CSV download, a voucher upload or read):
 * the session's access token, one refresh-and-retry on IDENTITY_TOKEN_EXPIRED (as auth/session's
 * `call` does for JSON), and a typed ApiError for any other refusal.
 */
import { ApiError, isFailure } from '../api.ts';
import type { LinkAuth } from '../connection.ts';

export async function authedFetch(auth: LinkAuth, path: string, init: RequestInit = {}): Promise<Response> {
  const once = async () => fetch(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${await auth.accessToken()}` } });
  let res = await once();
  let body: unknown;
  if (res.status === 401) {
    body = await res.json().catch(() => undefined);
    if (isFailure(body) && body.code === 'IDENTITY_TOKEN_EXPIRED') {
      await auth.refresh();
      res = await once();
      body = undefined;
    }
  }
  if (!res.ok) {
    body ??= await res.json().catch(() => undefined);
    throw new ApiError(`HTTP ${res.status}`, res.status, isFailure(body) ? body : undefined);
  }
  return res;
}
