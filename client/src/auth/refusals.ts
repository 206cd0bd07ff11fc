/**
 * @module client/auth/refusals
 * The texts of the codes a room join can be refused with. A refused join reaches the SDK as
 * `CODE: {"zh-CN": …, "en": …}` (both languages as JSON); older servers sent `CODE: English message`,
 * for which the zh-CN side is kept here, copied from the server's catalogue
 * (actors/identity/identity-errors.ts, actors/community/directory-errors.ts); access.test.ts fails
 * when the two drift. Any other code is shown with the server's English text.
 * Owns: those texts and building a Failure from a refused join. Does not: classify codes (access.ts).
 */
import type { Failure, LocalizedText } from '../protocol.ts';
import { codeOfJoinError } from './access.ts';

export const JOIN_REFUSALS: Readonly<Record<string, LocalizedText>> = {
  IDENTITY_TOKEN_MISSING: { 'zh-CN': '请先登录', en: 'Sign in first' },
  IDENTITY_TOKEN_INVALID: { 'zh-CN': '登录凭证无效，请重新登录', en: 'The sign-in token is not valid; sign in again' },
  IDENTITY_TOKEN_EXPIRED: { 'zh-CN': '登录凭证已过期，请刷新后重试', en: 'The access token has expired; refresh it and retry' },
  IDENTITY_SESSION_REVOKED: { 'zh-CN': '该登录会话已被注销，请重新登录', en: 'That session was revoked; sign in again' },
  IDENTITY_SESSION_EXPIRED: { 'zh-CN': '登录已过期，请重新登录', en: 'The session has expired; sign in again' },
  IDENTITY_WRONG_COMMUNITY: { 'zh-CN': '该账号不属于这个小区', en: 'That account belongs to another community' },
  IDENTITY_WRONG_TOKEN_KIND: { 'zh-CN': '该凭证不能用于此操作', en: 'That kind of token cannot be used here' },
  DIRECTORY_ACCOUNT_REVOKED: { 'zh-CN': '该账号已被停用', en: 'That account has been revoked' },
  DIRECTORY_UNKNOWN_ACCOUNT: { 'zh-CN': '该账号不在本小区', en: 'That account is not part of this community' },
  DIRECTORY_ROOM_FORBIDDEN: { 'zh-CN': '你没有进入该房间的权限', en: 'You are not allowed into this room' },
};

/** The Failure a refused join stands for, in both languages where the code is known here. */
export function failureOfJoinError(error: unknown): Failure | null {
  const code = codeOfJoinError(error);
  if (!code) return null;
  const raw = error instanceof Error ? error.message.slice(code.length).replace(/^:\s*/, '') : '';
  const message = localizedOf(raw) ?? JOIN_REFUSALS[code] ?? { 'zh-CN': raw || code, en: raw || code };
  return { ok: false, code, message, retryable: code === 'IDENTITY_TOKEN_EXPIRED' };
}

/** The `{"zh-CN", "en"}` a refusal carries after its code, or null for plain text. */
function localizedOf(raw: string): LocalizedText | null {
  if (!raw.startsWith('{')) return null;
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    return typeof v['zh-CN'] === 'string' && typeof v.en === 'string' ? { 'zh-CN': v['zh-CN'], en: v.en } : null;
  } catch {
    return null; // not JSON after all: shown as plain text
  }
}

/** A Failure for a code that arrived without a message (a close reason). */
export function failureOfCode(code: string): Failure {
  return { ok: false, code, message: JOIN_REFUSALS[code] ?? { 'zh-CN': code, en: code }, retryable: false };
}
