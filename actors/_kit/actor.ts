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
  /**
   * Turns a stored event of an older version (`v`) into the current shape; replay calls it for
   * every stored event. Absent: events are read as they were stored.
   */
  readonly upcast?: (stored: { readonly type: string; readonly v: number }) => E;
  /**
   * Version of the state's shape in snapshots; bump it when the state changes shape so that old
   * snapshots are ignored (the journal is replayed instead). Default 1.
   */
  readonly snapshotVersion?: number;
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
