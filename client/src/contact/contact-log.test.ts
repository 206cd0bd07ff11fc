import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONTACT_LIMITS } from '../../../actors/contact/contact-relay.ts';
import type { InboxEntry, OutboxEntry } from '../protocol.ts';
import { CONTACT_MAX_CHARS } from './contact-panel.tsx';
import { applyNotification, EMPTY_CONTACT_LOG, markAnswered, mergeInbox, mergeOutbox, type ContactLog } from './contact-log.ts';

const inbox = (id: string, at: number, answered = false): InboxEntry => ({
  requestId: id, from: { id: 'acct-a', name: '王阿姨' }, target: { kind: 'plate', plate: '京A12345' }, text: `t${id}`, at, answered,
});
const outbox = (id: string, at: number, answers: OutboxEntry['answers'] = []): OutboxEntry => ({ requestId: id, target: { kind: 'unit', unitId: 'b-1-101' }, text: `t${id}`, at, answers });
const answer = (name: string, at: number) => ({ name, text: `from ${name}`, at });

test('contact log: the same push arriving through several rooms → one inbox entry', () => {
  const n = { type: 'RequestReceived', entry: inbox('r1', 10) } as const;
  let log = EMPTY_CONTACT_LOG;
  for (let i = 0; i < 7; i++) log = applyNotification(log, n).log;
  assert.equal(log.inbox.length, 1);
});

test('contact log: a read and pushes in any order → merged by id, ordered by time, answered never goes back', () => {
  const live = mergeInbox([], [inbox('r2', 20)]);
  const read = mergeInbox(live, [inbox('r1', 10, true), inbox('r2', 20)]);
  assert.deepEqual(read.map((e) => e.requestId), ['r1', 'r2']);
  const mine = markAnswered({ inbox: read, outbox: [] }, 'r2');
  assert.equal(mergeInbox(mine.inbox, [inbox('r2', 20, false)]).find((e) => e.requestId === 'r2')?.answered, true, 'a stale read does not un-answer');
  assert.deepEqual(mergeInbox([], [inbox('a', 1), inbox('b', 2), inbox('c', 3)], 2).map((e) => e.requestId), ['b', 'c'], 'bounded: newest kept');
});

test('contact log: answers to my request → added once each; an answer to an unknown request asks for a reload', () => {
  let log: ContactLog = { inbox: [], outbox: [outbox('q1', 5)] };
  const n = { type: 'AnswerReceived', requestId: 'q1', answer: answer('李四', 7) } as const;
  log = applyNotification(log, n).log;
  log = applyNotification(log, n).log;
  log = applyNotification(log, { ...n, answer: answer('张三', 6) }).log;
  assert.deepEqual(log.outbox[0]!.answers.map((a) => a.name), ['张三', '李四']);
  const reread = mergeOutbox(log.outbox, [outbox('q1', 5, [answer('李四', 7)])]);
  assert.equal(reread[0]!.answers.length, 2, 'a read that lags a push keeps the pushed answer');
  const unknown = applyNotification(log, { ...n, requestId: 'elsewhere' });
  assert.equal(unknown.reload, true);
  assert.equal(unknown.log, log);
});

test('contact panel: its length limit is the relay\'s', () => {
  assert.equal(CONTACT_MAX_CHARS, DEFAULT_CONTACT_LIMITS.maxChars);
});
