/**
 * Tests of the public accounts: publishing (staff only, immutable, retried), corrections that
 * replace a line in totals, questions and public answers, totals by month, replay and JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, checkReplay, checkJson, run } from '../_kit/scenario.ts';
import { createLedgerActor, ledgerTotals } from './ledger.ts';
import { LedgerError } from './ledger-errors.ts';
import type { LedgerCommand, PublishLine } from './ledger-protocol.ts';

const ledger = createLedgerActor();
const SHA = 'a'.repeat(64);
const line = (over: Partial<PublishLine> = {}): PublishLine => ({
  type: 'PublishLine', lineId: 'line-2026-03-ad', by: 'staff-1', byStaff: true, byName: '物业王经理', month: '2026-03', category: 'advertising',
  amountFen: 1_200_00, description: '电梯广告 3 月收入', vouchers: [{ sha256: SHA, type: 'image/png', bytes: 1234, name: '合同.png' }], corrects: null, reason: '', at: 1000, ...over,
});
const ask = (questionId: string, lineId = 'line-2026-03-ad', text = '广告合同单价是多少？'): LedgerCommand => ({ type: 'AskQuestion', questionId, lineId, by: 'owner-1', byName: '李四', text, at: 2000 });

test('ledger publish: staff → LinePublished with book and direction from the category; a resident → LEDGER_NOT_STAFF', () => {
  scenario(ledger).when(line()).expectEvents([{
    type: 'LinePublished', v: 1, lineId: 'line-2026-03-ad', n: 1, by: 'staff-1', byName: '物业王经理', month: '2026-03', category: 'advertising',
    book: 'common', direction: 'in', amountFen: 120000, description: '电梯广告 3 月收入', vouchers: [{ sha256: SHA, type: 'image/png', bytes: 1234, name: '合同.png' }], corrects: null, reason: '', at: 1000,
  }]);
  scenario(ledger).when(line({ byStaff: false })).expectError(LedgerError.NOT_STAFF);
});

test('ledger publish: bad input → typed errors (month, amount, category, text, vouchers)', () => {
  scenario(ledger).when(line({ month: '2026-13' })).expectError(LedgerError.BAD_MONTH);
  scenario(ledger).when(line({ amountFen: 0 })).expectError(LedgerError.BAD_AMOUNT, { maxAmountFen: 1e11 });
  scenario(ledger).when(line({ amountFen: 12.5 })).expectError(LedgerError.BAD_AMOUNT, { maxAmountFen: 1e11 });
  scenario(ledger).when(line({ category: 'bribes' as never })).expectError(LedgerError.BAD_LINE, { field: 'category' });
  scenario(ledger).when(line({ description: ' ' })).expectError(LedgerError.BAD_TEXT, { field: 'description', maxChars: 200 });
  scenario(ledger).when(line({ vouchers: [{ sha256: 'xyz', type: 'image/png', bytes: 1, name: 'a' }] })).expectError(LedgerError.BAD_LINE, { field: 'vouchers' });
  scenario(ledger).when(line({ vouchers: Array(11).fill({ sha256: SHA, type: 'application/pdf', bytes: 1, name: 'a.pdf' }) })).expectError(LedgerError.TOO_MANY_VOUCHERS, { max: 10 });
  scenario(ledger).when(line({ reason: 'no correction, no reason' })).expectError(LedgerError.BAD_LINE, { field: 'reason' });
});

test('ledger immutability: the same line again → no events; another line under its id → LEDGER_LINE_EXISTS', () => {
  const s = scenario(ledger).givenCommands([line()]);
  s.when(line()).expectNoEvents();
  s.when(line({ amountFen: 99 })).expectError(LedgerError.LINE_EXISTS);
});

test('ledger correction: a new line naming the old → the old no longer counts, a second correction of it → LEDGER_ALREADY_CORRECTED', () => {
  const fix = line({ lineId: 'line-2026-03-ad-fix', amountFen: 1_500_00, corrects: 'line-2026-03-ad', reason: '合同金额录入有误' });
  const r = checkReplay(ledger, [line(), fix, line({ lineId: 'line-2026-03-clean', category: 'cleaning', amountFen: 800_00, description: '保洁外包 3 月' })]);
  assert.equal(r.state.lines[0].correctedBy, 'line-2026-03-ad-fix');
  assert.deepEqual(ledgerTotals(r.state).months, [{ month: '2026-03', commonIn: 150000, commonOut: 80000, fundIn: 0, fundOut: 0 }]);
  scenario(ledger).given(r.events).when({ ...fix, lineId: 'line-again' }).expectError(LedgerError.ALREADY_CORRECTED, { correctedBy: 'line-2026-03-ad-fix' });
  scenario(ledger).given(r.events).when({ ...fix, lineId: 'line-x', corrects: 'nope' }).expectError(LedgerError.UNKNOWN_LINE, { lineId: 'nope' });
  scenario(ledger).given(r.events).when({ ...fix, lineId: 'line-y', corrects: 'line-2026-03-clean', reason: '' }).expectError(LedgerError.BAD_TEXT, { field: 'reason', maxChars: 200 });
});

test('ledger questions: a resident asks on a line, staff answer in public; a resident cannot answer; answered twice → LEDGER_ALREADY_ANSWERED', () => {
  const s = scenario(ledger).givenCommands([line(), ask('q-1')]);
  s.expectState((st) => assert.equal(st.questions['q-1'].answer, null));
  s.when({ type: 'AnswerQuestion', questionId: 'q-1', by: 'owner-2', byStaff: false, byName: 'x', text: '我来答', at: 3000 }).expectError(LedgerError.NOT_STAFF);
  const answered = s.givenCommands([{ type: 'AnswerQuestion', questionId: 'q-1', by: 'staff-1', byStaff: true, byName: '物业王经理', text: '每月 1500 元，合同见附件。', at: 3000 }]);
  answered.expectState((st) => assert.equal(st.questions['q-1'].answer?.text, '每月 1500 元，合同见附件。'));
  answered.when({ type: 'AnswerQuestion', questionId: 'q-1', by: 'staff-1', byStaff: true, byName: '物业王经理', text: '改口', at: 4000 }).expectError(LedgerError.ALREADY_ANSWERED);
  scenario(ledger).givenCommands([line()]).when(ask('q-2', 'nope')).expectError(LedgerError.UNKNOWN_LINE, { lineId: 'nope' });
  scenario(ledger).givenCommands([line()]).when(ask('q-3', 'line-2026-03-ad', '')).expectError(LedgerError.BAD_TEXT, { field: 'text', maxChars: 500 });
  scenario(ledger).when({ type: 'AnswerQuestion', questionId: 'q-9', by: 's', byStaff: true, byName: 's', text: 'x', at: 1 }).expectError(LedgerError.UNKNOWN_QUESTION);
});

test('ledger questions: over the cap per line → LEDGER_TOO_MANY_QUESTIONS', () => {
  const small = createLedgerActor({ descriptionMaxChars: 200, questionMaxChars: 500, vouchersPerLine: 10, questionsPerLine: 2, maxAmountFen: 1e11 });
  scenario(small).givenCommands([line(), ask('q-1'), ask('q-2')]).when(ask('q-3')).expectError(LedgerError.TOO_MANY_QUESTIONS, { max: 2 });
});

test('ledger totals: a month of lines in both books → per-month and overall totals, months ascending', () => {
  const cmds: LedgerCommand[] = [
    line({ lineId: 'l-apr-park', month: '2026-04', category: 'parking', amountFen: 3_000_00 }),
    line({ lineId: 'l-mar-ad' }),
    line({ lineId: 'l-mar-fund', category: 'fund-spent', amountFen: 50_000_00, description: '更换 1 号楼电梯' }),
    line({ lineId: 'l-mar-raise', category: 'fund-raised', amountFen: 80_000_00, description: '续筹维修资金' }),
  ];
  const r = run(ledger, cmds);
  const t = ledgerTotals(r.state);
  assert.deepEqual(t.months.map((m) => m.month), ['2026-03', '2026-04']);
  assert.deepEqual(t.months[0], { month: '2026-03', commonIn: 120000, commonOut: 0, fundIn: 8000000, fundOut: 5000000 });
  assert.deepEqual(t.all, { month: 'all', commonIn: 420000, commonOut: 0, fundIn: 8000000, fundOut: 5000000 });
  checkJson(ledger, [...cmds, ask('q-1', 'l-mar-ad')]);
});
