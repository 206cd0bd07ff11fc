/**
 * @module actors/_kit/scenario
 * Test kit for pure actors: `scenario(def).given(events).when(cmd).expectEvents([...])`, plus the
 * `checkReplay` and `checkJson` checks every actor suite runs (STYLE.md §10).
 * Why: actor tests should state history, command and outcome, not re-implement folding; and the
 * kit deep-freezes every state and event it hands to `decide`/`evolve`, so a mutation throws.
 * Not exported from actors/_kit/index.ts (production code never imports it); tests import this file.
 * Extend: add an `expect*` method to Outcome (keep it returning `this`), or a step check to `run`.
 */
import assert from 'node:assert/strict';
import { fold, type ActorDefinition } from './actor.ts';
import type { Decision } from './decision.ts';

type Def<S, C, E, Code extends string> = ActorDefinition<S, C, E, Code>;

/** Freezes a value and everything reachable from it, so that `decide` and `evolve` cannot mutate it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/** A JSON round trip: what a journal, a snapshot or the wire would give back. */
export function jsonRoundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function describeDecision(d: Decision<unknown, string>): string {
  return d.ok ? `accepted ${JSON.stringify(d.events)}` : `rejected ${d.code} ${JSON.stringify(d.details ?? {})}`;
}

function evolveAll<S, C, E, Code extends string>(def: Def<S, C, E, Code>, state: S, events: readonly E[]): S {
  let s = state;
  for (const e of events) s = def.evolve(deepFreeze(s), deepFreeze(e));
  return s;
}

/** History before the command under test. Immutable: every method returns a new Scenario. */
export class Scenario<S, C, E, Code extends string> {
  constructor(readonly def: Def<S, C, E, Code>, readonly history: readonly E[] = []) {}

  /** Appends events to the history. */
  given(events: readonly E[]): Scenario<S, C, E, Code> {
    return new Scenario(this.def, [...this.history, ...events]);
  }

  /** Appends the events these commands produce; fails the test if any of them is rejected. */
  givenCommands(commands: readonly C[]): Scenario<S, C, E, Code> {
    let state = this.state;
    const events = [...this.history];
    for (const c of commands) {
      const d = this.def.decide(deepFreeze(state), c);
      if (!d.ok) assert.fail(`given command ${JSON.stringify(c)} was ${describeDecision(d)}`);
      state = evolveAll(this.def, state, d.events);
      events.push(...d.events);
    }
    return new Scenario(this.def, events);
  }

  /** The state the history folds into. */
  get state(): S {
    return fold({ initial: this.def.initial, evolve: (s: S, e: E) => this.def.evolve(deepFreeze(s), deepFreeze(e)) }, this.history);
  }

  /** Asserts the state after the history: deep equality with a value, or a function that asserts. */
  expectState(expected: S | ((state: S) => void)): this {
    checkState(this.state, expected);
    return this;
  }

  /** Decides one command against the state the history folds into. */
  when(command: C): Outcome<S, C, E, Code> {
    const before = deepFreeze(this.state);
    return new Outcome(this.def, before, command, this.def.decide(before, command));
  }
}

function checkState<S>(actual: S, expected: S | ((state: S) => void)): void {
  if (typeof expected === 'function') (expected as (state: S) => void)(actual);
  else assert.deepStrictEqual(actual, expected);
}

/** The decision on one command, and the state after applying it. */
export class Outcome<S, C, E, Code extends string> {
  constructor(
    readonly def: Def<S, C, E, Code>,
    readonly before: S,
    readonly command: C,
    readonly decision: Decision<E, Code>,
  ) {}

  /** The events of an accepted decision; fails the test when the command was rejected. */
  get events(): readonly E[] {
    if (!this.decision.ok) return assert.fail(`expected the command to be accepted, but it was ${describeDecision(this.decision)}`);
    return this.decision.events;
  }

  /** The state after folding the decision's events (the state before, when rejected). */
  get after(): S {
    return this.decision.ok ? evolveAll(this.def, this.before, this.decision.events) : this.before;
  }

  expectEvents(expected: readonly E[]): this {
    assert.deepStrictEqual(this.events, expected);
    return this;
  }

