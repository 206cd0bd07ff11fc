/**
 * @module engine/transport/select
 * Picks the WebSocket transport: uWebSockets.js when its native binary loads on this Node
 * (the unofficial build ships binaries for Node 16, 18 and 20), else the ws transport. The
 * choice and the reason are returned for the startup log.
 * Owns: loading and configuring transports. Does not: listen (engine/community-server does).
 */
import type { Transport } from '@colyseus/core';
import type { TransportChoice } from '../config.ts';
import { exposePeerAddress } from '../http/peer.ts';

export type TransportName = 'uws' | 'ws';

export interface SelectedTransport {
  readonly name: TransportName;
  readonly transport: Transport;
  /** Why this transport was chosen (e.g. why uWS could not load). */
  readonly reason: string;
  /** The port actually bound, once listening. */
  boundPort(): number;
  /** The node:http server behind the ws transport (null for uWS, which serves HTTP itself). */
  httpServer(): import('node:http').Server | null;
}

export interface TransportLimits {
  readonly messageMaxBytes: number;
}

async function loadUws(limits: TransportLimits): Promise<SelectedTransport> {
  const uws = (await import('uWebSockets.js')).default as typeof import('uWebSockets.js');
  if (typeof uws.App !== 'function') throw new Error('uWebSockets.js loaded without App()');
  const { uWebSocketsTransport } = await import('@colyseus/uwebsockets-transport');
  const transport = new uWebSocketsTransport({ maxPayloadLength: limits.messageMaxBytes, idleTimeout: 60 });
  exposePeerAddress(transport.app as never); // the HTTP API and matchmaking see the peer's address
  return {
    name: 'uws', transport, reason: 'uWebSockets.js native module loaded',
    boundPort: () => {
      const socket = (transport as unknown as { _listeningSocket?: unknown })._listeningSocket;
      return socket ? uws.us_socket_local_port(socket as never) : 0;
    },
    httpServer: () => null,
  };
}

async function loadWs(limits: TransportLimits, reason: string): Promise<SelectedTransport> {
  const { WebSocketTransport } = await import('@colyseus/ws-transport');
  const transport = new WebSocketTransport({ maxPayload: limits.messageMaxBytes, pingInterval: 10_000, pingMaxRetries: 3 });
  return {
    name: 'ws', transport, reason,
    boundPort: () => {
      const addr = (transport as unknown as { server?: import('node:http').Server }).server?.address();
      return addr && typeof addr === 'object' ? addr.port : 0;
    },
    httpServer: () => (transport as unknown as { server?: import('node:http').Server }).server ?? null,
  };
}

/** `uwsLoader` is replaceable so the fallback can be tested on a Node where uWS does load. */
export async function selectTransport(choice: TransportChoice, limits: TransportLimits, uwsLoader = loadUws): Promise<SelectedTransport> {
  if (choice === 'ws') return loadWs(limits, 'TRANSPORT=ws');
  try {
    return await uwsLoader(limits);
  } catch (err) {
    if (choice === 'uws') throw new Error(`TRANSPORT=uws but uWebSockets.js cannot load: ${(err as Error).message}`);
    return loadWs(limits, `uWebSockets.js unavailable (${(err as Error).message.split('\n')[0]}), fell back to ws`);
  }
}
