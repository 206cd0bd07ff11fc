/**
 * @module actors/ledger/ledger-protocol
 * Commands, events and state of a community's public accounts of the common parts: monthly
 * income and cost lines (公共收益) and the maintenance fund (维修资金), with vouchers, and the
 * residents' questions on a line with staff's public answers. Types only; the client imports it.
 * Amounts are integer fen (分, 0.01 yuan). `by`, `byStaff`, names and voucher metadata are filled
 * in by the room after authentication and after it checked the voucher store, never by a client.
 */

/** Which book a line belongs to and whether money came in or went out follow from its category. */
export const LEDGER_CATEGORIES = {
  advertising: { book: 'common', direction: 'in' },
  parking: { book: 'common', direction: 'in' },
  'base-station': { book: 'common', direction: 'in' },
  locker: { book: 'common', direction: 'in' },
  'other-income': { book: 'common', direction: 'in' },
  utilities: { book: 'common', direction: 'out' },
  greening: { book: 'common', direction: 'out' },
  cleaning: { book: 'common', direction: 'out' },
  repairs: { book: 'common', direction: 'out' },
  'other-cost': { book: 'common', direction: 'out' },
  'fund-raised': { book: 'fund', direction: 'in' },
  'fund-interest': { book: 'fund', direction: 'in' },
  'fund-spent': { book: 'fund', direction: 'out' },
} as const;
export type LedgerCategory = keyof typeof LEDGER_CATEGORIES;
export type Book = 'common' | 'fund';
export type Direction = 'in' | 'out';

export type VoucherType = 'image/png' | 'image/jpeg' | 'image/webp' | 'application/pdf';

/** A stored voucher file, addressed by the SHA-256 of its bytes. */
export interface VoucherRef {
  readonly sha256: string;
  readonly type: VoucherType;
  readonly bytes: number;
  /** The file name as uploaded (shown only). */
  readonly name: string;
}

export type PublishLine = {
  type: 'PublishLine'; lineId: string; by: string; byStaff: boolean; byName: string;
  month: string; category: LedgerCategory; amountFen: number; description: string;
  vouchers: readonly VoucherRef[];
  /** The line this one corrects (it replaces it in every total), with the reason. */
  corrects: string | null; reason: string;
  at: number;
};
export type AskQuestion = { type: 'AskQuestion'; questionId: string; lineId: string; by: string; byName: string; text: string; at: number };
export type AnswerQuestion = { type: 'AnswerQuestion'; questionId: string; by: string; byStaff: boolean; byName: string; text: string; at: number };
export type LedgerCommand = PublishLine | AskQuestion | AnswerQuestion;

export type LinePublished = {
  type: 'LinePublished'; v: 1; lineId: string; n: number; by: string; byName: string; month: string; category: LedgerCategory;
  book: Book; direction: Direction; amountFen: number; description: string; vouchers: readonly VoucherRef[];
  corrects: string | null; reason: string; at: number;
};
export type QuestionAsked = { type: 'QuestionAsked'; v: 1; questionId: string; lineId: string; by: string; byName: string; text: string; at: number };
export type QuestionAnswered = { type: 'QuestionAnswered'; v: 1; questionId: string; by: string; byName: string; text: string; at: number };
export type LedgerEvent = LinePublished | QuestionAsked | QuestionAnswered;

export interface LedgerLine extends Omit<LinePublished, 'type' | 'v'> {
  /** The line that corrects this one; a corrected line no longer counts in totals. */
  readonly correctedBy: string | null;
}

export interface Question {
  readonly questionId: string;
  readonly lineId: string;
  readonly by: string;
  readonly byName: string;
  readonly text: string;
  readonly at: number;
  readonly answer: { readonly by: string; readonly byName: string; readonly text: string; readonly at: number } | null;
}

export type LedgerState = Readonly<{
  /** In publication order. */
  lines: readonly LedgerLine[];
  lineIndex: Readonly<Record<string, number>>;
  questions: Readonly<Record<string, Question>>;
}>;

export interface LedgerLimits {
  readonly descriptionMaxChars: number;
  readonly questionMaxChars: number;
  readonly vouchersPerLine: number;
  readonly questionsPerLine: number;
  /** Largest amount of one line, fen. */
  readonly maxAmountFen: number;
}

/** Totals of one month (or of everything), by book and direction, counting only lines not corrected. */
export interface MonthTotals {
  readonly month: string;
  readonly commonIn: number;
  readonly commonOut: number;
  readonly fundIn: number;
  readonly fundOut: number;
}