  /** Accepted with no events: the command was already applied (idempotent) or changes nothing. */
  expectNoEvents(): this {
    assert.deepStrictEqual(this.events, []);
    return this;
  }

  /** Rejected with this code, and, when given, exactly these details. */
  expectError(code: Code, details?: Readonly<Record<string, unknown>>): this {
    const d = this.decision;
    if (d.ok) return assert.fail(`expected ${code}, but the command was ${describeDecision(d)}`);
    assert.equal(d.code, code, `expected ${code}, got ${describeDecision(d)}`);
    if (details !== undefined) assert.deepStrictEqual(d.details, details);
    return this;
  }

  /** Asserts the state after the decision's events: deep equality, or a function that asserts. */
  expectState(expected: S | ((state: S) => void)): this {
    checkState(this.after, expected);
    return this;
  }
}

/** Starts a scenario on an actor definition with an empty history. */
export function scenario<S, C, E, Code extends string>(def: Def<S, C, E, Code>): Scenario<S, C, E, Code> {
  return new Scenario(def);
}

/** One command of a run: its decision and the state after it. */
export interface Step<S, C, E, Code extends string> {
  readonly command: C;
  readonly decision: Decision<E, Code>;
  readonly state: S;
}

/** The result of driving commands through decide and evolve, one at a time. */
export interface Run<S, C, E, Code extends string> {
  readonly steps: readonly Step<S, C, E, Code>[];
  /** Every event accepted, in order. */
  readonly events: readonly E[];
  readonly state: S;
}

/** Drives commands one at a time, as the engine does; rejected commands leave the state unchanged. */
export function run<S, C, E, Code extends string>(def: Def<S, C, E, Code>, commands: readonly C[]): Run<S, C, E, Code> {
  let state = def.initial;
  const steps: Step<S, C, E, Code>[] = [];
  const events: E[] = [];
  for (const command of commands) {
    const decision = def.decide(deepFreeze(state), command);
    if (decision.ok) {
      state = evolveAll(def, state, decision.events);
      events.push(...decision.events);
    }
    steps.push({ command, decision, state });
  }
  return { steps, events, state };
}

/**
 * Asserts that folding every accepted event from `initial` gives the state reached step by step,
 * that every prefix folds to its step's state, and that decide is deterministic.
 */
export function checkReplay<S, C, E, Code extends string>(def: Def<S, C, E, Code>, commands: readonly C[]): Run<S, C, E, Code> {
  const r = run(def, commands);
  assert.deepStrictEqual(fold(def, r.events), r.state, 'folding all events differs from the state reached through decide');
  let before = def.initial;
  let folded = 0;
  for (const [i, step] of r.steps.entries()) {
    assert.deepStrictEqual(def.decide(before, step.command), step.decision, `decide is not deterministic at command ${i}`);
    if (step.decision.ok) folded += step.decision.events.length;
    assert.deepStrictEqual(fold(def, r.events.slice(0, folded)), step.state, `replaying the events up to command ${i} differs`);
    before = step.state;
  }
  return r;
}

/**
 * Asserts that commands, decisions (events and error details), and every state survive a JSON
 * round trip, that folding the round-tripped events gives the same state, and that a state
 * restored from JSON (a snapshot) decides every next command exactly as the live state did.
 */
export function checkJson<S, C, E, Code extends string>(def: Def<S, C, E, Code>, commands: readonly C[]): Run<S, C, E, Code> {
  const r = run(def, commands);
  let before = def.initial;
  for (const [i, step] of r.steps.entries()) {
    assert.deepStrictEqual(jsonRoundTrip(step.command), step.command, `command ${i} does not survive JSON`);
    assert.deepStrictEqual(jsonRoundTrip(step.decision), step.decision, `decision on command ${i} does not survive JSON`);
    assert.deepStrictEqual(jsonRoundTrip(step.state), step.state, `state after command ${i} does not survive JSON`);
    const restored = jsonRoundTrip(before);
    assert.deepStrictEqual(def.decide(restored, step.command), step.decision, `a snapshot restored from JSON decides command ${i} differently`);
    before = step.state;
  }
  assert.deepStrictEqual(fold(def, jsonRoundTrip(r.events)), r.state, 'folding JSON round-tripped events differs');
  return r;
}
