/**
 * @module rooms/community-map/community-map.room
 * The guards' live map of one community: it listens to the parking-lot rooms' committed
 * occupancy, the building rooms' chat events and presence, folds them through the
 * community-map actor and syncs the result to every guard's screen.
 * Owns: the subscriptions and the projection. Does not: talk to devices or other rooms directly.
 * Concurrency: observations are submitted in bus order; the actor serialises them.
 */
import { createCommunityMapActor } from '../../actors/community-map/community-map.ts';
import type { MapCommand, MapEvent, MapState } from '../../actors/community-map/protocol.ts';
import type { OccupancyRecorded } from '../../actors/parking-lot/protocol.ts';
import type { ActorHost } from '../../engine/actor-host.ts';
import { hostActor } from '../_shared/host-actor.ts';
import { decodeJson, type BusSubscription } from '../../engine/bus/contract.ts';
import type { JournalRecord } from '../../engine/journal/record.ts';
import { LinliRoom } from '../_shared/linli-room.ts';
import { allPresence } from '../_shared/presence.ts';
import type { RoomServices } from '../_shared/services.ts';
import { BuildingCell, LotCell, MapRoomState } from './map-state.ts';

type Host = ActorHost<MapState, MapCommand, MapEvent, string>;

export function mapRoomId(communityId: string): string {
  return `map-${communityId}`;
}

export function defineCommunityMapRoom(services: RoomServices) {
  return class CommunityMapRoom extends LinliRoom<{ state: MapRoomState }> {
    protected readonly services = services;
    protected readonly kind = 'community-map';
    private host!: Host;
    private subs: BusSubscription[] = [];

    override async onCreate(options: unknown) {
      this.acceptOnlyServerCreation(options);
      const c = services.community;
      this.roomId = mapRoomId(c.id);
      this.autoDispose = false;
      const residential = c.buildings.filter((b) => b.residential).map((b) => b.id);
      // The map takes every lot's and building's observations, so its mailbox is 16× a room's.
      this.host = await hostActor(services, createCommunityMapActor(c.lots, residential), this.roomId, services.config.mailboxSize * 16);
      this.closeWhenFenced(this.host);
      this.state = new MapRoomState({ communityId: c.id });
      this.projectAll();
      this.setupInbound();
      const id = c.id;
      this.subs.push(
        services.bus.subscribe(`nb.${id}.room.parking-lot.*.ev`, (m) => this.onLotRecord(decodeJson(m.data) as JournalRecord | undefined)),
        services.bus.subscribe(`nb.${id}.room.building.*.ev`, (m) => this.onBuildingRecord(decodeJson(m.data) as JournalRecord | undefined)),
        services.bus.subscribe(allPresence(id, 'building'), (m) => {
          const buildingId = m.subject.split('.').pop()!;
          const p = decodeJson(m.data) as { online?: unknown; at?: unknown } | undefined;
          if (p && typeof p.online === 'number' && typeof p.at === 'number') void this.observe({ type: 'ObservePresence', buildingId, online: p.online, at: p.at });
        }),
      );
    }

    protected roomRef() {
      return { kind: 'community-map', id: this.roomId } as const;
    }

    protected handlers() {
      return {};
    }

    override onDispose() {
      this.stopAccessWatch();
      for (const s of this.subs) s.unsubscribe();
    }

    private onLotRecord(r: JournalRecord | undefined): void {
      if (!r || r.type !== 'OccupancyRecorded') return;
      const e = r.event as OccupancyRecorded;
      const lot = services.community.lots.find((l) => l.id === r.actorId);
      if (!lot) return;
      void this.observe({ type: 'ObserveLot', lotId: r.actorId, occupied: e.occupied, capacity: lot.capacity, at: e.at });
    }

    private onBuildingRecord(r: JournalRecord | undefined): void {
      if (!r || r.type !== 'ChatPosted') return;
      void this.observe({ type: 'ObserveChat', buildingId: r.actorId, at: r.at });
    }

    private async observe(cmd: MapCommand): Promise<void> {
      const out = await this.host.submit(cmd);
      if (!out.ok) {
        services.metrics.inc('map_observations_refused_total', 'Observations the community map refused', { code: out.code });
        return;
      }
      for (const e of out.events) this.project(e);
    }

    private project(e: MapEvent): void {
      const s = this.host.state;
      if (e.type === 'LotObserved') this.setLot(e.lotId, s);
      else this.setBuilding(e.buildingId, s);
    }

    private projectAll(): void {
      const s = this.host.state;
      for (const id of Object.keys(s.lots)) this.setLot(id, s);
      for (const id of Object.keys(s.buildings)) this.setBuilding(id, s);
    }

    private setLot(id: string, s: MapState): void {
      const v = s.lots[id];
      if (!v) return;
      const cell = this.state.lots.get(id) ?? new LotCell({ occupied: 0, capacity: 0, updatedAt: 0 });
      cell.occupied = v.occupied;
      cell.capacity = v.capacity;
      cell.updatedAt = v.updatedAt;
      if (!this.state.lots.has(id)) this.state.lots.set(id, cell);
    }

    private setBuilding(id: string, s: MapState): void {
      const v = s.buildings[id];
      if (!v) return;
      const cell = this.state.buildings.get(id) ?? new BuildingCell({ online: 0, messages: 0, lastAt: 0 });
      cell.online = v.online;
      cell.messages = v.messages;
      cell.lastAt = v.lastAt;
      if (!this.state.buildings.has(id)) this.state.buildings.set(id, cell);
    }
  };
}
