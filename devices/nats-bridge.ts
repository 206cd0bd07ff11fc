/**
 * @module devices/nats-bridge
 * When NATS_URL is set, devices publish on NATS; this bridge subscribes to
 * `nb.<community>.dev.>` on NATS and hands each message to the local bus, where the gateway
 * validates it like any other device input.
 * Commands go the other way: every `nb.<community>.cmd.>` message on the local bus (from the
 * command service, the gateway's and rooms' backoffs) is published on NATS for the devices.
 * Owns: the forwarding. Does not: parse or validate.
 */
import type { Bus, BusSubscription } from '../engine/bus/contract.ts';
import { subjects } from '../engine/bus/contract.ts';
import type { Metrics } from '../engine/metrics.ts';

export function bridgeDevicesFromNats(community: string, nats: Bus, local: Bus, metrics: Metrics): BusSubscription {
  return nats.subscribe(subjects.allDevices(community), (msg) => {
    metrics.inc('nats_device_messages_total', 'Device messages taken from NATS');
    try {
      local.publish(msg.subject, msg.data);
    } catch {
      metrics.inc('nats_device_messages_invalid_total', 'NATS device messages with a subject the local bus refused');
    }
  });
}

export function bridgeCommandsToNats(community: string, local: Bus, nats: Bus, metrics: Metrics): BusSubscription {
  return local.subscribe(`nb.${community}.cmd.>`, (msg) => {
    metrics.inc('nats_device_commands_total', 'Device commands forwarded to NATS');
    nats.publish(msg.subject, msg.data);
  });
}
