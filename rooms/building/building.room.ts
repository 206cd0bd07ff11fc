/**
 * @module rooms/building/building.room
 * One live room per residential building: residents chat (server-numbered, idempotent by key,
 * with history for late joiners) and read notices. Hosts the building actor.
 * Owns: joining, presence fan-out and the projection of actor events to clients.
 * Does not: decide what a valid post is (actors/building) or who may post (the directory, via LinliRoom).
 * Alarms: when the alarm desk raises or resolves an alarm in this building, the room posts a
 * notice as the security system (安防系统): the kind, the entrance and the status, never the unit.
 * Concurrency: the actor host serialises commands; broadcasts follow commit order.
 */
import type { Client } from '@colyseus/core';
import { ServerError } from '@colyseus/core';
import { createBuildingActor, noticeOf, upcastBuildingEvent } from '../../actors/building/building.ts';
import type { BuildingCommand, BuildingEvent, BuildingState, Notice, NoticeCategory, NoticePosted } from '../../actors/building/protocol.ts';
import { seqForKey } from '../../actors/chat/chat.ts';
import type { ActorHost } from '../../engine/actor-host.ts';
import { hostActor } from '../_shared/host-actor.ts';
import { decodeJson, encodeJson, type BusSubscription } from '../../engine/bus/contract.ts';
import type { AlarmEvent } from '../../actors/alarm/protocol.ts';
import type { JournalRecord } from '../../engine/journal/record.ts';
import { alarmNotice, SECURITY_AUTHOR } from './alarm-notice.ts';
import { EngineError } from '../../engine/errors.ts';
import { LinliRoom, handler } from '../_shared/linli-room.ts';
import { chatHistory, chatReply, historyIn, numberedHistory, type HistoryIn } from '../_shared/chat-room.ts';
import { presenceSubject } from '../_shared/presence.ts';
import type { RoomServices } from '../_shared/services.ts';
import { BuildingRoomState } from './building-state.ts';
import { chatIn, noticeIn, type ChatIn, type NoticeIn, type Welcome } from './messages.ts';

export const NOTICE_TITLE_MAX_CHARS = 80;

type Host = ActorHost<BuildingState, BuildingCommand, BuildingEvent, string>;

