/**
 * @module actors/building/protocol
 * Commands, events and state of a residential building: its chat and its notices.
 * Types only; the client imports this file.
 */
import type { ChatPosted, ChatState, PostChat } from '../chat/protocol.ts';

/** What a notice is about (a board per topic): repairs, safety, events, fees, or general. */
export const NOTICE_CATEGORIES = ['general', 'repair', 'safety', 'event', 'fee'] as const;
export type NoticeCategory = (typeof NOTICE_CATEGORIES)[number];

/** A notice's text in one language. */
export type NoticeText = { readonly title: string; readonly body: string };
/**
 * A notice written in both languages (the security system's alarm notices): a client shows its
 * UI language's side, while `title`/`body` keep one combined text for old clients and analytics.
 */
export type NoticeI18n = { readonly 'zh-CN': NoticeText; readonly en: NoticeText };

export type PostNotice = {
  type: 'PostNotice'; key: string; authorId: string; authorName: string; title: string; body: string; category?: NoticeCategory;
  i18n?: NoticeI18n; at: number;
};

export type BuildingCommand = PostChat | PostNotice;

/** Version 3: `i18n` is the notice's text per language, or null for a notice written in one. */
export type NoticePosted = {
  type: 'NoticePosted'; v: 3; n: number; key: string; authorId: string; authorName: string; title: string; body: string; category: NoticeCategory;
  i18n: NoticeI18n | null; at: number;
};
/** Version 2, before notices could carry both languages; upcast to v3 with `i18n: null`. */
export type NoticePostedV2 = Omit<NoticePosted, 'v' | 'i18n'> & { v: 2 };
/** Version 1, before notices had a category; upcast to v3 as `general` with `i18n: null`. */
export type NoticePostedV1 = Omit<NoticePostedV2, 'v' | 'category'> & { v: 1 };

export type BuildingEvent = ChatPosted | NoticePosted;

export interface Notice {
  readonly seq: number;
  readonly at: number;
  readonly author: { readonly id: string; readonly name: string };
  readonly title: string;
  readonly body: string;
  readonly category: NoticeCategory;
  /** Present when the notice was written in both languages; then a client shows its language's side. */
  readonly i18n?: NoticeI18n;
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
