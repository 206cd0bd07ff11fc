/**
 * @module rooms/parking/guidance
 * A resident asks for a bay: in a lot they pick, or in the lot the system picks (the nearest to
 * their building that can offer them a bay, actors/parking/guidance.ts). The chosen lot's actor
 * holds the nearest offerable bay for PARKING_HOLD_S; the answer (and the `parking` pushes the lot
 * room sends) carries the bay, the gate and the route from it over the compound's ways.
 * Facts handed to the actor: whether the caller is a resident now, their units (planned bays),
 * their building's centre, the plate they arrive with (given, or their one registered plate), and
 * any hold they already have in another lot (one hold per account across lots).
 * Owns: resolving the caller and the lot; the per-account order of requests. Does not: choose
 * the bay (the lot actor) or keep holds (the lot actors' state is the only record).
 * Concurrency: requests of one account run one after another (a bounded promise chain per
 * account, dropped when idle), so two requests racing to two lots cannot both find no hold.
 * Idempotency: a request re-sent with the same `key` returns the hold it made, in whichever lot.
 */
import { normalizePlate } from '../../actors/contact/plate.ts';
import type { LonLat } from '../../actors/community/layout.ts';
import { offerable } from '../../actors/parking-lot/occupancy.ts';
import type { LotEvent } from '../../actors/parking-lot/protocol.ts';
import { ParkingError } from '../../actors/parking/errors.ts';
import { centreOf, pickLot } from '../../actors/parking/guidance.ts';
import { LinliError } from '../../engine/errors.ts';
import type { Principal } from '../../services/identity/identity-service.ts';
import type { RoomServices } from '../_shared/services.ts';
import type { HoldView, LotDesk } from './hub.ts';

export interface HoldRequest {
  /** A lot id, or null to let the system pick. */
  readonly lotId: string | null;
  readonly gateId: string | null;
  readonly plate: string | null;
  readonly key: string | null;
}

interface Caller {
  readonly resident: boolean;
  readonly unitIds: string[];
  readonly home: LonLat | null;
}

