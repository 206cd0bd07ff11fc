/**
 * @module rooms/commons/messages
 * Inbound message schemas of the commons room (owners' votes and public accounts) and the
 * shapes it sends. The client imports these types.
 *   in:  openVote · ballot · extendVote · cancelVote · setRules · publishLine · ask · answer  (each with `key`)
 *   out: welcome CommonsWelcome · vote VoteView (opened, extended, closed, cancelled)
 *        mine { voteId, mine: MyBallots } (to each screen when a vote opens) · ballot BallotAck (to the voter) · line LedgerLine · question Question · totals LedgerTotals
 *        rules RuleSet · ack { ok:true, key, seq } · error Failure
 *   state: CommonsRoomState (live tallies, patched every VOTE_PATCH_INTERVAL_MS)
 */
import { LEDGER_CATEGORIES, type LedgerCategory, type LedgerLine, type MonthTotals, type Question } from '../../actors/ledger/ledger-protocol.ts';
import { VOTE_CATEGORIES, type Outcome, type RuleSet, type Tally, type VoteCategory } from '../../actors/votes/head-count.ts';
import type { Extension, VoteDefinition, VoteForm, VoteScope, VoteStatus } from '../../actors/votes/vote-protocol.ts';
import { arrayOf, bool, int, jsonValue, nullable, object, oneOf, str, type Check } from '../_shared/validate.ts';

const key = str(64) as Check<string>;
const text = (max: number) => str(max * 4) as Check<string>;
const scope: Check<VoteScope> = (v, field) => {
  const s = v as { kind?: unknown; buildingId?: unknown } | null;
  if (s && typeof s === 'object' && s.kind === 'community' && Object.keys(s).length === 1) return { ok: true, value: { kind: 'community' } };
  if (s && typeof s === 'object' && s.kind === 'building' && typeof s.buildingId === 'string' && s.buildingId.length <= 64 && Object.keys(s).length === 2) {
    return { ok: true, value: { kind: 'building', buildingId: s.buildingId } };
  }
  return { ok: false, field, problem: "expected { kind: 'community' } or { kind: 'building', buildingId }" };
};

export type OpenVoteIn = {
  key: string; title: string; body: string; category: VoteCategory; form: VoteForm; candidates: string[]; maxChoices: number;
  secret: boolean; allowChange: boolean; scope: VoteScope; closesAt: number;
};
export const openVoteIn = object<OpenVoteIn>({
  key, title: text(100), body: text(4000), category: oneOf(VOTE_CATEGORIES), form: oneOf(['motion', 'election'] as const),
  candidates: arrayOf(text(60), 50), maxChoices: int(1, 50), secret: bool, allowChange: bool, scope, closesAt: int(0, 8.64e15),
});

export type BallotIn = { key: string; voteId: string; choices: number[] };
export const ballotIn = object<BallotIn>({ key, voteId: str(64) as Check<string>, choices: arrayOf(int(0, 49), 50) });

export type ExtendVoteIn = { key: string; voteId: string; closesAt: number; reason: string };
export const extendVoteIn = object<ExtendVoteIn>({ key, voteId: str(64) as Check<string>, closesAt: int(0, 8.64e15), reason: text(500) });

export type CancelVoteIn = { key: string; voteId: string; reason: string };
export const cancelVoteIn = object<CancelVoteIn>({ key, voteId: str(64) as Check<string>, reason: text(500) });

export type SetRulesIn = { key: string; rules: unknown };
export const setRulesIn = object<SetRulesIn>({ key, rules: jsonValue(8192) });

export type PublishLineIn = {
  key: string; month: string; category: LedgerCategory; amountFen: number; description: string;
  vouchers: { sha256: string; name: string }[]; corrects: string | null; reason: string;
};
export const publishLineIn = object<PublishLineIn>({
  key, month: str(7) as Check<string>, category: oneOf(Object.keys(LEDGER_CATEGORIES) as LedgerCategory[]), amountFen: int(1, Number.MAX_SAFE_INTEGER),
  description: text(200), vouchers: arrayOf(object<{ sha256: string; name: string }>({ sha256: str(64) as Check<string>, name: str(200) as Check<string> }), 20),
  corrects: nullable(str(64) as Check<string>), reason: text(200),
});

export type AskIn = { key: string; lineId: string; text: string };
export const askIn = object<AskIn>({ key, lineId: str(64) as Check<string>, text: text(500) });

export type AnswerIn = { key: string; questionId: string; text: string };
export const answerIn = object<AnswerIn>({ key, questionId: str(64) as Check<string>, text: text(500) });

/** A vote as a screen shows it; `tally` is null while a secret ballot is open. */
export interface VoteView {
  readonly definition: VoteDefinition;
  readonly status: VoteStatus;
  readonly closesAt: number;
  readonly extensions: readonly Extension[];
  readonly totalAreaCenti: number;
  readonly totalHeads: number;
  readonly snapshotAt: number;
  readonly rules: RuleSet;
  readonly tally: Tally | null;
  readonly turnout: { readonly areaCenti: number; readonly heads: number };
  readonly outcome: Outcome | null;
  readonly passed: boolean | null;
  readonly elected: readonly number[];
  readonly cancelReason: string | null;
}

/** What one account has cast in a vote (one entry per head it represents), and whether it may vote. */
export interface MyBallots {
  readonly eligible: boolean;
  readonly heads: readonly { readonly head: string; readonly choices: readonly number[] | null; readonly receipt: string | null }[];
}

export interface BallotAck {
  readonly ok: true;
  readonly key: string;
  readonly voteId: string;
  readonly mine: MyBallots;
}

export interface LedgerTotals {
  readonly months: readonly MonthTotals[];
  readonly all: MonthTotals;
}

export interface CommonsWelcome {
  readonly roomId: string;
  readonly you: { readonly id: string; readonly name: string };
  readonly staff: boolean;
  readonly admin: boolean;
  readonly rules: RuleSet;
  readonly votes: readonly VoteView[];
  readonly mine: Readonly<Record<string, MyBallots>>;
  readonly lines: readonly LedgerLine[];
  readonly questions: readonly Question[];
  readonly totals: LedgerTotals;
  readonly limits: { readonly voucherMaxBytes: number; readonly patchIntervalMs: number; readonly voteMaxDays: number };
}
