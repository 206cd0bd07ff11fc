/**
 * @module engine/testing/until
 * Awaits a condition instead of sleeping. A timeout names what was awaited and the last value
 * seen, so a failing test says which transition never happened.
 */
export async function until<T>(what: string, probe: () => T | undefined | false | null, timeoutMs = 10_000, describe?: () => unknown): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > deadline) {
      const seen = describe ? ` last seen: ${JSON.stringify(describe())?.slice(0, 500)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}.${seen}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** until() for a probe that has to ask over the network (a KV read, an HTTP call). */
export async function untilAsync<T>(what: string, probe: () => Promise<T | undefined | false | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false && v !== null) return v;
    last = v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}. last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
