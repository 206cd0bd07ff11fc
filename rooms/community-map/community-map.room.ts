/**
 * @module rooms/community-map/community-map.room
 * The guards' live map of one community: it listens to the parking-lot rooms' committed
 * occupancy, the building rooms' chat events and presence, folds them through the
 * community-map actor and syncs the result to every guard's screen. It also runs the alarm
 * desk (alarm-desk.ts): alarms appear in the state at once, guards on the map are the roster
 * the desk asks (in the order they came on), and guards and staff acknowledge, take and
 * resolve alarms here (`alarm-ack`, `alarm-take`, `alarm-resolve`).
 * Owns: the subscriptions, the roster and the projection. Does not: talk to devices directly.
 * Concurrency: observations are submitted in bus order; each actor serialises its own.
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
import type { Client } from '@colyseus/core';
import type { AlarmCommand, AlarmEvent } from '../../actors/alarm/protocol.ts';
import { handler } from '../_shared/linli-room.ts';
import { AlarmDesk, ALARM_TICK_MS, deskRoleOf } from './alarm-desk.ts';
import { AlarmCell, BuildingCell, LotCell, MapRoomState } from './map-state.ts';
import { alarmResolveIn, alarmStepIn } from './messages.ts';

type Host = ActorHost<MapState, MapCommand, MapEvent, string>;

export function mapRoomId(communityId: string): string {
  return `map-${communityId}`;
}

export function defineCommunityMapRoom(services: RoomServices) {
  return class CommunityMapRoom extends LinliRoom<{ state: MapRoomState }> {
    protected readonly services = services;
    protected readonly kind = 'community-map';
    private host!: Host;
    private desk!: AlarmDesk;
    private subs: BusSubscription[] = [];
    /** Guards on the map now, in the order they came on (one entry per account). */
    private roster: string[] = [];

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
      this.desk = await AlarmDesk.open(services, () => this.roster, (events) => this.projectAlarms(events));
      this.projectAll();
      this.setupInbound();
      this.clock.setInterval(() => void this.desk.tick(), ALARM_TICK_MS);
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
      const step = (type: 'AcknowledgeAlarm' | 'TakeAlarm') => handler(alarmStepIn, (client, m) => this.alarmStep(client, m.key, { type, alarmId: m.alarmId }));
      return {
        'alarm-ack': step('AcknowledgeAlarm'),
        'alarm-take': step('TakeAlarm'),
        'alarm-resolve': handler(alarmResolveIn, (client, m) => this.alarmStep(client, m.key, { type: 'ResolveAlarm', alarmId: m.alarmId, note: m.note })),
      };
    }

    override onJoin(client: Client) {
      const m = this.member(client);
      if (deskRoleOf(m.roles) === 'guard' && !this.roster.includes(m.accountId)) {
        this.roster.push(m.accountId);
        this.projectRoster();
      }
    }

    override onLeave(client: Client) {
      const id = this.member(client)?.accountId;
      if (id && !this.clients.some((c) => c !== client && (c.auth as { accountId?: string } | undefined)?.accountId === id)) {
        this.roster = this.roster.filter((g) => g !== id);
        this.projectRoster();
      }
    }

    override onDispose() {
      this.stopAccessWatch();
      this.desk?.close();
      for (const s of this.subs) s.unsubscribe();
    }

    private async alarmStep(client: Client, key: string, cmd: { type: 'AcknowledgeAlarm' | 'TakeAlarm'; alarmId: string } | { type: 'ResolveAlarm'; alarmId: string; note: string }): Promise<void> {
      const m = this.member(client);
      const full = { ...cmd, by: m.accountId, role: deskRoleOf(m.roles), at: services.now() } as AlarmCommand;
      const out = await this.desk.submit(full);
      if (!out.ok) return this.fail(client, out.code, out.details as Record<string, unknown> | undefined, key);
      this.ack(client, key, 0);
    }

    private projectRoster(): void {
      this.state.onDuty.clear();
      for (const g of this.roster) this.state.onDuty.push(g);
    }

    private projectAlarms(events: readonly AlarmEvent[]): void {
      for (const id of new Set(events.map((e) => e.alarmId))) this.setAlarm(id);
      // Alarms the desk forgot (old resolved ones) leave the map.
      for (const id of [...this.state.alarms.keys()]) if (!this.desk.state.alarms[id]) this.state.alarms.delete(id);
    }

    private setAlarm(id: string): void {
      const a = this.desk.state.alarms[id];
      if (!a) return;
      const name = (acct: string | null) => (acct ? services.identity.displayNameOf(acct) ?? acct : '');
      const values = {
        kind: a.kind, severity: a.severity, status: a.status, deviceId: a.deviceId, lon: a.place.point[0], lat: a.place.point[1],
        buildingId: a.place.buildingId ?? '', unitId: a.place.unitId ?? '', entrance: a.place.entrance ?? '', floor: a.place.floor ?? 0,
        raisedAt: a.raisedAt, level: a.level, responder: a.responder.kind === 'guard' ? a.responder.accountId : 'staff',
        responderName: a.responder.kind === 'guard' ? name(a.responder.accountId) : '', takenBy: a.takenBy ?? '', takenByName: name(a.takenBy),
        acknowledgedAt: a.acknowledgedAt ?? 0, resolvedAt: a.resolvedAt ?? 0, note: a.note ?? '',
      };
      const cell = this.state.alarms.get(id);
      if (cell) Object.assign(cell, values);
      else this.state.alarms.set(id, new AlarmCell(values));
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
      for (const id of Object.keys(this.desk.state.alarms)) this.setAlarm(id);
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
