/**
 * @module rooms/parking/hub
 * Where the parking parts of one process find each other: each parking-lot room registers its
 * desk (its actor's state and its hold commands) when it opens, the parking office registers what
 * it knows of cars inside, and guidance and the HTTP routes look both up. Also holds the layout's
 * way graph, built once, and turns a hold into what its holder is shown (bay, gate, route).
 * Owns: the registry and the hold view. Does not: decide anything (the actors do) or run commands.
 * Concurrency: used from the event loop only; registration happens while rooms open.
 */
import type { CommunityLayout, GateLayout, LonLat } from '../../actors/community/layout.ts';
import type { Hold, HoldBay, LotEvent, LotState } from '../../actors/parking-lot/protocol.ts';
import { bestGate, centreOf } from '../../actors/parking/guidance.ts';
import type { Tariff } from '../../actors/parking/protocol.ts';
import { buildWayGraph, routeBetween, type Route, type WayGraph } from '../../actors/parking/route.ts';
import type { CommandMeta, Outcome } from '../../engine/actor-host.ts';

/** What a parking-lot room offers the rest of the process. */
export interface LotDesk {
  readonly lotId: string;
  state(): LotState;
  hold(command: Omit<HoldBay, 'type'>, meta: CommandMeta): Promise<Outcome<LotEvent, string>>;
  release(accountId: string, at: number, meta: CommandMeta): Promise<Outcome<LotEvent, string>>;
}

/** What the parking office tells the lots: whether a car is inside the compound now. */
export interface GateFacts {
  plateInside(plate: string): boolean;
}

/** A hold as its holder sees it (the `parking` push and the HTTP answers carry this). */
export interface HoldView {
  readonly holdId: string;
  readonly lotId: string;
  readonly bayId: string;
  readonly bayAt: LonLat;
  /** Deadline, epoch ms: the bay is released if its sensor does not show it occupied by then. */
  readonly until: number;
  readonly gateId: string | null;
  readonly plate: string | null;
  /** From the gate to the bay over the compound's ways. */
  readonly route: Route | null;
}

/** A `parking` push about the account's hold. */
export interface HoldNotification {
  readonly kind: 'hold';
  readonly step: 'held' | 'moved' | 'fulfilled' | 'released';
  readonly reason: 'expired' | 'cancelled' | 'taken' | null;
  readonly holdId: string;
  readonly lotId: string;
  readonly bayId: string;
  /** The hold now (null once fulfilled or released). */
  readonly hold: HoldView | null;
  readonly at: number;
}

/** A `parking` push about a gate session of one of the account's cars. */
export interface SessionNotification {
  readonly kind: 'session';
  /** Entered; at an exit with money due; left. */
  readonly step: 'opened' | 'due' | 'closed';
  readonly sessionId: string;
  readonly plate: string;
  readonly gateId: string;
  /** Money due now (`due`), fen. */
  readonly dueFen: number;
  /** What the stay cost (`closed`), fen. */
  readonly feeFen: number;
  readonly at: number;
}

/** A `parking` message every parking-lot room sends all its clients when staff change the tariff. */
export interface TariffNotification {
  readonly kind: 'tariff';
  readonly tariff: Tariff;
  readonly at: number;
}

/** The `parking` push every room forwards to the account it names (and the lot rooms' tariff broadcast). */
export type ParkingNotification = HoldNotification | SessionNotification | TariffNotification;

export class ParkingHub {
  private readonly lots = new Map<string, LotDesk>();
  private graph: WayGraph | null = null;
  gate: GateFacts | null = null;

  constructor(readonly community: CommunityLayout) {}

  registerLot(desk: LotDesk): void {
    this.lots.set(desk.lotId, desk);
  }

  unregisterLot(desk: LotDesk): void {
    if (this.lots.get(desk.lotId) === desk) this.lots.delete(desk.lotId);
  }

  lot(lotId: string): LotDesk | undefined {
    return this.lots.get(lotId);
  }

  allLots(): LotDesk[] {
    return [...this.lots.values()];
  }

  /** The account's current hold in any lot. */
  holdOf(accountId: string): { lotId: string; hold: Hold } | null {
    for (const desk of this.lots.values()) {
      const h = Object.values(desk.state().holds).find((x) => x.accountId === accountId);
      if (h) return { lotId: desk.lotId, hold: h };
    }
    return null;
  }

  ways(): WayGraph {
    this.graph ??= buildWayGraph(this.community.ways);
    return this.graph;
  }

  entrances(): readonly GateLayout[] {
    return this.community.gates;
  }

  buildingCentre(buildingId: string): LonLat | null {
    const b = this.community.buildings.find((x) => x.id === buildingId);
    return b && b.footprint.length > 0 ? centreOf(b.footprint) : null;
  }

  /** The hold as its holder is shown it: where the bay is, the gate and the route from it. */
  view(lotId: string, hold: Hold): HoldView {
    const bay = this.community.lots.find((l) => l.id === lotId)?.bays.find((b) => b.id === hold.bayId);
    const bayAt: LonLat = bay ? bay.at : hold.near;
    const chosen = hold.gateId ? this.community.gates.find((g) => g.id === hold.gateId) : undefined;
    let gateId: string | null = chosen?.id ?? null;
    let route: Route | null = null;
    if (chosen) route = routeBetween(this.ways(), chosen.at, bayAt);
    else {
      const best = bestGate(this.ways(), this.community.gates, bayAt);
      if (best) ({ gateId, route } = best);
    }
    return { holdId: hold.holdId, lotId, bayId: hold.bayId, bayAt, until: hold.until, gateId, plate: hold.plate, route };
  }
}
