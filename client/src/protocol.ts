/**
 * @module client/protocol
 * The wire shapes the web app reads and sends. Types only: chat, notices and join options come
 * from the actors' and rooms' own protocol files (type imports, erased from the bundle); the map
 * state here is the JSON form of rooms/community-map/map-state.ts, which the client reads with
 * `toJSON()` rather than through schema classes.
 * Owns: the client's view of the protocol. Does not: validate (the server is the authority).
 */
import type { Failure, LocalizedText } from '../../engine/errors.ts';
import type { ChatMessage } from '../../actors/chat/protocol.ts';
import type { Notice } from '../../actors/building/protocol.ts';
import type { ChatIn, JoinOptions as RoomJoinOptions } from '../../rooms/_shared/chat-messages.ts';

export type { ChatMessage, Failure, LocalizedText, Notice };

export interface LotLive {
  readonly occupied: number;
  readonly capacity: number;
  /** Epoch ms of the last counter reading. */
  readonly updatedAt: number;
}

export interface BuildingLive {
  readonly online: number;
  readonly messages: number;
  readonly lastAt: number;
}

/** `room.state.toJSON()` of the community map room `map-<communityId>`. */
export interface MapState {
  readonly lots: Readonly<Record<string, LotLive>>;
  readonly buildings: Readonly<Record<string, BuildingLive>>;
}

export type Author = ChatMessage['author'];

/**
 * `welcome` of a building room (with notices) or a group room (with a member count instead);
 * the client reads the union leniently.
 */
export interface Welcome {
  readonly roomId: string;
  readonly name: LocalizedText;
  readonly you: Author;
  readonly history: readonly ChatMessage[];
  readonly notices?: readonly Notice[];
  readonly members?: number;
}

export type SendChat = ChatIn;

export interface Ack {
  readonly ok: true;
  readonly key: string;
  readonly seq: number;
}

/** Options every room join carries; the client always sends name and language. */
export type JoinOptions = RoomJoinOptions & { readonly name: string; readonly lang: 'zh-CN' | 'en' };
