/**
 * Tests of the page's parking log: answers and pushes merge into one hold, a push repeated by
 * every open room applies once, session dues appear and clear.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HoldNotification, HoldView, SessionNotification } from '../protocol.ts';
import { applyPush, EMPTY_PARKING_LOG, withHold } from './parking-log.ts';

const view = (bayId: string, holdId = 'h1'): HoldView => ({ holdId, lotId: 'lot-1', bayId, bayAt: [116, 40], until: 5000, gateId: 'g', plate: null, route: null });
const push = (step: HoldNotification['step'], hold: HoldView | null, at: number, holdId = 'h1', reason: HoldNotification['reason'] = null): HoldNotification =>
  ({ kind: 'hold', step, reason, holdId, lotId: 'lot-1', bayId: hold?.bayId ?? 'b1', hold, at });

test('parking log: answer then the held push from seven rooms → one hold, one step', () => {
  let log = withHold(EMPTY_PARKING_LOG, view('b1'));
  for (let i = 0; i < 7; i++) log = applyPush(log, push('held', view('b1'), 100));
  assert.equal(log.hold?.bayId, 'b1');
  assert.equal(log.seen.length, 1);
});

test('parking log: moved → the new bay; released → no hold, the step kept to tell', () => {
  let log = applyPush(withHold(EMPTY_PARKING_LOG, view('b1')), push('moved', view('b2'), 200, 'h1', 'taken'));
  assert.equal(log.hold?.bayId, 'b2');
  log = applyPush(log, push('released', null, 300, 'h1', 'expired'));
  assert.equal(log.hold, null);
  assert.deepEqual([log.last?.kind, log.last?.kind === 'hold' && log.last.reason], ['hold', 'expired']);
});

test('parking log: a step of an older hold → the current hold stays', () => {
  const log = applyPush(withHold(EMPTY_PARKING_LOG, view('b3', 'h2')), push('released', null, 300, 'h1', 'cancelled'));
  assert.equal(log.hold?.holdId, 'h2');
});

test('parking log: session due → listed with the amount; closed → cleared', () => {
  const s = (step: SessionNotification['step'], at: number): SessionNotification => ({ kind: 'session', step, sessionId: 's1', plate: '京A12345', gateId: 'g', dueFen: step === 'due' ? 1800 : 0, feeFen: 1800, at });
  let log = applyPush(EMPTY_PARKING_LOG, s('due', 10));
  assert.equal(log.dues.s1?.dueFen, 1800);
  log = applyPush(log, s('closed', 20));
  assert.deepEqual(log.dues, {});
});
