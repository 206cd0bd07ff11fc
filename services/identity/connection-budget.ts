/**
 * @module services/identity/connection-budget
 * How many connections one account holds, per room and in this process, counting seat
 * reservations not yet used (a reservation becomes a connection when its socket joins, or lapses
 * after the room's seat reservation time). Rooms ask `reserve` when they grant a seat and report
 * `joined` and `left`.
 * Owns: the counts. Does not: authenticate (identity-service.ts) or close sockets (rooms).
 * Concurrency: synchronous, one event loop. Overflow: `reserve` throws IDENTITY_TOO_MANY_CONNECTIONS
 * (retryable, HTTP 429) beyond ROOM_CONNECTIONS_PER_ACCOUNT or PROCESS_CONNECTIONS_PER_ACCOUNT;
 * the maps hold only accounts with a connection or a live reservation.
 */
import { LinliError } from '../../engine/errors.ts';
import { IdentityError } from '../../actors/identity/identity-errors.ts';

export interface ConnectionLimits {
  readonly perRoom: number;
  readonly perProcess: number;
}

interface Pending {
  readonly roomId: string;
  readonly expiresAt: number;
}

export class ConnectionBudget {
  private readonly open = new Map<string, Map<string, number>>();
  private readonly pending = new Map<string, Pending[]>();

  constructor(private readonly limits: ConnectionLimits) {}

  /** Grants one seat in `roomId` to the account, or throws IDENTITY_TOO_MANY_CONNECTIONS. */
  reserve(accountId: string, roomId: string, now: number, ttlMs: number): void {
    const waiting = this.live(accountId, now);
    const rooms = this.open.get(accountId);
    const inRoom = (rooms?.get(roomId) ?? 0) + waiting.filter((p) => p.roomId === roomId).length;
    let total = waiting.length;
    for (const n of rooms?.values() ?? []) total += n;
    if (inRoom >= this.limits.perRoom) throw new LinliError(IdentityError.TOO_MANY_CONNECTIONS, { scope: 'room', max: this.limits.perRoom, retryAfterMs: ttlMs });
    if (total >= this.limits.perProcess) throw new LinliError(IdentityError.TOO_MANY_CONNECTIONS, { scope: 'process', max: this.limits.perProcess, retryAfterMs: ttlMs });
    this.pending.set(accountId, [...waiting, { roomId, expiresAt: now + ttlMs }]);
  }

  /** A socket of the account joined `roomId`: its reservation (if any) becomes a connection. */
  joined(accountId: string, roomId: string, now: number): void {
    const waiting = this.live(accountId, now);
    const i = waiting.findIndex((p) => p.roomId === roomId);
    if (i >= 0) waiting.splice(i, 1);
    if (waiting.length === 0) this.pending.delete(accountId);
    else this.pending.set(accountId, waiting);
    let rooms = this.open.get(accountId);
    if (!rooms) this.open.set(accountId, (rooms = new Map()));
    rooms.set(roomId, (rooms.get(roomId) ?? 0) + 1);
  }

  left(accountId: string, roomId: string): void {
    const rooms = this.open.get(accountId);
    const n = rooms?.get(roomId) ?? 0;
    if (!rooms || n === 0) return;
    if (n > 1) rooms.set(roomId, n - 1);
    else rooms.delete(roomId);
    if (rooms.size === 0) this.open.delete(accountId);
  }

  /** Open connections of the account in this process (for tests and metrics). */
  connections(accountId: string): number {
    let total = 0;
    for (const n of this.open.get(accountId)?.values() ?? []) total += n;
    return total;
  }

  private live(accountId: string, now: number): Pending[] {
    return (this.pending.get(accountId) ?? []).filter((p) => p.expiresAt > now);
  }
}
