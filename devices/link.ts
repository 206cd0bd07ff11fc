/**
 * @module devices/link
 * The way back to devices: a JSON message on `nb.<community>.cmd.<deviceId>` (MQTT topic
 * `nb/<community>/cmd/<deviceId>` through the NATS server's MQTT listener), published on the
 * in-process bus; with NATS configured, devices/nats-bridge forwards every command to NATS.
 * Owns: where commands go. Does not: decide who may send them (devices/commands).
 */
import { encodeJson, subjects, type Bus } from '../engine/bus/contract.ts';
import { DEVICE_KINDS } from '../actors/devices/catalog.ts';
import type { ToDevice } from './gateway/gateway.ts';
import type { DeviceRegistry } from './registry.ts';

export function deviceLink(community: string, bus: Bus): ToDevice {
  return (deviceId, message) => bus.publish(subjects.command(community, deviceId), encodeJson(message));
}

/** The subjects and MQTT topics of one device, as its credentials tell it. */
export function deviceTopics(community: string, deviceId: string, signals: readonly string[]) {
  return {
    publish: signals.map((s) => subjects.device(community, deviceId, s)),
    commands: subjects.command(community, deviceId),
    mqtt: { publish: signals.map((s) => `nb/${community}/dev/${deviceId}/${s}`), commands: `nb/${community}/cmd/${deviceId}` },
  };
}

/** A registered device with its subjects and topics (what its credentials answer carries), or null. */
export function describeDevice(registry: DeviceRegistry, community: string, deviceId: string): Record<string, unknown> | null {
  const d = registry.get(deviceId);
  return d ? { ...d, ...deviceTopics(community, deviceId, Object.keys(DEVICE_KINDS[d.kind].signals)) } : null;
}
