/**
 * @module actors/group/protocol
 * Commands, events and state of an interest group: its chat, its members and its simple polls.
 * Types only; the client imports this file.
 */
import type { ChatPosted, ChatState, PostChat } from '../chat/protocol.ts';
import type { AnswerPoll, OpenPoll, Poll, PollAnswered, PollOpened } from './poll.ts';

export type JoinGroup = { type: 'JoinGroup'; memberId: string; memberName: string; at: number };
export type LeaveGroup = { type: 'LeaveGroup'; memberId: string; at: number };
export type GroupCommand = PostChat | JoinGroup | LeaveGroup | OpenPoll | AnswerPoll;

export type GroupJoined = { type: 'GroupJoined'; v: 1; memberId: string; memberName: string; at: number };
export type GroupLeft = { type: 'GroupLeft'; v: 1; memberId: string; at: number };
export type GroupEvent = ChatPosted | GroupJoined | GroupLeft | PollOpened | PollAnswered;

export type GroupState = Readonly<{
  chat: ChatState;
  members: Readonly<Record<string, { readonly name: string; readonly since: number }>>;
  /** Simple polls and sign-ups: one account, one answer. */
  polls: Readonly<Record<string, Poll>>;
}>;
