/**
 * @module rooms/building/messages
 * Inbound message schemas of the building room and the shapes it sends.
 *   in:  chat { text, key } · notice { title, body, key, category? } · history { kind?, before?, limit? }
 *   out: welcome { roomId, name, you, history, notices } · chat ChatMessage · notice Notice
 *        history { kind, items, before } · ack { ok:true, key, seq } · error Failure
 */
import { object, str, type Check } from '../_shared/validate.ts';
import type { LocalizedName } from '../../actors/community/layout.ts';
import type { ChatMessage } from '../../actors/chat/protocol.ts';
import type { Notice } from '../../actors/building/protocol.ts';

export { chatIn, type ChatIn } from '../_shared/chat-messages.ts';

export type NoticeIn = { title: string; body: string; key: string; category?: string };

export function noticeIn(maxTitle: number, maxBody: number): Check<NoticeIn> {
  return object<NoticeIn>({ title: str(maxTitle * 4) as Check<string>, body: str(maxBody * 4) as Check<string>, key: str(64) as Check<string>, category: str(16, { optional: true }) });
}

export interface Welcome {
  readonly roomId: string;
  readonly name: LocalizedName;
  readonly you: { readonly id: string; readonly name: string };
  /** The roles the signed-in account holds (`owner`, `property_staff`, …): staff see the notice form. */
  readonly roles: readonly string[];
  readonly history: readonly ChatMessage[];
  readonly notices: readonly Notice[];
  /** The room's text limits, so a client can count against the real ones (CHAT_MAX_CHARS). */
  readonly limits: { readonly maxChars: number; readonly noticeMaxChars: number };
}