export function defineBuildingRoom(services: RoomServices) {
  return class BuildingRoom extends LinliRoom<{ state: BuildingRoomState }> {
    protected readonly services = services;
    protected readonly kind = 'building';
    private host!: Host;
    private displayName = { 'zh-CN': '', en: '' };
    private alarmSub: BusSubscription | null = null;
    /** Alarm id → entrance, for alarms raised here (resolution events do not repeat the place). */
    private readonly alarmsHere = new Map<string, { kind: string; entrance: string | null }>();

    override async onCreate(options: { id: string }) {
      this.acceptOnlyServerCreation(options);
      const building = services.community.buildings.find((b) => b.id === options.id && b.residential);
      if (!building) throw new ServerError(404, `${EngineError.NOT_FOUND}: no residential building ${options.id}`);
      this.roomId = building.id;
      this.autoDispose = false;
      this.displayName = { ...building.name };
      const cfg = services.config;
      const actor = createBuildingActor({
        maxChars: cfg.chatMaxChars, historySize: cfg.chatHistorySize, keyMemory: cfg.chatKeyMemory,
        noticeTitleMaxChars: NOTICE_TITLE_MAX_CHARS, noticeMaxChars: cfg.noticeMaxChars, noticesKept: 20,
      });
      this.host = await hostActor(services, actor, building.id);
      this.closeWhenFenced(this.host);
      this.state = new BuildingRoomState({ buildingId: building.id, online: 0 });
      this.setupInbound();
      this.alarmSub = services.bus.subscribe(`nb.${services.community.id}.room.alarm.*.ev`, (m) => {
        const r = decodeJson(m.data) as JournalRecord | undefined;
        if (r && typeof r.type === 'string') void this.onAlarm(r.event as AlarmEvent);
      });
    }

    override onDispose() {
      this.releaseRoom();
      this.alarmSub?.unsubscribe();
    }

    private async onAlarm(e: AlarmEvent): Promise<void> {
      if (e.type === 'AlarmRaised' && e.place.buildingId === this.roomId) this.alarmsHere.set(e.alarmId, { kind: e.kind, entrance: e.place.entrance });
      const here = this.alarmsHere.get(e.alarmId);
      if (!here || (e.type !== 'AlarmRaised' && e.type !== 'AlarmResolved')) return;
      if (e.type === 'AlarmResolved') this.alarmsHere.delete(e.alarmId);
      const text = alarmNotice(here.kind, here.entrance, e.type === 'AlarmRaised' ? 'raised' : 'resolved');
      const key = `alarm-${e.alarmId}-${e.type === 'AlarmRaised' ? 'r' : 'x'}`.slice(0, 64);
      const out = await this.host.submit({ type: 'PostNotice', key, title: text.title, body: text.body, i18n: text.i18n, at: services.now(), ...SECURITY_AUTHOR });
      if (!out.ok) {
        services.metrics.inc('building_alarm_notices_refused_total', 'Alarm notices a building refused', { code: out.code });
        return;
      }
      const posted = out.events[0] as NoticePosted | undefined;
      if (posted) this.broadcast('notice', noticeOf(posted));
    }

    protected roomRef() {
      return { kind: 'building', id: this.roomId } as const;
    }

    protected handlers() {
      return {
        chat: handler(chatIn(services.config.chatMaxChars), (c, m) => this.postChat(c, m)),
        notice: handler(noticeIn(NOTICE_TITLE_MAX_CHARS, services.config.noticeMaxChars), (c, m) => this.postNotice(c, m)),
        history: handler(historyIn(services.config.historyPageMax, ['chat', 'notice']), (c, m) => this.sendHistory(c, m)),
      };
    }

    override onJoin(client: Client) {
      const me = this.member(client);
      const s = this.host.state;
      const welcome: Welcome = { roomId: this.roomId, name: this.displayName, you: { id: me.accountId, name: me.displayName }, roles: me.roles.map((g) => g.role), history: s.chat.recent, notices: s.notices,
        limits: { maxChars: services.config.chatMaxChars, noticeMaxChars: services.config.noticeMaxChars } };
      client.send('welcome', welcome);
      this.publishPresence();
    }

    override onLeave() {
      this.publishPresence();
    }

    private publishPresence(): void {
      this.state.online = this.clients.length;
      services.bus.publish(presenceSubject(services.community.id, 'building', this.roomId), encodeJson({ online: this.clients.length, at: services.now() }));
    }

    /** The author is the signed-in account and its directory name; nothing the client declares. */
    private author(client: Client): { authorId: string; authorName: string } {
      const m = this.member(client);
      return { authorId: m.accountId, authorName: m.displayName };
    }

    private async postChat(client: Client, m: ChatIn): Promise<void> {
      if (!this.allowed(client, 'chat', m.key)) return;
      const who = this.author(client);
      const out = await this.host.submit({ type: 'PostChat', key: m.key, text: m.text, at: services.now(), ...who }, { author: who.authorId, key: m.key });
      const reply = chatReply(out, () => seqForKey(this.host.state.chat, who.authorId, m.key));
      if (reply.kind === 'failed') return this.fail(client, reply.code, reply.details, m.key);
      if (reply.kind === 'posted') this.broadcast('chat', reply.message);
      this.ack(client, m.key, reply.kind === 'posted' ? reply.message.seq : reply.seq);
    }

    /** Older messages or notices than the welcome carried, from the journal, in the room's order. */
    private async sendHistory(client: Client, m: HistoryIn): Promise<void> {
      const s = this.host.state;
      const limit = services.config.chatHistorySize || 50;
      const page = m.kind === 'notice'
        ? await numberedHistory<NoticePosted, Notice>(services.journal, this.host.key, 'NoticePosted', s.noticeCount, m, limit, noticeOf, upcastBuildingEvent)
        : await chatHistory(services.journal, this.host.key, s.chat.count, m, limit);
      client.send('history', { ...page, kind: m.kind ?? 'chat' });
    }

    private async postNotice(client: Client, m: NoticeIn): Promise<void> {
      if (!this.allowed(client, 'notice', m.key)) return;
      const who = this.author(client);
      const out = await this.host.submit({ type: 'PostNotice', key: m.key, title: m.title, body: m.body, category: m.category as NoticeCategory | undefined, at: services.now(), ...who }, { author: who.authorId, key: m.key });
      if (!out.ok) return this.fail(client, out.code, out.details, m.key);
      const posted = out.events[0] as NoticePosted | undefined;
      if (!posted) return this.ack(client, m.key, 0);
      if (out.duplicate) return this.ack(client, m.key, posted.n);
      this.broadcast('notice', noticeOf(posted));
      this.ack(client, m.key, posted.n);
    }
  };
}
