/**
 * @module actors/group/group
 * An interest group as a pure state machine: members join and leave; only members post.
 * Owns: membership and the group's chat. Does not: I/O, time, ids.
 * Concurrency: pure; the engine feeds one command at a time.
 */
import { accept, reject, assertNever, defineActor, hasLoneSurrogate, type Decision } from '../_kit/index.ts';
import { decidePost, evolveChat, initialChat } from '../chat/chat.ts';
import { ChatError, type ChatErrorCode } from '../chat/errors.ts';
import type { ChatLimits } from '../chat/protocol.ts';
import { GroupError, type GroupErrorCode } from './errors.ts';
import type { GroupCommand, GroupEvent, GroupState } from './protocol.ts';
import { decideAnswerPoll, decideOpenPoll, DEFAULT_POLL_LIMITS, evolvePoll } from './poll.ts';

export interface GroupLimits extends ChatLimits {
  readonly maxMembers: number;
}

export const DEFAULT_GROUP_LIMITS: GroupLimits = { maxChars: 500, historySize: 50, keyMemory: 1000, maxMembers: 5000 };

const initial: GroupState = { chat: initialChat, members: {}, polls: {} };

export function createGroupActor(limits: GroupLimits = DEFAULT_GROUP_LIMITS) {
  const decide = (s: GroupState, c: GroupCommand): Decision<GroupEvent, GroupErrorCode | ChatErrorCode> => {
    switch (c.type) {
      case 'JoinGroup':
        if (Object.hasOwn(s.members, c.memberId)) return accept(); // own keys only: ids like 'constructor' are ordinary
        if (hasLoneSurrogate(c.memberName)) return reject(ChatError.BAD_TEXT);
        if (Object.keys(s.members).length >= limits.maxMembers) return reject(GroupError.MEMBER_LIMIT, { maxMembers: limits.maxMembers });
        return accept({ type: 'GroupJoined', v: 1, memberId: c.memberId, memberName: c.memberName, at: c.at });
      case 'LeaveGroup':
        return Object.hasOwn(s.members, c.memberId) ? accept({ type: 'GroupLeft', v: 1, memberId: c.memberId, at: c.at }) : accept();
      case 'PostChat':
        if (!Object.hasOwn(s.members, c.authorId)) return reject(GroupError.NOT_MEMBER);
        return decidePost(s.chat, c, limits);
      case 'OpenPoll':
        if (!Object.hasOwn(s.members, c.by)) return reject(GroupError.NOT_MEMBER);
        return decideOpenPoll(s.polls, c, DEFAULT_POLL_LIMITS);
      case 'AnswerPoll':
        if (!Object.hasOwn(s.members, c.by)) return reject(GroupError.NOT_MEMBER);
        return decideAnswerPoll(s.polls, c);
      default: return assertNever(c);
    }
  };
  const evolve = (s: GroupState, e: GroupEvent): GroupState => {
    switch (e.type) {
      case 'ChatPosted': return { ...s, chat: evolveChat(s.chat, e, limits) };
      case 'PollOpened':
      case 'PollAnswered':
        return { ...s, polls: evolvePoll(s.polls ?? {}, e) };
      case 'GroupJoined': return { ...s, members: { ...s.members, [e.memberId]: { name: e.memberName, since: e.at } } };
      case 'GroupLeft': {
        const members = { ...s.members };
        delete members[e.memberId];
        return { ...s, members };
      }
      default: return s;
    }
  };
  return defineActor({ type: 'group', initial, decide, evolve });
}
