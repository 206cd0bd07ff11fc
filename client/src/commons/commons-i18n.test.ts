/**
 * Tests of the commons panels' strings and lists: the categories the forms offer are exactly the
 * actors' (the client imports actors as types only, so the lists are mirrored), every category has
 * a name in both languages, and amounts and areas are formatted from integers without rounding drift.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LEDGER_CATEGORIES } from '../../../actors/ledger/ledger-protocol.ts';
import { VOTE_CATEGORIES } from '../../../actors/votes/head-count.ts';
import { categoryName, commonsTranslator, fraction, LEDGER_CATEGORY_LIST, ledgerCategoryName, m2, percent, VOTE_CATEGORY_LIST, yuan } from './commons-i18n.ts';

test('commons i18n: the forms\' category lists → exactly the actors\' categories, each named in zh-CN and en', () => {
  assert.deepEqual(VOTE_CATEGORY_LIST, [...VOTE_CATEGORIES]);
  assert.deepEqual([...LEDGER_CATEGORY_LIST].sort(), Object.keys(LEDGER_CATEGORIES).sort());
  for (const c of VOTE_CATEGORY_LIST) for (const lang of ['zh-CN', 'en'] as const) assert.notEqual(categoryName(c, lang), c, `${c} ${lang}`);
  for (const c of LEDGER_CATEGORY_LIST) for (const lang of ['zh-CN', 'en'] as const) assert.notEqual(ledgerCategoryName(c, lang), c, `${c} ${lang}`);
});

test('commons i18n: placeholders filled in both languages; formats → exact from integers', () => {
  assert.equal(commonsTranslator('zh-CN')('voteYours', { choice: '同意', receipt: 'ABCD' }), '你的选择：同意（回执 ABCD）');
  assert.equal(commonsTranslator('en')('voteYours', { choice: 'Agree', receipt: 'ABCD' }), 'Your choice: Agree (receipt ABCD)');
  assert.equal(m2(8950), '89.50');
  assert.equal(percent(2, 3), '66.7%');
  assert.equal(percent(1, 0), '—');
  assert.match(yuan(120050, 'zh-CN'), /1,200\.50/);
});

test('commons i18n voteNeeds: the threshold\'s sign comes from fraction() once → "≥ 2/3", "> 1/2", never "≥ ≥"', () => {
  const p = fraction({ num: 2, den: 3, strict: false });
  const a = fraction({ num: 1, den: 2, strict: true });
  assert.equal(commonsTranslator('zh-CN')('voteNeeds', { p, a }), '需参与 ≥ 2/3；同意 > 1/2（按参与的面积和人数）');
  assert.equal(commonsTranslator('en')('voteNeeds', { p, a }), 'Needs turnout ≥ 2/3; approval > 1/2 (of participating area and owners)');
});
