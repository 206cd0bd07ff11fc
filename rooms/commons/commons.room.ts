/**
 * @module rooms/commons/commons.room
 * The community's commons (社区公共事务), one live room per community: owners' votes with live
 * tallies and their closed records, and the public accounts of the common parts with questions
 * and answers. Hosts the assembly actor (rule set, vote index), one vote actor per vote and the
 * ledger actor.
 * Owns: the register snapshot at opening (from the directory), receipts, the close timer (a
 * CloseVote command with `at` from services.now, submitted once the deadline has passed), the
 * projection to screens. Does not: count (actors/votes) or decide ledger rules (actors/ledger).
 * Concurrency: each actor serialises its own commands; tallies reach screens through the state,
 * projected from the vote actors once per patch and patched every VOTE_PATCH_INTERVAL_MS, so a
 * burst of ballots is coalesced per screen. The patch goes out to the screens in slices of
 * PATCH_SLICE_MS (rooms/_shared/paced-sends), not in one pass over every client.
 * Overflow: ballots wait in the room's inbox (at most VOTE_MAILBOX_SIZE, then ENGINE_ACTOR_BUSY,
 * retryable, counted in commons_ballots_refused_total) and are handed to the vote actors in slices
 * of BALLOT_SLICE_MS (at most BALLOT_SLICE_MAX ballots, so the actor commits them in batches), with
 * the event loop free in between; each vote's actor mailbox has the same bound.
 * Secrecy: a secret vote's BallotCast events leave the journal for the bus and analytics without
 * account, choice or receipt; its tallies stay hidden until it closes.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Client } from '@colyseus/core';
import { ServerError } from '@colyseus/core';
import { shardedGet } from '../../actors/_kit/index.ts';
import { createLedgerActor, ledgerTotals } from '../../actors/ledger/ledger.ts';
import { LedgerError } from '../../actors/ledger/ledger-errors.ts';
import type { LedgerCommand, LedgerEvent, LedgerState, VoucherRef } from '../../actors/ledger/ledger-protocol.ts';
import { assemblyActor, type AssemblyCommand, type AssemblyEvent, type AssemblyState } from '../../actors/votes/assembly.ts';
import { registerChangesSince, snapshotFromDirectory } from '../../actors/votes/from-directory.ts';
import { voteRecord } from '../../actors/votes/record.ts';
import { createVoteActor, DEFAULT_VOTE_LIMITS, initialVote, passedOf } from '../../actors/votes/vote.ts';
import { VoteError } from '../../actors/votes/vote-errors.ts';
import type { OpenVote, RoleClaim, VoteCommand, VoteEvent, VoteState } from '../../actors/votes/vote-protocol.ts';
import { ackSeqOf, type ActorHost } from '../../engine/actor-host.ts';
import { EngineError } from '../../engine/errors.ts';
import type { JournalRecord } from '../../engine/journal/record.ts';
import { hostActor } from '../_shared/host-actor.ts';
import { LinliRoom, handler } from '../_shared/linli-room.ts';
import { PacedSends } from '../_shared/paced-sends.ts';
import type { RoomServices } from '../_shared/services.ts';
import { ArraySchema, CommonsRoomState, VoteLive } from './commons-state.ts';
import type { CommonsHub } from './commons-hub.ts';
import {
  answerIn, askIn, ballotIn, cancelVoteIn, extendVoteIn, openVoteIn, publishLineIn, setRulesIn,
  type AnswerIn, type AskIn, type BallotIn, type CancelVoteIn, type CommonsWelcome, type ExtendVoteIn, type MyBallots, type OpenVoteIn,
  type PublishLineIn, type SetRulesIn, type VoteView,
} from './messages.ts';

export const commonsRoomId = (community: string) => `commons-${community}`;
/** How often the room looks for votes whose deadline has passed. */
export const CLOSE_CHECK_MS = 250;
/**
 * Longest stretch the room spends casting queued ballots before it yields to the event loop
 * (setImmediate): well under any patch interval, so a burst never keeps patches, pings or other
 * rooms waiting. Without it the actor host drains thousands of ballots in one microtask chain.
 */
export const BALLOT_SLICE_MS = 10;
/**
 * Most ballots one slice hands to the vote actors before it waits for their outcomes: a few commit
 * batches (DEFAULT_COMMIT_BATCH), so one journal sync covers many ballots instead of one each.
 */
