/**
 * @module actors/chat/chat
 * Pure chat rules shared by the building and group actors: validation of a post, numbering,
 * idempotency by client key, and the bounded recent history late joiners receive.
 * Owns: what a valid post is and how it folds into ChatState. Does not: I/O, time, ids.
 * Concurrency: pure functions.
 */
import { accept, reject, hasLoneSurrogate, codePointLength, cleanText, isBlank, type Decision } from '../_kit/index.ts';
import { ChatError, type ChatErrorCode } from './errors.ts';
import type { ChatLimits, ChatMessage, ChatPosted, ChatState, PostChat } from './protocol.ts';

export const MAX_KEY_CHARS = 64;

export const initialChat: ChatState = { count: 0, recent: [], keys: [] };

/** Keys are scoped to their author, so one resident can never suppress another's post by reusing a key. */
function memoryKey(authorId: string, key: string): string {
  return `${authorId}/${key}`;
}

/** The seq an earlier post by this author with this key produced, if it is still remembered. */
export function seqForKey(s: ChatState, authorId: string, key: string): number | undefined {
  const k = memoryKey(authorId, key);
  for (let i = s.keys.length - 1; i >= 0; i--) if (s.keys[i][0] === k) return s.keys[i][1];
  return undefined;
}

export function decidePost(s: ChatState, c: PostChat, limits: ChatLimits): Decision<ChatPosted, ChatErrorCode> {
  if (c.key.length === 0 || c.key.length > MAX_KEY_CHARS || hasLoneSurrogate(c.key)) return reject(ChatError.BAD_KEY);
  if (seqForKey(s, c.authorId, c.key) !== undefined) return accept(); // already applied: idempotent, no new event
  if (hasLoneSurrogate(c.text) || hasLoneSurrogate(c.authorName)) return reject(ChatError.BAD_TEXT);
  const text = cleanText(c.text);
  if (isBlank(text)) return reject(ChatError.EMPTY);
  const chars = codePointLength(text);
  if (chars > limits.maxChars) return reject(ChatError.TOO_LONG, { chars, maxChars: limits.maxChars });
  return accept({
    type: 'ChatPosted', v: 1, n: s.count + 1, key: c.key,
    authorId: c.authorId, authorName: c.authorName, text, at: c.at,
  });
}

export function evolveChat(s: ChatState, e: ChatPosted, limits: ChatLimits): ChatState {
  const msg: ChatMessage = { seq: e.n, at: e.at, author: { id: e.authorId, name: e.authorName }, text: e.text, key: e.key };
  const recent = [...s.recent, msg];
  if (recent.length > limits.historySize) recent.splice(0, recent.length - limits.historySize);
  // An array copy per post is a flat memcpy of at most keyMemory pairs; copying and deleting
  // from an object keyed by id was 100× slower once the memory filled (bench/chat, prefill 1200).
  const drop = Math.max(0, s.keys.length + 1 - limits.keyMemory);
  const keys = [...s.keys.slice(drop), [memoryKey(e.authorId, e.key), e.n] as const];
  return { count: Math.max(s.count, e.n), recent, keys };
}
