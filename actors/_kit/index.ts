/**
 * @module actors/_kit
 * The only module every actor imports: decisions, actor definitions, text checks.
 */
export { accept, reject, assertNever, type Decision } from './decision.ts';
export { defineActor, fold, type ActorDefinition } from './actor.ts';
export { hasLoneSurrogate, codePointLength, cleanText, isBlank } from './text.ts';
export { shardedEmpty, shardedGet, shardedSet, shardedValues, shardedSize, shardOf, type Sharded } from './sharded.ts';
