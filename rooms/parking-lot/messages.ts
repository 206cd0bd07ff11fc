/**
 * @module rooms/parking-lot/messages
 * The parking-lot room takes no client messages yet (occupancy comes from devices); its state
 * (ParkingLotRoomState) is what clients read. Reservations and guidance arrive with issue 7.
 */
export {};
