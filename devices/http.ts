/**
 * @module devices/http
 * Staff's and guards' HTTP view of the devices: the registry (`GET /api/devices`, optionally
 * `?kind=` or `?unit=`) and the health counters of the gateway (`GET /api/devices/health`: per
 * device, accepted readings and refused ones by reason and code, last refusal, unknown ids).
 * Owns: the shapes of these answers. Does not: count (the gateway does).
 * Access: people the directory admits to the community map (guards, property staff and admins).
 */
import { DEVICE_KINDS } from '../actors/devices/catalog.ts';
import type { DeviceKind } from '../actors/devices/protocol.ts';
import { json, type Route } from '../engine/http/contract.ts';
import type { Logger } from '../engine/log.ts';
import { signedIn } from '../services/identity/http-kit.ts';
import type { IdentityService } from '../services/identity/identity-service.ts';
import type { DeviceGateway } from './gateway/gateway.ts';
import type { DeviceRegistry } from './registry.ts';

export function deviceInfoRoutes(identity: IdentityService, registry: DeviceRegistry, gateway: DeviceGateway, trustProxy: boolean, log: Logger): Route[] {
  const staffOrGuard = (handle: Parameters<typeof signedIn>[3]) => signedIn(identity, trustProxy, log, (p, req, caller) => {
    identity.requireRoom(p, { kind: 'community-map', id: `map-${identity.community}` });
    return handle(p, req, caller);
  });
  return [
    {
      method: 'GET', path: '/api/devices',
      handle: staffOrGuard((_p, req) => {
        const kind = req.query.get('kind');
        const unit = req.query.get('unit');
        let list = [...registry.all()];
        if (kind && Object.hasOwn(DEVICE_KINDS, kind)) list = list.filter((d) => d.kind === (kind as DeviceKind));
        if (unit) list = [...registry.inUnit(unit)];
        return json(200, { ok: true, count: list.length, byKind: registry.countByKind(), devices: list });
      }),
    },
    {
      method: 'GET', path: '/api/devices/health',
      handle: staffOrGuard(() => json(200, { ok: true, ...gateway.health() })),
    },
  ];
}
