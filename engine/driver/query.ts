/**
 * @module engine/driver/query
 * Room listings as stored in KV and the matchmaker's queries over them: the JSON form (dates as
 * ISO strings, an unlimited `maxClients` kept unlimited), filtering (a condition names a listing
 * field, else a metadata field; a field on neither never matches), sorting (1/asc/ascending or
 * -1/desc/descending, field or metadata field), and `$set`/`$inc` updates.
 * Owns: those rules, the same ones Colyseus's LocalDriver and RedisDriver apply. Pure.
 */
import type { IRoomCache, SortOptions } from '@colyseus/core';
import type { Codec } from '../presence/values.ts';

export type Listing = IRoomCache;
export interface UpdateOperations {
  $set?: Partial<IRoomCache>;
  $inc?: Partial<IRoomCache>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON has no Infinity; an unlimited room is stored as `"maxClients": null` and read back unlimited. */
export const listingCodec: Codec<Listing> = {
  encode: (room) => encoder.encode(JSON.stringify(room)),
  decode(bytes) {
    try {
      const r = JSON.parse(decoder.decode(bytes)) as Record<string, unknown>;
      if (!r || typeof r.roomId !== 'string' || typeof r.name !== 'string') return null;
      if (r.maxClients === null) r.maxClients = Infinity;
      if (typeof r.createdAt === 'string') r.createdAt = new Date(r.createdAt);
      return r as unknown as Listing;
    } catch {
      return null; // not a listing: read as absent
    }
  },
  live: () => true,
};

function own(o: unknown, field: string): boolean {
  return typeof o === 'object' && o !== null && Object.hasOwn(o, field);
}

function fieldValue(room: Listing, field: string): unknown {
  if (own(room, field)) return (room as unknown as Record<string, unknown>)[field];
  return own(room.metadata, field) ? (room.metadata as Record<string, unknown>)[field] : undefined;
}

export function matches(room: Listing, conditions: Readonly<Record<string, unknown>>): boolean {
  for (const field of Object.keys(conditions)) {
    if (!own(room, field) && !own(room.metadata, field)) return false;
    if (fieldValue(room, field) !== conditions[field]) return false;
  }
  return true;
}

function direction(d: SortOptions[string]): 1 | -1 {
  return d === 1 || d === 'asc' || d === 'ascending' ? 1 : -1;
}

/** Sorts in place by the fields in order; rooms equal on every field keep their order. */
export function sortRooms(rooms: Listing[], sort?: SortOptions): Listing[] {
  const fields = sort ? Object.entries(sort).map(([f, d]) => [f, direction(d)] as const) : [];
  if (fields.length === 0) return rooms;
  return rooms.sort((a, b) => {
    for (const [f, dir] of fields) {
      const x = fieldValue(a, f) as number | string;
      const y = fieldValue(b, f) as number | string;
      if (x > y) return dir;
      if (x < y) return -dir;
    }
    return 0;
  });
}

export function query(rooms: Iterable<Listing>, conditions: Readonly<Record<string, unknown>>, sort?: SortOptions): Listing[] {
  const out: Listing[] = [];
  for (const r of rooms) if (matches(r, conditions)) out.push(r);
  return sortRooms(out, sort);
}

/** Applies `$set` then `$inc` to `room` in place (as Colyseus's drivers do to the room's own listing). */
export function applyOperations(room: Listing, ops: UpdateOperations): Listing {
  const r = room as unknown as Record<string, unknown>;
  for (const [f, v] of Object.entries(ops.$set ?? {})) r[f] = v;
  for (const [f, v] of Object.entries(ops.$inc ?? {})) r[f] = (r[f] as number) + (v as number);
  return room;
}

/** A copy callers may change without touching the mirror. */
export function copyListing(room: Listing): Listing {
  return structuredClone(room);
}