export const BALLOT_SLICE_MAX = 256;

type VoteHost = ActorHost<VoteState, VoteCommand, VoteEvent, string>;

/** Stable ids from the caller and its idempotency key: a retried command names the same vote, line or question. */
const idFor = (prefix: string, accountId: string, key: string) => `${prefix}-${createHash('sha256').update(`${accountId}\u0000${key}`).digest('hex').slice(0, 20)}`;
const RECEIPT_CHARS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RECEIPT_LENGTH = 10;
/** Receipts from one pooled random buffer: one randomBytes call per 400 ballots, not per ballot (≈ 50 bits each). */
function receipts(): () => string {
  let pool = Buffer.alloc(0);
  let at = 0;
  return () => {
    if (at + RECEIPT_LENGTH > pool.length) {
      pool = randomBytes(RECEIPT_LENGTH * 400);
      at = 0;
    }
    let r = '';
    for (let i = 0; i < RECEIPT_LENGTH; i++) r += RECEIPT_CHARS[pool[at++] & 31];
    return r;
  };
}

interface QueuedBallot {
  readonly client: Client;
  readonly m: BallotIn;
  /** Arrival time: a ballot that arrived before the deadline counts even if it is cast after it. */
  readonly at: number;
}

export function viewOf(s: VoteState): VoteView {
  const def = s.definition!;
  const hidden = def.secret && s.status === 'open';
  const result = s.closed ? passedOf(def, s.closed.outcome, s.tally) : null;
  return {
    definition: def, status: s.status, closesAt: s.closesAt, extensions: s.extensions,
    totalAreaCenti: s.snapshot!.totalAreaCenti, totalHeads: s.snapshot!.totalHeads, snapshotAt: s.snapshot!.takenAt, rules: s.rules!,
    tally: hidden ? null : s.tally,
    turnout: { areaCenti: s.tally.participatingAreaCenti, heads: s.tally.participatingHeads },
    outcome: s.closed?.outcome ?? null, passed: s.closed ? s.closed.passed : null, elected: result?.elected ?? [],
    cancelReason: s.cancelled?.reason ?? null,
  };
}

export function mineOf(s: VoteState, accountId: string): MyBallots {
  const heads = s.snapshot && Object.hasOwn(s.snapshot.accountHeads, accountId) ? s.snapshot.accountHeads[accountId] : [];
  return {
    eligible: heads.length > 0,
    heads: heads.map((head) => {
      const b = shardedGet(s.ballots, head);
      return { head, choices: b ? b.choices : null, receipt: b ? b.receipt : null };
    }),
  };
}

/** What of a vote event leaves the journal: a secret ballot's events carry no account, choice or receipt. */
/**
 * What of a vote's events leaves the journal (the bus, analytics, other nodes): a ballot without
 * who cast it, the choice or the receipt, for open and secret votes alike, so that the projection
 * depends on the record alone (a node that does not host the vote projects it the same way).
 * Who chose what in an open vote is in its closed record, for those entitled to it.
 */
function publishVote(r: JournalRecord): JournalRecord {
  const e = r.event as VoteEvent;
  if (e.type !== 'BallotCast') return r;
  return { ...r, event: { ...e, by: '', choices: [], replaces: e.replaces === null ? null : [], receipt: '' } };
}

