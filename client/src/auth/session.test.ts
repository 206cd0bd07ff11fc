import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api.ts';
import type { Failure, SignedIn } from '../protocol.ts';
import { refreshAheadMs, SESSION_KEY, SessionKeeper, tokenLifetimeMs, type SessionState } from './session.ts';

/**
 * A fake world for the keeper: a manual clock and timer queue, an in-memory storage, and a refresh
 * endpoint that rotates tokens like the server (each refresh token works once) or fails as told.
 */
class World {
  now = 1_000_000;
  timers: { fn: () => void; at: number; id: number }[] = [];
  store = new Map<string, string>();
  issued = 0;
  live = new Set<string>();
  refreshCalls: string[] = [];
  failWith: ApiError | null = null;
  readonly storage = {
    getItem: (k: string) => this.store.get(k) ?? null,
    setItem: (k: string, v: string) => void this.store.set(k, v),
    removeItem: (k: string) => void this.store.delete(k),
  };

  /** A sign-in answer whose JWT says it lives `ttlS` seconds (issued on a server clock 1 h ahead). */
  answer(ttlS = 600): SignedIn {
    const n = ++this.issued;
    const serverNow = Math.floor(this.now / 1000) + 3600;
    const claims = Buffer.from(JSON.stringify({ iat: serverNow, exp: serverNow + ttlS })).toString('base64url');
    const refreshToken = `ses-1.r${n}`;
    this.live.add(refreshToken);
    return {
      accessToken: `h.${claims}.s${n}`, accessExpiresAt: (serverNow + ttlS) * 1000, refreshToken, refreshExpiresAt: this.now + 86_400_000,
      me: { accountId: 'acct-1', community: 'c', displayName: '王阿姨', phone: '138****0001', roles: [] },
    };
  }

  keeper(): SessionKeeper {
    let id = 0;
    return new SessionKeeper({
      storage: this.storage,
      refresh: async (token) => {
        this.refreshCalls.push(token);
        await Promise.resolve();
        if (this.failWith) throw this.failWith;
        if (!this.live.delete(token)) throw gone('IDENTITY_REFRESH_REUSED');
        return this.answer();
      },
      signOut: async () => ({ ok: true }),
      now: () => this.now,
      setTimer: (fn, ms) => {
        const t = { fn, at: this.now + ms, id: ++id };
        this.timers.push(t);
        return t.id;
      },
      clearTimer: (h) => {
        this.timers = this.timers.filter((t) => t.id !== h);
      },
    });
  }

