/**
 * @module actors/votes/vote
 * One owners' vote as a pure state machine: staff open it with the register snapshot and the
 * rule set in force; owners of record in the snapshot cast one ballot per head (a change replaces
 * it when the vote allows); staff may extend or cancel it; the room's timer closes it at the
 * deadline, which fixes the tally and the outcome for good.
 * Owns: eligibility against the snapshot, ballot rules, the running tally. Does not: read the
 * live register (the room passes the snapshot at opening and the caller's roles), keep time.
 * Concurrency: pure; the engine feeds one command at a time, so parallel duplicates of one ballot
 * are decided one after another: the first counts, the others change nothing.
 * Overflow: ballots are bounded by the snapshot's heads; the state holds them in shards
 * (actors/_kit/sharded) so one ballot costs one shard copy, not a copy of all ballots.
 */
import { accept, assertNever, cleanText, codePointLength, defineActor, hasLoneSurrogate, reject, shardedEmpty, shardedGet, shardedSet, type Decision } from '../_kit/index.ts';
import { emptyTally, outcomeOf, retally, ruleSetProblem, VOTE_CATEGORIES, type Outcome, type Tally } from './head-count.ts';
import { VoteError, type VoteErrorCode } from './vote-errors.ts';
import {
  MOTION_OPTIONS, type Ballot, type BallotCast, type CastBallot, type LocalizedText, type OpenVote, type RoleClaim, type VoteCommand,
  type VoteDefinition, type VoteEvent, type VoteLimits, type VoteState,
} from './vote-protocol.ts';

export const DEFAULT_VOTE_LIMITS: VoteLimits = {
  titleMaxChars: 100,
  bodyMaxChars: 4000,
  maxCandidates: 50,
  candidateMaxChars: 60,
  reasonMaxChars: 500,
  maxDurationMs: 180 * 86_400_000,
};

export const initialVote: VoteState = {
  status: 'none', definition: null, closesAt: 0, snapshot: null, rules: null, ballots: shardedEmpty(),
  tally: emptyTally(0), extensions: [], closed: null, cancelled: null,
};

type D = Decision<VoteEvent, VoteErrorCode>;

const RECEIPT = /^[A-Z0-9]{8,32}$/;
const VOTE_ID = /^[a-z0-9][a-z0-9-]{2,63}$/;

function textProblem(s: unknown, max: number, min = 1): boolean {
  return typeof s !== 'string' || hasLoneSurrogate(s) || cleanText(s).trim().length < min || codePointLength(s) > max;
}

function definitionProblem(c: OpenVote, l: VoteLimits): string | null {
  if (typeof c.voteId !== 'string' || !VOTE_ID.test(c.voteId)) return 'voteId';
  if (textProblem(c.title, l.titleMaxChars)) return 'title';
  if (textProblem(c.body, l.bodyMaxChars, 0)) return 'body';
  if (!(VOTE_CATEGORIES as readonly string[]).includes(c.category)) return 'category';
  if (typeof c.secret !== 'boolean') return 'secret';
  if (typeof c.allowChange !== 'boolean') return 'allowChange';
  const scope = c.scope as { kind?: unknown; buildingId?: unknown } | null;
  if (!scope || !(scope.kind === 'community' || (scope.kind === 'building' && typeof scope.buildingId === 'string' && scope.buildingId.length > 0))) return 'scope';
  if (c.form === 'motion') return c.maxChoices === 1 ? null : 'maxChoices';
  if (c.form !== 'election') return 'form';
  const cands = c.candidates;
  if (!Array.isArray(cands) || cands.length < 1 || cands.length > l.maxCandidates || cands.some((x) => textProblem(x, l.candidateMaxChars))) return 'candidates';
  if (new Set(cands.map((x) => cleanText(x).trim())).size !== cands.length) return 'candidates';
  if (!Number.isInteger(c.maxChoices) || c.maxChoices < 1 || c.maxChoices > cands.length) return 'maxChoices';
  return null;
}

function optionsOf(c: OpenVote): LocalizedText[] {
  if (c.form === 'motion') return [...MOTION_OPTIONS];
  return c.candidates.map((x) => {
    const name = cleanText(x).trim();
    return { 'zh-CN': name, en: name };
  });
}

