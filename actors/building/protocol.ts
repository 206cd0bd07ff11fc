/**
 * @module actors/building/protocol
 * Commands, events and state of a residential building: its chat and its notices.
 * Types only; the client imports this file.
 */
import type { ChatPosted, ChatState, PostChat } from '../chat/protocol.ts';

export type PostNotice = {
  type: 'PostNotice'; key: string; authorId: string; authorName: string; title: string; body: string; at: number;
};

export type BuildingCommand = PostChat | PostNotice;

export type NoticePosted = {
  type: 'NoticePosted'; v: 1; n: number; key: string; authorId: string; authorName: string; title: string; body: string; at: number;
};

export type BuildingEvent = ChatPosted | NoticePosted;

export interface Notice {
  readonly seq: number;
  readonly at: number;
  readonly author: { readonly id: string; readonly name: string };
  readonly title: string;
  readonly body: string;
}

export type BuildingState = Readonly<{
  chat: ChatState;
  notices: readonly Notice[];
  noticeCount: number;
  noticeKeys: readonly string[];
}>;

export interface BuildingLimits {
  readonly maxChars: number;
  readonly historySize: number;
  readonly keyMemory: number;
  readonly noticeTitleMaxChars: number;
  readonly noticeMaxChars: number;
  /** Notices kept in hot state. */
  readonly noticesKept: number;
}
