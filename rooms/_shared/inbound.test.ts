/**
 * Unit tests of the inbound pipeline's pure parts: message validation and the per-client guard.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InboundGuard } from './inbound-guard.ts';
import { object, str, type Check } from './validate.ts';
import { CloseCode, isRetryableClose } from '../../engine/transport/close-codes.ts';
import { chatIn } from './chat-messages.ts';
import { noticeIn } from '../building/messages.ts';
import { alarmResolveIn } from '../community-map/messages.ts';

const chat = object<{ text: string; key: string }>({ text: str(10) as never, key: str(4) as never });

test('validate: well-formed object → ok with the value', () => {
  assert.deepEqual(chat({ text: 'hi', key: 'k' }, 'chat'), { ok: true, value: { text: 'hi', key: 'k' } });
});

test('validate: wrong type, missing field, unknown field, too long, lone surrogate → fails naming the field', () => {
  const cases: [unknown, string][] = [
    [{ text: 1, key: 'k' }, 'text'], [{ key: 'k' }, 'text'], [{ text: 'a', key: 'k', x: 1 }, 'x'],
    [{ text: 'a'.repeat(11), key: 'k' }, 'text'], [{ text: 'a\ud800', key: 'k' }, 'text'], [{ text: 'a', key: '\udc00' }, 'key'],
    [null, 'chat'], [[], 'chat'], ['str', 'chat'],
  ];
  for (const [input, field] of cases) {
    const r = chat(input, 'chat');
    assert.equal(r.ok, false, JSON.stringify(input));
    if (!r.ok) assert.equal(r.field, field, JSON.stringify(input));
  }
});

test('validate: a string over the UTF-16 cut that stands in for a domain limit → the domain code with the real limit, not ENGINE_BAD_INPUT', () => {
  const fail = (r: ReturnType<Check<unknown>>) => (r.ok ? null : { code: r.code, field: r.field, problem: r.problem, details: r.details });
  assert.deepEqual(fail(chatIn(500)({ text: 'x'.repeat(3000), key: 'k' }, 'chat')),
    { code: 'CHAT_TOO_LONG', field: 'text', problem: 'longer than 500 characters', details: { maxChars: 500 } });
  assert.deepEqual(fail(noticeIn(80, 2000)({ title: '题'.repeat(321), body: 'b', key: 'k' }, 'notice')),
    { code: 'BUILDING_NOTICE_TOO_LONG', field: 'title', problem: 'longer than 80 characters', details: { maxTitleChars: 80, maxChars: 2000 } });
  assert.deepEqual(fail(noticeIn(80, 2000)({ title: 't', body: 'b'.repeat(8001), key: 'k' }, 'notice')),
    { code: 'BUILDING_NOTICE_TOO_LONG', field: 'body', problem: 'longer than 2000 characters', details: { maxTitleChars: 80, maxChars: 2000 } });
  assert.deepEqual(fail(alarmResolveIn({ alarmId: 'a', note: 'n'.repeat(2001), key: 'k' }, 'alarm-resolve')),
    { code: 'ALARM_NOTE_TOO_LONG', field: 'note', problem: 'longer than 500 characters', details: { maxChars: 500 } });
  // Within the cut the actor decides (it counts code points); a plain cut stays ENGINE_BAD_INPUT.
  assert.equal(chatIn(500)({ text: '长'.repeat(501), key: 'k' }, 'chat').ok, true);
  assert.deepEqual(fail(chat({ text: 'a'.repeat(11), key: 'k' }, 'chat')), { code: undefined, field: 'text', problem: 'longer than 10', details: undefined });
});

test('inbound guard: within the per-second limit → accepted; over it → rate-limited; a new second → accepted again', () => {
  const g = new InboundGuard({ maxMessagesPerSecond: 3, maxViolations: 100 });
  assert.deepEqual([0, 1, 2].map((t) => g.onMessage(t).kind), ['accept', 'accept', 'accept']);
  assert.equal(g.onMessage(3).kind, 'rate-limited');
  assert.equal(g.onMessage(1000).kind, 'accept');
});

test('inbound guard: persistent flood → close with 4029 (retryable range)', () => {
  const g = new InboundGuard({ maxMessagesPerSecond: 1, maxViolations: 5 });
  const verdicts = Array.from({ length: 10 }, (_, i) => g.onMessage(i));
  const close = verdicts.find((v) => v.kind === 'close');
  assert.ok(close && close.kind === 'close');
  assert.equal(close.code, CloseCode.FLOOD);
  assert.equal(isRetryableClose(CloseCode.FLOOD), true);
});

test('inbound guard: repeated invalid messages → close with 4101 (terminal); violations expire after a minute', () => {
  const g = new InboundGuard({ maxMessagesPerSecond: 100, maxViolations: 3 });
  assert.deepEqual([0, 1, 2].map((t) => g.onInvalid(t).kind), ['accept', 'accept', 'accept']);
  const v = g.onInvalid(3);
  assert.equal(v.kind === 'close' && v.code, CloseCode.PROTOCOL_VIOLATION);
  assert.equal(isRetryableClose(CloseCode.PROTOCOL_VIOLATION), false);
  const fresh = new InboundGuard({ maxMessagesPerSecond: 100, maxViolations: 3 });
  for (let i = 0; i < 3; i++) fresh.onInvalid(i);
  assert.equal(fresh.onInvalid(70_000).kind, 'accept');
});
