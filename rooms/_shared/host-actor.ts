/**
 * @module rooms/_shared/host-actor
 * Creates and activates the actor host a room runs on, through the process's actor runtime
 * (journal, snapshots, bus, mailbox bound, durability settings).
 */
import type { ActorDefinition } from '../../actors/_kit/index.ts';
import type { ActorHost } from '../../engine/actor-host.ts';
import type { Publish } from '../../engine/actor-runtime.ts';
import type { RoomServices } from './services.ts';

export function hostActor<S, C, E extends { type: string; at: number }, Code extends string>(
  services: RoomServices,
  def: ActorDefinition<S, C, E, Code>,
  actorId: string,
  mailboxSize = services.config.mailboxSize,
  /** What of each record leaves the journal (bus, analytics); default all of it. */
  publish?: Publish,
): Promise<ActorHost<S, C, E, Code>> {
  return services.actors.host(def, { community: services.community.id, kind: def.type, actorId }, { mailboxSize, ...(publish ? { publish } : {}) });
}
