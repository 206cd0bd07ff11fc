/**
 * @module rooms/parking-lot/parking-lot.room
 * One live room per parking lot: its counter device's and its bay sensors' accepted readings
 * (from the device gateway, on the bus) go through the parking-lot actor, and the lot's occupancy,
 * per-bay status and data quality are synced to every client. It also runs the lot's holds for
 * guidance: rooms/parking/guidance.ts asks through the lot's desk (registered in the parking hub),
 * the room ticks the actor every second from services.now so overdue holds are released, tells
 * the actor whether a held bay's holder is inside when that bay turns occupied, and pushes each
 * step of a hold to its holder (`parking` message in whatever room they have open). When staff
 * change the tariff (the parking office's TariffSet on the bus), it tells all its clients
 * (`parking` message, kind `tariff`), so open pages show the new one without reloading.
 * Owns: the subscriptions, the projection, the hold pushes. Does not: judge readings or choose
 * bays (actors/parking-lot), parse device payloads (devices/gateway).
 * Concurrency: readings and hold commands are submitted in arrival order; the actor serialises them.
 * Overflow: readings the actor refuses are counted in `lot_readings_refused_total{code}`;
 * when its mailbox is full (ENGINE_ACTOR_BUSY) the device is told to back off on its command
 * subject, at most once a second per lot.
 * Privacy: hold events leave the journal (bus, analytics) without the plate, the holder's units
 * and where they live; the room's state shows a held bay as `held`, never by whom.
 */
import { ServerError } from '@colyseus/core';
import { offerable } from '../../actors/parking-lot/occupancy.ts';
import { createParkingLotActor } from '../../actors/parking-lot/parking-lot.ts';
import type { BayInfo, Hold, LotCommand, LotEvent, LotState } from '../../actors/parking-lot/protocol.ts';
import type { ActorHost, CommandMeta, Outcome } from '../../engine/actor-host.ts';
import { hostActor } from '../_shared/host-actor.ts';
import { decodeJson, encodeJson, subjects, type BusSubscription } from '../../engine/bus/contract.ts';
import { EngineError } from '../../engine/errors.ts';
import type { JournalRecord } from '../../engine/journal/record.ts';
import type { DeviceReading } from '../../devices/reading.ts';
import { LinliRoom } from '../_shared/linli-room.ts';
import type { RoomServices } from '../_shared/services.ts';
import type { HoldNotification, LotDesk, TariffNotification } from '../parking/hub.ts';
import { parkingOfficeId } from '../parking/office.ts';
import type { TariffSet } from '../../actors/parking/protocol.ts';
import { BayCell, ParkingLotRoomState } from './parking-lot-state.ts';

type Host = ActorHost<LotState, LotCommand, LotEvent, string>;
const BACKOFF_EVERY_MS = 1000;
/** How often the room looks for overdue holds (real time; hold deadlines come from services.now). */
export const HOLD_TICK_MS = 1000;

/** Hold events without the plate, the holder's units and home point (see the module header). */
export function redactLotRecord(r: JournalRecord): JournalRecord {
  if (r.type !== 'BayHeld') return r;
  return { ...r, event: { ...(r.event as Record<string, unknown>), plate: null, near: null, unitIds: [], key: null } };
}

