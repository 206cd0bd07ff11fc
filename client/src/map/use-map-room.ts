/**
 * @module client/map/use-map-room
 * Preact hook for the community map room `map-<communityId>`: the live lot and building numbers
 * the map, the parking list and the building picker show.
 * Owns: joining that room and projecting its Colyseus state to plain JSON. Does not: draw.
 * The state arrives as schema patches; each change is re-read whole with `toJSON()` (a few
 * dozen entries), which keeps this side free of schema callbacks.
 */
import type { Client, Room } from '@colyseus/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
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

export function useMapRoom(client: Client, communityId: string | null, options: JoinOptions): MapRoomView {
  const [status, setStatus] = useState<LinkState>('idle');
  const [state, setState] = useState<MapState>(EMPTY_MAP_STATE);
  // Name and language travel with the join only; changing them must not re-join the map.
  const joinOptions = useRef(options);
  joinOptions.current = options;

  useEffect(() => {
    setState(EMPTY_MAP_STATE);
    if (!communityId) return;
    const attach = (room: Room) => {
      if (room.state !== undefined) setState(toMapState(room.state));
      room.onStateChange((s: unknown) => setState(toMapState(s)));
    };
    const link = new RoomLink(client, mapRoomId(communityId), { ...joinOptions.current }, { attach, onState: setStatus });
    link.start();
    return () => void link.close();
  }, [client, communityId]);

  return { status, state };
}
