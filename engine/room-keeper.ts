/**
 * @module engine/room-keeper
 * Embedded mode opens every room of the community once at start. A room can still go away while
 * the process runs: fenced because another process wrote its journal (two copies on one data
 * directory), or disposed after an error. Without a keeper such a room stays gone until a restart
 * (joins get Colyseus's 522). The keeper looks every ROOM_REOPEN_MS for rooms that should be live
 * and are not, and opens them again; a room that keeps failing (the other copy still writes) is
 * tried with a doubling pause up to 30 s. Cluster mode has placement for this and does not use it.
 * Owns: the expected-room check and the retry pace. Does not: decide who may write (the journal's
 * write lock and the actor host's fencing do), or report health (it tells what is missing).
 */
import type { Logger } from './log.ts';

export interface KeptRoom {
  readonly name: string;
  readonly id: string;
}

export interface RoomKeeperDeps {
  readonly rooms: readonly KeptRoom[];
  /** Whether this process hosts the room now. */
  isLive(id: string): boolean;
  open(room: KeptRoom): Promise<void>;
  readonly everyMs: number;
  readonly log: Logger;
  onReopened?(room: KeptRoom): void;
}

export interface RoomKeeper {
  /** Rooms that should be live here and are not, by id. */
  missing(): string[];
  /** One pass now (tests and the timer). */
  check(): Promise<void>;
  stop(): void;
}

const MAX_PAUSE_MS = 30_000;

export function keepRooms(d: RoomKeeperDeps): RoomKeeper {
  /** Per room: when to try next, the current pause, and when it was last opened again. */
  const retry = new Map<string, { at: number; pause: number; openedAt: number }>();
  let stopped = false;
  let running = false;

  async function check(): Promise<void> {
    if (stopped || running) return;
    running = true;
    try {
      for (const room of d.rooms) {
        if (stopped) return;
        if (d.isLive(room.id)) continue;
        const last = retry.get(room.id);
        const now = Date.now();
        if (last && now < last.at) continue;
        // A room that went away again soon after reopening (the other copy still writes) waits longer each time.
        const pause = last && now - last.openedAt < MAX_PAUSE_MS ? Math.min(last.pause * 2, MAX_PAUSE_MS) : d.everyMs;
        try {
          await d.open(room);
          d.log.warn('room was gone and is open again', { room: room.id });
          d.onReopened?.(room);
          retry.set(room.id, { at: now + pause, pause, openedAt: Date.now() });
        } catch (err) {
          retry.set(room.id, { at: now + pause, pause, openedAt: last?.openedAt ?? 0 });
          d.log.warn('room could not be opened again; will retry', { room: room.id, retryInMs: pause, err });
        }
      }
    } finally {
      running = false;
    }
  }

  const timer = setInterval(() => void check(), d.everyMs);
  timer.unref();
  return {
    missing: () => d.rooms.filter((r) => !d.isLive(r.id)).map((r) => r.id),
    check,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
