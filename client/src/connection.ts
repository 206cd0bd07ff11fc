/**
 * @module client/connection
 * Keeps one Colyseus room joined by id for as long as the page wants it: a short drop is healed
 * by the SDK's own reconnection (same session); a lost session or failed join is re-joined with
 * capped exponential backoff. Every join and re-join carries a fresh access token
 * (`client.auth.token`). Reports one LinkState that the status badge shows.
 * Owns: join, re-join, leave, the state of one link, reading refusals. Does not: interpret room
 * messages (the caller's `attach` registers them on every fresh Room) or buffer sends beyond the
 * SDK's queue; it forwards `contact` and `alarm` pushes and remembers the last `error` for terminal closes.
 * Refusals: an expired token is refreshed and the join retried at once; "session gone" asks the
 * session to verify (refresh) and stops when it is gone; "not allowed here" (DIRECTORY_ROOM_FORBIDDEN)
 * stops in state `denied`. Close codes: the terminal range (4100 auth) is never re-joined.
 */
import { Client, type Room } from '@colyseus/sdk';
import { TERMINAL_RANGE } from '../../engine/transport/close-codes.ts';
import { codeOfJoinError, refusalOf } from './auth/access.ts';
import { failureOfCode, failureOfJoinError } from './auth/refusals.ts';
import type { AlarmNotification, ContactNotification, Failure, JoinOptions } from './protocol.ts';

export type LinkState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'denied';

export const DEFAULT_REJOIN_MIN_MS = 500;
export const DEFAULT_REJOIN_MAX_MS = 10_000;
/**
 * Attempts the SDK makes to resume the same session (≈ 3 s of backoff) before the link falls
 * back to a fresh join; its default of 15 would keep the badge on "reconnecting" for about a
 * minute against a room that does not allow reconnection.
 */
export const DEFAULT_RESUME_ATTEMPTS = 4;

/** Worst first: the badge shows the weakest of the page's links. */
const SEVERITY: readonly LinkState[] = ['offline', 'denied', 'reconnecting', 'connecting', 'connected', 'idle'];

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

/** What a link needs from the signed-in session (auth/session's SessionKeeper). */
export interface LinkAuth {
  /** A fresh access token for a join. */
  accessToken(): Promise<string>;
  /** Rotates the tokens now (after IDENTITY_TOKEN_EXPIRED). */
  refresh(): Promise<unknown>;
  /** The session may be gone: true while it lives on; false once the page is back at sign-in. */
  verify(): Promise<boolean>;
  /** The current access token, for the SDK's resume of a dropped session. */
  readonly session: { readonly accessToken: string } | null;
}

export interface LinkHandlers {
  /** Registers message and state listeners on a freshly joined Room (first join and every re-join). */
  attach(room: Room): void;
  onState(state: LinkState): void;
  /** A join attempt failed; the link retries by itself unless it was a refusal. */
  onJoinError?(error: unknown): void;
  /** This account may not be here (refused, or closed with 4100): the link has stopped. */
  onDenied?(failure: Failure): void;
  /** A `contact` push (every room forwards the account's inbox). */
  onContact?(notification: ContactNotification): void;
  /** An `alarm` push: an alarm in your unit, for you to answer, or for staff. */
  onAlarm?(notification: AlarmNotification): void;
}

export class RoomLink {
  readonly roomId: string;
  readonly #client: Client;
  readonly #auth: LinkAuth;
  readonly #options: JoinOptions;
  readonly #handlers: LinkHandlers;
  #room: Room | undefined;
  #state: LinkState = 'idle';
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #lastFailure: Failure | null = null;

  constructor(client: Client, roomId: string, auth: LinkAuth, options: JoinOptions, handlers: LinkHandlers) {
    this.#client = client;
    this.roomId = roomId;
    this.#auth = auth;
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
      // Set right before each join: the client is shared and the token rotates.
      this.#client.auth.token = await this.#auth.accessToken();
      room = await this.#client.joinById(this.roomId, { ...this.#options });
    } catch (error) {
      if (this.#closed) return;
      this.#handlers.onJoinError?.(error);
      await this.#refused(error);
      return;
    }
    if (this.#closed) {
      void room.leave(true).catch(() => undefined); // closed while joining: release the seat
      return;
    }
    this.#room = room;
    this.#attempt = 0;
    this.#lastFailure = null;
    room.reconnection.maxRetries = DEFAULT_RESUME_ATTEMPTS;
    room.onDrop(() => {
      const current = this.#auth.session?.accessToken;
      if (current) this.#client.auth.token = current;
      this.#setState('reconnecting');
    });
    room.onReconnect(() => this.#setState('connected'));
    room.onLeave((code, reason) => void this.#onLeave(room, code, reason));
    this.#handlers.attach(room);
    // After attach: a room whose caller registered no handler of its own still accepts these.
    room.onMessage('error', (f: Failure) => {
      this.#lastFailure = f;
    });
    room.onMessage('contact', (n: ContactNotification) => this.#handlers.onContact?.(n));
    room.onMessage('alarm', (n: AlarmNotification) => this.#handlers.onAlarm?.(n));
    this.#setState('connected');
  }

  async #refused(error: unknown): Promise<void> {
    if (!this.#auth.session) return this.#setState('offline'); // signed out: the page is leaving anyway
    const failure = failureOfJoinError(error);
    switch (refusalOf(codeOfJoinError(error))) {
      case 'expired':
        await this.#auth.refresh().catch(() => undefined); // a failed refresh shows in the session state
        return this.#scheduleRejoin();
      case 'session-gone':
        if (await this.#auth.verify()) return this.#scheduleRejoin();
        return this.#deny(failure);
      case 'denied':
        return this.#deny(failure);
      default:
        return this.#scheduleRejoin();
    }
  }

  async #onLeave(room: Room, code: number, reason: string | undefined): Promise<void> {
    if (this.#closed || room !== this.#room) return;
    this.#room = undefined;
    if (!isTerminalClose(code)) return this.#scheduleRejoin();
    const failure = this.#lastFailure ?? (reason ? failureOfCode(reason) : null);
    const refusal = refusalOf(failure?.code);
    if (refusal === 'session-gone' || refusal === 'expired') {
      if (await this.#auth.verify()) return this.#scheduleRejoin();
    }
    if (refusal === 'other') return this.#setState('offline');
    this.#deny(failure);
  }

  #deny(failure: Failure | null): void {
    if (this.#closed) return;
    this.#setState('denied');
    if (failure) this.#handlers.onDenied?.(failure);
  }

  #scheduleRejoin(): void {
    if (this.#closed) return;
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
