/**
 * @module rooms/_shared/services
 * What every room needs from the engine, handed to room classes when they are defined
 * (rooms/registry.ts), never through globals.
 */
import type { CommunityLayout } from '../../actors/community/layout.ts';
import type { Bus } from '../../engine/bus/contract.ts';
import type { Config } from '../../engine/config.ts';
import type { ActorRuntime } from '../../engine/actor-runtime.ts';
import type { Journal } from '../../engine/journal/contract.ts';
import type { Logger } from '../../engine/log.ts';
import type { Metrics } from '../../engine/metrics.ts';
import type { IdentityService } from '../../services/identity/identity-service.ts';
import type { DeviceRegistry } from '../../devices/registry.ts';

export interface RoomServices {
  readonly community: CommunityLayout;
  readonly bus: Bus;
  /** Read access to the journal, for history pages older than what a room keeps in memory. */
  readonly journal: Journal;
  /** Hosts the room's actor (journal, snapshots, durability settings). */
  readonly actors: ActorRuntime;
  readonly config: Config;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Wall clock in epoch ms; injectable for tests. */
  readonly now: () => number;
  /** Secret the server passes when it opens rooms; a client-requested create never has it. */
  readonly roomCreationToken: string;
  /** Who is calling and what they may do (authentication and the community directory). */
  readonly identity: IdentityService;
  /** The community's devices (kinds, places), for rooms that turn readings into alarms. */
  readonly devices: DeviceRegistry;
}
