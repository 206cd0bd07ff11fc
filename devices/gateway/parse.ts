/**
 * @module devices/gateway/parse
 * Decodes one raw device message (NATS payload or MQTT publish) into JSON: size, UTF-8 and JSON
 * syntax. What the JSON must contain depends on the device's kind and signal and is checked by
 * actors/devices/catalog (`checkPayload`).
 * Owns: the byte-level acceptance of a device payload. Does not: know devices or schemas.
 * Pure.
 */
export const DEFAULT_DEVICE_PAYLOAD_MAX_BYTES = 4096;
export const DEFAULT_DEVICE_MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** How old a reading's time may be; older ones are refused (`stale_time`). */
export const DEFAULT_DEVICE_MAX_AGE_MS = 24 * 3_600_000;
/** Largest magnitude a reading's value may have; beyond it no real sensor reports and averages break. */
export const DEFAULT_DEVICE_VALUE_LIMIT = 1e9;
/** Readings per second one device may send (sustained); the bucket holds one second's worth. */
export const DEFAULT_DEVICE_MAX_READINGS_PER_SECOND = 50;

export interface PayloadLimits {
  readonly maxBytes: number;
  readonly maxClockSkewMs: number;
  readonly maxAgeMs: number;
  readonly valueLimit: number;
  readonly maxReadingsPerSecond: number;
}

export const DEFAULT_PAYLOAD_LIMITS: PayloadLimits = {
  maxBytes: DEFAULT_DEVICE_PAYLOAD_MAX_BYTES, maxClockSkewMs: DEFAULT_DEVICE_MAX_CLOCK_SKEW_MS, maxAgeMs: DEFAULT_DEVICE_MAX_AGE_MS,
  valueLimit: DEFAULT_DEVICE_VALUE_LIMIT, maxReadingsPerSecond: DEFAULT_DEVICE_MAX_READINGS_PER_SECOND,
};

export type Decoded =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly reason: 'too_large' | 'not_utf8' | 'not_json' };

const decoder = new TextDecoder('utf-8', { fatal: true });

export function decodeDevicePayload(data: Uint8Array, maxBytes: number): Decoded {
  if (data.byteLength > maxBytes) return { ok: false, reason: 'too_large' };
  let text: string;
  try { text = decoder.decode(data).trim(); } catch { return { ok: false, reason: 'not_utf8' }; } // counted by the caller
  try { return { ok: true, body: JSON.parse(text) }; } catch { return { ok: false, reason: 'not_json' }; } // counted by the caller
}
