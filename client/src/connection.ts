/**
 * @module client/connection
 * Keeps one Colyseus room joined by id for as long as the page wants it: a short drop is healed
 * by the SDK's own reconnection (same session); a lost session or failed join is re-joined with
 * capped exponential backoff. Reports one LinkState that the status badge shows.
 * Owns: join, re-join, leave, the state of one link. Does not: interpret room messages (the
 * caller's `attach` registers them on every fresh Room) or buffer sends beyond the SDK's queue.
 * Close codes: engine/transport/close-codes' terminal range is final; anything else re-joins.
 */
import { Client, type Room } from '@colyseus/sdk';
import { TERMINAL_RANGE } from '../../engine/transport/close-codes.ts';
import type { JoinOptions } from './protocol.ts';

export type LinkState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

export const DEFAULT_REJOIN_MIN_MS = 500;
export const DEFAULT_REJOIN_MAX_MS = 10_000;
/**
 * Attempts the SDK makes to resume the same session (≈ 3 s of backoff) before the link falls
 * back to a fresh join; its default of 15 would keep the badge on "reconnecting" for about a
 * minute against a room that does not allow reconnection.
 */
export const DEFAULT_RESUME_ATTEMPTS = 4;

/** Worst first: the badge shows the weakest of the page's links. */
const SEVERITY: readonly LinkState[] = ['offline', 'reconnecting', 'connecting', 'connected', 'idle'];

export function worstState(states: readonly LinkState[]): LinkState {
  return states.reduce<LinkState>((worst, s) => (SEVERITY.indexOf(s) < SEVERITY.indexOf(worst) ? s : worst), 'idle');
}

/** The delay before re-join attempt `attempt` (1-based): doubling from min, capped at max. */
export function rejoinDelayMs(attempt: number, minMs = DEFAULT_REJOIN_MIN_MS, maxMs = DEFAULT_REJOIN_MAX_MS): number {
  return Math.min(maxMs, minMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Terminal closes (auth, protocol violation) are not re-joined. Everything else is: network
 * drops (1006), shutdown and slow-consumer closes (4000–4099) and plain closes alike.
 * engine's isRetryableClose answers only for its own range, hence the terminal test here.
 */
export function isTerminalClose(code: number): boolean {
  return code >= TERMINAL_RANGE.min && code <= TERMINAL_RANGE.max;
}

/** One Colyseus client per page, talking to the page's own origin (the dev server proxies). */
export function createClient(origin: string = window.location.origin): Client {
  return new Client(origin);
}

export interface LinkHandlers {
  /** Registers message and state listeners on a freshly joined Room (first join and every re-join). */
  attach(room: Room): void;
  onState(state: LinkState): void;
  /** A join attempt failed; the link retries by itself. */
  onJoinError?(error: unknown): void;
}

export class RoomLink {
  readonly roomId: string;
  readonly #client: Client;
  readonly #options: JoinOptions;
  readonly #handlers: LinkHandlers;
  #room: Room | undefined;
  #state: LinkState = 'idle';
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(client: Client, roomId: string, options: JoinOptions, handlers: LinkHandlers) {
    this.#client = client;
    this.roomId = roomId;
    this.#options = options;
    this.#handlers = handlers;
  }

  get state(): LinkState {
    return this.#state;
  }

  start(): void {
    if (this.#closed || this.#state !== 'idle') return;
    void this.#join();
  }

  /**
   * Sends when the room can take it: connected, or reconnecting (the SDK queues a few messages
   * and flushes them on resume). Returns false when there is no session to send on.
   */
  send(type: string, payload: unknown): boolean {
    if (!this.#room || (this.#state !== 'connected' && this.#state !== 'reconnecting')) return false;
    this.#room.send(type, payload);
    return true;
  }

  /** Leaves for good; safe to call twice and while a join is in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const room = this.#room;
    this.#room = undefined;
    this.#setState('idle');
    if (room) await room.leave(true).catch(() => undefined); // already gone: nothing left to release
  }

  async #join(): Promise<void> {
    this.#setState(this.#attempt === 0 ? 'connecting' : 'offline');
    let room: Room;
    try {
      room = await this.#client.joinById(this.roomId, { ...this.#options });
    } catch (error) {
      if (this.#closed) return;
      this.#handlers.onJoinError?.(error);
      this.#scheduleRejoin();
      return;
    }
    if (this.#closed) {
      void room.leave(true).catch(() => undefined); // closed while joining: release the seat
      return;
    }
    this.#room = room;
    this.#attempt = 0;
    room.reconnection.maxRetries = DEFAULT_RESUME_ATTEMPTS;
    room.onDrop(() => this.#setState('reconnecting'));
    room.onReconnect(() => this.#setState('connected'));
    room.onLeave((code) => this.#onLeave(room, code));
    this.#handlers.attach(room);
    this.#setState('connected');
  }

  #onLeave(room: Room, code: number): void {
    if (this.#closed || room !== this.#room) return;
    this.#room = undefined;
    if (isTerminalClose(code)) {
      this.#setState('offline');
      return;
    }
    this.#scheduleRejoin();
  }

  #scheduleRejoin(): void {
    this.#attempt += 1;
    this.#setState('offline');
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#join(), rejoinDelayMs(this.#attempt));
  }

  #setState(state: LinkState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#handlers.onState(state);
  }
}
