/**
 * @module client/parking/use-lot-rooms
 * Live occupancy per lot and per bay: one link per parking-lot room (a community has a handful),
 * each projected twice: to the map's LotLive shape (so the map and the parking list read lot
 * totals the same way whichever rooms supplied them; residents may not enter the guards' map)
 * and to a LotDetail with the bays and the data quality (counter, bays, agreement).
 * Owns: those links and the projections. Does not: draw or list (map/ and parking-panel do).
 */
import type { Room } from '@colyseus/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RoomContext } from '../chat/use-chat-room.ts';
import { RoomLink, worstState, type LinkState } from '../connection.ts';
import type { BayLive, JoinOptions, LotDetail, LotLive, MapState } from '../protocol.ts';

export interface LotRoomsView {
  /** The weakest of the lot links ('idle' when none). */
  readonly status: LinkState;
  readonly lots: MapState['lots'];
  readonly details: Readonly<Record<string, LotDetail>>;
}

/** `room.state.toJSON()` of a parking-lot room (rooms/parking-lot/parking-lot-state.ts). */
interface LotRoomJson {
  readonly capacity?: number;
  readonly occupied?: number;
  readonly updatedAt?: number;
}

export function toLotLive(raw: unknown): LotLive | null {
  const json = (raw && typeof (raw as { toJSON?: unknown }).toJSON === 'function' ? (raw as { toJSON(): unknown }).toJSON() : raw) as LotRoomJson | undefined;
  // updatedAt 0: no reading yet, shown as "no data" rather than an empty lot.
  if (!json || typeof json.occupied !== 'number' || typeof json.capacity !== 'number' || !json.updatedAt) return null;
  return { occupied: json.occupied, capacity: json.capacity, updatedAt: json.updatedAt };
}

const SOURCES = new Set(['none', 'counter', 'bays', 'mixed']);
const AGREEMENTS = new Set(['none', 'agree', 'disagree']);
const STATUSES = new Set(['free', 'occupied', 'held', 'unknown']);

/** The lot room's state with its bays, or null before it has a capacity. */
export function toLotDetail(raw: unknown): LotDetail | null {
  const j = (raw && typeof (raw as { toJSON?: unknown }).toJSON === 'function' ? (raw as { toJSON(): unknown }).toJSON() : raw) as Record<string, unknown> | undefined;
  if (!j || typeof j.capacity !== 'number') return null;
  const num = (k: string, d = 0) => (typeof j[k] === 'number' ? (j[k] as number) : d);
  const bays: Record<string, BayLive> = {};
  for (const [id, b] of Object.entries((j.bays ?? {}) as Record<string, Record<string, unknown>>)) {
    const status = STATUSES.has(String(b?.status)) ? (b!.status as BayLive['status']) : 'unknown';
    bays[id] = { status, planned: b?.planned === true, updatedAt: typeof b?.updatedAt === 'number' ? b.updatedAt : 0 };
  }
  return {
    capacity: j.capacity, occupied: num('occupied'), free: num('free', j.capacity), updatedAt: num('updatedAt'),
    source: SOURCES.has(String(j.source)) ? (j.source as LotDetail['source']) : 'none',
    agreement: AGREEMENTS.has(String(j.agreement)) ? (j.agreement as LotDetail['agreement']) : 'none',
    counter: num('counter', -1), baysKnown: num('baysKnown'), held: num('held'), available: num('available'), bays,
  };
}

export function useLotRooms(ctx: RoomContext, lotIds: readonly string[] | null, options: JoinOptions): LotRoomsView {
  const [states, setStates] = useState<Readonly<Record<string, LinkState>>>({});
  const [lots, setLots] = useState<MapState['lots']>({});
  const [details, setDetails] = useState<Readonly<Record<string, LotDetail>>>({});
  const joinOptions = useRef(options);
  joinOptions.current = options;
  const contact = useRef(ctx.onContact);
  contact.current = ctx.onContact;
  const alarm = useRef(ctx.onAlarm);
  alarm.current = ctx.onAlarm;
  const parking = useRef(ctx.onParking);
  parking.current = ctx.onParking;
  const ids = lotIds?.join(',') ?? '';

  useEffect(() => {
    setStates({});
    setLots({});
    setDetails({});
    if (!ids) return;
    const links = ids.split(',').map((lotId) => {
      const put = (raw: unknown) => {
        const live = toLotLive(raw);
        if (live) setLots((current) => ({ ...current, [lotId]: live }));
        const detail = toLotDetail(raw);
        if (detail) setDetails((current) => ({ ...current, [lotId]: detail }));
      };
      return new RoomLink(ctx.client, lotId, ctx.auth, { ...joinOptions.current }, {
        attach: (room: Room) => {
          if (room.state !== undefined) put(room.state);
          room.onStateChange(put);
        },
        onState: (s) => setStates((current) => ({ ...current, [lotId]: s })),
        onContact: (n) => contact.current?.(n),
      onAlarm: (n) => alarm.current?.(n),
      onParking: (n) => parking.current?.(n),
      });
    });
    for (const l of links) l.start();
    return () => {
      for (const l of links) void l.close();
    };
  }, [ctx.client, ctx.auth, ids]);

  return { status: worstState(Object.values(states)), lots, details };
}
