/**
 * Scenario tests of the security log actor: known events recorded as given, unknown ones refused,
 * long details cut.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario } from '../_kit/scenario.ts';
import { createSecurityLogActor, type SecurityRecord } from './security-log.ts';

const log = createSecurityLogActor();
const rec = (more: Partial<SecurityRecord> = {}): SecurityRecord => ({
  type: 'Record', event: 'JoinDenied', accountId: 'acct-1', by: null, code: 'DIRECTORY_ROOM_FORBIDDEN', detail: 'building/bldg-1', ip: '10.0.0.7', at: 1000, ...more,
});

test('security log Record: a known event → one event of that type with its fields; the count grows', () => {
  scenario(log).when(rec())
    .expectEvents([{ type: 'JoinDenied', v: 1, accountId: 'acct-1', by: null, code: 'DIRECTORY_ROOM_FORBIDDEN', detail: 'building/bldg-1', ip: '10.0.0.7', at: 1000 }])
    .expectState((s) => assert.equal(s.count, 1));
});

test('security log Record: an unknown event type → SECURITY_UNKNOWN_EVENT', () => {
  scenario(log).when(rec({ event: 'Whatever' as never })).expectError('SECURITY_UNKNOWN_EVENT');
});

test('security log Record: a 1000-character detail → cut to 200; a long address → cut to 64', () => {
  const d = log.decide(log.initial, rec({ detail: 'x'.repeat(1000), ip: 'y'.repeat(100) }));
  assert.ok(d.ok);
  assert.equal(d.ok && d.events[0].detail.length, 200);
  assert.equal(d.ok && d.events[0].ip?.length, 64);
});
