/**
 * @module actors/community-map/protocol
 * What guards see on the live map: per-lot occupancy and per-building activity, aggregated from
 * the other rooms' committed events and presence. Types only; the client imports this file.
 */
export type ObserveLot = { type: 'ObserveLot'; lotId: string; occupied: number; capacity: number; at: number };
export type ObserveChat = { type: 'ObserveChat'; buildingId: string; at: number };
export type ObservePresence = { type: 'ObservePresence'; buildingId: string; online: number; at: number };
export type MapCommand = ObserveLot | ObserveChat | ObservePresence;

export type LotObserved = { type: 'LotObserved'; v: 1; lotId: string; occupied: number; capacity: number; at: number };
export type ChatObserved = { type: 'ChatObserved'; v: 1; buildingId: string; at: number };
export type PresenceObserved = { type: 'PresenceObserved'; v: 1; buildingId: string; online: number; at: number };
export type MapEvent = LotObserved | ChatObserved | PresenceObserved;

export interface LotOnMap { readonly occupied: number; readonly capacity: number; readonly updatedAt: number }
export interface BuildingOnMap { readonly online: number; readonly messages: number; readonly lastAt: number; readonly presenceAt: number }

export type MapState = Readonly<{
  lots: Readonly<Record<string, LotOnMap>>;
  buildings: Readonly<Record<string, BuildingOnMap>>;
}>;
