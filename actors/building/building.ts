/**
 * @module actors/building/building
 * A residential building as a pure state machine: residents' chat (numbered, idempotent, with
 * a bounded history for late joiners) and notices.
 * Owns: the rules of posting in a building. Does not: know who may post (issue 3), send, store.
 * Concurrency: pure; the engine feeds one command at a time.
 */
import { accept, reject, assertNever, defineActor, hasLoneSurrogate, codePointLength, cleanText, isBlank, type Decision } from '../_kit/index.ts';
import { decidePost, evolveChat, initialChat, MAX_KEY_CHARS } from '../chat/chat.ts';
import { ChatError, type ChatErrorCode } from '../chat/errors.ts';
import { BuildingError, type BuildingErrorCode } from './errors.ts';
import { NOTICE_CATEGORIES, type BuildingCommand, type BuildingEvent, type BuildingLimits, type BuildingState, type PostNotice, type NoticePosted, type NoticePostedV1 } from './protocol.ts';

export const DEFAULT_BUILDING_LIMITS: BuildingLimits = {
  maxChars: 500, historySize: 50, keyMemory: 1000, noticeTitleMaxChars: 80, noticeMaxChars: 2000, noticesKept: 20,
};

const initial: BuildingState = { chat: initialChat, notices: [], noticeCount: 0, noticeKeys: [] };

function decideNotice(s: BuildingState, c: PostNotice, l: BuildingLimits): Decision<NoticePosted, BuildingErrorCode | ChatErrorCode> {
  if (c.key.length === 0 || c.key.length > MAX_KEY_CHARS || hasLoneSurrogate(c.key)) return reject(ChatError.BAD_KEY);
  if (s.noticeKeys.includes(c.key)) return accept();
  if ([c.title, c.body, c.authorName].some(hasLoneSurrogate)) return reject(BuildingError.NOTICE_BAD_TEXT);
  const title = cleanText(c.title);
  const body = cleanText(c.body);
  if (isBlank(title) || isBlank(body)) return reject(BuildingError.NOTICE_EMPTY);
  const category = c.category ?? 'general';
  if (!NOTICE_CATEGORIES.includes(category)) return reject(BuildingError.NOTICE_BAD_CATEGORY, { categories: [...NOTICE_CATEGORIES] });
  if (codePointLength(title) > l.noticeTitleMaxChars || codePointLength(body) > l.noticeMaxChars) {
    return reject(BuildingError.NOTICE_TOO_LONG, { maxTitleChars: l.noticeTitleMaxChars, maxChars: l.noticeMaxChars });
  }
  return accept({ type: 'NoticePosted', v: 2, n: s.noticeCount + 1, key: c.key, authorId: c.authorId, authorName: c.authorName, title, body, category, at: c.at });
}

export function createBuildingActor(limits: BuildingLimits = DEFAULT_BUILDING_LIMITS) {
  const decide = (s: BuildingState, c: BuildingCommand): Decision<BuildingEvent, BuildingErrorCode | ChatErrorCode> => {
    switch (c.type) {
      case 'PostChat': return decidePost(s.chat, c, limits);
      case 'PostNotice': return decideNotice(s, c, limits);
      default: return assertNever(c);
    }
  };
  const evolve = (s: BuildingState, e: BuildingEvent): BuildingState => {
    switch (e.type) {
      case 'ChatPosted': return { ...s, chat: evolveChat(s.chat, e, limits) };
      case 'NoticePosted': {
        const notices = [...s.notices, { seq: e.n, at: e.at, author: { id: e.authorId, name: e.authorName }, title: e.title, body: e.body, category: e.category, key: e.key }];
        const noticeKeys = [...s.noticeKeys, e.key];
        if (notices.length > limits.noticesKept) notices.splice(0, notices.length - limits.noticesKept);
        if (noticeKeys.length > limits.keyMemory) noticeKeys.splice(0, noticeKeys.length - limits.keyMemory);
        return { ...s, notices, noticeCount: Math.max(s.noticeCount, e.n), noticeKeys };
      }
      default: return s; // unknown (future) event versions leave state unchanged; evolve never throws
    }
  };
  // Snapshot version 2: notices in state carry their category and key.
  return defineActor({ type: 'building', initial, decide, evolve, upcast: upcastBuildingEvent, snapshotVersion: 2 });
}

/** Stored events in today's shape: NoticePosted v1 (no category) becomes v2 `general`. */
export function upcastBuildingEvent(stored: { readonly type: string; readonly v: number }): BuildingEvent {
  if (stored.type === 'NoticePosted' && stored.v === 1) return { ...(stored as NoticePostedV1), v: 2, category: 'general' };
  return stored as BuildingEvent;
}
