/**
 * @module rooms/community-map/alarm-desk
 * The alarm desk the guards' map room runs: hosts the alarm actor (actors/alarm), raises alarms
 * from danger readings (`nb.<c>.reading.*.{alarm,lel,leak,forced,press}`), ticks it from
 * services.now so unacknowledged alarms escalate, and tells people at once through their inbox
 * (an `alarm` message in whatever room they have open): the responder (the guard asked, or all
 * property staff), the affected unit's residents (owners and tenants; for an elderly resident's
 * SOS also the unit's family members), and every later step to the same residents.
 * Owns: the mapping device → place, who is told what. Does not: decide the lifecycle (the actor).
 * Concurrency: the actor host serialises readings, ticks and guards' commands.
 * Privacy: notifications carry the alarm, never who lives where; residents learn only of their unit.
 */
import { randomUUID } from 'node:crypto';
import { alarmOfReading, createAlarmActor, DEFAULT_ALARM_LIMITS } from '../../actors/alarm/alarm.ts';
import type { Alarm, AlarmCommand, AlarmEvent, AlarmPlace, AlarmState, DeskRole } from '../../actors/alarm/protocol.ts';
import type { Device } from '../../actors/devices/protocol.ts';
import type { ActorHost, Outcome } from '../../engine/actor-host.ts';
import { decodeJson, encodeJson, subjects, type BusSubscription } from '../../engine/bus/contract.ts';
import type { DeviceReading } from '../../devices/reading.ts';
import { hostActor } from '../_shared/host-actor.ts';
import type { RoomServices } from '../_shared/services.ts';

type Host = ActorHost<AlarmState, AlarmCommand, AlarmEvent, string>;

/** The signals that may mean danger; the desk subscribes to these only. */
export const ALARM_SIGNALS = ['alarm', 'lel', 'leak', 'forced', 'press'] as const;
/** How often the desk looks for overdue alarms (real time; the alarm times come from services.now). */
export const ALARM_TICK_MS = 1000;

export const alarmDeskId = (community: string) => `alarms-${community}`;

/** What an `alarm` push carries (the client imports this type). */
export interface AlarmNotification {
  readonly alarmId: string;
  readonly step: AlarmEvent['type'];
  readonly kind: Alarm['kind'];
  readonly severity: Alarm['severity'];
  readonly status: Alarm['status'];
  readonly place: Omit<AlarmPlace, 'point' | 'lotId'>;
  readonly raisedAt: number;
  readonly at: number;
  /** Why you are told: your unit, your family's unit (elderly SOS), you are the responder, or you are staff. */
  readonly reason: 'unit' | 'family' | 'responder' | 'staff';
  readonly level: number;
  /** The resolution note, for `AlarmResolved`. */
  readonly note?: string;
}

export function placeOf(d: Device): AlarmPlace {
  const p = d.place;
  return {
    buildingId: p.kind === 'building' || p.kind === 'unit' ? p.buildingId : null,
    unitId: p.kind === 'unit' ? p.unitId : null,
    entrance: p.kind === 'unit' ? p.entrance : p.kind === 'building' ? p.entrance : null,
    floor: p.kind === 'unit' ? p.floor : null,
    lotId: p.kind === 'lot' || p.kind === 'bay' ? p.lotId : null,
    point: d.at,
  };
}

export function deskRoleOf(roles: readonly { role: string }[]): DeskRole {
  if (roles.some((g) => g.role === 'property_admin')) return 'property_admin';
  if (roles.some((g) => g.role === 'property_staff')) return 'property_staff';
  if (roles.some((g) => g.role === 'guard')) return 'guard';
  return 'other';
}

export class AlarmDesk {
  private readonly subs: BusSubscription[] = [];

  private constructor(
    private readonly services: RoomServices,
    readonly host: Host,
    private readonly onDuty: () => readonly string[],
    private readonly onEvents: (events: readonly AlarmEvent[]) => void,
  ) {}

