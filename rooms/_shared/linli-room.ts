/**
 * @module rooms/_shared/linli-room
 * Base of every Linli room: one inbound entry point that rate-limits, validates and dispatches
 * messages, and turns every failure into the one wire shape `{ ok:false, code, message{zh-CN,en} }`.
 * Owns: the inbound pipeline and error replies. Does not: domain rules (actors) or state shape.
 * Concurrency: Colyseus calls handlers on the event loop; async handlers may interleave, which
 * is why actors serialise commands in their own mailbox.
 * Overflow: see InboundGuard: over-rate messages get ENGINE_RATE_LIMITED, persistent floods are
 * closed with 4029, repeated invalid messages with 4101. Every refusal is counted.
 * Access: `onAuth` admits only a signed-in account the directory lets into this room (the token
 * comes from the SDK's `client.auth.token`); its identity is `client.auth`. When an account's
 * access changes (revoked, removed, session closed) and every ACCESS_RECHECK_S, clients that
 * may no longer be here get the typed error and are closed with 4100.
 * Pushes: an account's inbox (`nb.<c>.identity.inbox`) reaches it in whatever room it has open,
 * as a `contact` message, an `alarm` message for alarm pushes (channel `alarm`), or a `parking`
 * message for the steps of a bay held for the account (channel `parking`).
 */
import { Room, ServerError, matchMaker, type AuthContext, type Client } from '@colyseus/core';
import type { RoleGrant, RoomRef } from '../../actors/community/directory-protocol.ts';
import { DirectoryError } from '../../actors/community/directory-errors.ts';
import { decodeJson, subjects, type BusSubscription } from '../../engine/bus/contract.ts';
import { EngineError, LinliError, errorSpec, failure } from '../../engine/errors.ts';
import { CloseCode } from '../../engine/transport/close-codes.ts';
import type { Principal } from '../../services/identity/identity-service.ts';
import type { ActorHost } from '../../engine/actor-host.ts';
import type { Logger } from '../../engine/log.ts';
import { InboundGuard } from './inbound-guard.ts';
import { peerOf } from '../../engine/http/peer.ts';
import type { RoomServices } from './services.ts';
import type { Check } from './validate.ts';

export interface MessageHandler<T> {
  readonly check: Check<T>;
  handle(client: Client, message: T): Promise<void> | void;
}

/** Pairs a schema with its handler; the pair is type-checked here and stored type-erased. */
export function handler<T>(check: Check<T>, handle: (client: Client, message: T) => Promise<void> | void): MessageHandler<unknown> {
  return { check, handle: handle as (client: Client, message: unknown) => Promise<void> | void };
}

/** What `client.auth` holds in every Linli room. */
export interface Member extends Principal {
  readonly displayName: string;
  readonly roles: RoleGrant[];
}

/** HTTP status of a refused seat or join, by code. */
function statusOfRefusal(code: string): number {
  if (code.startsWith('IDENTITY_TOKEN') || code === 'IDENTITY_SESSION_REVOKED' || code === 'IDENTITY_SESSION_EXPIRED') return 401;
  if (code === 'IDENTITY_TOO_MANY_CONNECTIONS') return 429;
  return 403;
}

/**
 * A refusal as Colyseus carries it to the SDK: `CODE: {"zh-CN": …, "en": …}` — the code first, as
 * clients parse it, then both languages as JSON.
 */
export function refusal(code: string): ServerError {
  return new ServerError(statusOfRefusal(code), `${code}: ${JSON.stringify(errorSpec(code).message)}`);
}

