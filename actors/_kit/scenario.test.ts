/**
 * Tests of the actor test kit itself: each check must fail on the defect it exists to catch,
 * or every actor suite that relies on it would pass vacuously.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineActor, accept, reject, type Decision } from './index.ts';
import { scenario, checkReplay, checkJson } from './scenario.ts';

type Cmd = { type: 'Add'; by: number };
type Ev = { type: 'Added'; v: 1; by: number };
type St = { total: number; log: number[] };

const decide = (s: St, c: Cmd): Decision<Ev, 'NEG'> =>
  c.by < 0 ? reject('NEG', { by: c.by }) : c.by === 0 ? accept() : accept({ type: 'Added', v: 1, by: c.by });
const evolve = (s: St, e: Ev): St => ({ total: s.total + e.by, log: [...s.log, e.by] });
const counter = defineActor({ type: 'counter', initial: { total: 0, log: [] } as St, decide, evolve });
const add = (by: number): Cmd => ({ type: 'Add', by });

test('scenario: given events, when command → expectEvents and expectState pass on the right outcome', () => {
  scenario(counter).given([{ type: 'Added', v: 1, by: 2 }]).when(add(3))
    .expectEvents([{ type: 'Added', v: 1, by: 3 }])
    .expectState({ total: 5, log: [2, 3] });
  scenario(counter).givenCommands([add(1), add(0)]).when(add(0)).expectNoEvents().expectState((s) => assert.equal(s.total, 1));
  scenario(counter).when(add(-1)).expectError('NEG', { by: -1 }).expectState({ total: 0, log: [] });
});

test('scenario: expectation that does not match the decision → AssertionError', () => {
  assert.throws(() => scenario(counter).when(add(1)).expectError('NEG'), assert.AssertionError);
  assert.throws(() => scenario(counter).when(add(-1)).expectEvents([]), assert.AssertionError);
  assert.throws(() => scenario(counter).when(add(-1)).expectError('NEG', { by: -2 }), assert.AssertionError);
  assert.throws(() => scenario(counter).when(add(1)).expectNoEvents(), assert.AssertionError);
  assert.throws(() => scenario(counter).givenCommands([add(-1)]), assert.AssertionError);
});

test('scenario: decide or evolve mutating its state → TypeError (states are frozen)', () => {
  const mutatingDecide = defineActor({ ...counter, initial: { total: 0, log: [] } as St, decide: (s: St, c: Cmd) => { s.log.push(c.by); return decide(s, c); } });
  assert.throws(() => scenario(mutatingDecide).when(add(1)), TypeError);
  const mutatingEvolve = defineActor({ ...counter, initial: { total: 0, log: [] } as St, evolve: (s: St, e: Ev) => { s.total += e.by; return s; } });
  assert.throws(() => scenario(mutatingEvolve).when(add(1)).expectState({ total: 1, log: [] }), TypeError);
});

test('checkReplay: evolve with hidden state → AssertionError', () => {
  let calls = 0;
  const impure = defineActor({ ...counter, initial: { total: 0, log: [] } as St, evolve: (s: St, e: Ev) => ({ total: s.total + e.by + calls++, log: s.log }) });
  assert.throws(() => checkReplay(impure, [add(1), add(2)]), assert.AssertionError);
  assert.equal(checkReplay(counter, [add(1), add(-1), add(0), add(2)]).state.total, 3);
});

test('checkJson: state holding undefined, NaN or -0 → AssertionError', () => {
  for (const bad of [undefined, NaN, -0]) {
    const lossy = defineActor({ ...counter, initial: { total: 0, log: [] } as St, evolve: (s: St, e: Ev) => ({ ...evolve(s, e), extra: bad }) });
    assert.throws(() => checkJson(lossy, [add(1)]), assert.AssertionError);
  }
  checkJson(counter, [add(1), add(-1), add(0)]);
});
