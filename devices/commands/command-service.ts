/**
 * @module devices/commands/command-service
 * Commands back to devices: staff and guards open a gate or a door; residents, guards and staff
 * grant a visitor or a carer temporary access to a building entrance's door and elevator (a PIN
 * for the time window), and revoke it. Each command is decided and recorded by the
 * device-commands actor (the audit trail, in analytics), published on `nb.<c>.cmd.<deviceId>`
 * as `{ commandId, action, … }`, and answered with the device's acknowledgement when it comes in
 * time (`nb.<c>.dev.<deviceId>.ack` `{ commandId, ok, code? }`). Refusals go to the security log.
 * Owns: resolving targets and roles, PINs, waiting for acks. Does not: the rules (the actor).
 * Concurrency: the actor serialises; waiters are bounded by DEVICE_COMMAND_ACK_WAIT_MS.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { createDeviceCommandActor, DEFAULT_COMMAND_LIMITS, type CallerRole, type CommandTarget, type DeviceCommandCommand, type DeviceCommandEvent, type DeviceCommandState, type IssueCommand } from '../../actors/devices/commands.ts';
import { DeviceError } from '../../actors/devices/errors.ts';
import type { Device } from '../../actors/devices/protocol.ts';
import type { ActorHost } from '../../engine/actor-host.ts';
import { decodeJson, subjects, type BusSubscription } from '../../engine/bus/contract.ts';
import { LinliError } from '../../engine/errors.ts';
import { json, type Route } from '../../engine/http/contract.ts';
import { hostActor } from '../../rooms/_shared/host-actor.ts';
import type { RoomServices } from '../../rooms/_shared/services.ts';
import { bodyOf, signedIn } from '../../services/identity/http-kit.ts';
import type { Principal } from '../../services/identity/identity-service.ts';
import type { ToDevice } from '../gateway/gateway.ts';
import type { DeviceReading } from '../reading.ts';

type Host = ActorHost<DeviceCommandState, DeviceCommandCommand, DeviceCommandEvent, string>;

export interface CommandAnswer {
  readonly commandId: string;
  readonly deviceId: string;
  readonly action: string;
  /** `acknowledged` (ok), `failed` (the device said no, `code`), or `sent` (no answer within the wait). */
  readonly status: 'acknowledged' | 'failed' | 'sent';
  readonly code: string | null;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export class DeviceCommandService {
  private readonly waiters = new Map<string, (ack: { ok: boolean; code: string | null }) => void>();
  private sub: BusSubscription | null = null;

  private constructor(private readonly s: RoomServices, private readonly host: Host, private readonly toDevice: ToDevice) {}

  static async start(services: RoomServices, toDevice: ToDevice): Promise<DeviceCommandService> {
    const actor = createDeviceCommandActor({ ...DEFAULT_COMMAND_LIMITS, maxGrantMs: services.config.deviceGrantMaxHours * 3_600_000 });
    const host = await hostActor(services, actor, `commands-${services.community.id}`);
    const svc = new DeviceCommandService(services, host, toDevice);
    svc.sub = services.bus.subscribe(`nb.${services.community.id}.reading.*.ack`, (m) => void svc.onAck(decodeJson(m.data) as DeviceReading | undefined));
    return svc;
  }

  stop(): void {
    this.sub?.unsubscribe();
    for (const w of this.waiters.values()) w({ ok: false, code: null });
    this.waiters.clear();
  }

  get state(): DeviceCommandState {
    return this.host.state;
  }

  private async onAck(r: DeviceReading | undefined): Promise<void> {
    const d = r?.data as { commandId?: unknown; ok?: unknown; code?: unknown } | undefined;
    if (!r || typeof d?.commandId !== 'string' || typeof d.ok !== 'boolean') return;
    const out = await this.host.submit({ type: 'AcknowledgeCommand', commandId: d.commandId, deviceId: r.deviceId, ok: d.ok, code: typeof d.code === 'string' ? d.code : null, at: this.s.now() });
    if (!out.ok) {
      this.s.metrics.inc('device_acks_refused_total', 'Device acknowledgements that matched no open command', { code: out.code });
      return;
    }
    this.waiters.get(d.commandId)?.({ ok: d.ok, code: typeof d.code === 'string' ? d.code : null });
  }

  private rolesOf(p: Principal): CallerRole[] {
    return this.s.identity.me(p).roles.map((g) => ('buildingId' in g ? { role: g.role, buildingId: g.buildingId } : { role: g.role }));
  }

  private target(d: Device): CommandTarget {
    const buildingId = d.place.kind === 'building' || d.place.kind === 'unit' ? d.place.buildingId : null;
    return { deviceId: d.id, kind: d.kind, buildingId };
  }

  /**
   * Opens a gate or door on the platform's own behalf (role `system`), audited like any command:
   * e.g. the parking service letting in a recognised plate. `by` names the service (`system:parking`).
   */
  openAsSystem(by: `system:${string}`, deviceId: string): Promise<CommandAnswer> {
    return this.send(by, [{ role: 'system' }], this.device(deviceId), 'open', null, {});
  }

  private issue(p: Principal, device: Device, action: IssueCommand['action'], grant: IssueCommand['grant'], message: Record<string, unknown>): Promise<CommandAnswer> {
    this.s.identity.requirePerson(p);
    return this.send(p.accountId, this.rolesOf(p), device, action, grant, message);
  }

  private async send(by: string, roles: CallerRole[], device: Device, action: IssueCommand['action'], grant: IssueCommand['grant'], message: Record<string, unknown>): Promise<CommandAnswer> {
    const commandId = `cmd-${randomUUID()}`;
    const out = await this.host.submit({ type: 'IssueCommand', commandId, by, roles, target: this.target(device), action, grant, at: this.s.now() });
    if (!out.ok) {
      await this.s.identity.log('ActionDenied', { accountId: by, code: out.code, detail: `${action} ${device.id}` });
      throw new LinliError(out.code, out.details as Record<string, unknown> | undefined);
    }
    const acked = new Promise<{ ok: boolean; code: string | null } | null>((resolve) => {
      const timer = setTimeout(() => { this.waiters.delete(commandId); resolve(null); }, this.s.config.deviceCommandAckWaitMs);
      this.waiters.set(commandId, (ack) => { clearTimeout(timer); this.waiters.delete(commandId); resolve(ack); });
    });
    this.toDevice(device.id, { commandId, action, at: this.s.now(), ...message });
    const ack = await acked;
    return { commandId, deviceId: device.id, action, status: ack === null ? 'sent' : ack.ok ? 'acknowledged' : 'failed', code: ack?.code ?? null };
  }

  private device(id: unknown): Device {
    const d = typeof id === 'string' ? this.s.devices.get(id) : undefined;
    if (!d) throw new LinliError(DeviceError.UNKNOWN, { deviceId: typeof id === 'string' ? id.slice(0, 96) : null });
    return d;
  }

  /** Opens a gate or a door now (guards and staff). */
  open(p: Principal, deviceId: unknown): Promise<CommandAnswer> {
    return this.issue(p, this.device(deviceId), 'open', null, {});
  }

  /** Grants a visitor or carer access to an entrance's door and elevator for a window; returns the PIN once. */
  async grant(p: Principal, b: Record<string, unknown>): Promise<{ grantId: string; pin: string; from: number; until: number; commands: CommandAnswer[] }> {
    const buildingId = typeof b.buildingId === 'string' ? b.buildingId : '';
    const entrance = typeof b.entrance === 'string' ? b.entrance : '';
    const devices = [...this.s.devices.all()].filter((d) => (d.kind === 'door-reader' || d.kind === 'elevator') && d.place.kind === 'building' && d.place.buildingId === buildingId && d.place.entrance === entrance);
    if (devices.length === 0) throw new LinliError(DeviceError.UNKNOWN, { buildingId: buildingId.slice(0, 64), entrance: entrance.slice(0, 12) });
    const holder = b.holder === 'carer' ? 'carer' : b.holder === 'visitor' ? 'visitor' : null;
    if (!holder) throw new LinliError(DeviceError.BAD_COMMAND, { field: 'holder' });
    const from = typeof b.from === 'number' ? b.from : this.s.now();
    const until = typeof b.until === 'number' ? b.until : NaN;
    const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const grantId = typeof b.grantId === 'string' && ID.test(b.grantId) ? b.grantId : `grant-${randomUUID()}`;
    const grant = { grantId, holder, label: typeof b.label === 'string' ? b.label.slice(0, 200) : '', from, until, pinHash: createHash('sha256').update(pin).digest('hex') } as const;
    const commands: CommandAnswer[] = [];
    for (const d of devices) commands.push(await this.issue(p, d, 'grant', grant, { grantId, holder, from, until, pin }));
    return { grantId, pin, from, until, commands };
  }

  async revoke(p: Principal, grantId: unknown): Promise<CommandAnswer[]> {
    const g = typeof grantId === 'string' ? this.host.state.grants[grantId] : undefined;
    if (!g || !Object.hasOwn(this.host.state.grants, String(grantId))) throw new LinliError(DeviceError.UNKNOWN_COMMAND, { grantId: String(grantId).slice(0, 64) });
    const out: CommandAnswer[] = [];
    for (const id of g.deviceIds) {
      out.push(await this.issue(p, this.device(id), 'revoke-grant', { grantId: grantId as string, holder: 'visitor', label: '-', from: 0, until: g.until, pinHash: '' }, { grantId }));
    }
    return out;
  }

  routes(trustProxy: boolean): Route[] {
    const authed = (h: Parameters<typeof signedIn>[3]) => signedIn(this.s.identity, trustProxy, this.s.log, h);
    return [
      { method: 'POST', path: '/api/devices/commands', handle: authed(async (p, req) => {
        const b = bodyOf(req);
        if (b.action !== 'open') throw new LinliError(DeviceError.BAD_COMMAND, { field: 'action' });
        return json(200, { ok: true, ...await this.open(p, b.deviceId) });
      }) },
      { method: 'POST', path: '/api/devices/grants', handle: authed(async (p, req) => json(200, { ok: true, ...await this.grant(p, bodyOf(req)) })) },
      { method: 'POST', path: '/api/devices/grants/revoke', handle: authed(async (p, req) => json(200, { ok: true, commands: await this.revoke(p, bodyOf(req).grantId) })) },
      { method: 'GET', path: '/api/devices/commands', handle: authed((p, req) => {
        this.s.identity.requireRoom(p, { kind: 'community-map', id: `map-${this.s.community.id}` });
        const id = req.query.get('commandId') ?? '';
        const c = Object.hasOwn(this.host.state.commands, id) ? this.host.state.commands[id] : undefined;
        if (!c) throw new LinliError(DeviceError.UNKNOWN_COMMAND, { commandId: id.slice(0, 64) });
        return json(200, { ok: true, commandId: id, ...c });
      }) },
    ];
  }
}

