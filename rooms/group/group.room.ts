/**
 * @module rooms/group/group.room
 * One live room per interest group: joining the room joins the group (idempotent), members chat.
 * Owns: the projection of group events to clients. Does not: membership rules (actors/group).
 * Concurrency: the actor host serialises commands; broadcasts follow commit order.
 */
import type { Client } from '@colyseus/core';
import { ServerError } from '@colyseus/core';
import { createGroupActor } from '../../actors/group/group.ts';
import type { GroupCommand, GroupEvent, GroupState } from '../../actors/group/protocol.ts';
import { seqForKey } from '../../actors/chat/chat.ts';
import type { ChatPosted } from '../../actors/chat/protocol.ts';
import { ackSeqOf, type ActorHost } from '../../engine/actor-host.ts';
import { hostActor } from '../_shared/host-actor.ts';
import { EngineError } from '../../engine/errors.ts';
import { LinliRoom, handler } from '../_shared/linli-room.ts';
import { chatHistory, chatReply, historyIn } from '../_shared/chat-room.ts';
import type { RoomServices } from '../_shared/services.ts';
import { GroupRoomState } from './group-state.ts';
import { answerPollIn, chatIn, openPollIn, type AnswerPollIn, type ChatIn, type OpenPollIn } from './messages.ts';
import { pollView } from '../../actors/group/poll.ts';
import { createHash } from 'node:crypto';

type Host = ActorHost<GroupState, GroupCommand, GroupEvent, string>;

export function defineGroupRoom(services: RoomServices) {
  return class GroupRoom extends LinliRoom<{ state: GroupRoomState }> {
    protected readonly services = services;
    protected readonly kind = 'group';
    private host!: Host;
    private displayName = { 'zh-CN': '', en: '' };

    override async onCreate(options: { id: string }) {
      this.acceptOnlyServerCreation(options);
      const group = services.community.groups.find((g) => g.id === options.id);
      if (!group) throw new ServerError(404, `${EngineError.NOT_FOUND}: no group ${options.id}`);
      this.roomId = group.id;
      this.autoDispose = false;
      this.displayName = { ...group.name };
      const cfg = services.config;
      const actor = createGroupActor({ maxChars: cfg.chatMaxChars, historySize: cfg.chatHistorySize, keyMemory: cfg.chatKeyMemory, maxMembers: 5000 });
      this.host = await hostActor(services, actor, group.id);
      this.closeWhenFenced(this.host);
      this.state = new GroupRoomState({ groupId: group.id, online: 0, members: Object.keys(this.host.state.members).length });
      this.setupInbound();
    }

    protected roomRef() {
      return { kind: 'group', id: this.roomId } as const;
    }

    protected handlers() {
      return {
        chat: handler(chatIn(services.config.chatMaxChars), (c, m) => this.postChat(c, m)),
        history: handler(historyIn(services.config.historyPageMax, ['chat']), async (c, m) => {
          c.send('history', { ...(await chatHistory(services.journal, this.host.key, this.host.state.chat.count, m, services.config.chatHistorySize || 50)), kind: 'chat' });
        }),
        poll: handler(openPollIn, (c, m) => this.openPoll(c, m)),
        answer: handler(answerPollIn, (c, m) => this.answerPoll(c, m)),
      };
    }

    override async onJoin(client: Client) {
      const me = this.member(client);
      const joined = await this.host.submit({ type: 'JoinGroup', memberId: me.accountId, memberName: me.displayName, at: services.now() }, { author: me.accountId });
      if (!joined.ok) throw new ServerError(403, `${joined.code}`);
      const s = this.host.state;
      this.state.online = this.clients.length; // the joining client is already in `clients`
      this.state.members = Object.keys(s.members).length;
      client.send('welcome', { roomId: this.roomId, name: this.displayName, you: { id: me.accountId, name: me.displayName }, roles: me.roles.map((g) => g.role), history: s.chat.recent, members: Object.keys(s.members).length, polls: Object.values(s.polls).map((p) => pollView(p, me.accountId)), limits: { maxChars: services.config.chatMaxChars } });
    }

    override onLeave() {
      this.state.online = this.clients.length;
    }

    /** Counts go to everyone; each screen keeps its own answer from its own replies. */
    private broadcastPoll(pollId: string): void {
      const p = this.host.state.polls[pollId];
      for (const c of this.clients) c.send('poll', pollView(p, this.member(c).accountId));
    }

    private async openPoll(client: Client, m: OpenPollIn): Promise<void> {
      const me = this.member(client);
      const pollId = `poll-${createHash('sha256').update(`${me.accountId}\u0000${m.key}`).digest('hex').slice(0, 20)}`;
      const out = await this.host.submit({ type: 'OpenPoll', pollId, by: me.accountId, byName: me.displayName, question: m.question, options: m.options, capacity: m.capacity, closesAt: m.closesAt, at: services.now() }, { author: me.accountId, key: m.key });
      if (!out.ok) return this.fail(client, out.code, out.details, m.key);
      if (out.events.length > 0) this.broadcastPoll(pollId);
      client.send('ack', { ok: true, key: m.key, seq: ackSeqOf(out, this.host.lastSeq), pollId });
    }

    private async answerPoll(client: Client, m: AnswerPollIn): Promise<void> {
      const me = this.member(client);
      const out = await this.host.submit({ type: 'AnswerPoll', pollId: m.pollId, by: me.accountId, choice: m.choice, at: services.now() }, { author: me.accountId, key: m.key });
      if (!out.ok) return this.fail(client, out.code, out.details, m.key);
      if (out.events.length > 0) this.broadcastPoll(m.pollId);
      this.ack(client, m.key, ackSeqOf(out, this.host.lastSeq));
    }

    private async postChat(client: Client, m: ChatIn): Promise<void> {
      if (!this.allowed(client, 'chat', m.key)) return;
      const me = this.member(client);
      const out = await this.host.submit({ type: 'PostChat', key: m.key, text: m.text, at: services.now(), authorId: me.accountId, authorName: me.displayName }, { author: me.accountId, key: m.key });
      const reply = chatReply(out, () => seqForKey(this.host.state.chat, me.accountId, m.key));
      if (reply.kind === 'failed') return this.fail(client, reply.code, reply.details, m.key);
      if (reply.kind === 'posted') this.broadcast('chat', reply.message);
      this.ack(client, m.key, reply.kind === 'posted' ? reply.message.seq : reply.seq);
    }
  };
}
