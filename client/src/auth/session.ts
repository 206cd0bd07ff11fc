/**
 * @module client/auth/session
 * The signed-in session of this browser: its tokens in localStorage (`linli.session`), an access
 * token refreshed before it expires, signed-in HTTP calls that refresh once on
 * IDENTITY_TOKEN_EXPIRED, and the way back to sign-in when the session is gone.
 * Owns: tokens, their rotation and persistence, the signed-in/out state. Does not: render, or
 * decide what a room refusal means (auth/access does).
 * Concurrency: one refresh at a time per page (single flight) and per browser (Web Locks where the
 * page is a secure context): refresh tokens rotate and the server revokes a session whose refresh
 * token is used twice, so a tab that finds a newer session in storage adopts it instead of
 * refreshing; `storage` events carry other tabs' rotations and sign-outs here.
 * Clock: the refresh deadline is measured on this machine's clock from the token's own lifetime
 * (`exp - iat`), so a skewed clock does not refresh too late.
 */
import { ApiError, requestJson } from '../api.ts';
import type { Failure, Me, SignedIn } from '../protocol.ts';
import { TOKEN_EXPIRED, refusalOf } from './access.ts';
import type { Authed } from './auth-api.ts';

export const SESSION_KEY = 'linli.session';
/** Refresh this share of the access token's lifetime before it ends … */
export const REFRESH_AHEAD_SHARE = 0.2;
/** … but at least this long before and at most this long before. */
export const DEFAULT_REFRESH_AHEAD_MIN_MS = 5_000;
export const DEFAULT_REFRESH_AHEAD_MAX_MS = 60_000;
/** Retry delays after a refresh that failed for a transient reason (network, 5xx, 429): doubling, capped. */
export const DEFAULT_REFRESH_RETRY_MIN_MS = 2_000;
export const DEFAULT_REFRESH_RETRY_MAX_MS = 60_000;

export interface StoredSession {
  readonly accessToken: string;
  /** Epoch ms on the server's clock, as answered. */
  readonly accessExpiresAt: number;
  /** Epoch ms on this machine's clock when the access token ends. */
  readonly accessDeadline: number;
  readonly accessLifetimeMs: number;
  readonly refreshToken: string;
  readonly refreshExpiresAt: number;
  readonly me: Me;
}

export type SessionState =
  | { readonly kind: 'restoring' }
  /** `reason`: why the page left a session (shown on the sign-in screen); null after a sign-out. */
  | { readonly kind: 'signed-out'; readonly reason: Failure | null }
  | { readonly kind: 'signed-in'; readonly session: StoredSession };

export interface SessionDeps {
  readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined;
  readonly refresh: (refreshToken: string) => Promise<SignedIn>;
  readonly signOut: (accessToken: string) => Promise<unknown>;
  readonly now: () => number;
  readonly setTimer: (fn: () => void, ms: number) => unknown;
  readonly clearTimer: (handle: unknown) => void;
  /** Runs `fn` holding a browser-wide lock; absent where Web Locks are not available. */
  readonly lock?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

/** How long before its end an access token of this lifetime is refreshed. */
export function refreshAheadMs(lifetimeMs: number): number {
  return Math.min(DEFAULT_REFRESH_AHEAD_MAX_MS, Math.max(DEFAULT_REFRESH_AHEAD_MIN_MS, lifetimeMs * REFRESH_AHEAD_SHARE));
}

/** The token's lifetime from its own claims (`exp - iat`), or from the answer's expiry when unreadable. */
export function tokenLifetimeMs(token: string, accessExpiresAt: number, now: number): number {
  try {
    const part = token.split('.')[1] ?? '';
    const claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { iat?: unknown; exp?: unknown };
    if (typeof claims.iat === 'number' && typeof claims.exp === 'number' && claims.exp > claims.iat) return (claims.exp - claims.iat) * 1000;
  } catch {
    // Not a readable JWT: fall back to the answer's expiry on the server's clock.
  }
  return Math.max(0, accessExpiresAt - now);
}

export function toStored(r: SignedIn, receivedAt: number): StoredSession {
  const lifetime = tokenLifetimeMs(r.accessToken, r.accessExpiresAt, receivedAt);
  return {
    accessToken: r.accessToken, accessExpiresAt: r.accessExpiresAt, accessDeadline: receivedAt + lifetime, accessLifetimeMs: lifetime,
    refreshToken: r.refreshToken, refreshExpiresAt: r.refreshExpiresAt, me: r.me,
  };
}

function parseStored(raw: string | null | undefined): StoredSession | null {
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as StoredSession;
    return typeof s.accessToken === 'string' && typeof s.refreshToken === 'string' && typeof s.accessDeadline === 'number' && typeof s.me?.accountId === 'string' ? s : null;
  } catch {
    return null; // unreadable: treated as no session
  }
}

