/**
 * @module rooms/_shared/host-actor
 * Creates and activates the actor host a room runs on, with the engine services every room
 * passes the same way (journal, bus, mailbox bound, log, metrics).
 */
import type { ActorDefinition } from '../../actors/_kit/index.ts';
import { ActorHost, type ActorHostOptions } from '../../engine/actor-host.ts';
import type { RoomServices } from './services.ts';

export async function hostActor<S, C, E extends { type: string; at: number }, Code extends string>(
  services: RoomServices,
  def: ActorDefinition<S, C, E, Code>,
  actorId: string,
  mailboxSize = services.config.mailboxSize,
  publish?: ActorHostOptions['publish'],
): Promise<ActorHost<S, C, E, Code>> {
  const host = new ActorHost(def, { community: services.community.id, kind: def.type, actorId }, services.journal, services.bus, {
    mailboxSize, log: services.log, metrics: services.metrics, ...(publish ? { publish } : {}),
  });
  await host.activate();
  return host;
}
