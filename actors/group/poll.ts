/**
 * @module actors/group/poll
 * Simple polls and sign-ups of a group (群投票、报名): one account, one answer, whatever units or
 * floor area it holds. Owners' votes that count by area and head are actors/votes, not this.
 * Owns: poll rules (options, capacity of a sign-up, deadline, one answer per account). Pure.
 * Overflow: polls kept per group are capped (GROUP_BAD_POLL beyond `maxPolls`); answers are
 * bounded by the group's members.
 */
import { accept, cleanText, codePointLength, hasLoneSurrogate, reject, type Decision } from '../_kit/index.ts';
import { GroupError, type GroupErrorCode } from './errors.ts';

export type OpenPoll = {
  type: 'OpenPoll'; pollId: string; by: string; byName: string; question: string; options: readonly string[];
  /** A sign-up takes at most `capacity` answers in total; null: no limit (a poll). */
  capacity: number | null; closesAt: number; at: number;
};
export type AnswerPoll = { type: 'AnswerPoll'; pollId: string; by: string; choice: number; at: number };
export type PollOpened = { type: 'PollOpened'; v: 1; pollId: string; by: string; byName: string; question: string; options: readonly string[]; capacity: number | null; closesAt: number; at: number };
export type PollAnswered = { type: 'PollAnswered'; v: 1; pollId: string; by: string; choice: number; at: number };

export interface Poll {
  readonly pollId: string;
  readonly by: string;
  readonly byName: string;
  readonly question: string;
  readonly options: readonly string[];
  readonly capacity: number | null;
  readonly closesAt: number;
  readonly at: number;
  readonly counts: readonly number[];
  /** Account → its one answer. */
  readonly answers: Readonly<Record<string, number>>;
}

export interface PollLimits {
  readonly maxPolls: number;
  readonly maxOptions: number;
  readonly textMaxChars: number;
}

export const DEFAULT_POLL_LIMITS: PollLimits = { maxPolls: 200, maxOptions: 20, textMaxChars: 200 };

const bad = (s: unknown, max: number) => typeof s !== 'string' || hasLoneSurrogate(s) || cleanText(s).trim() === '' || codePointLength(s) > max;
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;

export function decideOpenPoll(polls: Readonly<Record<string, Poll>>, c: OpenPoll, l: PollLimits): Decision<PollOpened, GroupErrorCode> {
  if (typeof c.pollId !== 'string' || !ID.test(c.pollId)) return reject(GroupError.BAD_POLL, { field: 'pollId' });
  if (Object.hasOwn(polls, c.pollId)) return polls[c.pollId].by === c.by ? accept() : reject(GroupError.BAD_POLL, { field: 'pollId' });
  if (Object.keys(polls).length >= l.maxPolls) return reject(GroupError.BAD_POLL, { field: 'pollId', maxPolls: l.maxPolls });
  if (bad(c.question, l.textMaxChars)) return reject(GroupError.BAD_POLL, { field: 'question' });
  if (!Array.isArray(c.options) || c.options.length < 1 || c.options.length > l.maxOptions || c.options.some((o) => bad(o, l.textMaxChars))) return reject(GroupError.BAD_POLL, { field: 'options' });
  if (c.capacity !== null && (!Number.isInteger(c.capacity) || c.capacity < 1)) return reject(GroupError.BAD_POLL, { field: 'capacity' });
  if (!Number.isFinite(c.closesAt) || c.closesAt <= c.at) return reject(GroupError.BAD_POLL, { field: 'closesAt' });
  return accept({ type: 'PollOpened', v: 1, pollId: c.pollId, by: c.by, byName: c.byName, question: cleanText(c.question).trim(), options: c.options.map((o) => cleanText(o).trim()), capacity: c.capacity, closesAt: c.closesAt, at: c.at });
}

export function decideAnswerPoll(polls: Readonly<Record<string, Poll>>, c: AnswerPoll): Decision<PollAnswered, GroupErrorCode> {
  const p = Object.hasOwn(polls, c.pollId) ? polls[c.pollId] : undefined;
  if (!p) return reject(GroupError.UNKNOWN_POLL);
  if (c.at >= p.closesAt) return reject(GroupError.POLL_CLOSED);
  if (!Number.isInteger(c.choice) || c.choice < 0 || c.choice >= p.options.length) return reject(GroupError.BAD_POLL, { field: 'choice' });
  const mine = Object.hasOwn(p.answers, c.by) ? p.answers[c.by] : undefined;
  if (mine !== undefined) return mine === c.choice ? accept() : reject(GroupError.POLL_ANSWERED, { choice: mine });
  if (p.capacity !== null && Object.keys(p.answers).length >= p.capacity) return reject(GroupError.POLL_FULL, { capacity: p.capacity });
  return accept({ type: 'PollAnswered', v: 1, pollId: c.pollId, by: c.by, choice: c.choice, at: c.at });
}

export function evolvePoll(polls: Readonly<Record<string, Poll>>, e: PollOpened | PollAnswered): Readonly<Record<string, Poll>> {
  if (e.type === 'PollOpened') {
    if (Object.hasOwn(polls, e.pollId)) return polls;
    const { type: _t, v: _v, ...rest } = e;
    return { ...polls, [e.pollId]: { ...rest, counts: e.options.map(() => 0), answers: {} } };
  }
  const p = Object.hasOwn(polls, e.pollId) ? polls[e.pollId] : undefined;
  if (!p || Object.hasOwn(p.answers, e.by)) return polls;
  return { ...polls, [e.pollId]: { ...p, counts: p.counts.map((n, i) => (i === e.choice ? n + 1 : n)), answers: { ...p.answers, [e.by]: e.choice } } };
}

/** A poll as screens see it: counts, not who answered what. */
export function pollView(p: Poll, accountId: string) {
  return { pollId: p.pollId, byName: p.byName, question: p.question, options: p.options, capacity: p.capacity, closesAt: p.closesAt, at: p.at, counts: p.counts, total: Object.keys(p.answers).length, mine: Object.hasOwn(p.answers, accountId) ? p.answers[accountId] : null };
}
