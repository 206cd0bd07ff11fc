/**
 * @module actors/votes/assembly
 * The owners' assembly of one community (业主大会) as a pure state machine: the rule set votes
 * are counted by (the default, or a local rule a property admin records), and the index of its
 * votes, so the room knows which vote actors to activate after a restart.
 * Owns: the current rule set and the list of votes. Does not: hold ballots (each vote is its own
 * actor, actors/votes/vote.ts). Concurrency: pure; one command at a time.
 */
import { accept, assertNever, defineActor, reject, type Decision } from '../_kit/index.ts';
import { DEFAULT_RULE_SET, ruleSetProblem, type RuleSet } from './head-count.ts';
import { VoteError, type VoteErrorCode } from './vote-errors.ts';
import type { VoteCategory, VoteScope } from './vote-protocol.ts';

export interface VoteListing {
  readonly voteId: string;
  readonly title: string;
  readonly category: VoteCategory;
  readonly scope: VoteScope;
  readonly at: number;
}

export type AssemblyCommand =
  | { type: 'RecordRuleSet'; by: string; byAdmin: boolean; rules: RuleSet; at: number }
  | { type: 'ListVote'; by: string; byStaff: boolean; vote: VoteListing; at: number };
export type AssemblyEvent =
  | { type: 'RuleSetRecorded'; v: 1; by: string; rules: RuleSet; at: number }
  | { type: 'VoteListed'; v: 1; by: string; vote: VoteListing; at: number };
export type AssemblyState = Readonly<{ rules: RuleSet; ruleHistory: readonly { readonly id: string; readonly by: string; readonly at: number }[]; votes: readonly VoteListing[] }>;

export const initialAssembly: AssemblyState = { rules: DEFAULT_RULE_SET, ruleHistory: [], votes: [] };

/** Votes one community keeps in its index; beyond it ListVote is refused (VOTE_BAD_DEFINITION). */
export const MAX_VOTES_LISTED = 5_000;

function decide(s: AssemblyState, c: AssemblyCommand): Decision<AssemblyEvent, VoteErrorCode> {
  switch (c.type) {
    case 'RecordRuleSet': {
      if (c.byAdmin !== true) return reject(VoteError.NOT_STAFF);
      const field = ruleSetProblem(c.rules);
      if (field) return reject(VoteError.BAD_RULES, { field });
      return accept({ type: 'RuleSetRecorded', v: 1, by: c.by, rules: c.rules, at: c.at });
    }
    case 'ListVote':
      if (c.byStaff !== true) return reject(VoteError.NOT_STAFF);
      if (s.votes.some((v) => v.voteId === c.vote.voteId)) return accept();
      if (s.votes.length >= MAX_VOTES_LISTED) return reject(VoteError.BAD_DEFINITION, { field: 'voteId', max: MAX_VOTES_LISTED });
      return accept({ type: 'VoteListed', v: 1, by: c.by, vote: c.vote, at: c.at });
    default: return assertNever(c);
  }
}

function evolve(s: AssemblyState, e: AssemblyEvent): AssemblyState {
  switch (e.type) {
    case 'RuleSetRecorded': return { ...s, rules: e.rules, ruleHistory: [...s.ruleHistory, { id: e.rules.id, by: e.by, at: e.at }] };
    case 'VoteListed': return { ...s, votes: [...s.votes, e.vote] };
    default: return s;
  }
}

export const assemblyActor = defineActor({ type: 'assembly', initial: initialAssembly, decide, evolve });
