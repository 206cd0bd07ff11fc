/**
 * @module client/map/use-map-room
 * Preact hook for the community map room `map-<communityId>`: the live lot and building numbers
 * the map, the parking list and the building picker show.
 * Owns: joining that room and projecting its Colyseus state to plain JSON. Does not: draw.
 * Only guards and property staff may enter it (`enabled`); residents read lots from their rooms.
 * The state arrives as schema patches; each change is re-read whole with `toJSON()` (a few
 * dozen entries), which keeps this side free of schema callbacks.
 */
import type { Room } from '@colyseus/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RoomContext } from '../chat/use-chat-room.ts';
import { RoomLink, type LinkState } from '../connection.ts';
import type { JoinOptions, MapState } from '../protocol.ts';

export const EMPTY_MAP_STATE: MapState = { lots: {}, buildings: {} };

export interface MapRoomView {
  readonly status: LinkState;
  readonly state: MapState;
}

export function mapRoomId(communityId: string): string {
  return `map-${communityId}`;
}

function toMapState(raw: unknown): MapState {
  const json = (raw && typeof (raw as { toJSON?: unknown }).toJSON === 'function' ? (raw as { toJSON(): unknown }).toJSON() : raw) as Partial<MapState> | undefined;
  return { lots: json?.lots ?? {}, buildings: json?.buildings ?? {} };
}

export function useMapRoom(ctx: RoomContext, communityId: string | null, options: JoinOptions): MapRoomView {
  const [status, setStatus] = useState<LinkState>('idle');
  const [state, setState] = useState<MapState>(EMPTY_MAP_STATE);
  // Language travels with the join only; changing it must not re-join the map.
  const joinOptions = useRef(options);
  joinOptions.current = options;
  const contact = useRef(ctx.onContact);
  contact.current = ctx.onContact;

  useEffect(() => {
    setState(EMPTY_MAP_STATE);
    setStatus('idle');
    if (!communityId) return;
    const attach = (room: Room) => {
      if (room.state !== undefined) setState(toMapState(room.state));
      room.onStateChange((s: unknown) => setState(toMapState(s)));
    };
    const link = new RoomLink(ctx.client, mapRoomId(communityId), ctx.auth, { ...joinOptions.current }, {
      attach,
      onState: setStatus,
      onContact: (n) => contact.current?.(n),
    });
    link.start();
    return () => void link.close();
  }, [ctx.client, ctx.auth, communityId]);

  return { status, state };
}
