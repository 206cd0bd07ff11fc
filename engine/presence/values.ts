/**
 * @module engine/presence/values
 * What one presence key holds and the Redis-like operations on it, as pure functions from the
 * current stored value to the next one and a result; the NATS adapter runs them inside a
 * compare-and-set loop, so each is applied exactly once to the value it read.
 * Owns: types per key (string, set, hash, list), TTL as an absolute deadline, Redis semantics
 * (values are strings, an emptied collection removes its key, SET clears a TTL, INCR keeps it).
 * Does not: I/O, clocks (callers pass `now`). Pure.
 */
import { PresenceError, presenceError } from './errors.ts';

export type Value =
  | { readonly type: 'string'; readonly data: string }
  | { readonly type: 'set'; readonly data: readonly string[] }
  | { readonly type: 'hash'; readonly data: Readonly<Record<string, string>> }
  | { readonly type: 'list'; readonly data: readonly string[] };

/** One KV entry's payload. `expiresAt` is epoch milliseconds; absent means no TTL. */
export interface Stored {
  readonly fmt: 1;
  readonly value: Value;
  readonly expiresAt?: number;
}

/** Returned as `next` when an operation leaves the key as it was (nothing is written). */
export const UNCHANGED = Symbol('unchanged');

export interface Step<R, T = Stored> {
  readonly next: T | null | typeof UNCHANGED;
  readonly result: R;
}

/** An operation on one key: `cur` is the live value (null when absent or expired). */
export type KeyOp<R, T = Stored> = (cur: T | null, now: number) => Step<R, T>;

