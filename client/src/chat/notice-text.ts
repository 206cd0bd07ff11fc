/**
 * @module client/chat/notice-text
 * Which text of a building notice the page shows: the UI language's side when the notice was
 * written in both (the security system's alarm notices carry `i18n`), else its one title and body.
 * Pure; chat-panel renders the result.
 */
import type { Lang } from '../i18n.ts';
import type { Notice } from '../protocol.ts';

export function noticeText(n: Pick<Notice, 'title' | 'body' | 'i18n'>, lang: Lang): { readonly title: string; readonly body: string } {
  const side = n.i18n?.[lang];
  return side && side.title && side.body ? side : { title: n.title, body: n.body };
}
