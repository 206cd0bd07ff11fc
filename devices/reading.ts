/**
 * @module devices/reading
 * A device reading as accepted by the gateway: what rooms and analytics consume, published on
 * `nb.<community>.reading.<deviceId>.<signal>`.
 * Owns: the normalised reading shape. Does not: validate (see devices/gateway).
 */
export interface DeviceReading {
  readonly community: string;
  readonly deviceId: string;
  /** Signal name, the last subject token: `occupancy`, `occupied`, `plate`, `temperature`, … */
  readonly signal: string;
  /** Epoch milliseconds the device says it measured at (the server's time when it did not say). */
  readonly at: number;
  /** The number for a numeric signal; 1 for an event (the event itself is in `data`). */
  readonly value: number;
  /** Quality after validation: `ok`, or why the value was adjusted (`clamped_negative`, `clamped_over_capacity`). */
  readonly quality: string;
  /** The value as the device sent it, before any clamping. */
  readonly raw: number;
  /** The device kind (`bay-sensor`, `gate`, …), so consumers need no registry to route. */
  readonly kind?: string;
  /**
   * An event's fields, checked against its kind's schema: a gate's plate read
   * `{ plate: "京A12345", direction: "in" }`, a door's `{ result: "granted", method: "card" }`,
   * an SOS `{ press: "long" }`, an ack `{ commandId, ok, code? }`. Absent for numeric signals.
   */
  readonly data?: Readonly<Record<string, unknown>>;
  /** The device's own sequence number, when it sends one. */
  readonly seq?: number;
}
