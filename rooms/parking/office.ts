/**
 * @module rooms/parking/office
 * The parking office of one community: hosts the parking actor (actors/parking), turns gate
 * plate readings (`nb.<c>.reading.<gate>.plate`) into ReadPlate commands with the facts the actor
 * needs (whose registered plate it is, whether that account's unit owns a planned bay), opens the
 * barrier through the audited device commands (`openAsSystem('system:parking', …)`) when the
 * actor lets a car in or out, tells a car's registered holder each step of its session (`parking`
 * push), and runs the staff's and residents' requests (tariff, passes, payments).
 * Owns: those look-ups, the gate opening and the pushes. Does not: the rules (the actor).
 * Concurrency: the actor host serialises readings and requests; gate commands are sent without
 * waiting on the actor (their acknowledgement is counted in `parking_gate_opens_total{status}`).
 * Privacy: session, pass and residents' payment events leave the journal (bus, analytics) without
 * account ids or units: analysts see plates, classes, times and money, not who lives where.
 */
import { randomUUID } from 'node:crypto';
import { normalizePlate } from '../../actors/contact/plate.ts';
import { platesOf } from '../../actors/contact/contact-relay.ts';
import type { ContactState } from '../../actors/contact/contact-protocol.ts';
import { ParkingError } from '../../actors/parking/errors.ts';
import { createParkingActor, DEFAULT_PARKING_LIMITS, feeDue, type ParkingLimits } from '../../actors/parking/parking.ts';
import type { IssuePass, OfficeRole, ParkingCommand, ParkingEvent, ParkingState, PaymentMethod, PlateFacts, Tariff } from '../../actors/parking/protocol.ts';
import type { ActorHost, CommandMeta, Outcome } from '../../engine/actor-host.ts';
import { decodeJson, encodeJson, subjects, type BusSubscription } from '../../engine/bus/contract.ts';
import { LinliError } from '../../engine/errors.ts';
import type { JournalRecord } from '../../engine/journal/record.ts';
import type { DeviceReading } from '../../devices/reading.ts';
import type { Principal } from '../../services/identity/identity-service.ts';
import type { RoomServices } from '../_shared/services.ts';
import type { GateFacts, SessionNotification } from './hub.ts';

type Host = ActorHost<ParkingState, ParkingCommand, ParkingEvent, string>;

/** Residents' registered plates (the contact relay's register, read only). */
export interface PlateRegister {
  /** The account that registered a normalised plate, or null. */
  ownerOf(plate: string): string | null;
  platesOf(accountId: string): readonly string[];
}

/** The register over the contact relay's state. */
export function contactPlates(state: () => ContactState): PlateRegister {
  return {
    ownerOf: (plate) => (Object.hasOwn(state().plates, plate) ? state().plates[plate]! : null),
    platesOf: (accountId) => platesOf(state(), accountId),
  };
}

export interface OfficeDeps {
  /** Opens a barrier on the platform's behalf (devices/commands). */
  readonly openAsSystem: (by: `system:${string}`, deviceId: string) => Promise<{ status: string }>;
  readonly plates: PlateRegister;
}

export const parkingOfficeId = (community: string) => `parking-${community}`;

/**
 * What leaves the journal: session events without the account id, passes without who issued or
 * revoked them and for which unit, a resident's own payment without who paid (see the module header).
 */
export function redactParkingRecord(r: JournalRecord): JournalRecord {
  const e = r.event as Record<string, unknown>;
  // Residents' own requests: neither the event nor the envelope names them.
  const anonymous = { ...r, author: RESIDENT_AUTHOR };
  if ('accountId' in e) return { ...(r.author === e.accountId ? anonymous : r), event: { ...e, accountId: null } };
  if (r.type === 'PassIssued') {
    const pass = e.pass as { kind?: string };
    return { ...(pass.kind === 'visitor' ? anonymous : r), event: { ...e, pass: { ...pass, issuedBy: null, unitId: null } } };
  }
  if (r.type === 'PassRevoked') return { ...anonymous, event: { ...e, by: null } };
  if (r.type === 'PaymentRecorded' && e.role === 'resident') return { ...anonymous, event: { ...e, by: null } };
  return r;
}

/** The author analytics sees for a resident's own parking request. */
export const RESIDENT_AUTHOR = 'resident';

export class ParkingOffice implements GateFacts {
  private sub: BusSubscription | null = null;

  private constructor(private readonly s: RoomServices, readonly host: Host, private readonly deps: OfficeDeps, readonly limits: ParkingLimits) {}

  /** The lots and guidance of this process. */
  get hub() {
    return this.s.parking;
  }

