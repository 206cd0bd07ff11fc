/**
 * @module actors/devices/protocol
 * The device vocabulary: kinds, places, signals and their schemas, the event payloads of the
 * kinds that report events (a gate's plate read, a door's access), and the reasons a reading is
 * refused. Types only; the client, rooms and the parking actors import this file.
 * Owns: the words. Does not: validate (see catalog.ts) or know subjects (devices/).
 */
import type { LonLat } from '../community/layout.ts';

export type DeviceKind =
  | 'bay-sensor' | 'lot-counter' | 'gate' | 'door-reader' | 'elevator'
  | 'smoke' | 'water-leak' | 'gas' | 'sos-button' | 'meter';

/** Where a device is. Every device also has a map point (`Device.at`). */
export type DevicePlace =
  | { readonly kind: 'building'; readonly buildingId: string; readonly entrance: string | null }
  | { readonly kind: 'unit'; readonly unitId: string; readonly buildingId: string; readonly entrance: string; readonly floor: number }
  | { readonly kind: 'lot'; readonly lotId: string }
  | { readonly kind: 'bay'; readonly lotId: string; readonly bayId: string }
  | { readonly kind: 'point'; readonly gateId: string | null };

export interface Device {
  /** Subject-safe id (`[a-z0-9-]`), the `<deviceId>` token of its subjects. */
  readonly id: string;
  readonly kind: DeviceKind;
  readonly place: DevicePlace;
  readonly at: LonLat;
  /** True for an SOS button given to an elderly resident: its alarm also tells the unit's family members. */
  readonly elderly?: boolean;
}

/** A numeric signal: one number per reading, in `unit`, within [min, max]. */
export interface NumericSignal {
  readonly type: 'number';
  /** The unit a reading must be in; a payload's `unit` must be this or one of `aliases`. */
  readonly unit: string;
  readonly aliases?: readonly string[];
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
}

export type FieldSpec =
  | { readonly type: 'string'; readonly maxLength: number; readonly optional?: boolean }
  | { readonly type: 'enum'; readonly values: readonly string[]; readonly optional?: boolean }
  | { readonly type: 'number'; readonly min: number; readonly max: number; readonly optional?: boolean }
  | { readonly type: 'boolean'; readonly optional?: boolean }
  | { readonly type: 'time'; readonly optional?: boolean };

/** An event signal: a JSON object with these fields (the reading's `data`); its value is 1. */
export interface EventSignal {
  readonly type: 'event';
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

export type SignalSchema = NumericSignal | EventSignal;

/** Commands a device kind accepts on `nb.<community>.cmd.<deviceId>`. */
export type DeviceAction = 'open' | 'grant' | 'revoke-grant' | 'backoff';

export interface KindSpec {
  readonly signals: Readonly<Record<string, SignalSchema>>;
  readonly actions: readonly DeviceAction[];
}

// --- event payloads (a reading's `data`)

/** Gate plate read (signal `plate`): `{ plate, direction, at }` on the wire; `at` becomes the reading's time. */
export interface PlateEvent {
  readonly plate: string;
  readonly direction: 'in' | 'out';
  /** Plate-reader confidence 0–1, when the reader reports one. */
  readonly confidence?: number;
}

/** Door or elevator access (signal `access`). `grantId` names the temporary grant used, if any. */
export interface AccessEvent {
  readonly result: 'granted' | 'denied';
  readonly method: 'card' | 'pin' | 'face' | 'grant' | 'button' | 'key';
  readonly grantId?: string;
}

/** A door forced open (signal `forced`). */
export interface ForcedEvent {
  readonly door?: 'open' | 'closed';
}

/** An SOS press (signal `press`). */
export interface PressEvent {
  readonly press: 'single' | 'double' | 'long';
}

/** A device's answer to a command (signal `ack`). */
export interface AckEvent {
  readonly commandId: string;
  readonly ok: boolean;
  readonly code?: string;
}

/** Why the gateway refused a reading (lowercase slug; the error code is `DEVICE_<SLUG>`). */
export type RejectReason =
  | 'too_large' | 'not_utf8' | 'not_json' | 'bad_subject' | 'unknown_device' | 'unknown_signal'
  | 'no_value' | 'bad_value' | 'wrong_unit' | 'out_of_range' | 'bad_data' | 'bad_time'
  | 'future_time' | 'stale_time' | 'bad_seq' | 'replayed_seq' | 'flood';
