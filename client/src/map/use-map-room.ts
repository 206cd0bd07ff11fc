/**
 * @module client/map/use-map-room
 * Preact hook for the community map room `map-<communityId>`: the live lot and building numbers
 * the map, the parking list and the building picker show, the alarms and the guards on duty;
 * and the guards' alarm steps (`alarm-ack`, `alarm-take`, `alarm-resolve`), each answered by the
 * room's `ack` or typed `error` for its key.
 * Owns: joining that room, projecting its Colyseus state to plain JSON, matching replies to
 * steps. Does not: draw. Only guards and property staff may enter it (`enabled`).
 * The state arrives as schema patches; each change is re-read whole with `toJSON()` (a few
 * dozen entries), which keeps this side free of schema callbacks.
 */
import type { Room } from '@colyseus/sdk';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { RoomContext } from '../chat/use-chat-room.ts';
import { RoomLink, type LinkState } from '../connection.ts';
import type { Failure, JoinOptions, MapState } from '../protocol.ts';

export const EMPTY_MAP_STATE: MapState = { lots: {}, buildings: {}, alarms: {}, onDuty: [] };
/** How long an alarm step waits for the room's answer before it counts as failed. */
export const ALARM_STEP_TIMEOUT_MS = 10_000;

export type AlarmStep = { type: 'alarm-ack' | 'alarm-take'; alarmId: string } | { type: 'alarm-resolve'; alarmId: string; note: string };

export interface MapRoomView {
  readonly status: LinkState;
  readonly state: MapState;
  /** Sends one alarm step; resolves with null when the room accepted it, else its failure. */
  readonly act: (step: AlarmStep) => Promise<Failure | null>;
}

export function mapRoomId(communityId: string): string {
  return `map-${communityId}`;
}

function toMapState(raw: unknown): MapState {
  const json = (raw && typeof (raw as { toJSON?: unknown }).toJSON === 'function' ? (raw as { toJSON(): unknown }).toJSON() : raw) as Partial<MapState> | undefined;
  return { lots: json?.lots ?? {}, buildings: json?.buildings ?? {}, alarms: json?.alarms ?? {}, onDuty: json?.onDuty ?? [] };
}

const NOT_SENT: Failure = { ok: false, code: 'CLIENT_NOT_CONFIRMED', message: { 'zh-CN': '未连接，请稍后再试', en: 'Not connected; try again shortly' }, retryable: true };

export function useMapRoom(ctx: RoomContext, communityId: string | null, options: JoinOptions): MapRoomView {
  const [status, setStatus] = useState<LinkState>('idle');
  const [state, setState] = useState<MapState>(EMPTY_MAP_STATE);
  // Language travels with the join only; changing it must not re-join the map.
  const joinOptions = useRef(options);
  joinOptions.current = options;
  const contact = useRef(ctx.onContact);
  contact.current = ctx.onContact;
  const alarm = useRef(ctx.onAlarm);
  alarm.current = ctx.onAlarm;
  const link = useRef<RoomLink | null>(null);
  const pending = useRef(new Map<string, (f: Failure | null) => void>());

  useEffect(() => {
    setState(EMPTY_MAP_STATE);
    setStatus('idle');
    if (!communityId) return;
    const settle = (key: unknown, f: Failure | null) => {
      const done = typeof key === 'string' ? pending.current.get(key) : undefined;
      if (done) { pending.current.delete(key as string); done(f); }
    };
    const attach = (room: Room) => {
      if (room.state !== undefined) setState(toMapState(room.state));
      room.onStateChange((s: unknown) => setState(toMapState(s)));
      room.onMessage('ack', (a: { key?: string }) => settle(a?.key, null));
      room.onMessage('error', (f: Failure) => settle(f?.key, f));
    };
    const current = new RoomLink(ctx.client, mapRoomId(communityId), ctx.auth, { ...joinOptions.current }, {
      attach,
      onState: setStatus,
      onContact: (n) => contact.current?.(n),
      onAlarm: (n) => alarm.current?.(n),
    });
    link.current = current;
    current.start();
    return () => {
      link.current = null;
      void current.close();
    };
  }, [ctx.client, ctx.auth, communityId]);

  const act = useCallback((step: AlarmStep): Promise<Failure | null> => {
    const key = `${step.type}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    return new Promise((resolve) => {
      const { type, ...payload } = step;
      if (!link.current?.send(type, { ...payload, key })) return resolve(NOT_SENT);
      const timer = setTimeout(() => { pending.current.delete(key); resolve(NOT_SENT); }, ALARM_STEP_TIMEOUT_MS);
      pending.current.set(key, (f) => { clearTimeout(timer); resolve(f); });
    });
  }, []);

  return { status, state, act };
}
