/**
 * @module devices/gateway/registry
 * The devices a community knows, derived from its layout: one occupancy counter per parking lot.
 * Owns: which (deviceId, signal) pairs are accepted. Does not: credentials (issue 7).
 */
import type { CommunityLayout } from '../../actors/community/layout.ts';

export interface DeviceInfo {
  readonly deviceId: string;
  readonly kind: 'lot-counter';
  readonly signals: readonly string[];
  /** The room the device feeds. */
  readonly roomId: string;
}

export class DeviceRegistry {
  private readonly byId: Map<string, DeviceInfo>;

  constructor(devices: readonly DeviceInfo[]) {
    this.byId = new Map(devices.map((d) => [d.deviceId, d]));
  }

  static fromLayout(layout: CommunityLayout): DeviceRegistry {
    return new DeviceRegistry(layout.lots.map((l) => ({ deviceId: l.counterDeviceId, kind: 'lot-counter', signals: ['occupancy'], roomId: l.id })));
  }

  get size(): number {
    return this.byId.size;
  }

  get(deviceId: string): DeviceInfo | undefined {
    return this.byId.get(deviceId);
  }

  accepts(deviceId: string, signal: string): boolean {
    return this.byId.get(deviceId)?.signals.includes(signal) ?? false;
  }
}
