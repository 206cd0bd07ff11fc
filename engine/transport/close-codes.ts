/**
 * @module engine/transport/close-codes
 * Every WebSocket close code the server sends, in named ranges: 4000–4099 the client may
 * reconnect; 4100–4199 terminal (do not reconnect without changing something). Colyseus itself
 * uses 4000–4010 (4000 consented leave, 4001 shutdown, 4002 error, 4003 failed to reconnect,
 * 4010 may try reconnect), so our own codes start at 4020. RFC 6455 codes are listed for reference.
 * Ask isRetryableClose(code); never range-check inline.
 */
export const CloseCode = {
  /** RFC 6455: a frame exceeded MESSAGE_MAX_BYTES (sent by the ws transport; uWS may send 1006). */
  MESSAGE_TOO_BIG: 1009,
  /** The server is shutting down; reconnect to another node or later. */
  SHUTDOWN: 4001,
  /** Colyseus: closed after an error (e.g. a frame that is not valid msgpack). */
  WITH_ERROR: 4002,
  /** The client could not keep up with outbound messages; reconnect and resync. */
  SLOW_CONSUMER: 4020,
  /** This copy of the room lost it to another (a node took over, or it was fenced); reconnect to reach the live one. */
  ROOM_MOVED: 4021,
  /** Flood: the client kept sending over CLIENT_MAX_MESSAGES_PER_SECOND; it may reconnect after a pause. */
  FLOOD: 4029,
  /** Authentication failed or the identity was revoked. */
  AUTH: 4100,
  /** Repeated protocol violations (malformed or invalid messages over CLIENT_MAX_VIOLATIONS per minute). */
  PROTOCOL_VIOLATION: 4101,
} as const;

export const RETRYABLE_RANGE = { min: 4000, max: 4099 } as const;
export const TERMINAL_RANGE = { min: 4100, max: 4199 } as const;

export function isRetryableClose(code: number): boolean {
  return code >= RETRYABLE_RANGE.min && code <= RETRYABLE_RANGE.max;
}