function decideOpen(s: VoteState, c: OpenVote, l: VoteLimits): D {
  if (s.status !== 'none') return s.definition?.voteId === c.voteId ? accept() : reject(VoteError.ALREADY_EXISTS); // a retry of the opening
  if (c.byStaff !== true) return reject(VoteError.NOT_STAFF);
  const field = definitionProblem(c, l);
  if (field) return reject(VoteError.BAD_DEFINITION, { field });
  const rulesField = ruleSetProblem(c.rules);
  if (rulesField) return reject(VoteError.BAD_RULES, { field: rulesField });
  if (!Number.isFinite(c.closesAt) || c.closesAt <= c.at || c.closesAt - c.at > l.maxDurationMs) return reject(VoteError.BAD_DEADLINE, { maxDurationMs: l.maxDurationMs });
  if (!c.snapshot || c.snapshot.totalHeads === 0) return reject(VoteError.EMPTY_REGISTER);
  const definition: VoteDefinition = {
    voteId: c.voteId, title: cleanText(c.title).trim(), body: cleanText(c.body).trim(), category: c.category, form: c.form,
    options: optionsOf(c), maxChoices: c.maxChoices, secret: c.secret, allowChange: c.allowChange,
    scope: c.scope.kind === 'building' ? { kind: 'building', buildingId: c.scope.buildingId } : { kind: 'community' },
    openedBy: c.by, openedAt: c.at,
  };
  return accept({ type: 'VoteOpened', v: 1, definition, closesAt: c.closesAt, snapshot: c.snapshot, rules: c.rules, at: c.at });
}

/** Why an account outside the snapshot may not vote, read from the roles it holds now. */
function refusalOf(s: VoteState, roles: readonly RoleClaim[]): D {
  const def = s.definition!;
  const owned = roles.filter((r) => r.role === 'owner');
  const inSnapshot = new Set(s.snapshot!.units.map((u) => u.id));
  const inScope = owned.filter((r) => def.scope.kind === 'community' || r.buildingId === (def.scope as { buildingId: string }).buildingId);
  if (inScope.length > 0) {
    // An owner now, but not when the vote opened (a transfer, a unit registered later).
    const unit = inScope.find((r) => r.unitId !== undefined && inSnapshot.has(r.unitId))?.unitId ?? inScope[0].unitId ?? null;
    return reject(VoteError.NOT_IN_SNAPSHOT, { snapshotAt: s.snapshot!.takenAt, unitId: unit });
  }
  if (owned.length > 0) return reject(VoteError.OUT_OF_SCOPE);
  return reject(VoteError.NOT_OWNER, { role: roles[0]?.role ?? null });
}

function choiceProblem(def: VoteDefinition, choices: unknown): boolean {
  if (!Array.isArray(choices) || choices.length < 1 || choices.length > def.maxChoices) return true;
  if (choices.some((i) => !Number.isInteger(i) || i < 0 || i >= def.options.length)) return true;
  return new Set(choices).size !== choices.length;
}

const sameChoices = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function decideCast(s: VoteState, c: CastBallot): D {
  if (s.status === 'none') return reject(VoteError.NOT_OPEN);
  if (s.status !== 'open' || c.at >= s.closesAt) return reject(VoteError.CLOSED);
  const def = s.definition!;
  if (choiceProblem(def, c.choices)) return reject(VoteError.BAD_CHOICE, { options: def.options.length, maxChoices: def.maxChoices });
  if (typeof c.receipt !== 'string' || !RECEIPT.test(c.receipt)) return reject(VoteError.BAD_CHOICE, { field: 'receipt' });
  const heads = Object.hasOwn(s.snapshot!.accountHeads, c.by) ? s.snapshot!.accountHeads[c.by] : undefined;
  if (!heads || heads.length === 0) return refusalOf(s, c.roles);
  const choices = [...c.choices].sort((a, b) => a - b);
  const events: BallotCast[] = [];
  let refused: Ballot | null = null;
  heads.forEach((head, i) => {
    const current = shardedGet(s.ballots, head);
    if (current && sameChoices(current.choices, choices)) return; // the same ballot again: nothing changes
    if (current && !def.allowChange) {
      refused = current;
      return;
    }
    const receipt = heads.length === 1 ? c.receipt : `${c.receipt}${i + 1}`;
    events.push({ type: 'BallotCast', v: 1, head, by: c.by, choices, replaces: current ? current.choices : null, receipt, at: c.at });
  });
  if (events.length === 0 && refused !== null) return reject(VoteError.ALREADY_VOTED, { castAt: (refused as Ballot).at });
  return accept(...events);
}

