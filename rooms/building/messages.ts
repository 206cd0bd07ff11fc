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
import { BuildingError } from '../../actors/building/errors.ts';

export { chatIn, type ChatIn } from '../_shared/chat-messages.ts';

export type NoticeIn = { title: string; body: string; key: string; category?: string };

/** UTF-16 caps of 4× the code-point limits cut huge fields early; over them the answer is the actor's BUILDING_NOTICE_TOO_LONG. */
export function noticeIn(maxTitle: number, maxBody: number): Check<NoticeIn> {
  const details = { maxTitleChars: maxTitle, maxChars: maxBody };
  return object<NoticeIn>({
    title: str(maxTitle * 4, { tooLong: { code: BuildingError.NOTICE_TOO_LONG, maxChars: maxTitle, details } }) as Check<string>,
    body: str(maxBody * 4, { tooLong: { code: BuildingError.NOTICE_TOO_LONG, maxChars: maxBody, details } }) as Check<string>,
    key: str(64) as Check<string>, category: str(16, { optional: true }),
  });
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
