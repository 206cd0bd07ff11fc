/**
 * @module rooms/_shared/chat-messages
 * Wire shapes of chat shared by building and group rooms, and the join options every room takes.
 * The client imports these types. UTF-16 caps here are a cheap first filter (4× the code-point
 * limit); the actor applies the exact limit in code points.
 */
import { object, str, type Check } from './validate.ts';
import { ChatError } from '../../actors/chat/errors.ts';
import type { ChatMessage } from '../../actors/chat/protocol.ts';

export type ChatIn = { text: string; key: string };

export function chatIn(maxChars: number): Check<ChatIn> {
  return object<ChatIn>({ text: str(maxChars * 4, { tooLong: { code: ChatError.TOO_LONG, maxChars } }) as Check<string>, key: str(64, { tooLongCode: ChatError.BAD_KEY }) as Check<string> });
}

/** What a client may pass when joining: its language only; who it is comes from its access token. */
export interface JoinOptions {
  readonly lang?: 'zh-CN' | 'en';
}

export type ChatOut = ChatMessage;
