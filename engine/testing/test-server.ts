/**
 * @module engine/testing/test-server
 * Starts a real community server for a test: free port, fresh temp data dir, quiet logs; and a
 * resident wrapper around the official Colyseus SDK that records what a client received.
 * Tests get unique ids from the community's real layout; they never share a server across files.
 */
import { randomUUID } from 'node:crypto';
import { Client, Protocol, type Room } from '@colyseus/sdk';
import { encode } from '@colyseus/schema';
import { testConfig, type Config } from '../config.ts';
import { startCommunityServer, type CommunityServer, type StartOptions } from '../community-server.ts';
import { until } from './until.ts';
import { accountForRoom, type ServerRef } from './accounts.ts';
import { deleteClusterState } from './nats.ts';

/**
 * With `natsUrl`, the server is a cluster of one under a CLUSTER_NAME of its own (so runs that share
 * the machine's NATS never meet), and close() deletes that cluster's KV buckets.
 */
export async function startTestServer(overrides: Partial<Config> = {}, options: StartOptions = {}): Promise<CommunityServer> {
  const config = testConfig({ replayEnabled: false, clusterName: `t${randomUUID().slice(0, 8)}`, ...overrides });
  const srv = await startCommunityServer(config, options);
  const natsUrl = config.natsUrl;
  if (!natsUrl) return srv;
  return { ...srv, close: async () => { await srv.close(); await deleteClusterState(natsUrl, srv.community.id, config.clusterName); } };
}

/**
 * A clock that reads the wall clock plus an offset the test moves forward (never back); given
 * `startAt`, it starts at that instant instead of now (a chosen weekday and hour) and runs on.
 */
export class TestClock {
  private offsetMs = 0;
  private readonly startedAt = Date.now();
  constructor(private readonly startAt: number | null = null) {}
  readonly now = (): number => (this.startAt === null ? Date.now() : this.startAt + (Date.now() - this.startedAt)) + this.offsetMs;
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface Received {
  readonly type: string;
  readonly message: any;
}

/** A connected SDK client in one room, with everything it received kept in order. */
export class TestResident {
  readonly received: Received[] = [];
  closedWith: number | null = null;

  private constructor(readonly room: Room<any, any>) {
    room.onMessage('*', (type: string | number, message: unknown) => this.received.push({ type: String(type), message }));
    room.onLeave((code: number) => { this.closedWith = code; });
  }

  /**
   * Joins as `options.token`'s account, or else as a real account made for the room over HTTP
   * (an owner in that building, a resident for lots and groups, a guard for the map), named
   * `options.name` (one account per name and server).
   */
  static async join(server: ServerRef, roomId: string, options: Record<string, unknown> = {}): Promise<TestResident> {
    const client = new Client(server.url);
    const { token, ...rest } = options;
    client.auth.token = typeof token === 'string' ? token : (await accountForRoom(server, roomId, String(options.name ?? 'resident'))).accessToken;
    const room = await client.joinById(roomId, rest);
    const r = new TestResident(room);
    return r;
  }

  of(type: string): any[] {
    return this.received.filter((m) => m.type === type).map((m) => m.message);
  }

  send(type: string, message: unknown): void {
    this.room.send(type, message);
  }

  /** Sends a hand-built ROOM_DATA frame, for input the SDK itself would never produce. */
  sendRawData(type: string, msgpackPayload: Uint8Array): void {
    const header = new Uint8Array(64);
    header[0] = Protocol.ROOM_DATA;
    const it = { offset: 1 };
    encode.string(header as unknown as Buffer, type, it);
    const frame = new Uint8Array(it.offset + msgpackPayload.byteLength);
    frame.set(header.subarray(0, it.offset), 0);
    frame.set(msgpackPayload, it.offset);
    this.room.connection.send(frame);
  }

  async waitFor(type: string, pred: (m: any) => boolean = () => true, timeoutMs = 10_000): Promise<any> {
    return until(`a '${type}' message`, () => this.of(type).find(pred), timeoutMs, () => this.received.slice(-5));
  }

  async waitCount(type: string, n: number, timeoutMs = 10_000): Promise<any[]> {
    await until(`${n} '${type}' messages`, () => this.of(type).length >= n, timeoutMs, () => this.of(type).length);
    return this.of(type);
  }

  /** The room's whole chat log, oldest first: the welcome's history, then earlier pages from the journal. */
  async fullHistory(): Promise<Array<{ seq: number; key: string }>> {
    const out = [...(await this.waitFor('welcome')).history];
    let before: number | null = out.length > 0 ? out[0].seq : null;
    while (before !== null && before > 1) {
      const n = this.of('history').length;
      this.send('history', { before, limit: 100 });
      const page = (await this.waitCount('history', n + 1))[n];
      out.unshift(...page.items);
      before = page.before;
    }
    return out;
  }

  async leave(): Promise<void> {
    if (this.closedWith === null) await this.room.leave(true).catch(() => undefined);
  }
}
