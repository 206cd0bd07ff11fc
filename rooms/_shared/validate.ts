/**
 * @module rooms/_shared/validate
 * Tiny schema validation for inbound room messages: each message type declares its fields,
 * and a failure names the field. Hand-written so the wire rules stay visible and dependency-free.
 * Owns: shape checks (types, lengths, surrogates). Does not: domain rules (actors decide those).
 */
import { hasLoneSurrogate } from '../../actors/_kit/index.ts';

/**
 * A failure may carry the domain code to answer with (e.g. CHAT_TOO_LONG) and the details that
 * code carries (its real limits); otherwise ENGINE_BAD_INPUT with field and problem.
 */
export type Check<T> = (v: unknown, field: string) =>
  { ok: true; value: T } | { ok: false; field: string; problem: string; code?: string; details?: Record<string, unknown> };

/**
 * What a string over the cheap UTF-16 cut answers when the cut stands in for a domain limit in code
 * points: the domain's code, its limit in the problem and the details the actor would give.
 */
export interface TooLong {
  readonly code: string;
  /** The limit the actor applies (code points); the problem names it, not the UTF-16 cut. */
  readonly maxChars: number;
  /** The actor's details for this code; default `{ maxChars }`. */
  readonly details?: Record<string, unknown>;
}

export const str = (maxLength: number, opts: { optional?: boolean; tooLongCode?: string; tooLong?: TooLong } = {}): Check<string | undefined> => (v, field) => {
  if (v === undefined && opts.optional) return { ok: true, value: undefined };
  if (typeof v !== 'string') return { ok: false, field, problem: 'expected a string' };
  // maxLength is in UTF-16 units here: a cheap first cut before the actor counts code points.
  if (v.length > maxLength) {
    const t = opts.tooLong;
    if (t) return { ok: false, field, problem: `longer than ${t.maxChars} characters`, code: t.code, details: t.details ?? { maxChars: t.maxChars } };
    return { ok: false, field, problem: `longer than ${maxLength}`, ...(opts.tooLongCode ? { code: opts.tooLongCode } : {}) };
  }
  if (hasLoneSurrogate(v)) return { ok: false, field, problem: 'lone UTF-16 surrogate' };
  return { ok: true, value: v };
};

export function object<T extends Record<string, unknown>>(fields: { [K in keyof T]: Check<T[K]> }): Check<T> {
  return (v, field) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, field, problem: 'expected an object' };
    const out: Record<string, unknown> = {};
    for (const [k, check] of Object.entries(fields) as [string, Check<unknown>][]) {
      const r = check((v as Record<string, unknown>)[k], k);
      if (!r.ok) return r;
      out[k] = r.value;
    }
    for (const k of Object.keys(v)) if (!(k in fields)) return { ok: false, field: k, problem: 'unknown field' };
    return { ok: true, value: out as T };
  };
}

export const int = (min: number, max: number): Check<number> => (v, field) =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max ? { ok: true, value: v } : { ok: false, field, problem: `expected an integer from ${min} to ${max}` };

export const bool: Check<boolean> = (v, field) => (typeof v === 'boolean' ? { ok: true, value: v } : { ok: false, field, problem: 'expected true or false' });

export function oneOf<T extends string>(values: readonly T[]): Check<T> {
  return (v, field) => (typeof v === 'string' && (values as readonly string[]).includes(v) ? { ok: true, value: v as T } : { ok: false, field, problem: `expected one of ${values.join(', ')}` });
}

export function arrayOf<T>(item: Check<T>, maxItems: number): Check<T[]> {
  return (v, field) => {
    if (!Array.isArray(v)) return { ok: false, field, problem: 'expected an array' };
    if (v.length > maxItems) return { ok: false, field, problem: `more than ${maxItems} items` };
    const out: T[] = [];
    for (const [i, x] of v.entries()) {
      const r = item(x, `${field}[${i}]`);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return { ok: true, value: out };
  };
}

/** The field may be absent (undefined); when present it must pass `check`. */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v, field) => (v === undefined ? { ok: true, value: undefined } : check(v, field));
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, field) => (v === null ? { ok: true, value: null } : check(v, field));
}

/** Any JSON-safe value of at most `maxBytes` when encoded (a rule set); the actor checks its shape. */
export const jsonValue = (maxBytes: number): Check<unknown> => (v, field) => {
  try {
    const s = JSON.stringify(v);
    return s !== undefined && s.length <= maxBytes ? { ok: true, value: JSON.parse(s) } : { ok: false, field, problem: `expected JSON of at most ${maxBytes} bytes` };
  } catch {
    return { ok: false, field, problem: 'expected JSON' };
  }
};
