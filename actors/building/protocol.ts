/**
 * @module actors/building/protocol
 * Commands, events and state of a residential building: its chat and its notices.
 * Types only; the client imports this file.
 */
import type { ChatPosted, ChatState, PostChat } from '../chat/protocol.ts';

/** What a notice is about (a board per topic): repairs, safety, events, fees, or general. */
export const NOTICE_CATEGORIES = ['general', 'repair', 'safety', 'event', 'fee'] as const;
export type NoticeCategory = (typeof NOTICE_CATEGORIES)[number];

export type PostNotice = {
  type: 'PostNotice'; key: string; authorId: string; authorName: string; title: string; body: string; category?: NoticeCategory; at: number;
};

export type BuildingCommand = PostChat | PostNotice;

export type NoticePosted = {
  type: 'NoticePosted'; v: 2; n: number; key: string; authorId: string; authorName: string; title: string; body: string; category: NoticeCategory; at: number;
};
/** Version 1, before notices had a category; upcast to v2 as `general`. */
export type NoticePostedV1 = Omit<NoticePosted, 'v' | 'category'> & { v: 1 };

export type BuildingEvent = ChatPosted | NoticePosted;

export interface Notice {
  readonly seq: number;
  readonly at: number;
  readonly author: { readonly id: string; readonly name: string };
  readonly title: string;
  readonly body: string;
  readonly category: NoticeCategory;
  /** The poster's idempotency key, so the poster can match its acknowledgement. */
  readonly key: string;
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
