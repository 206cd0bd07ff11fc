/**
 * @module rooms/parking-lot/parking-lot.room
 * One live room per parking lot: its counter device's accepted readings (from the device
 * gateway, on the bus) go through the parking-lot actor, and the resulting occupancy is synced
 * to every client.
 * Owns: the subscription to its counter and the state projection. Does not: judge readings
 * (actors/parking-lot) or parse device payloads (devices/gateway).
 * Concurrency: readings are submitted in arrival order; the actor serialises them.
 * Overflow: readings the actor refuses are counted in `lot_readings_refused_total{code}`; when its
 * mailbox is full (ENGINE_ACTOR_BUSY) the counter is told to back off on its command subject,
 * at most once a second.
 */
import { ServerError } from '@colyseus/core';
import { createParkingLotActor } from '../../actors/parking-lot/parking-lot.ts';
import type { LotCommand, LotEvent, LotState } from '../../actors/parking-lot/protocol.ts';
import type { ActorHost } from '../../engine/actor-host.ts';
import { hostActor } from '../_shared/host-actor.ts';
import { decodeJson, encodeJson, subjects, type BusSubscription } from '../../engine/bus/contract.ts';
import { EngineError } from '../../engine/errors.ts';
import type { DeviceReading } from '../../devices/reading.ts';
import { LinliRoom } from '../_shared/linli-room.ts';
import type { RoomServices } from '../_shared/services.ts';
import { ParkingLotRoomState } from './parking-lot-state.ts';

type Host = ActorHost<LotState, LotCommand, LotEvent, string>;
const BACKOFF_EVERY_MS = 1000;

export function defineParkingLotRoom(services: RoomServices) {
  return class ParkingLotRoom extends LinliRoom<{ state: ParkingLotRoomState }> {
    protected readonly services = services;
    protected readonly kind = 'parking-lot';
    private host!: Host;
    private sub: BusSubscription | null = null;
    private backoffSentAt = -Infinity;

    override async onCreate(options: { id: string }) {
      this.acceptOnlyServerCreation(options);
      const lot = services.community.lots.find((l) => l.id === options.id);
      if (!lot) throw new ServerError(404, `${EngineError.NOT_FOUND}: no parking lot ${options.id}`);
      this.roomId = lot.id;
      this.autoDispose = false;
      this.host = await hostActor(services, createParkingLotActor(lot.capacity), lot.id);
      this.closeWhenFenced(this.host);
      this.state = new ParkingLotRoomState({ lotId: lot.id, capacity: lot.capacity, occupied: 0, free: lot.capacity, updatedAt: 0, quality: 'none', readings: 0 });
      this.project();
      this.setupInbound();
      this.sub = services.bus.subscribe(subjects.reading(services.community.id, lot.counterDeviceId, 'occupancy'), (msg) => {
        const r = decodeJson(msg.data) as DeviceReading | undefined;
        if (r && typeof r.raw === 'number' && typeof r.at === 'number') void this.record(r);
      });
    }

    protected roomRef() {
      return { kind: 'parking-lot', id: this.roomId } as const;
    }

    protected handlers() {
      return {};
    }

    override onDispose() {
      this.stopAccessWatch();
      this.sub?.unsubscribe();
    }

    private async record(r: DeviceReading): Promise<void> {
      const out = await this.host.submit({ type: 'RecordOccupancy', deviceId: r.deviceId, at: r.at, raw: r.raw }, { author: r.deviceId });
      if (!out.ok) {
        services.metrics.inc('lot_readings_refused_total', 'Device readings a parking lot refused', { code: out.code });
        if (out.code === EngineError.ACTOR_BUSY && services.now() - this.backoffSentAt >= BACKOFF_EVERY_MS) {
          this.backoffSentAt = services.now();
          services.bus.publish(subjects.command(services.community.id, r.deviceId), encodeJson({ action: 'backoff', code: out.code, retryAfterMs: BACKOFF_EVERY_MS }));
        }
        return;
      }
      this.project();
    }

    private project(): void {
      const s = this.host.state;
      this.state.occupied = s.occupied ?? 0;
      this.state.free = s.capacity - (s.occupied ?? 0);
      this.state.updatedAt = s.updatedAt ?? 0;
      this.state.quality = s.quality ?? 'none';
      this.state.readings = s.readings;
    }
  };
}
