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
