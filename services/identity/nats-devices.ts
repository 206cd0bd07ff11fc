/**
 * @module services/identity/nats-devices
 * NATS credentials for devices in cluster mode: one NATS user per device, allowed to publish only
 * on its own subjects `nb.<community>.dev.<deviceId>.>` and to receive only its own commands
 * `nb.<community>.cmd.<deviceId>`, written as an `authorization` block for nats-server's config
 * (`npm run nats:devices`). Passwords are derived from TOKEN_SECRET (KeyRing.natsPassword), so
 * nothing new is stored and staff hand each device its password with its HTTP secret.
 * Owns: the subject permissions of a device. Does not: run or reload nats-server.
 */
import type { KeyRing } from '../../engine/auth/secrets.ts';

export interface NatsUser {
  readonly user: string;
  readonly password: string;
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
}

export const natsUserOf = (deviceId: string) => `dev-${deviceId}`;

export function deviceNatsUser(keys: KeyRing, community: string, deviceId: string): NatsUser {
  return {
    user: natsUserOf(deviceId),
    password: keys.natsPassword(community, deviceId),
    publish: [`nb.${community}.dev.${deviceId}.>`],
    subscribe: [`nb.${community}.cmd.${deviceId}`, '_INBOX.>'],
  };
}

const quote = (s: string) => JSON.stringify(s);

/** The nats-server `authorization { users = [...] }` block for these devices plus the platform's own service user (all subjects). */
export function natsAuthorizationBlock(keys: KeyRing, community: string, deviceIds: readonly string[], service: { user: string; password: string }): string {
  const users = deviceIds.map((id) => deviceNatsUser(keys, community, id)).map((u) =>
    `    { user: ${quote(u.user)}, password: ${quote(u.password)}, permissions: { publish: { allow: [${u.publish.map(quote).join(', ')}] }, subscribe: { allow: [${u.subscribe.map(quote).join(', ')}] } } }`);
  users.push(`    { user: ${quote(service.user)}, password: ${quote(service.password)} }`);
  return `authorization {\n  users = [\n${users.join(',\n')}\n  ]\n}\n`;
}