/** How a KvCas turns values into KV payloads and back, and when a stored value stops counting. */
export interface Codec<T> {
  encode(v: T): Uint8Array;
  /** null for a payload that is not ours (read as absent, overwritten by the next write). */
  decode(bytes: Uint8Array): T | null;
  live(v: T, now: number): boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeStored(s: Stored): Uint8Array {
  return encoder.encode(JSON.stringify(s));
}

/** Decodes a stored payload; a payload that is not ours reads as absent rather than crashing a caller. */
export function decodeStored(bytes: Uint8Array): Stored | null {
  try {
    const s = JSON.parse(decoder.decode(bytes)) as Stored;
    return s && s.fmt === 1 && s.value && typeof s.value.type === 'string' ? s : null;
  } catch {
    return null; // foreign bytes under our key: treated as absent, overwritten by the next write
  }
}

/** Whether the value still counts at `now`: false once its deadline has passed. */
export function live(s: Stored, now: number): boolean {
  return s.expiresAt === undefined || s.expiresAt > now;
}

export const storedCodec: Codec<Stored> = { encode: encodeStored, decode: decodeStored, live };

const same = <R, T = Stored>(result: R): Step<R, T> => ({ next: UNCHANGED, result });

/** A generic op for any value type: the same answer, nothing written. */
export const unchanged = same;

function stored(value: Value, expiresAt?: number): Stored {
  return expiresAt === undefined ? { fmt: 1, value } : { fmt: 1, value, expiresAt };
}

function expect<T extends Value['type']>(cur: Stored | null, type: T): Extract<Value, { type: T }> | null {
  if (!cur) return null;
  if (cur.value.type !== type) throw presenceError(PresenceError.WRONG_TYPE, { expected: type, found: cur.value.type });
  return cur.value as Extract<Value, { type: T }>;
}

/** A collection that became empty removes its key, as in Redis. */
function collection(value: Value, cur: Stored | null): Stored | null {
  const empty = Array.isArray(value.data) ? value.data.length === 0 : Object.keys(value.data).length === 0;
  return empty ? null : stored(value, cur?.expiresAt);
}

function parseInteger(s: string | undefined): number {
  if (s === undefined) return 0;
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw presenceError(PresenceError.NOT_INTEGER, { value: s.slice(0, 40) });
  return Number(s);
}

function checkIncrement(by: number): void {
  if (!Number.isSafeInteger(by)) throw presenceError(PresenceError.NOT_INTEGER, { value: String(by) });
}

function deadline(now: number, seconds: number): number {
  return now + Math.round(seconds * 1000);
}

// Strings ------------------------------------------------------------------------------------

export const getString: KeyOp<string | null> = (cur) => same(expect(cur, 'string')?.data ?? null);

export const setString = (value: unknown, seconds?: number): KeyOp<'OK'> => (_cur, now) => ({
  next: stored({ type: 'string', data: String(value) }, seconds === undefined ? undefined : deadline(now, seconds)),
  result: 'OK',
});

export const incrBy = (by: number): KeyOp<number> => (cur) => {
  checkIncrement(by);
  const n = parseInteger(expect(cur, 'string')?.data) + by;
  if (!Number.isSafeInteger(n)) throw presenceError(PresenceError.NOT_INTEGER, { value: String(n) });
  return { next: stored({ type: 'string', data: String(n) }, cur?.expiresAt), result: n };
};

// Any type -----------------------------------------------------------------------------------

export const exists: KeyOp<boolean> = (cur) => same(cur !== null);

export const remove: KeyOp<number> = (cur) => (cur ? { next: null, result: 1 } : same(0));

/** EXPIRE: 1 when the key exists (a deadline in the past removes it), 0 otherwise. */
export const expire = (seconds: number): KeyOp<number> => (cur, now) => {
  if (!cur) return same(0);
  if (seconds <= 0) return { next: null, result: 1 };
  return { next: stored(cur.value, deadline(now, seconds)), result: 1 };
};

// Sets ---------------------------------------------------------------------------------------

export const setAdd = (member: unknown): KeyOp<number> => (cur) => {
  const m = String(member);
  const data = expect(cur, 'set')?.data ?? [];
  if (data.includes(m)) return same(0);
  return { next: stored({ type: 'set', data: [...data, m] }, cur?.expiresAt), result: 1 };
};

export const setRemove = (member: unknown): KeyOp<number> => (cur) => {
  const m = String(member);
  const set = expect(cur, 'set');
  if (!set || !set.data.includes(m)) return same(0);
  return { next: collection({ type: 'set', data: set.data.filter((x) => x !== m) }, cur), result: 1 };
};

export const setMembers: KeyOp<string[]> = (cur) => same([...(expect(cur, 'set')?.data ?? [])]);

export const setIsMember = (member: unknown): KeyOp<0 | 1> => (cur) => same(expect(cur, 'set')?.data.includes(String(member)) ? 1 : 0);

export const setCard: KeyOp<number> = (cur) => same(expect(cur, 'set')?.data.length ?? 0);

/** Members of the first set that are in every other set (SINTER), in the first set's order. */
export function intersect(sets: readonly (readonly string[])[]): string[] {
  if (sets.length === 0) return [];
  const others = sets.slice(1).map((s) => new Set(s));
  return sets[0].filter((m) => others.every((o) => o.has(m)));
}

// Hashes -------------------------------------------------------------------------------------

export const hashSet = (field: string, value: unknown): KeyOp<boolean> => (cur) => {
  const data = expect(cur, 'hash')?.data ?? {};
  const isNew = !Object.hasOwn(data, field);
  return { next: stored({ type: 'hash', data: { ...data, [field]: String(value) } }, cur?.expiresAt), result: isNew };
};

export const hashIncrBy = (field: string, by: number, expireSeconds?: number): KeyOp<number> => (cur, now) => {
  checkIncrement(by);
  const data = expect(cur, 'hash')?.data ?? {};
  const n = parseInteger(Object.hasOwn(data, field) ? data[field] : undefined) + by;
  if (!Number.isSafeInteger(n)) throw presenceError(PresenceError.NOT_INTEGER, { value: String(n) });
  const expiresAt = expireSeconds === undefined ? cur?.expiresAt : deadline(now, expireSeconds);
  return { next: stored({ type: 'hash', data: { ...data, [field]: String(n) } }, expiresAt), result: n };
};

export const hashGet = (field: string): KeyOp<string | null> => (cur) => {
  const data = expect(cur, 'hash')?.data;
  return same(data && Object.hasOwn(data, field) ? data[field] : null);
};

export const hashGetAll: KeyOp<Record<string, string>> = (cur) => same({ ...(expect(cur, 'hash')?.data ?? {}) });

export const hashDelete = (field: string): KeyOp<boolean> => (cur) => {
  const hash = expect(cur, 'hash');
  if (!hash || !Object.hasOwn(hash.data, field)) return same(false);
  const { [field]: _gone, ...rest } = hash.data;
  return { next: collection({ type: 'hash', data: rest }, cur), result: true };
};

export const hashLen: KeyOp<number> = (cur) => same(Object.keys(expect(cur, 'hash')?.data ?? {}).length);

// Lists (index 0 is the left end) ------------------------------------------------------------

export const listPush = (side: 'left' | 'right', values: readonly unknown[]): KeyOp<number> => (cur) => {
  const data = [...(expect(cur, 'list')?.data ?? [])];
  for (const v of values) {
    if (side === 'left') data.unshift(String(v));
    else data.push(String(v));
  }
  if (values.length === 0) return same(data.length);
  return { next: stored({ type: 'list', data }, cur?.expiresAt), result: data.length };
};

export const listPop = (side: 'left' | 'right'): KeyOp<string | null> => (cur) => {
  const list = expect(cur, 'list');
  if (!list || list.data.length === 0) return same(null);
  const data = [...list.data];
  const v = side === 'left' ? data.shift()! : data.pop()!;
  return { next: collection({ type: 'list', data }, cur), result: v };
};

export const listLen: KeyOp<number> = (cur) => same(expect(cur, 'list')?.data.length ?? 0);

/** Redis-style glob (`*`, `?`, `[abc]`, `\x`), anchored and case-sensitive, as PUBSUB CHANNELS uses. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) { re += '\\['; continue; }
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = end;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 's');
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