  static async start(services: RoomServices, deps: OfficeDeps): Promise<ParkingOffice> {
    const limits = { ...DEFAULT_PARKING_LIMITS, utcOffsetMin: services.config.alarmUtcOffsetMin, repeatReadMs: services.config.parkingRepeatReadS * 1000 };
    // A community service every node serves (HTTP, gate reads): a shared actor, like identity.
    const def = createParkingActor(limits);
    const host = await services.actors.host(def, { community: services.community.id, kind: def.type, actorId: parkingOfficeId(services.community.id) }, { mode: 'shared', publish: redactParkingRecord });
    const office = new ParkingOffice(services, host, deps, limits);
    // One node of a cluster takes each plate read (a queue group), so a barrier opens once.
    office.sub = services.bus.subscribe(`nb.${services.community.id}.reading.*.plate`, (m) => {
      const r = decodeJson(m.data) as DeviceReading | undefined;
      if (r && typeof r.deviceId === 'string' && typeof r.at === 'number') void office.onPlate(r);
    }, { queue: 'linli-parking-office' });
    services.parking.gate = office;
    return office;
  }

  stop(): void {
    this.sub?.unsubscribe();
    if (this.s.parking.gate === this) this.s.parking.gate = null;
  }

  get state(): ParkingState {
    return this.host.state;
  }

  plateInside(plate: string): boolean {
    return Object.hasOwn(this.host.state.open, plate);
  }

  /** Facts about a plate as typed: its registered holder and whether their unit owns a planned bay. */
  factsOf(rawPlate: string): PlateFacts {
    const n = normalizePlate(rawPlate);
    const accountId = n.ok ? this.deps.plates.ownerOf(n.plate) : null;
    return { accountId, ownsPlannedBay: accountId !== null && this.ownsPlannedBay(accountId) };
  }

  private ownsPlannedBay(accountId: string): boolean {
    const units = new Set(this.unitsOf(accountId));
    return this.s.community.lots.some((l) => l.bays.some((b) => b.planned && b.owner !== null && units.has(b.owner)));
  }

  /** The account's units now (memberships not ended, account not revoked). */
  unitsOf(accountId: string): string[] {
    const a = this.s.identity.directory.state.accounts[accountId];
    if (!a || a.revokedAt !== null) return [];
    const now = this.s.now();
    return Object.entries(a.units).filter(([, m]) => m.endsAt === null || now < m.endsAt).map(([unitId]) => unitId);
  }

  roleOf(p: Principal): OfficeRole {
    const roles = this.s.identity.me(p).roles;
    if (roles.some((g) => g.role === 'property_staff' || g.role === 'property_admin')) return 'staff';
    if (roles.some((g) => g.role === 'guard')) return 'guard';
    return this.unitsOf(p.accountId).length > 0 ? 'resident' : 'other';
  }

  private async onPlate(r: DeviceReading): Promise<void> {
    const device = this.s.devices.get(r.deviceId);
    if (device?.kind !== 'gate' || device.place.kind !== 'point' || !device.place.gateId) return;
    const d = r.data as { plate?: unknown; direction?: unknown } | undefined;
    if (typeof d?.plate !== 'string' || (d.direction !== 'in' && d.direction !== 'out')) return;
    const out = await this.submit({
      type: 'ReadPlate', gateId: device.place.gateId, deviceId: device.id, plate: d.plate, direction: d.direction,
      facts: this.factsOf(d.plate), sessionId: `ps-${randomUUID()}`, at: r.at,
    }, { author: device.id });
    const outcome = !out.ok ? out.code : out.events.length === 0 ? 'repeat' : out.events[out.events.length - 1]!.type;
    this.s.metrics.inc('parking_plate_reads_total', 'Gate plate reads by what the parking office made of them', { outcome });
  }

  /** Submits; on a first (not duplicate) outcome opens barriers and tells holders. */
  async submit(cmd: ParkingCommand, meta: CommandMeta = {}): Promise<Outcome<ParkingEvent, string>> {
    const out = await this.host.submit(cmd, meta);
    if (out.ok && !out.duplicate) for (const e of out.events) this.act(e);
    return out;
  }

  private act(e: ParkingEvent): void {
    if (e.type === 'SessionOpened') {
      this.open(e.gateId);
      this.tell(e.accountId, { kind: 'session', step: 'opened', sessionId: e.sessionId, plate: e.plate, gateId: e.gateId, dueFen: 0, feeFen: 0, at: e.at });
    } else if (e.type === 'SessionClosed') {
      if (e.open) this.open(e.gateId);
      this.tell(e.accountId, { kind: 'session', step: 'closed', sessionId: e.sessionId, plate: e.plate, gateId: e.gateId, dueFen: 0, feeFen: e.feeFen, at: e.at });
    } else if (e.type === 'ExitRequested') {
      const accountId = this.host.state.open[e.plate]?.accountId ?? null;
      this.tell(accountId, { kind: 'session', step: 'due', sessionId: e.sessionId, plate: e.plate, gateId: e.gateId, dueFen: e.dueFen, feeFen: e.feeFen, at: e.at });
    }
  }

