/**
 * @module actors/chat/errors
 * Error codes of chat posting, with zh-CN and en messages.
 */
export const ChatError = {
  EMPTY: 'CHAT_EMPTY',
  TOO_LONG: 'CHAT_TOO_LONG',
  BAD_TEXT: 'CHAT_BAD_TEXT',
  BAD_KEY: 'CHAT_BAD_KEY',
} as const;
export type ChatErrorCode = (typeof ChatError)[keyof typeof ChatError];

export const chatErrorSpecs = {
  [ChatError.EMPTY]: { retryable: false, message: { 'zh-CN': '消息不能为空', en: 'The message is empty' } },
  [ChatError.TOO_LONG]: { retryable: false, message: { 'zh-CN': '消息太长', en: 'The message is too long' } },
  [ChatError.BAD_TEXT]: { retryable: false, message: { 'zh-CN': '消息包含无效字符', en: 'The message contains invalid characters' } },
  [ChatError.BAD_KEY]: { retryable: false, message: { 'zh-CN': '消息标识无效', en: 'The message key is invalid' } },
} as const;
