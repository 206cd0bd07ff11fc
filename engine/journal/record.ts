/**
 * @module engine/journal/record
 * One committed actor event as it is journaled, fanned out on the bus and stored in analytics.
 * Owns: the record shape. Does not: know any concrete actor's event types.
 */
export interface JournalRecord {
  readonly community: string;
  /** Actor kind: `building`, `parking-lot`, `group`, `community-map`. */
  readonly kind: string;
  /** Actor id, which is also the room id, e.g. `bldg-594889490`. */
  readonly actorId: string;
  /** 1-based position of this event in the actor's stream; gap-free. */
  readonly seq: number;
  /** The event's `type`, e.g. `ChatPosted`. */
  readonly type: string;
  /** Epoch milliseconds at which the event was decided. */
  readonly at: number;
  /** The event itself, JSON-safe. */
  readonly event: unknown;
}
