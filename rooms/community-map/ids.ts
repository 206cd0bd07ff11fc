/**
 * @module rooms/community-map/ids
 * The ids of a community's map room and of the alarm desk it hosts.
 */
export function mapRoomId(communityId: string): string {
  return `map-${communityId}`;
}

export const alarmDeskId = (community: string) => `alarms-${community}`;