  private open(gateId: string): void {
    const gate = this.s.community.gates.find((g) => g.id === gateId);
    if (!gate) return;
    this.deps.openAsSystem('system:parking', gate.deviceId).then(
      (a) => this.s.metrics.inc('parking_gate_opens_total', 'Barriers the parking office opened, by the device answer', { status: a.status }),
      (err: unknown) => {
        this.s.metrics.inc('parking_gate_opens_total', 'Barriers the parking office opened, by the device answer', { status: 'error' });
        this.s.log.warn('parking gate open failed', { gateId, err });
      },
    );
  }

  private tell(accountId: string | null, notification: SessionNotification): void {
    if (!accountId) return;
    this.s.bus.publish(subjects.inbox(this.s.community.id), encodeJson({ to: [accountId], notification, channel: 'parking' }));
  }

  // --- requests (rooms/parking/routes.ts)

  private async decided(p: Principal, cmd: ParkingCommand, key: string | null): Promise<readonly ParkingEvent[]> {
    const out = await this.submit(cmd, { author: p.accountId, key });
    if (!out.ok) {
      await this.s.identity.log('ActionDenied', { accountId: p.accountId, code: out.code, detail: cmd.type });
      throw new LinliError(out.code, out.details as Record<string, unknown> | undefined);
    }
    return out.events;
  }

  async setTariff(p: Principal, tariff: Tariff, key: string | null): Promise<Tariff> {
    this.s.identity.requirePerson(p);
    await this.decided(p, { type: 'SetTariff', by: p.accountId, role: this.roleOf(p), tariff, at: this.s.now() }, key);
    return this.host.state.tariff;
  }

  async issuePass(p: Principal, b: { kind: IssuePass['kind']; plate: string; from: number | null; until: number; unitId: string | null; amountFen: number | null; method: PaymentMethod | null }, key: string | null) {
    this.s.identity.requirePerson(p);
    const units = this.unitsOf(p.accountId);
    const at = this.s.now();
    const passId = `pass-${randomUUID()}`;
    const events = await this.decided(p, {
      type: 'IssuePass', passId, kind: b.kind, by: p.accountId, role: this.roleOf(p), unitIds: units,
      unitId: b.kind === 'visitor' ? b.unitId ?? units[0] ?? null : b.unitId, plate: b.plate, from: b.from ?? at, until: b.until,
      amountFen: b.amountFen, method: b.method, paymentId: b.amountFen ? `pay-${randomUUID()}` : null, at,
    }, key);
    const issued = events.find((e) => e.type === 'PassIssued');
    return issued?.type === 'PassIssued' ? issued.pass : null;
  }

  async revokePass(p: Principal, passId: string, key: string | null): Promise<void> {
    this.s.identity.requirePerson(p);
    await this.decided(p, { type: 'RevokePass', passId, by: p.accountId, role: this.roleOf(p), at: this.s.now() }, key);
  }

  async pay(p: Principal, b: { sessionId: string; amountFen: number; method: PaymentMethod }, key: string | null) {
    this.s.identity.requirePerson(p);
    const events = await this.decided(p, { type: 'RecordPayment', paymentId: `pay-${randomUUID()}`, sessionId: b.sessionId, by: p.accountId, role: this.roleOf(p), method: b.method, amountFen: b.amountFen, at: this.s.now() }, key);
    const closed = events.find((e) => e.type === 'SessionClosed');
    return { paid: events.find((e) => e.type === 'PaymentRecorded') ?? null, closed: closed ?? null };
  }

  /** Open sessions with what is due now: all of them for guards and staff, a resident's own cars otherwise. */
  sessions(p: Principal) {
    this.s.identity.requirePerson(p);
    const role = this.roleOf(p);
    if (role === 'other') throw new LinliError(ParkingError.NOT_RESIDENT);
    const now = this.s.now();
    const s = this.host.state;
    const mine = (accountId: string | null) => role === 'staff' || role === 'guard' || accountId === p.accountId;
    return {
      open: Object.values(s.open).filter((x) => mine(x.accountId)).map((x) => ({
        sessionId: x.sessionId, plate: x.plate, class: x.class, enteredAt: x.enteredAt, entryGateId: x.entryGateId, paidFen: x.paidFen,
        exit: x.exit, dueFen: feeDue(s, this.limits, x, now).dueFen,
      })),
      closed: s.closed.filter((x) => mine(x.accountId)).slice(-50).reverse(),
    };
  }

  /** Active passes: all for staff, those a resident issued (or that cover their unit) otherwise. */
  passes(p: Principal) {
    this.s.identity.requirePerson(p);
    const role = this.roleOf(p);
    const units = new Set(this.unitsOf(p.accountId));
    const now = this.s.now();
    return Object.values(this.host.state.passes)
      .filter((x) => x.until > now && (role === 'staff' || x.issuedBy === p.accountId || (x.unitId !== null && units.has(x.unitId))))
      .sort((a, b) => a.from - b.from);
  }
}
