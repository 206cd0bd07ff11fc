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
import { NOTICE_CATEGORIES, type BuildingCommand, type BuildingEvent, type BuildingLimits, type BuildingState, type Notice, type NoticeI18n, type NoticeText, type PostNotice, type NoticePosted, type NoticePostedV1, type NoticePostedV2 } from './protocol.ts';

export const DEFAULT_BUILDING_LIMITS: BuildingLimits = {
  maxChars: 500, historySize: 50, keyMemory: 1000, noticeTitleMaxChars: 80, noticeMaxChars: 2000, noticesKept: 20,
};

const initial: BuildingState = { chat: initialChat, notices: [], noticeCount: 0, noticeKeys: [] };

const NOTICE_LANGS = ['zh-CN', 'en'] as const;
const isText = (x: unknown): x is NoticeText => typeof x === 'object' && x !== null && typeof (x as NoticeText).title === 'string' && typeof (x as NoticeText).body === 'string';

function decideNotice(s: BuildingState, c: PostNotice, l: BuildingLimits): Decision<NoticePosted, BuildingErrorCode | ChatErrorCode> {
  if (c.key.length === 0 || c.key.length > MAX_KEY_CHARS || hasLoneSurrogate(c.key)) return reject(ChatError.BAD_KEY);
  if (s.noticeKeys.includes(c.key)) return accept();
  // Every text, the plain one and each language's, passes the same checks.
  const texts: NoticeText[] = [{ title: c.title, body: c.body }];
  if (c.i18n !== undefined) {
    if (typeof c.i18n !== 'object' || c.i18n === null || !NOTICE_LANGS.every((lang) => isText(c.i18n![lang]))) return reject(BuildingError.NOTICE_BAD_TEXT);
    texts.push(...NOTICE_LANGS.map((lang) => c.i18n![lang]));
  }
  if ([c.authorName, ...texts.flatMap((t) => [t.title, t.body])].some(hasLoneSurrogate)) return reject(BuildingError.NOTICE_BAD_TEXT);
  const cleaned = texts.map((t) => ({ title: cleanText(t.title), body: cleanText(t.body) }));
  if (cleaned.some((t) => isBlank(t.title) || isBlank(t.body))) return reject(BuildingError.NOTICE_EMPTY);
  const category = c.category ?? 'general';
  if (!NOTICE_CATEGORIES.includes(category)) return reject(BuildingError.NOTICE_BAD_CATEGORY, { categories: [...NOTICE_CATEGORIES] });
  if (cleaned.some((t) => codePointLength(t.title) > l.noticeTitleMaxChars || codePointLength(t.body) > l.noticeMaxChars)) {
    return reject(BuildingError.NOTICE_TOO_LONG, { maxTitleChars: l.noticeTitleMaxChars, maxChars: l.noticeMaxChars });
  }
  const [{ title, body }, zh, en] = cleaned;
  const i18n: NoticeI18n | null = zh && en ? { 'zh-CN': zh, en } : null;
  return accept({ type: 'NoticePosted', v: 3, n: s.noticeCount + 1, key: c.key, authorId: c.authorId, authorName: c.authorName, title, body, category, i18n, at: c.at });
}

/** The notice kept in state and sent to clients; `i18n` only when the notice has both languages. */
export function noticeOf(e: NoticePosted): Notice {
  return { seq: e.n, at: e.at, author: { id: e.authorId, name: e.authorName }, title: e.title, body: e.body, category: e.category, ...(e.i18n ? { i18n: e.i18n } : {}), key: e.key };
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
        const notices = [...s.notices, noticeOf(e)];
        const noticeKeys = [...s.noticeKeys, e.key];
        if (notices.length > limits.noticesKept) notices.splice(0, notices.length - limits.noticesKept);
        if (noticeKeys.length > limits.keyMemory) noticeKeys.splice(0, noticeKeys.length - limits.keyMemory);
        return { ...s, notices, noticeCount: Math.max(s.noticeCount, e.n), noticeKeys };
      }
      default: return s; // unknown (future) event versions leave state unchanged; evolve never throws
    }
  };
  // Snapshot version 2: notices in state carry their category and key. A notice's `i18n` is
  // optional, so version-2 snapshots taken before it existed still load as they are.
  return defineActor({ type: 'building', initial, decide, evolve, upcast: upcastBuildingEvent, snapshotVersion: 2 });
}

/**
 * Stored events in today's shape: NoticePosted v1 (no category) becomes v3 `general`, and v1 and
 * v2 (one language) get `i18n: null`.
 */
export function upcastBuildingEvent(stored: { readonly type: string; readonly v: number }): BuildingEvent {
  if (stored.type === 'NoticePosted' && stored.v === 1) return { ...(stored as NoticePostedV1), v: 3, category: 'general', i18n: null };
  if (stored.type === 'NoticePosted' && stored.v === 2) return { ...(stored as NoticePostedV2), v: 3, i18n: null };
  return stored as BuildingEvent;
}
