/**
 * @module devices/gateway/parse
 * Parses one raw device message (NATS payload or MQTT publish) into a value and a time.
 * Accepted payloads: a bare number (`17`), or JSON `{ "value": 17, "at": 1700000000000 | "2016-10-04T08:00:00Z" }`.
 * A reading may claim any past time from 2000 on (replays send recorded times), but not a time
 * more than `maxClockSkewMs` ahead of the gateway's clock: one reading stamped in the future
 * would otherwise make every later real reading look stale.
 * Owns: what a well-formed device payload is. Does not: know devices, capacities or rooms.
 * Pure: `now` comes from the caller.
 */
export const DEFAULT_DEVICE_PAYLOAD_MAX_BYTES = 4096;
export const DEFAULT_DEVICE_MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Largest magnitude a reading's value may have; beyond it no real sensor reports and averages break. */
export const DEFAULT_DEVICE_VALUE_LIMIT = 1e9;
const MIN_AT = Date.UTC(2000, 0, 1);

export interface PayloadLimits {
  readonly maxBytes: number;
  readonly maxClockSkewMs: number;
  readonly valueLimit: number;
}

export const DEFAULT_PAYLOAD_LIMITS: PayloadLimits = {
  maxBytes: DEFAULT_DEVICE_PAYLOAD_MAX_BYTES, maxClockSkewMs: DEFAULT_DEVICE_MAX_CLOCK_SKEW_MS, valueLimit: DEFAULT_DEVICE_VALUE_LIMIT,
};

export type ParsedPayload =
  | { readonly ok: true; readonly value: number; readonly at: number }
  | { readonly ok: false; readonly reason: 'too_large' | 'not_utf8' | 'not_json' | 'no_value' | 'bad_value' | 'bad_time' };

const decoder = new TextDecoder('utf-8', { fatal: true });

export function parseDevicePayload(data: Uint8Array, now: number, limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS): ParsedPayload {
  if (data.byteLength > limits.maxBytes) return { ok: false, reason: 'too_large' };
  let text: string;
  try { text = decoder.decode(data).trim(); } catch { return { ok: false, reason: 'not_utf8' }; } // counted by the caller
  let body: unknown;
  try { body = JSON.parse(text); } catch { return { ok: false, reason: 'not_json' }; } // counted by the caller
  if (typeof body === 'number') return checkValue(body, now, limits.valueLimit);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: 'no_value' };
  const o = body as { value?: unknown; at?: unknown };
  if (o.value === undefined) return { ok: false, reason: 'no_value' };
  if (typeof o.value !== 'number') return { ok: false, reason: 'bad_value' };
  let at = now;
  if (o.at !== undefined) {
    const t = typeof o.at === 'number' ? o.at : typeof o.at === 'string' ? Date.parse(o.at) : NaN;
    if (!Number.isFinite(t) || t < MIN_AT || t > now + limits.maxClockSkewMs) return { ok: false, reason: 'bad_time' };
    at = t;
  }
  return checkValue(o.value, at, limits.valueLimit);
}

function checkValue(value: number, at: number, valueLimit: number): ParsedPayload {
  if (!Number.isFinite(value) || Math.abs(value) > valueLimit) return { ok: false, reason: 'bad_value' };
  return { ok: true, value, at };
}
