/**
 * @module bench/chat/peer-server
 * The peer of the chat fan-out benchmark: a stock Colyseus 0.18 room on the stock
 * @colyseus/ws-transport, 127.0.0.1, port 0. It broadcasts every 'chat' message to everyone with a
 * timestamp and a sequence number: no validation, no rate limit, no journal, no analytics, no state.
 * Run alone: `node --import tsx bench/chat/peer-server.ts` prints `{ url, roomId, transport }`.
 * Concurrency: one process, one room; the matchmaker is a per-process singleton.
 */
import type { AddressInfo } from 'node:net';
import { Room, Server, matchMaker, type Client } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { runServerChild } from './server-child.ts';

const ROOM_NAME = 'stock-chat';

class StockChatRoom extends Room {
  private n = 0;
  private inbound = 0;

  override onCreate() {
    this.autoDispose = false;
    this.onMessage('chat', (_client: Client, msg: Record<string, unknown>) => {
      this.inbound++;
      this.broadcast('chat', { ...msg, at: Date.now(), seq: ++this.n });
    });
  }

  counters(): Record<string, number> {
    return { chat_in: this.inbound, chat_broadcast: this.n, clients: this.clients.length };
  }
}

await runServerChild(async () => {
  const transport = new WebSocketTransport();
  const server = new Server({ transport, greet: false, gracefullyShutdown: false });
  server.define(ROOM_NAME, StockChatRoom);
  await server.listen(0, '127.0.0.1');
  const port = ((transport as unknown as { server: import('node:http').Server }).server.address() as AddressInfo).port;
  const cache = await matchMaker.createRoom(ROOM_NAME, {});
  const room = matchMaker.getLocalRoomById(cache.roomId) as StockChatRoom | undefined;
  return {
    ready: {
      kind: 'peer-stock-colyseus-ws', url: `http://127.0.0.1:${port}`, roomId: cache.roomId, transport: 'ws',
      notes: { server: 'stock @colyseus/core Room + @colyseus/ws-transport', validation: false, journal: false, analytics: false },
    },
    counters: () => room?.counters() ?? {},
    close: () => server.gracefullyShutdown(false),
  };
});
