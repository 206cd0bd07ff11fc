/**
 * @module actors/devices/catalog
 * The schema of every device kind (its signals, their units and ranges, its event fields and the
 * commands it takes) and the pure check of one decoded payload against a signal's schema.
 * Owns: what a valid reading of each kind is. Does not: decode bytes, remember sequence numbers
 * or rates (the gateway does; those need memory), or know subjects.
 * Pure: `now` comes from the caller.
 */
import type { EventSignal, FieldSpec, KindSpec, NumericSignal, RejectReason, SignalSchema, DeviceKind } from './protocol.ts';

const bool: NumericSignal = { type: 'number', unit: 'bool', min: 0, max: 1, integer: true };
const battery: NumericSignal = { type: 'number', unit: '%', min: 0, max: 100 };
const temperature: NumericSignal = { type: 'number', unit: '°C', aliases: ['C', 'degC', 'celsius'], min: -40, max: 125 };
const humidity: NumericSignal = { type: 'number', unit: '%RH', aliases: ['%', 'RH'], min: 0, max: 100 };
const ack: EventSignal = { type: 'event', fields: { commandId: { type: 'string', maxLength: 64 }, ok: { type: 'boolean' }, code: { type: 'string', maxLength: 64, optional: true } } };
const access: EventSignal = {
  type: 'event',
  fields: {
    result: { type: 'enum', values: ['granted', 'denied'] },
    method: { type: 'enum', values: ['card', 'pin', 'face', 'grant', 'button', 'key'] },
    grantId: { type: 'string', maxLength: 64, optional: true },
  },
};

/** Every kind's signals and commands. Numeric signals carry `value`; event signals carry their fields. */
export const DEVICE_KINDS: Readonly<Record<DeviceKind, KindSpec>> = {
  'bay-sensor': { signals: { occupied: bool, battery }, actions: ['backoff'] },
  // Counters misreport (negative, over capacity); the lot actor clamps and flags those, so the range is wide.
  'lot-counter': { signals: { occupancy: { type: 'number', unit: 'count', min: -100_000, max: 1_000_000 } }, actions: ['backoff'] },
  gate: {
    signals: {
      plate: { type: 'event', fields: { plate: { type: 'string', maxLength: 16 }, direction: { type: 'enum', values: ['in', 'out'] }, confidence: { type: 'number', min: 0, max: 1, optional: true } } },
      state: bool, ack,
    },
    actions: ['open', 'backoff'],
  },
  'door-reader': { signals: { access, forced: { type: 'event', fields: { door: { type: 'enum', values: ['open', 'closed'], optional: true } } }, state: bool, ack }, actions: ['open', 'grant', 'revoke-grant', 'backoff'] },
  elevator: {
    signals: { floor: { type: 'number', unit: 'floor', min: -10, max: 200, integer: true }, access, fault: { type: 'event', fields: { code: { type: 'string', maxLength: 32 } } }, ack },
    actions: ['grant', 'revoke-grant', 'backoff'],
  },
  smoke: {
    signals: { alarm: bool, temperature, humidity, co2: { type: 'number', unit: 'ppm', min: 0, max: 20_000 }, light: { type: 'number', unit: 'lx', aliases: ['lux'], min: 0, max: 200_000 }, battery },
    actions: ['backoff'],
  },
  'water-leak': { signals: { leak: bool, temperature, humidity, battery }, actions: ['backoff'] },
  gas: { signals: { alarm: bool, lel: { type: 'number', unit: '%LEL', min: 0, max: 100 }, battery }, actions: ['backoff'] },
  'sos-button': { signals: { press: { type: 'event', fields: { press: { type: 'enum', values: ['single', 'double', 'long'] } } }, battery }, actions: ['backoff'] },
  meter: {
    signals: { power: { type: 'number', unit: 'kW', min: 0, max: 100 }, energy: { type: 'number', unit: 'kWh', min: 0, max: 1e9 }, voltage: { type: 'number', unit: 'V', min: 0, max: 500 } },
    actions: ['backoff'],
  },
};

export const DEVICE_KIND_NAMES = Object.keys(DEVICE_KINDS) as DeviceKind[];

export function signalSchema(kind: DeviceKind, signal: string): SignalSchema | undefined {
  const signals = DEVICE_KINDS[kind]?.signals;
  return signals && Object.hasOwn(signals, signal) ? signals[signal] : undefined;
}

export interface CheckLimits {
  /** How far ahead of `now` a reading's time may be, ms. */
  readonly maxClockSkewMs: number;
  /** How far behind `now` a reading's time may be, ms. */
  readonly maxAgeMs: number;
  /** Largest |value| of any numeric reading (a backstop over the per-signal range). */
  readonly valueLimit: number;
}