  static async open(services: RoomServices, onDuty: () => readonly string[], onEvents: (events: readonly AlarmEvent[]) => void): Promise<AlarmDesk> {
    const c = services.config;
    const actor = createAlarmActor({
      ...DEFAULT_ALARM_LIMITS, ackTimeoutMs: c.alarmAckTimeoutS * 1000, shiftStartHours: c.alarmShiftHours, utcOffsetMin: c.alarmUtcOffsetMin,
    });
    const host = await hostActor(services, actor, alarmDeskId(services.community.id), c.mailboxSize * 16);
    const desk = new AlarmDesk(services, host, onDuty, onEvents);
    for (const signal of ALARM_SIGNALS) {
      desk.subs.push(services.bus.subscribe(`nb.${services.community.id}.reading.*.${signal}`, (m) => {
        const r = decodeJson(m.data) as DeviceReading | undefined;
        if (r && typeof r.deviceId === 'string' && typeof r.value === 'number') void desk.onReading(r);
      }));
    }
    return desk;
  }

  get state(): AlarmState {
    return this.host.state;
  }

  close(): void {
    for (const s of this.subs) s.unsubscribe();
  }

  private async onReading(r: DeviceReading): Promise<void> {
    const device = this.services.devices.get(r.deviceId);
    if (!device) return;
    const alarm = alarmOfReading(device.kind, r.signal, r.value);
    if (!alarm) return;
    await this.submit({
      type: 'RaiseAlarm', alarmId: `al-${randomUUID()}`, deviceId: device.id, kind: alarm.kind, severity: alarm.severity,
      place: placeOf(device), elderly: device.elderly === true, guards: [...this.onDuty()], at: this.services.now(),
    });
  }

  /** Looks for overdue acknowledgements now. */
  tick(): Promise<Outcome<AlarmEvent, string>> {
    return this.submit({ type: 'Tick', guards: [...this.onDuty()], at: this.services.now() });
  }

  async submit(cmd: AlarmCommand): Promise<Outcome<AlarmEvent, string>> {
    const out = await this.host.submit(cmd);
    if (!out.ok) {
      this.services.metrics.inc('alarm_commands_refused_total', 'Alarm desk commands refused', { type: cmd.type, code: out.code });
      return out;
    }
    if (out.events.length > 0) {
      for (const e of out.events) this.notify(e);
      this.onEvents(out.events);
    }
    return out;
  }

  private notify(e: AlarmEvent): void {
    const a = this.host.state.alarms[e.alarmId];
    if (!a) return;
    const note = e.type === 'AlarmResolved' ? { note: e.note } : {};
    const base = {
      alarmId: a.id, step: e.type, kind: a.kind, severity: a.severity, status: a.status, raisedAt: a.raisedAt, at: e.at, level: a.level,
      place: { buildingId: a.place.buildingId, unitId: a.place.unitId, entrance: a.place.entrance, floor: a.place.floor }, ...note,
    };
    const push = (to: readonly string[], reason: AlarmNotification['reason']) => {
      if (to.length === 0) return;
      const notification: AlarmNotification = { ...base, reason };
      this.services.bus.publish(subjects.inbox(this.services.community.id), encodeJson({ to, notification, channel: 'alarm' }));
      this.services.metrics.inc('alarm_notifications_total', 'Alarm pushes sent', { reason }, to.length);
    };
    if (e.type === 'AlarmRaised' || e.type === 'AlarmEscalated') {
      const r = e.responder;
      if (r.kind === 'guard') push([r.accountId], 'responder');
      else push(this.services.identity.staffAccounts(), 'staff');
    }
    if (a.place.unitId && e.type !== 'AlarmEscalated') {
      const members = this.services.identity.unitMembers(a.place.unitId);
      push(members.filter((m) => m.role !== 'family').map((m) => m.accountId), 'unit');
      if (a.kind === 'sos' && a.elderly) push(members.filter((m) => m.role === 'family').map((m) => m.accountId), 'family');
    }
  }
}
