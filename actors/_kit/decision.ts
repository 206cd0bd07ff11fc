/**
 * @module actors/_kit/decision
 * The value every actor's `decide` returns: accepted events, or a typed rejection.
 * Owns: the Decision shape and its constructors. Does not: perform I/O or throw for domain reasons.
 * Concurrency: pure values; safe anywhere.
 */
export type Decision<E, C extends string> =
  | { readonly ok: true; readonly events: readonly E[] }
  | { readonly ok: false; readonly code: C; readonly details?: Readonly<Record<string, unknown>> };

export function accept<E>(...events: E[]): Decision<E, never> {
  return { ok: true, events };
}

export function reject<C extends string>(code: C, details?: Record<string, unknown>): Decision<never, C> {
  return details === undefined ? { ok: false, code } : { ok: false, code, details };
}

/** Exhaustiveness guard for `switch (x.type)`; reaching it at run time means a caller bypassed validation. */
export function assertNever(x: never): never {
  throw new Error(`unexpected variant: ${JSON.stringify(x)}`);
}
