/**
 * @module actors/ledger/ledger
 * A community's public accounts as a pure state machine: staff publish lines (never edited;
 * a correction is a new line that names the old one and replaces it in totals), residents ask
 * questions on a line, staff answer in public; plus the totals by month.
 * Owns: immutability of published lines, correction chains, Q&A rules. Does not: store voucher
 * files (the room checks the voucher store and passes their metadata), know time or ids.
 * Concurrency: pure; one command at a time. Overflow: questions per line are capped
 * (LEDGER_TOO_MANY_QUESTIONS); vouchers per line are capped (LEDGER_TOO_MANY_VOUCHERS).
 */
import { accept, assertNever, cleanText, codePointLength, defineActor, hasLoneSurrogate, reject, type Decision } from '../_kit/index.ts';
import { LedgerError, type LedgerErrorCode } from './ledger-errors.ts';
import {
  LEDGER_CATEGORIES, type AskQuestion, type LedgerCategory, type LedgerCommand, type LedgerEvent, type LedgerLimits, type LedgerLine,
  type LedgerState, type MonthTotals, type PublishLine, type VoucherRef,
} from './ledger-protocol.ts';

export const DEFAULT_LEDGER_LIMITS: LedgerLimits = {
  descriptionMaxChars: 200, questionMaxChars: 500, vouchersPerLine: 10, questionsPerLine: 200, maxAmountFen: 1_000_000_000_00,
};

export const initialLedger: LedgerState = { lines: [], lineIndex: {}, questions: {} };

type D = Decision<LedgerEvent, LedgerErrorCode>;
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const SHA256 = /^[0-9a-f]{64}$/;
const TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf'];

const own = <T>(r: Readonly<Record<string, T>>, k: string): T | undefined => (Object.hasOwn(r, k) ? r[k] : undefined);
const badText = (s: unknown, max: number, min = 1) => typeof s !== 'string' || hasLoneSurrogate(s) || cleanText(s).trim().length < min || codePointLength(s) > max;

export function lineOf(s: LedgerState, lineId: string): LedgerLine | undefined {
  const i = own(s.lineIndex, lineId);
  return i === undefined ? undefined : s.lines[i];
}

function voucherProblem(v: readonly VoucherRef[]): boolean {
  return !Array.isArray(v) || v.some((x) => !x || typeof x.sha256 !== 'string' || !SHA256.test(x.sha256) || !TYPES.includes(x.type)
    || !Number.isInteger(x.bytes) || x.bytes <= 0 || typeof x.name !== 'string' || x.name.length > 200 || hasLoneSurrogate(x.name));
}

function decidePublish(s: LedgerState, c: PublishLine, l: LedgerLimits): D {
  if (c.byStaff !== true) return reject(LedgerError.NOT_STAFF);
  if (typeof c.lineId !== 'string' || !ID.test(c.lineId)) return reject(LedgerError.BAD_LINE, { field: 'lineId' });
  const existing = lineOf(s, c.lineId);
  if (existing) {
    // A retry of the same publication is the same line; anything else would edit a published line.
    const same = existing.amountFen === c.amountFen && existing.month === c.month && existing.category === c.category && existing.corrects === c.corrects;
    return same ? accept() : reject(LedgerError.LINE_EXISTS);
  }
  if (typeof c.month !== 'string' || !MONTH.test(c.month)) return reject(LedgerError.BAD_MONTH);
  if (!Object.hasOwn(LEDGER_CATEGORIES, c.category)) return reject(LedgerError.BAD_LINE, { field: 'category' });
  if (!Number.isSafeInteger(c.amountFen) || c.amountFen <= 0 || c.amountFen > l.maxAmountFen) return reject(LedgerError.BAD_AMOUNT, { maxAmountFen: l.maxAmountFen });
  if (badText(c.description, l.descriptionMaxChars)) return reject(LedgerError.BAD_TEXT, { field: 'description', maxChars: l.descriptionMaxChars });
  if (voucherProblem(c.vouchers)) return reject(LedgerError.BAD_LINE, { field: 'vouchers' });
  if (c.vouchers.length > l.vouchersPerLine) return reject(LedgerError.TOO_MANY_VOUCHERS, { max: l.vouchersPerLine });
  if (c.corrects !== null) {
    const old = lineOf(s, c.corrects);
    if (!old) return reject(LedgerError.UNKNOWN_LINE, { lineId: c.corrects });
    if (old.correctedBy !== null) return reject(LedgerError.ALREADY_CORRECTED, { correctedBy: old.correctedBy });
    if (badText(c.reason, l.descriptionMaxChars)) return reject(LedgerError.BAD_TEXT, { field: 'reason', maxChars: l.descriptionMaxChars });
  } else if (typeof c.reason !== 'string' || c.reason !== '') return reject(LedgerError.BAD_LINE, { field: 'reason' });
  const kind = LEDGER_CATEGORIES[c.category as LedgerCategory];
  return accept({
    type: 'LinePublished', v: 1, lineId: c.lineId, n: s.lines.length + 1, by: c.by, byName: c.byName, month: c.month, category: c.category,
    book: kind.book, direction: kind.direction, amountFen: c.amountFen, description: cleanText(c.description).trim(),
    vouchers: c.vouchers.map((v) => ({ sha256: v.sha256, type: v.type, bytes: v.bytes, name: cleanText(v.name) })),
    corrects: c.corrects, reason: cleanText(c.reason).trim(), at: c.at,
  });
}

