/**
 * @module actors/chat/protocol
 * Chat vocabulary shared by the building and group actors. Types only; the client imports this.
 */
export interface ChatLimits {
  /** Longest text in Unicode code points. */
  readonly maxChars: number;
  /** Messages kept in hot state for late joiners. */
  readonly historySize: number;
  /** Idempotency keys remembered for deduplication. */
  readonly keyMemory: number;
}

export type PostChat = {
  type: 'PostChat'; key: string; authorId: string; authorName: string; text: string; at: number;
};

export type ChatPosted = {
  type: 'ChatPosted'; v: 1; n: number; key: string; authorId: string; authorName: string; text: string; at: number;
};

/** A chat message as clients see it; `seq` is the room's server-assigned message number. */
export interface ChatMessage {
  readonly seq: number;
  readonly at: number;
  readonly author: { readonly id: string; readonly name: string };
  readonly text: string;
  readonly key: string;
}

export type ChatState = Readonly<{
  count: number;
  recent: readonly ChatMessage[];
  /** `author/key` → seq of the message it produced, oldest first (at most keyMemory pairs). */
  keys: readonly (readonly [string, number])[];
}>;
