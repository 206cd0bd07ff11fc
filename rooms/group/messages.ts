/**
 * @module rooms/group/messages
 * Wire shapes of the group room.
 *   in:  chat { text, key } · poll { question, options, capacity, closesAt, key } · answer { pollId, choice, key }
 *   out: welcome { roomId, name, you, history, members, polls } · chat ChatMessage · poll PollView
 *        ack · error Failure
 */
import { arrayOf, int, nullable, object, str, type Check } from '../_shared/validate.ts';

export { chatIn, type ChatIn } from '../_shared/chat-messages.ts';

/** A simple poll or sign-up (one account, one answer); `capacity` limits a sign-up. */
export type OpenPollIn = { key: string; question: string; options: string[]; capacity: number | null; closesAt: number };
export const openPollIn = object<OpenPollIn>({ key: str(64) as Check<string>, question: str(800) as Check<string>, options: arrayOf(str(800) as Check<string>, 20), capacity: nullable(int(1, 100000)), closesAt: int(0, 8.64e15) });
export type AnswerPollIn = { key: string; pollId: string; choice: number };
export const answerPollIn = object<AnswerPollIn>({ key: str(64) as Check<string>, pollId: str(64) as Check<string>, choice: int(0, 19) });
