/**
 * @module engine/journal/record
 * The event envelope: one committed actor event as it is journaled, fanned out on the bus and
 * stored in analytics. Every record names its actor, its position, its type and version, when it
 * was decided, who caused it and the idempotency key of the command that produced it.
 * Owns: the envelope shape. Does not: know any concrete actor's event types.
 */
export interface JournalRecord {
  readonly community: string;
  /** Actor kind: `building`, `parking-lot`, `group`, `community-map`, `directory`, … */
  readonly kind: string;
  /** Actor id, which is also the room id for room actors, e.g. `bldg-594889490`. */
  readonly actorId: string;
  /** 1-based position of this event in the actor's stream; gap-free. */
  readonly seq: number;
  /** The event's `type`, e.g. `ChatPosted`. */
  readonly type: string;
  /** The event's schema version (`event.v`); replay upcasts older versions. */
  readonly v: number;
  /** Epoch milliseconds at which the event was decided. */
  readonly at: number;
  /** Who caused it: an account id, a device id, or `system`. */
  readonly author: string;
  /** The idempotency key of the command that produced it (scoped to `author`), or null. */
  readonly key: string | null;
  /** The event itself, JSON-safe. */
  readonly event: unknown;
}

/** The author recorded when no person or device caused an event (timers, projections). */
export const SYSTEM_AUTHOR = 'system';