export function defineParkingLotRoom(services: RoomServices) {
  return class ParkingLotRoom extends LinliRoom<{ state: ParkingLotRoomState }> {
    protected readonly services = services;
    protected readonly kind = 'parking-lot';
    private host!: Host;
    private info: BayInfo[] = [];
    private desk: LotDesk | null = null;
    private readonly subs: BusSubscription[] = [];
    /** sensor device id → bay id */
    private readonly sensors = new Map<string, string>();
    /** hold id → holder account, kept after the hold ends long enough to tell them. */
    private readonly holders = new Map<string, string>();
    private backoffSentAt = -Infinity;

    override async onCreate(options: { id: string }) {
      this.acceptOnlyServerCreation(options);
      const lot = services.community.lots.find((l) => l.id === options.id);
      if (!lot) throw new ServerError(404, `${EngineError.NOT_FOUND}: no parking lot ${options.id}`);
      this.roomId = lot.id;
      this.autoDispose = false;
      this.info = lot.bays.map((b) => ({ id: b.id, at: b.at, planned: b.planned, owner: b.owner }));
      for (const b of lot.bays) this.sensors.set(b.sensorDeviceId, b.id);
      this.host = await hostActor(services, createParkingLotActor(lot.capacity, this.info), lot.id, undefined, undefined, redactLotRecord);
      this.closeWhenFenced(this.host);
      this.state = new ParkingLotRoomState({
        lotId: lot.id, capacity: lot.capacity, occupied: 0, free: lot.capacity, updatedAt: 0, quality: 'none', readings: 0,
        source: 'none', agreement: 'none', counter: -1, baysKnown: 0, held: 0, available: 0,
      });
      for (const b of lot.bays) this.state.bays.set(b.id, new BayCell({ status: 'unknown', planned: b.planned, updatedAt: 0 }));
      this.project();
      this.setupInbound();
      const c = services.community.id;
      this.subs.push(
        services.bus.subscribe(subjects.reading(c, lot.counterDeviceId, 'occupancy'), (msg) => {
          const r = decodeJson(msg.data) as DeviceReading | undefined;
          if (r && typeof r.raw === 'number' && typeof r.at === 'number') void this.record({ type: 'RecordOccupancy', deviceId: r.deviceId, at: r.at, raw: r.raw }, r.deviceId);
        }),
        services.bus.subscribe(`nb.${c}.reading.*.occupied`, (msg) => {
          const r = decodeJson(msg.data) as DeviceReading | undefined;
          const bayId = r && typeof r.deviceId === 'string' ? this.sensors.get(r.deviceId) : undefined;
          if (!r || !bayId || typeof r.value !== 'number' || typeof r.at !== 'number') return;
          void this.record({ type: 'RecordBay', bayId, deviceId: r.deviceId, occupied: r.value === 1, at: r.at, holderInside: this.holderInside(bayId) }, r.deviceId);
        }),
        // The office's journal fan-out (TariffSet names nobody, so it leaves unredacted).
        services.bus.subscribe(subjects.roomEvents(c, 'parking', parkingOfficeId(c)), (msg) => {
          const r = decodeJson(msg.data) as JournalRecord | undefined;
          if (r?.type !== 'TariffSet') return;
          const e = r.event as TariffSet;
          this.broadcast('parking', { kind: 'tariff', tariff: e.tariff, at: e.at } satisfies TariffNotification);
        }),
      );
      this.desk = {
        lotId: lot.id,
        state: () => this.host.state,
        hold: (command, meta) => this.run({ type: 'HoldBay', ...command }, meta),
        release: (accountId, at, meta) => this.run({ type: 'ReleaseHold', accountId, at }, meta),
      };
      services.parking.registerLot(this.desk);
      this.clock.setInterval(() => void this.tick(), HOLD_TICK_MS);
    }

    protected roomRef() {
      return { kind: 'parking-lot', id: this.roomId } as const;
    }

    protected handlers() {
      return {};
    }

    override onDispose() {
      this.releaseRoom();
      for (const s of this.subs) s.unsubscribe();
      if (this.desk) services.parking.unregisterLot(this.desk);
    }

    /** For a held bay whose hold names a plate: is that car inside the compound now? */
    private holderInside(bayId: string): boolean | null {
      const hold = Object.values(this.host.state.holds).find((h) => h.bayId === bayId);
      if (!hold?.plate) return null;
      return services.parking.gate ? services.parking.gate.plateInside(hold.plate) : null;
    }

    private async tick(): Promise<void> {
      const now = services.now();
      if (!Object.values(this.host.state.holds).some((h) => h.until <= now)) return;
      await this.run({ type: 'Tick', at: now }, {});
    }

    private async record(cmd: LotCommand, deviceId: string): Promise<void> {
      const out = await this.run(cmd, { author: deviceId });
      if (out.ok) return;
      services.metrics.inc('lot_readings_refused_total', 'Device readings a parking lot refused', { code: out.code });
      if (out.code === EngineError.ACTOR_BUSY && services.now() - this.backoffSentAt >= BACKOFF_EVERY_MS) {
        this.backoffSentAt = services.now();
        services.bus.publish(subjects.command(services.community.id, deviceId), encodeJson({ action: 'backoff', code: out.code, retryAfterMs: BACKOFF_EVERY_MS }));
      }
    }

    /** Submits, projects, and tells holders; a duplicate (a repeated key) is answered and tells nobody again. */
    private async run(cmd: LotCommand, meta: CommandMeta): Promise<Outcome<LotEvent, string>> {
      const out = await this.host.submit(cmd, meta);
      if (out.ok && !out.duplicate && out.events.length > 0) {
        this.project();
        this.notify(out.events);
      }
      return out;
    }

    private notify(events: readonly LotEvent[]): void {
      const holds = this.host.state.holds;
      for (const e of events) {
        let step: HoldNotification['step'];
        let reason: HoldNotification['reason'] = null;
        let hold: Hold | undefined;
        switch (e.type) {
          case 'BayHeld': step = 'held'; hold = holds[e.holdId]; break;
          case 'HoldMoved': step = 'moved'; reason = 'taken'; hold = holds[e.holdId]; break;
          case 'HoldFulfilled': step = 'fulfilled'; break;
          case 'HoldReleased': step = 'released'; reason = e.reason; break;
          default: continue;
        }
        const accountId = this.holders.get(e.holdId) ?? hold?.accountId;
        if (step === 'fulfilled' || step === 'released') this.holders.delete(e.holdId);
        if (!accountId) continue;
        const notification: HoldNotification = {
          kind: 'hold', step, reason, holdId: e.holdId, lotId: this.roomId, bayId: e.bayId, hold: hold ? services.parking.view(this.roomId, hold) : null, at: e.at,
        };
        services.bus.publish(subjects.inbox(services.community.id), encodeJson({ to: [accountId], notification, channel: 'parking' }));
        services.metrics.inc('parking_hold_steps_total', 'Steps of holds told to their holders', { step, reason: reason ?? '' });
      }
    }

    private project(): void {
      const s = this.host.state;
      for (const h of Object.values(s.holds)) this.holders.set(h.holdId, h.accountId);
      const held = new Set(Object.values(s.holds).map((h) => h.bayId));
      this.state.occupied = s.occupied ?? 0;
      this.state.free = s.capacity - (s.occupied ?? 0);
      this.state.updatedAt = s.updatedAt ?? 0;
      this.state.quality = s.quality ?? 'none';
      this.state.readings = s.readings;
      this.state.source = s.source;
      this.state.agreement = s.agreement;
      this.state.counter = s.counter ?? -1;
      this.state.baysKnown = Object.keys(s.bays).length;
      this.state.held = held.size;
      this.state.available = offerable({ capacity: s.capacity, occupied: s.occupied, info: this.info, bays: s.bays, holds: s.holds }, [], null).length;
      for (const b of this.info) {
        const known = Object.hasOwn(s.bays, b.id) ? s.bays[b.id] : undefined;
        const status = held.has(b.id) ? 'held' : known ? (known.occupied ? 'occupied' : 'free') : 'unknown';
        const cell = this.state.bays.get(b.id);
        if (!cell) continue;
        if (cell.status !== status) cell.status = status;
        const at = known?.at ?? 0;
        if (cell.updatedAt !== at) cell.updatedAt = at;
      }
    }
  };
}
