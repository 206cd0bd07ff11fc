/**
 * @module actors/votes/vote-protocol
 * Commands, events and state of one owners' vote (业主共同决定), from opening to its closed
 * record. Types only; the client imports this file.
 * Every command carries `at`; the caller's account (`by`), its current roles and whether it is
 * property staff are filled in by the room after authentication, never by a client. Receipts
 * (random) arrive in the command too: actors have no randomness.
 */
import type { OptionTally, Outcome, RegisterSnapshot, RuleSet, Tally, VoteCategory } from './head-count.ts';
import type { Sharded } from '../_kit/sharded.ts';

export interface LocalizedText {
  readonly 'zh-CN': string;
  readonly en: string;
}

/** Who the vote is for: every owner of the community, or the owners of one building. */
export type VoteScope = { readonly kind: 'community' } | { readonly kind: 'building'; readonly buildingId: string };

/**
 * `motion`: one choice of agree / oppose / abstain (同意/反对/弃权); it passes when `agree` is
 * approved. `election`: up to `maxChoices` candidates; each candidate is elected when approved.
 */
export type VoteForm = 'motion' | 'election';

export const MOTION_OPTIONS: readonly LocalizedText[] = [
  { 'zh-CN': '同意', en: 'Agree' },
  { 'zh-CN': '反对', en: 'Oppose' },
  { 'zh-CN': '弃权', en: 'Abstain' },
];

/** A role the caller holds now, as the room read it from the directory. */
export type RoleClaim = { readonly role: string; readonly unitId?: string; readonly buildingId?: string };

export interface VoteDefinition {
  readonly voteId: string;
  readonly title: string;
  readonly body: string;
  readonly category: VoteCategory;
  readonly form: VoteForm;
  /** Option labels; a motion's are MOTION_OPTIONS. */
  readonly options: readonly LocalizedText[];
  readonly maxChoices: number;
  /** Secret ballot: nobody sees who chose what; each owner gets a receipt to check the record. */
  readonly secret: boolean;
  /** An owner may replace their ballot until the vote closes. */
  readonly allowChange: boolean;
  readonly scope: VoteScope;
  readonly openedBy: string;
  readonly openedAt: number;
}

// --- commands

export type OpenVote = {
  type: 'OpenVote'; voteId: string; by: string; byStaff: boolean;
  title: string; body: string; category: VoteCategory; form: VoteForm;
  /** Candidates of an election (plain text); ignored for a motion. */
  candidates: readonly string[]; maxChoices: number;
  secret: boolean; allowChange: boolean; scope: VoteScope; closesAt: number;
  snapshot: RegisterSnapshot; rules: RuleSet; at: number;
};
export type CastBallot = {
  type: 'CastBallot'; by: string; roles: readonly RoleClaim[];
  /** Option indices. */
  choices: readonly number[];
  /** A fresh random code per ballot (the room makes it); shown to the owner, listed in a secret ballot's record. */
  receipt: string; at: number;
};
export type ExtendVote = { type: 'ExtendVote'; by: string; byStaff: boolean; closesAt: number; reason: string; at: number };
/** Sent by the room's timer once `at` has reached the deadline; the actor refuses it earlier. */
export type CloseVote = { type: 'CloseVote'; at: number; registerChanges: readonly RegisterChange[] };
export type CancelVote = { type: 'CancelVote'; by: string; byStaff: boolean; reason: string; at: number };

export type VoteCommand = OpenVote | CastBallot | ExtendVote | CloseVote | CancelVote;

/** A unit whose owners differ, at closing, from the snapshot taken at opening. */
export interface RegisterChange {
  readonly unitId: string;
  readonly ownersAtOpening: number;
  readonly ownersNow: number;
}

// --- events

export type VoteOpened = {
  type: 'VoteOpened'; v: 1; definition: VoteDefinition; closesAt: number;
  snapshot: RegisterSnapshot; rules: RuleSet; at: number;
};
export type BallotCast = {
  type: 'BallotCast'; v: 1; head: string; by: string; choices: readonly number[];
  /** The choices it replaces (a change), or null for a first ballot. */
  replaces: readonly number[] | null;
  receipt: string; at: number;
};
export type VoteExtended = { type: 'VoteExtended'; v: 1; by: string; from: number; to: number; reason: string; at: number };
export type VoteClosed = { type: 'VoteClosed'; v: 1; tally: Tally; outcome: Outcome; passed: boolean; registerChanges: readonly RegisterChange[]; at: number };
export type VoteCancelled = { type: 'VoteCancelled'; v: 1; by: string; reason: string; at: number };

export type VoteEvent = VoteOpened | BallotCast | VoteExtended | VoteClosed | VoteCancelled;

// --- state

export interface Ballot {
  readonly head: string;
  readonly by: string;
  readonly choices: readonly number[];
  readonly receipt: string;
  readonly at: number;
  /** Receipts of ballots this one replaced (secret ballots list them as superseded). */
  readonly replaced: readonly string[];
}

export interface Extension {
  readonly by: string;
  readonly from: number;
  readonly to: number;
  readonly reason: string;
  readonly at: number;
}

export type VoteStatus = 'none' | 'open' | 'closed' | 'cancelled';

export type VoteState = Readonly<{
  status: VoteStatus;
  definition: VoteDefinition | null;
  closesAt: number;
  snapshot: RegisterSnapshot | null;
  rules: RuleSet | null;
  /** By head. */
  ballots: Sharded<Ballot>;
  tally: Tally;
  extensions: readonly Extension[];
  closed: { readonly at: number; readonly outcome: Outcome; readonly passed: boolean; readonly registerChanges: readonly RegisterChange[] } | null;
  cancelled: { readonly at: number; readonly by: string; readonly reason: string } | null;
}>;

export interface VoteLimits {
  readonly titleMaxChars: number;
  readonly bodyMaxChars: number;
  readonly maxCandidates: number;
  readonly candidateMaxChars: number;
  readonly reasonMaxChars: number;
  /** Longest a vote may stay open (including extensions), ms. */
  readonly maxDurationMs: number;
}

export type { OptionTally, Outcome, RegisterSnapshot, RuleSet, Tally, VoteCategory };