export function defineCommonsRoom(services: RoomServices, hub: CommonsHub) {
  const voteDef = createVoteActor({ ...DEFAULT_VOTE_LIMITS, maxDurationMs: services.config.voteMaxDays * 86_400_000 });

  return class CommonsRoom extends LinliRoom<{ state: CommonsRoomState }> {
    protected readonly services = services;
    protected readonly kind = 'commons';
    private assembly!: ActorHost<AssemblyState, AssemblyCommand, AssemblyEvent, string>;
    private ledger!: ActorHost<LedgerState, LedgerCommand, LedgerEvent, string>;
    private readonly votes = new Map<string, VoteHost>();
    private readonly closing = new Set<string>();
    /** Ballots received and not yet cast, in arrival order; bounded by VOTE_MAILBOX_SIZE. */
    private inbox: QueuedBallot[] = [];
    private inboxHead = 0;
    private draining = false;
    /** Votes whose tally changed since the last patch; projected into the state right before it. */
    private readonly dirtyTallies = new Set<string>();
    private readonly paced = new PacedSends();
    private readonly newReceipt = receipts();
    private readonly records = {
      record: (voteId: string) => {
        const h = this.votes.get(voteId);
        return h && h.state.status !== 'none' ? voteRecord(h.state) : undefined;
      },
      scopeOf: (voteId: string) => this.votes.get(voteId)?.state.definition?.scope,
    };

    override async onCreate(options: { id: string }) {
      this.acceptOnlyServerCreation(options);
      if (options.id !== commonsRoomId(services.community.id)) throw new ServerError(404, `${EngineError.NOT_FOUND}: no commons ${options.id}`);
      this.roomId = options.id;
      this.autoDispose = false;
      this.patchRate = services.config.votePatchIntervalMs;
      this.state = new CommonsRoomState({ online: 0 });
      // Hosted under this room's lease in cluster mode (their actor ids are the community's).
      this.assembly = await hostActor(services, assemblyActor, services.community.id, undefined, this.roomId);
      this.ledger = await hostActor(services, createLedgerActor(), services.community.id, undefined, this.roomId);
      for (const listing of this.assembly.state.votes) {
        const host = await this.hostVote(listing.voteId);
        if (host.state.status !== 'none') this.project(listing.voteId);
      }
      this.setupInbound();
      this.clock.setInterval(() => void this.closeDue(), CLOSE_CHECK_MS);
      hub.attach(this.records);
    }

    override onDispose() {
      hub.detach(this.records);
      this.releaseRoom();
    }

    protected roomRef() {
      return { kind: 'commons', id: this.roomId } as const;
    }

    /** The snapshot at opening decides: an owner in an open vote's snapshot may enter to vote even with no unit left. */
    protected override admitsBeyondDirectory(accountId: string): boolean {
      for (const h of this.votes.values()) {
        const s = h.state;
        if (s.status === 'open' && s.snapshot && Object.hasOwn(s.snapshot.accountHeads, accountId)) return true;
      }
      return false;
    }

    protected handlers() {
      return {
        openVote: handler(openVoteIn, (c, m) => this.openVote(c, m)),
        ballot: handler(ballotIn, (c, m) => this.ballot(c, m)),
        extendVote: handler(extendVoteIn, (c, m) => this.extendVote(c, m)),
        cancelVote: handler(cancelVoteIn, (c, m) => this.cancelVote(c, m)),
        setRules: handler(setRulesIn, (c, m) => this.setRules(c, m)),
        publishLine: handler(publishLineIn, (c, m) => this.publishLine(c, m)),
        ask: handler(askIn, (c, m) => this.ask(c, m)),
        answer: handler(answerIn, (c, m) => this.answer(c, m)),
      };
    }

    /** Tallies changed by ballots are copied into the state once per patch, not once per ballot. */
    override onBeforePatch() {
      for (const voteId of this.dirtyTallies) this.project(voteId);
      this.dirtyTallies.clear();
    }

    /** The patch reaches the screens in slices (rooms/_shared/paced-sends). */
    override broadcastPatch(): boolean {
      return this.paced.patch(() => super.broadcastPatch());
    }

    override onJoin(client: Client) {
      this.paced.adopt(client);
      const me = this.member(client);
      const ledger = this.ledger.state;
      const votes = [...this.votes.values()].filter((h) => h.state.status !== 'none');
      const welcome: CommonsWelcome = {
        roomId: this.roomId, you: { id: me.accountId, name: me.displayName },
        staff: services.identity.isStaff(me.accountId), admin: this.isAdmin(me.accountId),
        rules: this.assembly.state.rules,
        votes: votes.map((h) => viewOf(h.state)),
        mine: Object.fromEntries(votes.map((h) => [h.state.definition!.voteId, mineOf(h.state, me.accountId)])),
        lines: ledger.lines, questions: Object.values(ledger.questions), totals: ledgerTotals(ledger),
        limits: { voucherMaxBytes: services.config.voucherMaxBytes, patchIntervalMs: services.config.votePatchIntervalMs, voteMaxDays: services.config.voteMaxDays },
      };
      client.send('welcome', welcome);
      this.state.online = this.clients.length;
    }

    override onLeave() {
      this.state.online = this.clients.length;
    }

    private isAdmin(accountId: string): boolean {
      return services.identity.roles(accountId).some((g) => g.role === 'property_admin');
    }

    private claims(accountId: string): RoleClaim[] {
      return services.identity.roles(accountId).map((g) => ('unitId' in g ? { role: g.role, unitId: g.unitId, buildingId: g.buildingId } : { role: g.role }));
    }

    private async hostVote(voteId: string): Promise<VoteHost> {
      let host = this.votes.get(voteId);
      if (!host) {
        const h: VoteHost = await hostActor(services, voteDef, voteId, services.config.voteMailboxSize, this.roomId, publishVote);
        host = h;
        this.votes.set(voteId, host);
      }
      return host;
    }

    /** Copies a vote's tally into the synchronised state; Colyseus sends the changes at the next patch. */
    private project(voteId: string): void {
      const s = this.votes.get(voteId)!.state;
      const hidden = s.definition!.secret && s.status === 'open';
      let live = this.state.votes.get(voteId);
      if (!live) {
        const n = s.definition!.options.length;
        live = new VoteLive({ status: s.status, closesAt: s.closesAt, ballots: 0, turnoutAreaCenti: 0, turnoutHeads: 0, totalAreaCenti: s.snapshot!.totalAreaCenti, totalHeads: s.snapshot!.totalHeads, optionAreaCenti: new ArraySchema<number>(...Array(n).fill(0)), optionHeads: new ArraySchema<number>(...Array(n).fill(0)) });
        this.state.votes.set(voteId, live);
      }
      if (live.status !== s.status) live.status = s.status;
      if (live.closesAt !== s.closesAt) live.closesAt = s.closesAt;
      if (live.turnoutHeads !== s.tally.participatingHeads) live.turnoutHeads = s.tally.participatingHeads;
      if (live.turnoutAreaCenti !== s.tally.participatingAreaCenti) live.turnoutAreaCenti = s.tally.participatingAreaCenti;
      live.ballots = s.tally.participatingHeads;
      s.tally.options.forEach((o, i) => {
        const area = hidden ? 0 : o.areaCenti;
        const heads = hidden ? 0 : o.heads;
        if (live.optionAreaCenti[i] !== area) live.optionAreaCenti[i] = area;
        if (live.optionHeads[i] !== heads) live.optionHeads[i] = heads;
      });
    }

    private changedVote(voteId: string): void {
      this.project(voteId);
      this.broadcast('vote', viewOf(this.votes.get(voteId)!.state));
    }

    private staffOnly(client: Client, key: string, code: string): boolean {
      if (services.identity.isStaff(this.member(client).accountId)) return true;
      this.fail(client, code, undefined, key);
      return false;
    }

    private async openVote(client: Client, m: OpenVoteIn): Promise<void> {
      if (!this.staffOnly(client, m.key, VoteError.NOT_STAFF)) return;
      const me = this.member(client);
      if (m.scope.kind === 'building' && !services.community.buildings.some((b) => b.residential && b.id === (m.scope as { buildingId: string }).buildingId)) {
        return this.fail(client, VoteError.BAD_DEFINITION, { field: 'scope' }, m.key);
      }
      const at = services.now();
      const voteId = idFor('vote', me.accountId, m.key);
      const rules = this.assembly.state.rules;
      const cmd: OpenVote = {
        type: 'OpenVote', voteId, by: me.accountId, byStaff: true, title: m.title, body: m.body, category: m.category, form: m.form,
        candidates: m.candidates, maxChoices: m.maxChoices, secret: m.secret, allowChange: m.allowChange, scope: m.scope, closesAt: m.closesAt,
        snapshot: snapshotFromDirectory(services.identity.directory.state, m.scope, rules, at), rules, at,
      };
      const existing = this.votes.get(voteId);
      // Checked before anything is written, so a refused vote leaves no listing behind.
      const dry = voteDef.decide(existing?.state ?? initialVote, cmd);
      if (!dry.ok) return this.fail(client, dry.code, dry.details, m.key);
      const listed = await this.assembly.submit({ type: 'ListVote', by: me.accountId, byStaff: true, vote: { voteId, title: m.title, category: m.category, scope: m.scope, at }, at });
      if (!listed.ok) return this.fail(client, listed.code, listed.details, m.key);
      const host = await this.hostVote(voteId);
      const out = await host.submit(cmd);
      if (!out.ok) return this.fail(client, out.code, out.details, m.key);
      this.changedVote(voteId);
      // Each screen learns whether its account may vote in the new vote (the snapshot decides).
      for (const c of this.clients) c.send('mine', { voteId, mine: mineOf(host.state, this.member(c).accountId) });
      client.send('ack', { ok: true, key: m.key, seq: ackSeqOf(out, host.lastSeq), voteId });
    }

    private ballot(client: Client, m: BallotIn): void {
      const host = this.votes.get(m.voteId);
      if (!host || host.state.status === 'none') return this.fail(client, VoteError.UNKNOWN_VOTE, undefined, m.key);
      if (this.inbox.length - this.inboxHead >= services.config.voteMailboxSize) {
        services.metrics.inc('commons_ballots_refused_total', 'Ballots refused because the commons inbox was full');
        return this.fail(client, EngineError.ACTOR_BUSY, { mailboxSize: services.config.voteMailboxSize }, m.key);
      }
      this.inbox.push({ client, m, at: services.now() });
      if (!this.draining) void this.drainBallots();
    }

    /**
     * Hands queued ballots to the vote actors in arrival order, a slice at a time (at most
     * BALLOT_SLICE_MS of work and BALLOT_SLICE_MAX ballots), waits for that slice's outcomes, and
     * yields to the event loop before the next slice.
     */
    private async drainBallots(): Promise<void> {
      this.draining = true;
      try {
        while (this.inboxHead < this.inbox.length) {
          const started = performance.now();
          const slice: Promise<void>[] = [];
          while (this.inboxHead < this.inbox.length && slice.length < BALLOT_SLICE_MAX && performance.now() - started <= BALLOT_SLICE_MS) {
            const job = this.inbox[this.inboxHead++];
            slice.push(this.cast(job).catch((err: unknown) => {
              this.log.error('casting a ballot threw', { err });
              this.fail(job.client, EngineError.INTERNAL, undefined, job.m.key);
            }));
          }
          await Promise.all(slice);
          if (this.inboxHead > 1024 && this.inboxHead * 2 > this.inbox.length) {
            this.inbox = this.inbox.slice(this.inboxHead);
            this.inboxHead = 0;
          }
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        this.inbox = [];
        this.inboxHead = 0;
      } finally {
        this.draining = false;
      }
    }

    private async cast({ client, m, at }: QueuedBallot): Promise<void> {
      const host = this.votes.get(m.voteId)!;
      const me = this.member(client);
      // Roles only explain a refusal; an owner in the snapshot needs none (reading them costs a directory walk per ballot).
      const inSnapshot = Object.hasOwn(host.state.snapshot?.accountHeads ?? {}, me.accountId);
      const out = await host.submit({ type: 'CastBallot', by: me.accountId, roles: inSnapshot ? [] : this.claims(me.accountId), choices: m.choices, receipt: this.newReceipt(), at }, { author: me.accountId, key: m.key });
      if (!out.ok) return this.fail(client, out.code, out.details, m.key);
      if (out.events.length > 0) this.dirtyTallies.add(m.voteId);
      client.send('ballot', { ok: true, key: m.key, voteId: m.voteId, mine: mineOf(host.state, me.accountId) });
    }

    private async extendVote(client: Client, m: ExtendVoteIn): Promise<void> {
      const host = this.votes.get(m.voteId);
      if (!host) return this.fail(client, VoteError.UNKNOWN_VOTE, undefined, m.key);
      const me = this.member(client);
      const out = await host.submit({ type: 'ExtendVote', by: me.accountId, byStaff: services.identity.isStaff(me.accountId), closesAt: m.closesAt, reason: m.reason, at: services.now() }, { author: me.accountId, key: m.key });
      if (!out.ok) return this.fail(client, out.code, out.details, m.key);
      if (out.events.length > 0) this.changedVote(m.voteId);
      this.ack(client, m.key, ackSeqOf(out, host.lastSeq));
    }

    private async cancelVote(client: Client, m: CancelVoteIn): Promise<void> {
      const host = this.votes.get(m.voteId);
      if (!host) return this.fail(client, VoteError.UNKNOWN_VOTE, undefined, m.key);
      const me = this.member(client);
      const out = await host.submit({ type: 'CancelVote', by: me.accountId, byStaff: services.identity.isStaff(me.accountId), reason: m.reason, at: services.now() }, { author: me.accountId, key: m.key });
      if (!out.ok) return this.fail(client, out.code, out.details, m.key);
      if (out.events.length > 0) this.changedVote(m.voteId);
      this.ack(client, m.key, ackSeqOf(out, host.lastSeq));
    }

    /** Submits CloseVote for every open vote whose deadline has passed, at the room's clock. */
    private async closeDue(): Promise<void> {
      // Ballots that arrived before a deadline are cast first; closing waits for the inbox.
      if (this.draining) return;
      const now = services.now();
      for (const [voteId, host] of this.votes) {
        const s = host.state;
        if (s.status !== 'open' || now < s.closesAt || this.closing.has(voteId)) continue;
        this.closing.add(voteId);
        try {
          const out = await host.submit({ type: 'CloseVote', at: now, registerChanges: registerChangesSince(s.snapshot!, services.identity.directory.state, now) });
          if (out.ok && out.events.length > 0) this.changedVote(voteId);
          else if (!out.ok && out.code !== VoteError.NOT_DUE) this.log.warn('closing a vote failed', { voteId, code: out.code });
        } finally {
          this.closing.delete(voteId);
        }
      }
    }

    private async setRules(client: Client, m: SetRulesIn): Promise<void> {
      const me = this.member(client);
      const out = await this.assembly.submit({ type: 'RecordRuleSet', by: me.accountId, byAdmin: this.isAdmin(me.accountId), rules: m.rules as never, at: services.now() });
      if (!out.ok) return this.fail(client, out.code, out.details, m.key);
      this.broadcast('rules', this.assembly.state.rules);
      this.ack(client, m.key, ackSeqOf(out, this.assembly.lastSeq));
    }

    private async publishLine(client: Client, m: PublishLineIn): Promise<void> {
      if (!this.staffOnly(client, m.key, LedgerError.NOT_STAFF)) return;
      const vouchers: VoucherRef[] = [];
      for (const v of m.vouchers) {
        const found = hub.vouchers.describe(v.sha256, v.name);
        if (!found) return this.fail(client, LedgerError.UNKNOWN_VOUCHER, { sha256: v.sha256.slice(0, 64) }, m.key);
        vouchers.push(found);
      }
      const me = this.member(client);
      const lineId = idFor('line', me.accountId, m.key);
      const out = await this.ledger.submit({
        type: 'PublishLine', lineId, by: me.accountId, byStaff: true, byName: me.displayName, month: m.month, category: m.category,
        amountFen: m.amountFen, description: m.description, vouchers, corrects: m.corrects, reason: m.reason, at: services.now(),
      });
      if (!out.ok) return this.fail(client, out.code, out.details, m.key);
      const s = this.ledger.state;
      if (out.events.length > 0) {
        this.broadcast('line', s.lines[s.lineIndex[lineId]]);
        const corrected = m.corrects === null ? undefined : s.lines[s.lineIndex[m.corrects]];
        if (corrected) this.broadcast('line', corrected);
        this.broadcast('totals', ledgerTotals(s));
      }
      client.send('ack', { ok: true, key: m.key, seq: ackSeqOf(out, this.ledger.lastSeq), lineId });
    }

    private async ask(client: Client, m: AskIn): Promise<void> {
      const me = this.member(client);
      const questionId = idFor('q', me.accountId, m.key);
      const out = await this.ledger.submit({ type: 'AskQuestion', questionId, lineId: m.lineId, by: me.accountId, byName: me.displayName, text: m.text, at: services.now() }, { author: me.accountId, key: m.key });
      if (!out.ok) return this.fail(client, out.code, out.details, m.key);
      if (out.events.length > 0) this.broadcast('question', this.ledger.state.questions[questionId]);
      client.send('ack', { ok: true, key: m.key, seq: ackSeqOf(out, this.ledger.lastSeq), questionId });
    }

    private async answer(client: Client, m: AnswerIn): Promise<void> {
      if (!this.staffOnly(client, m.key, LedgerError.NOT_STAFF)) return;
      const me = this.member(client);
      const out = await this.ledger.submit({ type: 'AnswerQuestion', questionId: m.questionId, by: me.accountId, byStaff: true, byName: me.displayName, text: m.text, at: services.now() }, { author: me.accountId, key: m.key });
      if (!out.ok) return this.fail(client, out.code, out.details, m.key);
      if (out.events.length > 0) this.broadcast('question', this.ledger.state.questions[m.questionId]);
      this.ack(client, m.key, ackSeqOf(out, this.ledger.lastSeq));
    }
  };
}