/** A payload that passed its schema: the number, the time, and for events the fields. */
export interface CheckedReading {
  readonly value: number;
  readonly at: number;
  /** Optional per-device sequence number and the boot epoch it counts within. */
  readonly seq: number | null;
  readonly epoch: string | null;
  readonly data?: Readonly<Record<string, unknown>>;
}

export type CheckResult = ({ readonly ok: true } & CheckedReading) | { readonly ok: false; readonly reason: RejectReason; readonly field?: string };

/** Keys every payload may carry besides a numeric `value` or an event's fields. */
const ENVELOPE = new Set(['at', 'seq', 'epoch', 'unit', 'value']);
const MIN_AT = Date.UTC(2000, 0, 1);
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

const no = (reason: RejectReason, field?: string): CheckResult => (field ? { ok: false, reason, field } : { ok: false, reason });

function timeOf(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v.length <= 40 ? Date.parse(v) : NaN;
}

/**
 * Checks one decoded payload (a bare number, or a JSON object) against a signal's schema.
 * Numeric signals: `{ value, unit?, at?, seq?, epoch? }` or a bare number. Event signals: the
 * event's fields at the top level next to `at`, `seq`, `epoch` (e.g. `{ plate, direction, at }`).
 * @example checkPayload(signalSchema('gate', 'plate')!, { plate: '京A12345', direction: 'in' }, Date.now(), limits)
 */
export function checkPayload(schema: SignalSchema, body: unknown, now: number, limits: CheckLimits): CheckResult {
  if (typeof body === 'number') return schema.type === 'number' ? checkNumber(schema, body, now, limits) : no('bad_data');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return no(schema.type === 'number' ? 'no_value' : 'bad_data');
  const o = body as Record<string, unknown>;
  let at = now;
  if (o.at !== undefined) {
    const t = timeOf(o.at);
    if (!Number.isFinite(t) || t < MIN_AT) return no('bad_time', 'at');
    if (t > now + limits.maxClockSkewMs) return no('future_time', 'at');
    if (t < now - limits.maxAgeMs) return no('stale_time', 'at');
    at = t;
  }
  let seq: number | null = null;
  if (o.seq !== undefined) {
    if (typeof o.seq !== 'number' || !Number.isInteger(o.seq) || o.seq < 0 || o.seq > MAX_SEQ) return no('bad_seq', 'seq');
    seq = o.seq;
  }
  let epoch: string | null = null;
  if (o.epoch !== undefined) {
    if ((typeof o.epoch !== 'string' && typeof o.epoch !== 'number') || String(o.epoch).length > 40) return no('bad_seq', 'epoch');
    epoch = String(o.epoch);
  }
  if (schema.type === 'number') {
    if (o.value === undefined) return no('no_value', 'value');
    if (o.unit !== undefined && !unitMatches(schema, o.unit)) return no('wrong_unit', 'unit');
    const r = checkNumber(schema, o.value, at, limits);
    return r.ok ? { ...r, seq, epoch } : r;
  }
  const data: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema.fields)) {
    const v = o[name];
    if (v === undefined) {
      if (spec.optional) continue;
      return no('bad_data', name);
    }
    if (!fieldOk(spec, v)) return no('bad_data', name);
    data[name] = spec.type === 'time' ? timeOf(v) : v;
  }
  for (const k of Object.keys(o)) if (!ENVELOPE.has(k) && !Object.hasOwn(schema.fields, k)) return no('bad_data', k);
  return { ok: true, value: 1, at, seq, epoch, data };
}

function unitMatches(s: NumericSignal, unit: unknown): boolean {
  return typeof unit === 'string' && (unit === s.unit || (s.aliases ?? []).includes(unit));
}

function checkNumber(s: NumericSignal, v: unknown, at: number, limits: CheckLimits): CheckResult {
  if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > limits.valueLimit) return no('bad_value', 'value');
  if (s.integer && !Number.isInteger(v)) return no('bad_value', 'value');
  if (v < s.min || v > s.max) return no('out_of_range', 'value');
  return { ok: true, value: v, at, seq: null, epoch: null };
}

function fieldOk(spec: FieldSpec, v: unknown): boolean {
  switch (spec.type) {
    case 'string': return typeof v === 'string' && v.trim().length > 0 && v.length <= spec.maxLength && !/[\u0000-\u001f\u007f]/.test(v);
    case 'enum': return typeof v === 'string' && spec.values.includes(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v) && v >= spec.min && v <= spec.max;
    case 'boolean': return typeof v === 'boolean';
    case 'time': return Number.isFinite(timeOf(v));
    default: return false;
  }
}

/** `DEVICE_<REASON>`: the error code of a refused reading. */
export function rejectCode(reason: RejectReason): string {
  return `DEVICE_${reason.toUpperCase()}`;
}
