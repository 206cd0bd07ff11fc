/**
 * @module rooms/community-map/messages
 * The map room takes no client messages yet (alarm acknowledgement arrives with issue 7);
 * clients read MapRoomState.
 */
export {};