/** The room id a matchmaking request names (`POST /matchmake/joinById/<roomId>`), or null for create/join by type. */
function reservedRoomId(context: AuthContext | undefined): string | null {
  const url = (context?.req as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string') return null;
  const m = /\/matchmake\/joinById\/([^/?#]+)/.exec(url);
  return m ? decodeURIComponent(m[1]!) : null;
}

/** Longest wait, when closing a misbehaving client, for the answers to the commands it already sent. */
const CLOSE_GRACE_MS = 5000;

export abstract class LinliRoom<Opts extends object = object> extends Room<Opts> {
  /**
   * Runs when a seat is requested (matchmaking), before any reservation exists: an anonymous or
   * refused caller gets no seat, and an account over its connection caps gets
   * IDENTITY_TOO_MANY_CONNECTIONS. Colyseus calls it unbound, so it finds the room by the id in
   * the request. A room this process does not host (cluster) is checked in full at connect.
   */
  static override async onAuth(token: string, _options: unknown, context: AuthContext): Promise<Member | true> {
    const roomId = reservedRoomId(context);
    if (roomId === null) throw new ServerError(403, `${EngineError.UNAUTHORIZED}: ${JSON.stringify({ 'zh-CN': '房间由服务器开设，请按房间编号加入', en: 'rooms are opened by the server; join one by id' })}`);
    const room = matchMaker.getLocalRoomById(roomId);
    if (!(room instanceof LinliRoom)) return true;
    return room.admitSeat(token, context);
  }

  /** The seat check of one room: token, directory, connection caps. */
  async admitSeat(token: string | undefined, context: AuthContext): Promise<Member> {
    const identity = this.services.identity;
    const ip = (this.services.config.trustProxy ? context.headers.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined) || peerOf(context.headers);
    // Colyseus reads only `Bearer` with a capital B; the scheme is case-insensitive (RFC 7235), as on the HTTP API.
    const presented = token || /^bearer +(\S+)\s*$/i.exec(context.headers.get('authorization') ?? '')?.[1];
    try {
      const principal = await identity.authenticate(presented ?? null, ip);
      const member = await this.admitted(principal, ip);
      identity.connections.reserve(principal.accountId, this.roomId, this.services.now(), this.seatReservationTimeout * 1000);
      return member;
    } catch (err) {
      const code = err instanceof LinliError ? err.code : EngineError.INTERNAL;
      this.services.metrics.inc('room_auth_refused_total', 'Joins refused by onAuth', { kind: this.kind, code });
      throw refusal(code);
    }
  }

  protected abstract readonly services: RoomServices;
  protected abstract readonly kind: string;
  /** This room as the directory names it, for admission checks. */
  protected abstract roomRef(): RoomRef;
  protected log!: Logger;
  private readonly guards = new WeakMap<Client, InboundGuard>();
  /** Per client: commands being handled now, and a close waiting for them to be answered. */
  private readonly inFlight = new WeakMap<Client, { count: number; closing: { code: number; reason: string } | null }>();
  private accessWatch: BusSubscription | null = null;
  /** The actors this room hosts (registered by closeWhenFenced), released when it is disposed. */
  private readonly hosted: ActorHost<any, any, any, any>[] = [];
  private inboxWatch: BusSubscription | null = null;

  override async onAuth(_client: Client, _options: unknown, context: AuthContext): Promise<Member> {
    const identity = this.services.identity;
    const ip = context.ip ?? null;
    try {
      const principal = await identity.authenticate(context.token ?? null, ip);
      return await this.admitted(principal, ip);
    } catch (err) {
      const code = err instanceof LinliError ? err.code : EngineError.INTERNAL;
      this.services.metrics.inc('room_auth_refused_total', 'Joins refused by onAuth', { kind: this.kind, code });
      throw refusal(code);
    }
  }

  /** The member an authenticated principal becomes here: by the directory's room rule, or by this room's own exception. */
  private async admitted(principal: Awaited<ReturnType<RoomServices['identity']['authenticate']>>, ip: string | null): Promise<Member> {
    const identity = this.services.identity;
    if (principal.kind === 'person' && this.admitsBeyondDirectory(principal.accountId)) {
      return { ...principal, displayName: identity.shownNameOf(principal.accountId) ?? principal.accountId, roles: identity.roles(principal.accountId) };
    }
    return { ...principal, ...(await identity.admit(principal, this.roomRef(), ip)) };
  }

  /**
   * Whether this room admits a signed-in, unrevoked person the directory's room rule would refuse
   * (DIRECTORY_ROOM_FORBIDDEN): the commons admits an owner who sold their last unit during a vote
   * whose register snapshot still lets them vote. Sessions and revocation are checked as for anyone.
   */
  protected admitsBeyondDirectory(_accountId: string): boolean {
    return false;
  }

  /** The signed-in member behind a client (set by onAuth before onJoin). */
  protected member(client: Client): Member {
    return client.auth as Member;
  }

  /** May this client send this message type here now? Sends the typed error and returns false when not. */
  protected allowed(client: Client, type: 'chat' | 'notice', key?: string): boolean {
    const verdict = this.services.identity.mayPost(this.member(client), this.roomRef(), type);
    if (verdict.ok) return true;
    this.fail(client, verdict.code, undefined, key);
    return false;
  }

  /** Whether a member may still be here: the directory's verdict, unless this room's own exception admits them. */
  private stillAdmitted(m: Member): { ok: true } | { ok: false; code: string } {
    const verdict = this.services.identity.stillAdmitted(m, this.roomRef());
    if (!verdict.ok && verdict.code === DirectoryError.ROOM_FORBIDDEN && this.admitsBeyondDirectory(m.accountId)) return { ok: true };
    return verdict;
  }

  /** Re-checks every client of `accountId` (or all) and closes those that may no longer be here. */
  private recheck(accountId: string | null): void {
    for (const client of this.clients) {
      const m = client.auth as Member | undefined;
      if (!m || (accountId !== null && m.accountId !== accountId)) continue;
      const verdict = this.stillAdmitted(m);
      if (verdict.ok) {
        // A rename reaches open rooms: the next post carries the new name.
        const name = this.services.identity.shownNameOf(m.accountId);
        if (name !== null && name !== m.displayName) client.auth = { ...m, displayName: name };
        continue;
      }
      this.services.metrics.inc('room_access_closed_total', 'Clients closed because their access ended', { kind: this.kind, code: verdict.code });
      client.send('error', failure(verdict.code));
      client.leave(CloseCode.AUTH, verdict.code);
    }
  }

  private watchAccess(): void {
    this.accessWatch = this.services.bus.subscribe(subjects.accessChanged(this.services.community.id), (msg) => {
      const change = decodeJson(msg.data) as { accountId?: unknown } | undefined;
      if (typeof change?.accountId === 'string') this.recheck(change.accountId);
    });
    this.clock.setInterval(() => this.recheck(null), this.services.config.accessRecheckS * 1000);
    this.inboxWatch = this.services.bus.subscribe(subjects.inbox(this.services.community.id), (msg) => {
      const push = decodeJson(msg.data) as { to?: unknown; notification?: unknown; channel?: unknown } | undefined;
      if (!Array.isArray(push?.to) || push.notification === undefined) return;
      const type = push.channel === 'alarm' || push.channel === 'parking' ? push.channel : 'contact';
      for (const client of this.clients) {
        if (push.to.includes((client.auth as Member | undefined)?.accountId)) client.send(type, push.notification);
      }
    });
  }

  /**
   * When another copy of this room's actor writes to its journal (another node took the room
   * over), this copy must stop: its clients get ENGINE_ACTOR_FENCED and are closed with
   * ROOM_MOVED, so the SDK reconnects them to the live copy. Call once after hosting the actor.
   */
  protected closeWhenFenced(host: ActorHost<any, any, any, any>): void {
    this.hosted.push(host);
    host.onFenced(() => {
      this.services.metrics.inc('room_fenced_total', 'Rooms closed because another copy of their actor took over', { kind: this.kind });
      for (const client of this.clients) client.send('error', failure(EngineError.ACTOR_FENCED));
      void this.disconnect(CloseCode.ROOM_MOVED);
    });
  }

  /**
   * Joins and leaves feed the per-account connection budget; a seat granted at matchmaking is
   * re-checked when its socket arrives (access may have ended in between).
   */
  private countConnections(): void {
    const events = (this as unknown as { _events: { on(e: string, f: (c: Client) => void): void } })._events;
    const budget = this.services.identity.connections;
    events.on('join', (client) => {
      const m = client.auth as Member | undefined;
      if (!m) return;
      budget.joined(m.accountId, this.roomId, this.services.now());
      const verdict = this.stillAdmitted(m);
      if (!verdict.ok) {
        client.send('error', failure(verdict.code));
        client.leave(CloseCode.AUTH, verdict.code);
      }
    });
    events.on('leave', (client) => {
      const m = client.auth as Member | undefined;
      if (m) budget.left(m.accountId, this.roomId);
    });
  }

  /** Stops the access watch and releases the room's actors (a last snapshot). Rooms that override onDispose call this. */
  protected releaseRoom(): void {
    this.accessWatch?.unsubscribe();
    this.inboxWatch?.unsubscribe();
    this.accessWatch = null;
    this.inboxWatch = null;
    for (const h of this.hosted.splice(0)) void this.services.actors.release(h);
  }

  override onDispose(): void | Promise<void> {
    this.releaseRoom();
  }

  /**
   * Rooms are opened by the server at startup, never on a client's request (`client.create`,
   * `joinOrCreate`): without the server's token the create fails, and opened rooms are private so
   * matchmaking by name never picks one. Call first in onCreate.
   */
  protected acceptOnlyServerCreation(options: unknown): void {
    const token = typeof options === 'object' && options !== null ? (options as { token?: unknown }).token : undefined;
    if (token !== this.services.roomCreationToken) {
      this.services.metrics.inc('room_create_refused_total', 'Client attempts to create rooms', { kind: this.kind });
      throw new ServerError(403, `${EngineError.UNAUTHORIZED}: rooms are opened by the server; join one by id`);
    }
    void this.setPrivate(true, false);
  }

  /** The room's inbound message types; anything else is ENGINE_UNKNOWN_MESSAGE. */
  protected abstract handlers(): Record<string, MessageHandler<unknown>>;

  protected setupInbound(): void {
    this.log = this.services.log.child({ mod: `rooms.${this.kind}`, room: this.roomId });
    this.watchAccess();
    this.countConnections();
    const table = this.handlers();
    this.onMessage('*', (client: Client, type: string | number, message: unknown) => {
      void this.dispatch(table, client, String(type), message);
    });
  }

  private guardFor(client: Client): InboundGuard {
    let g = this.guards.get(client);
    if (!g) {
      g = new InboundGuard({
        maxMessagesPerSecond: this.services.config.clientMaxMessagesPerSecond,
        maxViolations: this.services.config.clientMaxViolations,
      });
      this.guards.set(client, g);
    }
    return g;
  }

  private async dispatch(table: Record<string, MessageHandler<unknown>>, client: Client, type: string, message: unknown): Promise<void> {
    const now = this.services.now();
    const guard = this.guardFor(client);
    const flight = this.flightOf(client);
    if (flight.closing) return; // being closed: what it sends now is not taken
    const verdict = guard.onMessage(now);
    if (verdict.kind === 'close') return this.closeClient(client, verdict.code, 'flood');
    if (verdict.kind === 'rate-limited') {
      this.count('rate_limited');
      return this.fail(client, EngineError.RATE_LIMITED, { maxPerSecond: this.services.config.clientMaxMessagesPerSecond }, keyOf(message));
    }
    const entry = Object.prototype.hasOwnProperty.call(table, type) ? table[type] : undefined;
    if (!entry) return this.invalid(client, guard, now, EngineError.UNKNOWN_MESSAGE, { type: type.slice(0, 64) });
    const parsed = entry.check(message, type);
    if (!parsed.ok) return this.invalid(client, guard, now, parsed.code ?? EngineError.BAD_INPUT, { field: parsed.field, problem: parsed.problem, ...parsed.details }, keyOf(message));
    flight.count++;
    try {
      await entry.handle(client, parsed.value);
    } catch (err) {
      this.log.error('handler threw', { type, err });
      this.fail(client, EngineError.INTERNAL, undefined, keyOf(message));
    } finally {
      flight.count--;
      const closing = this.flightOf(client).closing; // set meanwhile by closeClient
      if (closing && flight.count === 0) client.leave(closing.code, closing.reason);
    }
  }

  private flightOf(client: Client): { count: number; closing: { code: number; reason: string } | null } {
    let f = this.inFlight.get(client);
    if (!f) this.inFlight.set(client, (f = { count: 0, closing: null }));
    return f;
  }

  private invalid(client: Client, guard: InboundGuard, now: number, code: string, details: Record<string, unknown>, key?: string): void {
    this.count('invalid');
    this.fail(client, code, details, key);
    const verdict = guard.onInvalid(now);
    if (verdict.kind === 'close') this.closeClient(client, verdict.code, 'protocol violations');
  }

  protected fail(client: Client, code: string, details?: Record<string, unknown>, key?: string): void {
    this.services.metrics.inc('room_errors_total', 'Error replies sent to clients', { kind: this.kind, code });
    client.send('error', failure(code, details, key));
  }

  protected ack(client: Client, key: string, seq: number): void {
    client.send('ack', { ok: true, key, seq });
  }

  private closeClient(client: Client, code: number, reason: string): void {
    this.services.metrics.inc('room_clients_closed_total', 'Clients closed by the server for misbehaviour', { kind: this.kind, code: String(code) });
    this.log.warn('closing client', { client: client.sessionId, code, reason });
    // Commands already taken are answered first (their acks are not lost with the socket); nothing new is taken.
    const flight = this.flightOf(client);
    if (flight.closing) return;
    flight.closing = { code, reason };
    if (flight.count === 0) client.leave(code, reason);
    else setTimeout(() => client.leave(code, reason), CLOSE_GRACE_MS).unref();
  }

  private count(what: string): void {
    this.services.metrics.inc('room_inbound_refused_total', 'Inbound messages refused', { kind: this.kind, reason: what });
  }
}

function keyOf(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const k = (message as { key?: unknown }).key;
  return typeof k === 'string' && k.length <= 64 ? k : undefined;
}
