/**
 * @module devices/reading
 * A device reading as accepted by the gateway: what rooms and analytics consume.
 * Owns: the normalised reading shape. Does not: validate (see devices/gateway).
 */
export interface DeviceReading {
  readonly community: string;
  readonly deviceId: string;
  /** Signal name, the last subject token: `occupancy`, `temperature`, … */
  readonly signal: string;
  /** Epoch milliseconds the device says it measured at. */
  readonly at: number;
  readonly value: number;
  /** Quality after validation: `ok`, or why the value was adjusted (`clamped_negative`, `clamped_over_capacity`). */
  readonly quality: string;
  /** The value as the device sent it, before any clamping. */
  readonly raw: number;
}
