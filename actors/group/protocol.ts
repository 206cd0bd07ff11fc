/**
 * @module actors/group/protocol
 * Commands, events and state of an interest group: its chat and its members.
 * Types only; the client imports this file.
 */
import type { ChatPosted, ChatState, PostChat } from '../chat/protocol.ts';

export type JoinGroup = { type: 'JoinGroup'; memberId: string; memberName: string; at: number };
export type LeaveGroup = { type: 'LeaveGroup'; memberId: string; at: number };
export type GroupCommand = PostChat | JoinGroup | LeaveGroup;

export type GroupJoined = { type: 'GroupJoined'; v: 1; memberId: string; memberName: string; at: number };
export type GroupLeft = { type: 'GroupLeft'; v: 1; memberId: string; at: number };
export type GroupEvent = ChatPosted | GroupJoined | GroupLeft;

export type GroupState = Readonly<{
  chat: ChatState;
  members: Readonly<Record<string, { readonly name: string; readonly since: number }>>;
}>;
