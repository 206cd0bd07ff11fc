/**
 * @module rooms/registry
 * The room kinds a community runs and the rooms to open at startup: one per residential
 * building, one per parking lot, one per interest group, the community map, and the commons
 * (owners' votes and public accounts).
 */
import type { CommunityLayout } from '../actors/community/layout.ts';
import { defineBuildingRoom } from './building/building.room.ts';
import { commonsRoomId, defineCommonsRoom } from './commons/commons.room.ts';
import { defineCommunityMapRoom, mapRoomId } from './community-map/community-map.room.ts';
import { defineGroupRoom } from './group/group.room.ts';
import { defineParkingLotRoom } from './parking-lot/parking-lot.room.ts';
import { registerActorErrors } from './register-errors.ts';
import type { RoomServices } from './_shared/services.ts';

export const RoomKind = { BUILDING: 'building', PARKING_LOT: 'parking-lot', GROUP: 'group', COMMUNITY_MAP: 'community-map', COMMONS: 'commons' } as const;

export function defineRooms(services: RoomServices) {
  registerActorErrors();
  return {
    [RoomKind.BUILDING]: defineBuildingRoom(services),
    [RoomKind.PARKING_LOT]: defineParkingLotRoom(services),
    [RoomKind.GROUP]: defineGroupRoom(services),
    [RoomKind.COMMUNITY_MAP]: defineCommunityMapRoom(services),
    [RoomKind.COMMONS]: defineCommonsRoom(services, services.commons),
  };
}

export function roomsToCreate(c: CommunityLayout): { name: string; id: string }[] {
  return [
    { name: RoomKind.COMMUNITY_MAP, id: mapRoomId(c.id) },
    { name: RoomKind.COMMONS, id: commonsRoomId(c.id) },
    ...c.buildings.filter((b) => b.residential).map((b) => ({ name: RoomKind.BUILDING, id: b.id })),
    ...c.lots.map((l) => ({ name: RoomKind.PARKING_LOT, id: l.id })),
    ...c.groups.map((g) => ({ name: RoomKind.GROUP, id: g.id })),
  ];
}