function decideAsk(s: LedgerState, c: AskQuestion, l: LedgerLimits): D {
  if (typeof c.questionId !== 'string' || !ID.test(c.questionId)) return reject(LedgerError.BAD_LINE, { field: 'questionId' });
  const existing = own(s.questions, c.questionId);
  if (existing) return existing.by === c.by && existing.lineId === c.lineId ? accept() : reject(LedgerError.BAD_LINE, { field: 'questionId' });
  if (!lineOf(s, c.lineId)) return reject(LedgerError.UNKNOWN_LINE, { lineId: c.lineId });
  if (badText(c.text, l.questionMaxChars)) return reject(LedgerError.BAD_TEXT, { field: 'text', maxChars: l.questionMaxChars });
  const onLine = Object.values(s.questions).filter((q) => q.lineId === c.lineId).length;
  if (onLine >= l.questionsPerLine) return reject(LedgerError.TOO_MANY_QUESTIONS, { max: l.questionsPerLine });
  return accept({ type: 'QuestionAsked', v: 1, questionId: c.questionId, lineId: c.lineId, by: c.by, byName: c.byName, text: cleanText(c.text).trim(), at: c.at });
}

function decideWith(l: LedgerLimits, s: LedgerState, c: LedgerCommand): D {
  switch (c.type) {
    case 'PublishLine': return decidePublish(s, c, l);
    case 'AskQuestion': return decideAsk(s, c, l);
    case 'AnswerQuestion': {
      if (c.byStaff !== true) return reject(LedgerError.NOT_STAFF);
      const q = own(s.questions, c.questionId);
      if (!q) return reject(LedgerError.UNKNOWN_QUESTION);
      if (q.answer) return q.answer.text === cleanText(c.text).trim() ? accept() : reject(LedgerError.ALREADY_ANSWERED);
      if (badText(c.text, l.questionMaxChars)) return reject(LedgerError.BAD_TEXT, { field: 'text', maxChars: l.questionMaxChars });
      return accept({ type: 'QuestionAnswered', v: 1, questionId: c.questionId, by: c.by, byName: c.byName, text: cleanText(c.text).trim(), at: c.at });
    }
    default: return assertNever(c);
  }
}

function evolve(s: LedgerState, e: LedgerEvent): LedgerState {
  switch (e.type) {
    case 'LinePublished': {
      if (own(s.lineIndex, e.lineId) !== undefined) return s;
      const { type: _t, v: _v, ...rest } = e;
      let lines = [...s.lines, { ...rest, correctedBy: null }];
      const old = e.corrects === null ? undefined : own(s.lineIndex, e.corrects);
      if (old !== undefined) lines = lines.map((x, i) => (i === old ? { ...x, correctedBy: e.lineId } : x));
      return { ...s, lines, lineIndex: { ...s.lineIndex, [e.lineId]: lines.length - 1 } };
    }
    case 'QuestionAsked':
      return { ...s, questions: { ...s.questions, [e.questionId]: { questionId: e.questionId, lineId: e.lineId, by: e.by, byName: e.byName, text: e.text, at: e.at, answer: null } } };
    case 'QuestionAnswered': {
      const q = own(s.questions, e.questionId);
      if (!q) return s;
      return { ...s, questions: { ...s.questions, [e.questionId]: { ...q, answer: { by: e.by, byName: e.byName, text: e.text, at: e.at } } } };
    }
    default: return s; // unknown (future) versions leave the state unchanged
  }
}

export function createLedgerActor(limits: LedgerLimits = DEFAULT_LEDGER_LIMITS) {
  return defineActor({ type: 'ledger', initial: initialLedger, decide: (s: LedgerState, c: LedgerCommand): D => decideWith(limits, s, c), evolve });
}

/** Totals per month (ascending) and overall, counting every line that has not been corrected. */
export function ledgerTotals(s: LedgerState): { months: MonthTotals[]; all: MonthTotals } {
  const by = new Map<string, { commonIn: number; commonOut: number; fundIn: number; fundOut: number }>();
  const all = { commonIn: 0, commonOut: 0, fundIn: 0, fundOut: 0 };
  for (const x of s.lines) {
    if (x.correctedBy !== null) continue;
    const m = by.get(x.month) ?? { commonIn: 0, commonOut: 0, fundIn: 0, fundOut: 0 };
    const key = `${x.book}${x.direction === 'in' ? 'In' : 'Out'}` as keyof typeof all;
    m[key] += x.amountFen;
    all[key] += x.amountFen;
    by.set(x.month, m);
  }
  const months = [...by.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([month, t]) => ({ month, ...t }));
  return { months, all: { month: 'all', ...all } };
}
