/**
 * @module client/commons/use-commons-room
 * Preact hook for the community's commons room: owners' votes with live tallies, and the public
 * accounts (lines, totals, questions). Joins `commons-<community>` through a RoomLink; keeps the
 * welcome's data, folds `vote`, `ballot`, `line`, `question`, `totals` and `rules` messages into it,
 * and reads live tallies from the room state (patched every VOTE_PATCH_INTERVAL_MS, so a burst of
 * ballots costs this page a few renders, not one per ballot).
 * Owns: the client side of the commons protocol; sends with idempotency keys and the reply (ack,
 * ballot or a keyed error) per key. Does not: render.
 * Ordering: `welcome` is registered first in `attach` (see chat/use-chat-room).
 */
import type { Room } from '@colyseus/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RoomContext } from '../chat/use-chat-room.ts';
import { idempotencyKey } from '../chat/use-chat-room.ts';
import { RoomLink, type LinkState } from '../connection.ts';
import type { BallotAck, CommonsWelcome, Failure, JoinOptions, LedgerLine, LedgerTotals, MyBallots, Question, RuleSet, VoteView } from '../protocol.ts';

/** `room.state.toJSON().votes[voteId]` (rooms/commons/commons-state.ts). */
export interface VoteLiveJson {
  readonly status: string;
  readonly closesAt: number;
  readonly turnoutAreaCenti: number;
  readonly turnoutHeads: number;
  readonly totalAreaCenti: number;
  readonly totalHeads: number;
  readonly optionAreaCenti: readonly number[];
  readonly optionHeads: readonly number[];
}

/** What became of a send: the room's answer to its key. */
export type Reply = { readonly ok: true; readonly message: Record<string, unknown> } | { readonly ok: false; readonly failure: Failure };

export interface CommonsView {
  readonly status: LinkState;
  readonly denied: Failure | null;
  readonly ready: boolean;
  readonly staff: boolean;
  readonly admin: boolean;
  readonly rules: RuleSet | null;
  /** Newest first. */
  readonly votes: readonly VoteView[];
  readonly live: Readonly<Record<string, VoteLiveJson>>;
  readonly mine: Readonly<Record<string, MyBallots>>;
  readonly lines: readonly LedgerLine[];
  readonly questions: readonly Question[];
  readonly totals: LedgerTotals | null;
  readonly limits: CommonsWelcome['limits'] | null;
  /** Sends a command with a fresh key; resolves with the room's answer (or a not-confirmed failure after 15 s). */
  send(type: string, payload: Record<string, unknown>): Promise<Reply>;
}

export const NOT_CONFIRMED: Failure = {
  ok: false, code: 'CLIENT_NOT_CONFIRMED', retryable: true,
  message: { 'zh-CN': '操作未确认，请稍后查看或重试', en: 'Not confirmed; check again shortly or retry' },
};
const REPLY_TIMEOUT_MS = 15_000;
const EMPTY: readonly never[] = [];

function upsert<T>(list: readonly T[], item: T, same: (a: T) => boolean): T[] {
  return list.some(same) ? list.map((x) => (same(x) ? item : x)) : [...list, item];
}

export function useCommonsRoom(ctx: RoomContext, roomId: string | null, options: JoinOptions): CommonsView {
  const [status, setStatus] = useState<LinkState>('idle');
  const [denied, setDenied] = useState<Failure | null>(null);
  const [welcome, setWelcome] = useState<CommonsWelcome | null>(null);
  const [votes, setVotes] = useState<readonly VoteView[]>(EMPTY);
  const [live, setLive] = useState<Readonly<Record<string, VoteLiveJson>>>({});
  const [mine, setMine] = useState<Readonly<Record<string, MyBallots>>>({});
  const [lines, setLines] = useState<readonly LedgerLine[]>(EMPTY);
  const [questions, setQuestions] = useState<readonly Question[]>(EMPTY);
  const [totals, setTotals] = useState<LedgerTotals | null>(null);
  const [rules, setRules] = useState<RuleSet | null>(null);
  const link = useRef<RoomLink | null>(null);
  const waiting = useRef(new Map<string, (r: Reply) => void>());
  const lang = useRef(options.lang);
  lang.current = options.lang;

  useEffect(() => {
    setWelcome(null);
    setStatus('idle');
    setDenied(null);
    if (!roomId) return;
    const settle = (key: unknown, r: Reply) => {
      const done = typeof key === 'string' ? waiting.current.get(key) : undefined;
      if (!done) return false;
      waiting.current.delete(key as string);
      done(r);
      return true;
    };
    const attach = (room: Room) => {
      room.onMessage('welcome', (w: CommonsWelcome) => {
        setWelcome(w);
        setVotes(w.votes);
        setMine(w.mine);
        setLines(w.lines);
        setQuestions(w.questions);
        setTotals(w.totals);
        setRules(w.rules);
      });
      room.onMessage('vote', (v: VoteView) => setVotes((cur) => upsert(cur, v, (x) => x.definition.voteId === v.definition.voteId)));
      room.onMessage('mine', (m: { voteId: string; mine: MyBallots }) => setMine((cur) => ({ ...cur, [m.voteId]: m.mine })));
      room.onMessage('ballot', (b: BallotAck) => {
        setMine((cur) => ({ ...cur, [b.voteId]: b.mine }));
        settle(b.key, { ok: true, message: b as unknown as Record<string, unknown> });
      });
      room.onMessage('line', (l: LedgerLine) => setLines((cur) => upsert(cur, l, (x) => x.lineId === l.lineId)));
      room.onMessage('question', (q: Question) => setQuestions((cur) => upsert(cur, q, (x) => x.questionId === q.questionId)));
      room.onMessage('totals', (t: LedgerTotals) => setTotals(t));
      room.onMessage('rules', (r: RuleSet) => setRules(r));
      room.onMessage('ack', (a: Record<string, unknown>) => settle(a.key, { ok: true, message: a }));
      room.onMessage('error', (f: Failure) => settle(f.key, { ok: false, failure: f }));
      const read = () => {
        const json = (room.state as { toJSON?: () => { votes?: Record<string, VoteLiveJson> } } | undefined)?.toJSON?.();
        if (json?.votes) setLive({ ...json.votes });
      };
      room.onStateChange(read);
      read();
    };
    const current = new RoomLink(ctx.client, roomId, ctx.auth, { ...options, lang: lang.current }, { attach, onState: setStatus, onDenied: setDenied, onContact: (n) => ctx.onContact?.(n) });
    link.current = current;
    current.start();
    return () => {
      link.current = null;
      for (const done of waiting.current.values()) done({ ok: false, failure: NOT_CONFIRMED });
      waiting.current.clear();
      void current.close();
    };
  }, [ctx.client, ctx.auth, roomId]);

  const send = (type: string, payload: Record<string, unknown>): Promise<Reply> => {
    const key = idempotencyKey();
    const active = link.current;
    if (!active || !active.send(type, { ...payload, key })) return Promise.resolve({ ok: false, failure: NOT_CONFIRMED });
    return new Promise((resolve) => {
      waiting.current.set(key, resolve);
      setTimeout(() => {
        if (waiting.current.delete(key)) resolve({ ok: false, failure: { ...NOT_CONFIRMED, key } });
      }, REPLY_TIMEOUT_MS);
    });
  };

  const sorted = [...votes].sort((a, b) => b.definition.openedAt - a.definition.openedAt);
  return {
    status, denied, ready: welcome !== null, staff: welcome?.staff ?? false, admin: welcome?.admin ?? false, rules,
    votes: sorted, live, mine, lines, questions, totals, limits: welcome?.limits ?? null, send,
  };
}
