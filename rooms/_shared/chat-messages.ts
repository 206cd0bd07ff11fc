/**
 * @module rooms/_shared/chat-messages
 * Wire shapes of chat shared by building and group rooms, and the join options every room takes.
 * The client imports these types. UTF-16 caps here are a cheap first filter (4× the code-point
 * limit); the actor applies the exact limit in code points.
 */
import { object, str, type Check } from './validate.ts';
import { cleanText, isBlank } from '../../actors/_kit/index.ts';
import { ChatError } from '../../actors/chat/errors.ts';
import type { ChatMessage } from '../../actors/chat/protocol.ts';

export type ChatIn = { text: string; key: string };

export function chatIn(maxChars: number): Check<ChatIn> {
  return object<ChatIn>({ text: str(maxChars * 4, { tooLongCode: ChatError.TOO_LONG }) as Check<string>, key: str(64, { tooLongCode: ChatError.BAD_KEY }) as Check<string> });
}

export interface JoinOptions {
  readonly name?: string;
  readonly lang?: 'zh-CN' | 'en';
  /** Stable resident id until verified identities land (issue 3); defaults to the session id. */
  readonly residentId?: string;
}

export const MAX_NAME_CHARS = 32;

/** Reads join options leniently: a bad name is replaced, never fatal. */
export function readJoinOptions(raw: unknown, sessionId: string): { name: string; residentId: string } {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const nameCheck = str(MAX_NAME_CHARS)(o.name, 'name');
  const cleaned = nameCheck.ok && typeof nameCheck.value === 'string' ? cleanText(nameCheck.value).replace(/\s+/g, ' ') : '';
  const name = cleaned && !isBlank(cleaned) ? cleaned : `邻居${sessionId.slice(0, 4)}`;
  const idCheck = str(64)(o.residentId, 'residentId');
  const residentId = idCheck.ok && typeof idCheck.value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(idCheck.value) ? idCheck.value : sessionId;
  return { name, residentId };
}

export type ChatOut = ChatMessage;
