/**
 * @module actors/_kit/actor
 * The definition of an actor kind: its initial state and its pure `decide` and `evolve`.
 * Owns: the ActorDefinition shape. Does not: store, schedule or time anything (engine/ does).
 * Concurrency: definitions are immutable; the engine runs one command at a time per actor.
 */
import type { Decision } from './decision.ts';

export interface ActorDefinition<S, C, E, Code extends string> {
  /** The kind name, used in stream names and subjects (`building`, `parking-lot`, …). */
  readonly type: string;
  readonly initial: S;
  decide(state: S, command: C): Decision<E, Code>;
  evolve(state: S, event: E): S;
}

export function defineActor<S, C, E, Code extends string>(
  def: ActorDefinition<S, C, E, Code>,
): ActorDefinition<S, C, E, Code> {
  return Object.freeze(def);
}

/** Folds events into a state; the only way state is ever rebuilt. */
export function fold<S, E>(def: { initial: S; evolve(s: S, e: E): S }, events: readonly E[], from?: S): S {
  let state = from ?? def.initial;
  for (const e of events) state = def.evolve(state, e);
  return state;
}