  /** Moves the clock to `at`, firing due timers in order. */
  async advanceTo(at: number): Promise<void> {
    for (;;) {
      const due = this.timers.filter((t) => t.at <= at).sort((x, y) => x.at - y.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = due.at;
      due.fn();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    this.now = at;
  }
}

function gone(code: string, status = 401): ApiError {
  const failure: Failure = { ok: false, code, message: { 'zh-CN': code, en: code }, retryable: false };
  return new ApiError(code, status, failure);
}

test('tokenLifetimeMs: from the JWT\'s own iat/exp, so a skewed clock does not matter; else from the answer', () => {
  const w = new World();
  const a = w.answer(600);
  assert.equal(tokenLifetimeMs(a.accessToken, a.accessExpiresAt, w.now), 600_000);
  assert.equal(tokenLifetimeMs('not-a-jwt', w.now + 5000, w.now), 5000);
  assert.equal(refreshAheadMs(600_000), 60_000);
  assert.equal(refreshAheadMs(30_000), 6_000);
  assert.equal(refreshAheadMs(10_000), 5_000);
});

test('SessionKeeper: adopt → stored and refreshed ahead of expiry, on this machine\'s clock; the rotated tokens replace the old', async () => {
  const w = new World();
  const k = w.keeper();
  const first = k.adopt(w.answer(600));
  assert.equal(first.accessDeadline, w.now + 600_000, 'deadline on the local clock despite the server\'s hour ahead');
  assert.equal(JSON.parse(w.store.get(SESSION_KEY)!).refreshToken, first.refreshToken);
  await w.advanceTo(w.now + 600_000 - 60_001);
  assert.equal(w.refreshCalls.length, 0, 'not yet');
  await w.advanceTo(w.now + 1);
  assert.deepEqual(w.refreshCalls, [first.refreshToken]);
  const second = k.session!;
  assert.notEqual(second.accessToken, first.accessToken);
  assert.equal(JSON.parse(w.store.get(SESSION_KEY)!).refreshToken, second.refreshToken, 'the rotated refresh token is stored');
  await w.advanceTo(w.now + 1_200_000);
  assert.equal(w.refreshCalls.length, 3, 'keeps refreshing, each time with the newest token');
  assert.equal(k.state.kind, 'signed-in');
});

test('SessionKeeper: concurrent callers share one refresh (a second one would reuse the token and kill the session)', async () => {
  const w = new World();
  const k = w.keeper();
  k.adopt(w.answer(600));
  const [x, y, z] = await Promise.all([k.refresh(), k.refresh(), k.verify()]);
  assert.equal(w.refreshCalls.length, 1);
  assert.equal(x, y);
  assert.equal(z, true);
});

test('SessionKeeper: accessToken() refreshes a token about to end; a fresh one is returned as is', async () => {
  const w = new World();
  const k = w.keeper();
  const s = k.adopt(w.answer(600));
  assert.equal(await k.accessToken(), s.accessToken);
  w.now += 600_000 - 1000; // timers not fired: a sleeping tab
  const fresh = await k.accessToken();
  assert.notEqual(fresh, s.accessToken);
  assert.equal(w.refreshCalls.length, 1);
});

test('SessionKeeper: a refresh refused (session revoked) → signed out with the reason, storage cleared', async () => {
  const w = new World();
  const k = w.keeper();
  const states: SessionState[] = [];
  k.subscribe((s) => states.push(s));
  k.adopt(w.answer(600));
  w.failWith = gone('IDENTITY_SESSION_REVOKED');
  assert.equal(await k.verify(), false);
  assert.deepEqual(k.state.kind === 'signed-out' && k.state.reason?.code, 'IDENTITY_SESSION_REVOKED');
  assert.equal(w.store.has(SESSION_KEY), false);
  await assert.rejects(k.accessToken());
  assert.equal(k.state.kind === 'signed-out' && k.state.reason?.code, 'IDENTITY_SESSION_REVOKED', 'a later call keeps the reason');
});

test('SessionKeeper: a refresh that gets no answer (network, 503, 429) keeps the session and retries with backoff', async () => {
  const w = new World();
  const k = w.keeper();
  k.adopt(w.answer(600));
  w.failWith = new ApiError('Failed to fetch', 0);
  assert.equal(await k.verify(), true, 'not known to be gone');
  assert.equal(k.state.kind, 'signed-in');
  const retry = w.timers[0]!;
  assert.equal(retry.at - w.now, 2_000);
  w.failWith = new ApiError('busy', 429, undefined, 30);
  await w.advanceTo(retry.at);
  assert.equal(w.timers[0]!.at - w.now, 30_000, 'Retry-After is honoured');
  w.failWith = null;
  await w.advanceTo(w.timers[0]!.at);
  assert.equal(k.state.kind, 'signed-in');
  assert.equal(w.refreshCalls.length, 3);
});

test('SessionKeeper: call() retries once after IDENTITY_TOKEN_EXPIRED with a refreshed token', async () => {
  const w = new World();
  const k = w.keeper();
  k.adopt(w.answer(600));
  const seen: string[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = (async (_url: string, init: RequestInit) => {
    const auth = (init.headers as Record<string, string>).authorization!;
    seen.push(auth);
    const body = seen.length === 1
      ? { ok: false, code: 'IDENTITY_TOKEN_EXPIRED', message: { 'zh-CN': '过期', en: 'expired' }, retryable: true }
      : { ok: true, me: { accountId: 'acct-1' } };
    return new Response(JSON.stringify(body), { status: seen.length === 1 ? 401 : 200 });
  }) as typeof fetch;
  try {
    const r = await k.call<{ me: { accountId: string } }>('/api/me');
    assert.equal(r.me.accountId, 'acct-1');
    assert.equal(seen.length, 2);
    assert.notEqual(seen[0], seen[1], 'the retry carries the new token');
    assert.equal(w.refreshCalls.length, 1);
  } finally {
    globalThis.fetch = original;
  }
});

test('SessionKeeper: start() restores a fresh stored session, refreshes a stale one, and forgets an expired one', async () => {
  const w = new World();
  const k1 = w.keeper();
  const s = k1.adopt(w.answer(600));
  k1.stop();
  const k2 = w.keeper();
  await k2.start();
  assert.equal(k2.session?.accessToken, s.accessToken, 'restored without a request');
  assert.equal(w.refreshCalls.length, 0);
  w.now += 590_000;
  const k3 = w.keeper();
  await k3.start();
  assert.equal(w.refreshCalls.length, 1, 'stale: refreshed');
  assert.equal(k3.state.kind, 'signed-in');
  w.now += 2 * 86_400_000;
  const k4 = w.keeper();
  await k4.start();
  assert.deepEqual(k4.state, { kind: 'signed-out', reason: null });
  assert.equal(w.store.has(SESSION_KEY), false);
});

test('SessionKeeper: another tab rotated the tokens → this one adopts theirs instead of reusing its spent refresh token', async () => {
  const w = new World();
  const mine = w.keeper();
  const theirs = w.keeper();
  mine.adopt(w.answer(600));
  await theirs.start();
  await theirs.refresh(); // the other tab rotates; its storage write reaches this tab only as an event…
  w.now += 590_000;
  await mine.refresh(); // …which this tab missed: it re-reads storage before refreshing
  assert.equal(mine.state.kind, 'signed-in');
  assert.equal(w.refreshCalls.length, 2, 'the second refresh used the newest token, not the spent one');
  assert.equal(new Set(w.refreshCalls).size, 2);
  theirs.onStorage(SESSION_KEY, null);
  assert.deepEqual(theirs.state, { kind: 'signed-out', reason: null }, 'a sign-out in another tab signs this one out');
});