export class Guidance {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly s: RoomServices, private readonly platesOf: (accountId: string) => readonly string[], private readonly holdId: () => string) {}

  private caller(p: Principal): Caller {
    const now = this.s.now();
    const grants = this.s.identity.me(p).roles.flatMap((g) => ('unitId' in g && (g.endsAt === null || now < g.endsAt) ? [g] : []));
    const home = grants.length > 0 ? this.s.parking.buildingCentre(grants[0]!.buildingId) : null;
    return { resident: grants.length > 0, unitIds: grants.map((g) => g.unitId), home };
  }

  /** Runs `work` after the account's earlier requests. */
  private serial<T>(accountId: string, work: () => Promise<T>): Promise<T> {
    const before = this.chains.get(accountId) ?? Promise.resolve();
    const next = before.then(work, work);
    const tail = next.then(() => undefined, () => undefined);
    this.chains.set(accountId, tail);
    void tail.then(() => { if (this.chains.get(accountId) === tail) this.chains.delete(accountId); });
    return next;
  }

  request(p: Principal, r: HoldRequest): Promise<HoldView> {
    this.s.identity.requirePerson(p);
    return this.serial(p.accountId, () => this.hold(p, r));
  }

  private async hold(p: Principal, r: HoldRequest): Promise<HoldView> {
    const hub = this.s.parking;
    const existing = hub.holdOf(p.accountId);
    if (existing && r.key !== null && existing.hold.key === r.key) return hub.view(existing.lotId, existing.hold);
    if (r.lotId !== null && !hub.lot(r.lotId)) throw new LinliError(ParkingError.UNKNOWN_LOT, { lotId: r.lotId.slice(0, 64) });
    if (r.gateId !== null && !hub.entrances().some((g) => g.id === r.gateId)) throw new LinliError(ParkingError.UNKNOWN_GATE, { gateId: r.gateId.slice(0, 64) });
    let plate: string | null = null;
    if (r.plate !== null) {
      const n = normalizePlate(r.plate);
      if (!n.ok) throw new LinliError(ParkingError.BAD_PLATE, { reason: n.reason });
      plate = n.plate;
    } else {
      const mine = this.platesOf(p.accountId);
      plate = mine.length === 1 ? mine[0]! : null;
    }
    const who = this.caller(p);
    const gate = r.gateId !== null ? hub.entrances().find((g) => g.id === r.gateId)! : null;
    const desk = r.lotId !== null ? hub.lot(r.lotId)! : this.pick(who);
    const lotLayout = this.s.community.lots.find((l) => l.id === desk.lotId)!;
    const near = who.home ?? gate?.at ?? centreOf(lotLayout.polygon);
    const at = this.s.now();
    const out = await desk.hold({
      holdId: this.holdId(), accountId: p.accountId, resident: who.resident, unitIds: who.unitIds, near, plate, gateId: r.gateId,
      holdMs: this.s.config.parkingHoldS * 1000, key: r.key, elsewhere: existing && existing.lotId !== desk.lotId ? existing.hold.holdId : null, at,
    }, { author: p.accountId, key: r.key });
    if (!out.ok) {
      if (out.code === ParkingError.NOT_RESIDENT) await this.s.identity.log('ActionDenied', { accountId: p.accountId, code: out.code, detail: 'HoldBay' });
      throw new LinliError(out.code, out.details as Record<string, unknown> | undefined);
    }
    return this.viewOf(desk, out.events);
  }

  /** The system's choice of lot; a non-resident gets any lot (its actor refuses them). */
  private pick(who: Caller): LotDesk {
    const desks = this.s.parking.allLots();
    if (desks.length === 0) throw new LinliError(ParkingError.NO_FREE_BAY);
    if (!who.resident) return desks[0]!;
    const options = desks.map((d) => {
      const s = d.state();
      const layout = this.s.community.lots.find((l) => l.id === d.lotId)!;
      const info = layout.bays.map((b) => ({ id: b.id, at: b.at, planned: b.planned, owner: b.owner }));
      return { lotId: d.lotId, centre: centreOf(layout.polygon), offerable: offerable({ capacity: s.capacity, occupied: s.occupied, info, bays: s.bays, holds: s.holds }, who.unitIds, who.home).length };
    });
    const choice = pickLot(options, who.home);
    if (!choice) throw new LinliError(ParkingError.NO_FREE_BAY);
    return this.s.parking.lot(choice.lotId)!;
  }

  /** The hold the events made (the first outcome's, for a duplicate), as it stands now. */
  private viewOf(desk: LotDesk, events: readonly LotEvent[]): HoldView {
    const held = events.find((e) => e.type === 'BayHeld');
    if (held?.type !== 'BayHeld') throw new LinliError(ParkingError.NO_HOLD);
    const now = desk.state().holds[held.holdId];
    return this.s.parking.view(desk.lotId, now ?? {
      holdId: held.holdId, bayId: held.bayId, accountId: held.accountId, unitIds: held.unitIds, near: held.near, plate: held.plate,
      gateId: held.gateId, holdMs: held.holdMs, until: held.until, key: held.key, at: held.at,
    });
  }

  mine(p: Principal): HoldView | null {
    this.s.identity.requirePerson(p);
    const h = this.s.parking.holdOf(p.accountId);
    return h ? this.s.parking.view(h.lotId, h.hold) : null;
  }

  cancel(p: Principal, key: string | null): Promise<void> {
    this.s.identity.requirePerson(p);
    return this.serial(p.accountId, async () => {
      const h = this.s.parking.holdOf(p.accountId);
      if (!h) throw new LinliError(ParkingError.NO_HOLD);
      const out = await this.s.parking.lot(h.lotId)!.release(p.accountId, this.s.now(), { author: p.accountId, key });
      if (!out.ok) throw new LinliError(out.code, out.details as Record<string, unknown> | undefined);
    });
  }
}
