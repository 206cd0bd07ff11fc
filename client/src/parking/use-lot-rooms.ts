/**
 * @module client/parking/use-lot-rooms
 * Live occupancy for residents, who may not enter the guards' community map: one link per
 * parking-lot room (a community has a handful), each projected to the map's LotLive shape so the
 * map and the parking list read lots the same way whichever rooms supplied them.
 * Owns: those links and the projection. Does not: draw or list (map/ and parking-panel do).
 */
import type { Room } from '@colyseus/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RoomContext } from '../chat/use-chat-room.ts';
import { RoomLink, worstState, type LinkState } from '../connection.ts';
import type { JoinOptions, LotLive, MapState } from '../protocol.ts';

export interface LotRoomsView {
  /** The weakest of the lot links ('idle' when none). */
  readonly status: LinkState;
  readonly lots: MapState['lots'];
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

export function useLotRooms(ctx: RoomContext, lotIds: readonly string[] | null, options: JoinOptions): LotRoomsView {
  const [states, setStates] = useState<Readonly<Record<string, LinkState>>>({});
  const [lots, setLots] = useState<MapState['lots']>({});
  const joinOptions = useRef(options);
  joinOptions.current = options;
  const contact = useRef(ctx.onContact);
  contact.current = ctx.onContact;
  const alarm = useRef(ctx.onAlarm);
  alarm.current = ctx.onAlarm;
  const ids = lotIds?.join(',') ?? '';

  useEffect(() => {
    setStates({});
    setLots({});
    if (!ids) return;
    const links = ids.split(',').map((lotId) => {
      const put = (raw: unknown) => {
        const live = toLotLive(raw);
        if (live) setLots((current) => ({ ...current, [lotId]: live }));
      };
      return new RoomLink(ctx.client, lotId, ctx.auth, { ...joinOptions.current }, {
        attach: (room: Room) => {
          if (room.state !== undefined) put(room.state);
          room.onStateChange(put);
        },
        onState: (s) => setStates((current) => ({ ...current, [lotId]: s })),
        onContact: (n) => contact.current?.(n),
      onAlarm: (n) => alarm.current?.(n),
      });
    });
    for (const l of links) l.start();
    return () => {
      for (const l of links) void l.close();
    };
  }, [ctx.client, ctx.auth, ids]);

  return { status: worstState(Object.values(states)), lots };
}