/** A refusal that ends the session: any 4xx but 429 (a network error, 5xx or 429 may pass). */
function isFinal(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429;
}

const SIGNED_OUT: SessionState = { kind: 'signed-out', reason: null };

export class SessionKeeper {
  readonly #d: SessionDeps;
  #state: SessionState = { kind: 'restoring' };
  readonly #listeners = new Set<(s: SessionState) => void>();
  #inFlight: Promise<StoredSession> | null = null;
  #timer: unknown;
  #retries = 0;

  constructor(deps: SessionDeps) {
    this.#d = deps;
  }

  get state(): SessionState {
    return this.#state;
  }

  /** The session now, or null when signed out or still restoring. */
  get session(): StoredSession | null {
    return this.#state.kind === 'signed-in' ? this.#state.session : null;
  }

  subscribe(listener: (s: SessionState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Restores the stored session: kept while its access token is fresh, refreshed otherwise. */
  async start(): Promise<void> {
    const stored = parseStored(this.#d.storage?.getItem(SESSION_KEY));
    if (!stored || stored.refreshExpiresAt <= this.#d.now()) {
      if (stored) this.#d.storage?.removeItem(SESSION_KEY);
      this.#set(SIGNED_OUT);
      return;
    }
    this.#set({ kind: 'signed-in', session: stored });
    if (this.#fresh(stored)) this.#schedule(stored);
    else await this.refresh().catch(() => undefined); // the outcome is in the state
  }

  /** After a sign-in, sign-up or setup answer. */
  adopt(r: SignedIn): StoredSession {
    const s = toStored(r, this.#d.now());
    this.#d.storage?.setItem(SESSION_KEY, JSON.stringify(s));
    this.#retries = 0;
    this.#set({ kind: 'signed-in', session: s });
    this.#schedule(s);
    return s;
  }

  /** A newer profile (after a rename or a redeemed invite). */
  updateMe(me: Me): void {
    const s = this.session;
    if (!s) return;
    const next = { ...s, me };
    this.#d.storage?.setItem(SESSION_KEY, JSON.stringify(next));
    this.#set({ kind: 'signed-in', session: next });
  }

  /** A fresh access token: the current one, or a refreshed one when it is about to end. */
  async accessToken(): Promise<string> {
    const s = this.session;
    if (!s) throw new ApiError('signed out', 401);
    return this.#fresh(s) ? s.accessToken : (await this.refresh()).accessToken;
  }

  /** Rotates the tokens now. Concurrent callers share one request. */
  refresh(): Promise<StoredSession> {
    this.#inFlight ??= this.#locked(() => this.#refreshOnce()).finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /**
   * Something said this session is gone (a room closed with 4100, a refused join): refresh once
   * to find out. True when the session lives on (with new tokens); false once back at sign-in.
   * A transient refresh failure keeps the session (true) and leaves the retry to the timer.
   */
  async verify(): Promise<boolean> {
    try {
      await this.refresh();
      return true;
    } catch (error) {
      return !isFinal(error);
    }
  }

  /** Signed-in JSON call: a fresh token, one refresh-and-retry on IDENTITY_TOKEN_EXPIRED, sign-in again when the session is gone. */
  readonly call: Authed = async <T>(path: string, body?: unknown): Promise<T> => {
    const once = async () => requestJson<T>(path, { body, token: await this.accessToken() });
    try {
      return await once();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === TOKEN_EXPIRED) {
        await this.refresh();
        return once();
      }
      if (refusalOf(error.code) === 'session-gone') await this.verify();
      throw error;
    }
  };

  /** Ends the session here and on the server (best effort: the tokens are forgotten either way). */
  async signOut(): Promise<void> {
    const s = this.session;
    this.end(null);
    if (s) await this.#d.signOut(s.accessToken).catch(() => undefined); // already gone server-side: nothing to undo
  }

  /** Back to sign-in, showing `reason` when there is one. */
  end(reason: Failure | null): void {
    this.#d.clearTimer(this.#timer);
    this.#d.storage?.removeItem(SESSION_KEY);
    this.#set({ kind: 'signed-out', reason });
  }

  /** Another tab wrote the session (rotated it, or signed out): follow it. */
  onStorage(key: string | null, value: string | null): void {
    if (key !== SESSION_KEY && key !== null) return;
    const next = parseStored(value);
    if (!next) {
      if (this.session) this.#set(SIGNED_OUT);
      this.#d.clearTimer(this.#timer);
      return;
    }
    this.#set({ kind: 'signed-in', session: next });
    this.#schedule(next);
  }

  stop(): void {
    this.#d.clearTimer(this.#timer);
    this.#listeners.clear();
  }

  #fresh(s: StoredSession): boolean {
    return this.#d.now() < s.accessDeadline - refreshAheadMs(s.accessLifetimeMs);
  }

  async #refreshOnce(): Promise<StoredSession> {
    const mine = this.session;
    const stored = parseStored(this.#d.storage?.getItem(SESSION_KEY));
    // Another tab rotated the tokens while this one waited: theirs is the live refresh token.
    if (stored && mine && stored.refreshToken !== mine.refreshToken && this.#fresh(stored)) {
      this.#set({ kind: 'signed-in', session: stored });
      this.#schedule(stored);
      return stored;
    }
    const token = stored?.refreshToken ?? mine?.refreshToken;
    if (!token) throw new ApiError('signed out', 401);
    try {
      return this.adopt(await this.#d.refresh(token));
    } catch (error) {
      if (isFinal(error)) {
        this.end(error.failure ?? null);
      } else {
        this.#retries += 1;
        const backoff = Math.min(DEFAULT_REFRESH_RETRY_MAX_MS, DEFAULT_REFRESH_RETRY_MIN_MS * 2 ** (this.#retries - 1));
        const hinted = error instanceof ApiError && error.retryAfterS ? error.retryAfterS * 1000 : 0;
        this.#later(Math.max(backoff, hinted));
      }
      throw error;
    }
  }

  #locked<T>(fn: () => Promise<T>): Promise<T> {
    return this.#d.lock ? this.#d.lock('linli.session.refresh', fn) : fn();
  }

  #schedule(s: StoredSession): void {
    this.#later(s.accessDeadline - refreshAheadMs(s.accessLifetimeMs) - this.#d.now());
  }

  #later(ms: number): void {
    this.#d.clearTimer(this.#timer);
    this.#timer = this.#d.setTimer(() => void this.refresh().catch(() => undefined), Math.max(0, ms)); // outcome is in the state
  }

  #set(state: SessionState): void {
    this.#state = state;
    for (const l of this.#listeners) l(state);
  }
}

/** The keeper of a browser page: real fetch, timers, localStorage and Web Locks when available. */
export function browserSessionKeeper(storage: Storage | undefined, api: Pick<SessionDeps, 'refresh' | 'signOut'>): SessionKeeper {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return new SessionKeeper({
    storage,
    ...api,
    now: () => Date.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    ...(locks ? { lock: <T,>(name: string, fn: () => Promise<T>) => locks.request(name, fn) as Promise<T> } : {}),
  });
}
