import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTerminalClose, rejoinDelayMs, RoomLink, worstState } from './connection.ts';
import { translator } from './i18n.ts';

test('worstState: the weakest link wins; nothing joined → idle', () => {
  assert.equal(worstState([]), 'idle');
  assert.equal(worstState(['connected', 'connected']), 'connected');
  assert.equal(worstState(['connected', 'connecting']), 'connecting');
  assert.equal(worstState(['reconnecting', 'connecting']), 'reconnecting');
  assert.equal(worstState(['connected', 'offline', 'reconnecting']), 'offline');
  assert.equal(worstState(['connected', 'denied']), 'denied');
});

test('rejoinDelayMs: doubles from the minimum and stops at the cap', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => rejoinDelayMs(n, 500, 10_000)), [500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
});

test('isTerminalClose: auth and protocol closes are final; drops and shutdowns re-join', () => {
  assert.equal(isTerminalClose(4100), true);
  assert.equal(isTerminalClose(4101), true);
  assert.equal(isTerminalClose(1006), false);
  assert.equal(isTerminalClose(4001), false);
  assert.equal(isTerminalClose(4029), false);
});

test('translator: placeholders are filled in both languages; unknown ones stay visible', () => {
  assert.equal(translator('en')('parkingFree', { free: 3 }), '3 free');
  assert.equal(translator('zh-CN')('parkingFree', { free: 3 }), '空闲 3');
  assert.equal(translator('en')('online', {}), '{n} online');
  assert.match(translator('en')('attrOsm'), /© OpenStreetMap contributors \(ODbL\)/);
  assert.match(translator('zh-CN')('attrOsm'), /© OpenStreetMap contributors \(ODbL\)/);
});

/**
 * A stand-in for the SDK's Client and Room, just enough for RoomLink: joinById answers from a
 * script (a Room, or an error as the SDK throws it), and each Room lets the test deliver messages
 * and close codes. Extend `FakeRoom` when RoomLink starts using another Room member.
 */
class FakeRoom {
  readonly handlers = new Map<string, ((payload: unknown) => void)[]>();
  leave_: ((code: number, reason?: string) => void) | null = null;
  reconnection = { maxRetries: 15 };
  onDrop() {}
  onReconnect() {}
  onLeave(cb: (code: number, reason?: string) => void) {
    this.leave_ = cb;
  }
  onMessage(type: string, cb: (payload: unknown) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), cb]);
    return () => undefined;
  }
  async leave() {
    return 4000;
  }
  deliver(type: string, payload: unknown) {
    for (const cb of this.handlers.get(type) ?? []) cb(payload);
  }
}

class FakeClient {
  auth = { token: '' as string | undefined };
  readonly joins: { roomId: string; token: string | undefined }[] = [];
  constructor(readonly script: (Error | FakeRoom)[]) {}
  async joinById(roomId: string) {
    this.joins.push({ roomId, token: this.auth.token });
    const next = this.script.shift();
    if (!next) throw new Error('no more scripted joins');
    if (next instanceof Error) throw next;
    return next;
  }
}

function fakeAuth(alive = true) {
  let n = 0;
  const calls = { refresh: 0, verify: 0 };
  const auth = {
    session: { accessToken: 'tok-0' } as { accessToken: string } | null,
    async accessToken() {
      return `tok-${n}`;
    },
    async refresh() {
      calls.refresh++;
      n++;
    },
    async verify() {
      calls.verify++;
      if (alive) n++;
      return alive;
    },
  };
  return { auth, calls };
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

test('RoomLink: every join carries the session\'s current token; an expired token is refreshed and the join retried with the new one', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const room = new FakeRoom();
  const client = new FakeClient([new Error('IDENTITY_TOKEN_EXPIRED: The access token has expired; refresh it and retry'), room]);
  const { auth, calls } = fakeAuth();
  const states: string[] = [];
  const link = new RoomLink(client as never, 'bldg-1', auth, { lang: 'zh-CN' }, { attach: () => undefined, onState: (s) => states.push(s) });
  link.start();
  await settle();
  assert.equal(calls.refresh, 1);
  t.mock.timers.tick(rejoinDelayMs(1));
  await settle();
  assert.deepEqual(client.joins.map((j) => j.token), ['tok-0', 'tok-1'], 'the re-join used the refreshed token');
  assert.equal(link.state, 'connected');
  await link.close();
});

test('RoomLink: not allowed here (DIRECTORY_ROOM_FORBIDDEN) → denied with the localized reason, never retried', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const client = new FakeClient([new Error('DIRECTORY_ROOM_FORBIDDEN: You are not allowed into this room')]);
  const { auth } = fakeAuth();
  const denied: string[] = [];
  const link = new RoomLink(client as never, 'bldg-2', auth, { lang: 'zh-CN' }, { attach: () => undefined, onState: () => undefined, onDenied: (f) => denied.push(f.message['zh-CN']) });
  link.start();
  await settle();
  t.mock.timers.tick(60_000);
  await settle();
  assert.equal(link.state, 'denied');
  assert.deepEqual(denied, ['你没有进入该房间的权限']);
  assert.equal(client.joins.length, 1);
});

test('RoomLink: closed with 4100 after an error (session revoked) → the session is verified; gone → denied, no re-join', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const room = new FakeRoom();
  const client = new FakeClient([room]);
  const { auth, calls } = fakeAuth(false);
  const denied: string[] = [];
  const link = new RoomLink(client as never, 'bldg-1', auth, { lang: 'zh-CN' }, { attach: () => undefined, onState: () => undefined, onDenied: (f) => denied.push(f.code) });
  link.start();
  await settle();
  room.deliver('error', { ok: false, code: 'IDENTITY_SESSION_REVOKED', message: { 'zh-CN': '该登录会话已被注销，请重新登录', en: 'x' }, retryable: false });
  room.leave_!(4100, 'IDENTITY_SESSION_REVOKED');
  await settle();
  t.mock.timers.tick(60_000);
  await settle();
  assert.equal(calls.verify, 1);
  assert.deepEqual(denied, ['IDENTITY_SESSION_REVOKED']);
  assert.equal(client.joins.length, 1, 'a terminal close is never re-joined');
});

test('RoomLink: a network drop → re-joined with a fresh token; contact pushes reach the page from every room', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const first = new FakeRoom();
  const second = new FakeRoom();
  const client = new FakeClient([first, second]);
  const { auth } = fakeAuth();
  const pushes: unknown[] = [];
  const link = new RoomLink(client as never, 'lot-1', auth, { lang: 'en' }, { attach: () => undefined, onState: () => undefined, onContact: (n) => pushes.push(n) });
  link.start();
  await settle();
  first.deliver('contact', { type: 'AnswerReceived', requestId: 'q', answer: { name: 'a', text: 'b', at: 1 } });
  first.leave_!(1006);
  await auth.refresh(); // the token rotated meanwhile
  t.mock.timers.tick(rejoinDelayMs(1));
  await settle();
  assert.deepEqual(client.joins.map((j) => j.token), ['tok-0', 'tok-1']);
  assert.equal(pushes.length, 1);
  assert.ok(second.handlers.has('contact') && second.handlers.has('error'), 'the handlers are on the new room too');
  await link.close();
});
