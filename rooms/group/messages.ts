/**
 * @module rooms/group/messages
 * Wire shapes of the group room.
 *   in:  chat { text, key }
 *   out: welcome { roomId, name, you, history, members } · chat ChatMessage · ack · error Failure
 */
export { chatIn, type ChatIn } from '../_shared/chat-messages.ts';
