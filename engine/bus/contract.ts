/**
 * @module engine/bus/contract
 * The backplane seen by rooms, devices and analytics: subject-addressed publish/subscribe with
 * NATS semantics (`*` matches one token, `>` matches one or more trailing tokens).
 * Owns: the interface only. Implementations: memory.ts (embedded), nats.ts (cluster).
 * Concurrency: publish never blocks; handlers run later (never inside publish), in publish order
 * per subscription. A handler that throws is counted and logged, never fatal to the bus.
 */
export interface BusMessage {
  readonly subject: string;
  readonly data: Uint8Array;
}

export type BusHandler = (msg: BusMessage) => void;

export interface BusSubscription {
  unsubscribe(): void;
}

export interface SubscribeOptions {
  /**
   * A queue group: of all subscribers in one group (across every node), each message goes to one.
   * In one process (the memory bus) there is one member, which gets everything.
   */
  readonly queue?: string;
}

export interface Bus {
  /** Which implementation this is, for logs: `memory`, `nats` or `cluster`. */
  readonly kind: string;
  publish(subject: string, data: Uint8Array): void;
  subscribe(pattern: string, handler: BusHandler, opts?: SubscribeOptions): BusSubscription;
  /** Resolves when everything published so far has been handed to subscribers (or the server). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** Decodes JSON; returns undefined for bytes that are not valid UTF-8 JSON. */
export function decodeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(data));
  } catch {
    return undefined; // callers count malformed input; returning undefined is the signal
  }
}

export const subjects = {
  roomEvents: (community: string, kind: string, id: string) => `nb.${community}.room.${kind}.${id}.ev`,
  allRoomEvents: (community: string) => `nb.${community}.room.>`,
  device: (community: string, deviceId: string, signal: string) => `nb.${community}.dev.${deviceId}.${signal}`,
  allDevices: (community: string) => `nb.${community}.dev.>`,
  /** Readings the gateway accepted, normalised (internal: analytics and rooms consume these). */
  reading: (community: string, deviceId: string, signal: string) => `nb.${community}.reading.${deviceId}.${signal}`,
  allReadings: (community: string) => `nb.${community}.reading.>`,
  map: (community: string) => `nb.${community}.map`,
  /** Commands to one device (MQTT topic `nb/<community>/cmd/<deviceId>`). */
  command: (community: string, deviceId: string) => `nb.${community}.cmd.${deviceId}`,
  /** An account's access changed (revoked, removed from a unit, a session closed): rooms re-check its clients. */
  accessChanged: (community: string) => `nb.${community}.identity.changed`,
  /** A message for one account's open connections (contact requests and answers). */
  inbox: (community: string) => `nb.${community}.identity.inbox`,
} as const;