function decideWith(l: VoteLimits, s: VoteState, c: VoteCommand): D {
  switch (c.type) {
    case 'OpenVote': return decideOpen(s, c, l);
    case 'CastBallot': return decideCast(s, c);
    case 'ExtendVote': {
      if (s.status === 'none') return reject(VoteError.NOT_OPEN);
      if (c.byStaff !== true) return reject(VoteError.NOT_STAFF);
      if (s.status !== 'open' || c.at >= s.closesAt) return reject(VoteError.CLOSED);
      if (textProblem(c.reason, l.reasonMaxChars)) return reject(VoteError.BAD_REASON, { maxChars: l.reasonMaxChars });
      if (!Number.isFinite(c.closesAt) || c.closesAt <= s.closesAt || c.closesAt - s.definition!.openedAt > l.maxDurationMs) {
        return reject(VoteError.BAD_DEADLINE, { maxDurationMs: l.maxDurationMs, closesAt: s.closesAt });
      }
      return accept({ type: 'VoteExtended', v: 1, by: c.by, from: s.closesAt, to: c.closesAt, reason: cleanText(c.reason).trim(), at: c.at });
    }
    case 'CloseVote': {
      if (s.status === 'none') return reject(VoteError.NOT_OPEN);
      if (s.status === 'closed') return accept(); // the timer may fire twice
      if (s.status === 'cancelled') return reject(VoteError.CLOSED);
      if (c.at < s.closesAt) return reject(VoteError.NOT_DUE, { closesAt: s.closesAt });
      const outcome = outcomeOf(s.snapshot!, s.tally, s.definition!.category, s.rules!);
      return accept({ type: 'VoteClosed', v: 1, tally: s.tally, outcome, passed: passedOf(s.definition!, outcome, s.tally).passed, registerChanges: c.registerChanges, at: c.at });
    }
    case 'CancelVote': {
      if (s.status === 'none') return reject(VoteError.NOT_OPEN);
      if (c.byStaff !== true) return reject(VoteError.NOT_STAFF);
      if (s.status !== 'open') return reject(VoteError.CLOSED);
      if (textProblem(c.reason, l.reasonMaxChars)) return reject(VoteError.BAD_REASON, { maxChars: l.reasonMaxChars });
      return accept({ type: 'VoteCancelled', v: 1, by: c.by, reason: cleanText(c.reason).trim(), at: c.at });
    }
    default: return assertNever(c);
  }
}

/**
 * Whether the vote passed, and which candidates are elected: a motion passes when `agree`
 * (option 0) is approved; an election elects the approved candidates, at most `maxChoices`,
 * by area, then heads, then ballot order.
 */
export function passedOf(def: VoteDefinition, outcome: Outcome, tally: Tally): { passed: boolean; elected: number[] } {
  if (def.form === 'motion') return { passed: outcome.options[0]?.ok === true, elected: [] };
  const elected = outcome.options.map((o, i) => ({ ok: o.ok, i, t: tally.options[i] }))
    .filter((x) => x.ok)
    .sort((a, b) => b.t.areaCenti - a.t.areaCenti || b.t.heads - a.t.heads || a.i - b.i)
    .slice(0, def.maxChoices)
    .map((x) => x.i);
  return { passed: elected.length > 0, elected };
}

function evolve(s: VoteState, e: VoteEvent): VoteState {
  switch (e.type) {
    case 'VoteOpened':
      return { ...s, status: 'open', definition: e.definition, closesAt: e.closesAt, snapshot: e.snapshot, rules: e.rules, tally: emptyTally(e.definition.options.length) };
    case 'BallotCast': {
      const head = s.snapshot && Object.hasOwn(s.snapshot.heads, e.head) ? s.snapshot.heads[e.head] : undefined;
      if (!head) return s;
      const current = shardedGet(s.ballots, e.head);
      const ballot: Ballot = { head: e.head, by: e.by, choices: e.choices, receipt: e.receipt, at: e.at, replaced: current ? [...current.replaced, current.receipt] : [] };
      return { ...s, ballots: shardedSet(s.ballots, e.head, ballot), tally: retally(s.tally, head.areaCenti, current ? current.choices : null, e.choices) };
    }
    case 'VoteExtended':
      return { ...s, closesAt: e.to, extensions: [...s.extensions, { by: e.by, from: e.from, to: e.to, reason: e.reason, at: e.at }] };
    case 'VoteClosed':
      return { ...s, status: 'closed', closed: { at: e.at, outcome: e.outcome, passed: e.passed, registerChanges: e.registerChanges } };
    case 'VoteCancelled':
      return { ...s, status: 'cancelled', cancelled: { at: e.at, by: e.by, reason: e.reason } };
    default: return s; // unknown (future) versions leave the state unchanged; evolve never throws
  }
}

/**
 * The actor of one vote.
 * @example createVoteActor().decide(initialVote, openVoteCommand)
 */
export function createVoteActor(limits: VoteLimits = DEFAULT_VOTE_LIMITS) {
  return defineActor({
    type: 'vote',
    initial: initialVote,
    decide: (s: VoteState, c: VoteCommand): D => decideWith(limits, s, c),
    evolve,
  });
}
