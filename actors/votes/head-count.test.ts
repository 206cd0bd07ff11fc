/**
 * Tests of the counting rules: head counting under the default and a local rule set, the
 * thresholds (inclusive 以上, strict 过半数) in exact arithmetic, rule-set validation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_RULE_SET, DEVELOPER_HEAD, emptyTally, meets, outcomeOf, retally, ruleSetProblem, snapshotRegister, type RegisterUnit, type RuleSet,
} from './head-count.ts';

const unit = (id: string, areaM2: number, ownerOfRecord: string | null, buildingId = 'b1'): RegisterUnit => ({ id, buildingId, areaM2, ownerOfRecord });

test('head-count: default rules → one unit one head; developer units one head; one buyer\'s units one head', () => {
  const units = [
    unit('b1-1-101', 80, '张三'), unit('b1-1-102', 90, '张三'), unit('b1-1-201', 70.25, '李四'),
    unit('b1-1-202', 100, '开发商'), unit('b1-1-301', 100, '开发商'), unit('b1-1-302', 60, null), unit('b1-1-401', 60, null),
  ];
  const s = snapshotRegister(units, { 'b1-1-101': ['acct-z'], 'b1-1-102': ['acct-z'], 'b1-1-201': ['acct-l', 'acct-l2'], 'b1-1-202': ['acct-dev'] }, DEFAULT_RULE_SET, 1000);
  assert.equal(s.totalHeads, 5, 'Zhang (2 units) 1, Li 1, developer (2 units) 1, two units without a known owner 1 each');
  assert.equal(s.totalAreaCenti, 56025);
  assert.equal(s.heads[DEVELOPER_HEAD].areaCenti, 20000);
  assert.deepEqual(s.heads[DEVELOPER_HEAD].units, ['b1-1-202', 'b1-1-301']);
  assert.deepEqual(s.accountHeads['acct-z'], ['H0001']);
  assert.equal(s.heads.H0001.areaCenti, 17000);
  assert.deepEqual(s.accountHeads['acct-dev'], [DEVELOPER_HEAD]);
  assert.deepEqual(s.accountHeads['acct-l2'], s.accountHeads['acct-l'], 'co-owners represent the same head');
  assert.ok(!JSON.stringify(s).includes('张三'), 'owner names never enter the snapshot');
});

test('head-count: a local rule (every unit its own head) → counted as data says, same code', () => {
  const local: RuleSet = { ...DEFAULT_RULE_SET, id: 'local/unit-per-head', heads: { developerAsOne: false, sameOwnerAsOne: false, developerOwners: [] } };
  assert.equal(ruleSetProblem(local), null);
  const s = snapshotRegister([unit('a', 80, '张三'), unit('b', 90, '张三'), unit('c', 50, '开发商'), unit('d', 50, '开发商')], {}, local, 0);
  assert.equal(s.totalHeads, 4);
});

test('head-count: developer named by the rule set\'s list → only those names merge', () => {
  const rules: RuleSet = { ...DEFAULT_RULE_SET, heads: { ...DEFAULT_RULE_SET.heads, developerOwners: ['示例置业有限公司'] } };
  const s = snapshotRegister([unit('a', 80, '示例置业有限公司'), unit('b', 90, '示例置业有限公司'), unit('c', 50, '开发商')], {}, rules, 0);
  assert.equal(s.totalHeads, 2);
  assert.equal(s.heads[DEVELOPER_HEAD].units.length, 2);
});

test('head-count: thresholds → 以上 inclusive, 过半数 strict, exact at the boundary', () => {
  assert.equal(meets(2, 3, { num: 2, den: 3, strict: false }), true);
  assert.equal(meets(1999, 3000, { num: 2, den: 3, strict: false }), false);
  assert.equal(meets(3, 4, { num: 3, den: 4, strict: false }), true);
  assert.equal(meets(1, 2, { num: 1, den: 2, strict: true }), false);
  assert.equal(meets(51, 100, { num: 1, den: 2, strict: true }), true);
  // 0.1 + 0.2 style errors cannot happen: areas are integers of 0.01 m².
  assert.equal(meets(6667, 10000, { num: 2, den: 3, strict: false }), true);
  assert.equal(meets(6666, 10000, { num: 2, den: 3, strict: false }), false);
});

test('head-count: outcome → special matters need 3/4 of participants, ordinary more than 1/2, both after 2/3 participation', () => {
  const s = snapshotRegister([unit('a', 100, null), unit('b', 100, null), unit('c', 100, null), unit('d', 100, null)], {}, DEFAULT_RULE_SET, 0);
  let t = emptyTally(3);
  for (const [area, choice] of [[10000, 0], [10000, 0], [10000, 1]] as const) t = retally(t, area, null, [choice]);
  // 3 of 4 heads took part (≥ 2/3); agree 2 of 3 (> 1/2 but < 3/4)
  const ordinary = outcomeOf(s, t, 'property-company', DEFAULT_RULE_SET);
  assert.equal(ordinary.participation.ok, true);
  assert.equal(ordinary.options[0].ok, true);
  const special = outcomeOf(s, t, 'raise-fund', DEFAULT_RULE_SET);
  assert.equal(special.approvalClass, 'special');
  assert.equal(special.options[0].ok, false);
  // 2 of 4 took part: nothing passes, whatever they chose
  const low = outcomeOf(s, retally(t, 10000, [1], null), 'other', DEFAULT_RULE_SET);
  assert.equal(low.participation.ok, false);
  assert.equal(low.options[0].ok, false);
});

test('head-count: area and heads are both required → a big owner alone cannot carry a vote', () => {
  const s = snapshotRegister([unit('a', 900, '大业主'), unit('b', 900, '大业主'), unit('c', 50, null), unit('d', 50, null), unit('e', 50, null)], {}, DEFAULT_RULE_SET, 0);
  assert.equal(s.totalHeads, 4);
  let t = emptyTally(3);
  t = retally(t, s.heads.H0001.areaCenti, null, [0]);
  t = retally(t, 5000, null, [1]);
  t = retally(t, 5000, null, [1]);
  const o = outcomeOf(s, t, 'other', DEFAULT_RULE_SET);
  assert.equal(o.participation.ok, true);
  assert.deepEqual([o.options[0].area, o.options[0].heads, o.options[0].ok], [true, false, false]);
});

test('head-count: retally of a change → participation unchanged, area and head move between options', () => {
  let t = retally(emptyTally(3), 8000, null, [0]);
  t = retally(t, 8000, [0], [2]);
  assert.deepEqual(t, { participatingAreaCenti: 8000, participatingHeads: 1, options: [{ areaCenti: 0, heads: 0 }, { areaCenti: 0, heads: 0 }, { areaCenti: 8000, heads: 1 }] });
});

test('head-count: malformed rule sets → the field named', () => {
  assert.equal(ruleSetProblem(DEFAULT_RULE_SET), null);
  assert.equal(ruleSetProblem(null), 'rules');
  assert.equal(ruleSetProblem({ ...DEFAULT_RULE_SET, id: '' }), 'id');
  assert.equal(ruleSetProblem({ ...DEFAULT_RULE_SET, participation: { area: { num: 3, den: 2, strict: false }, heads: DEFAULT_RULE_SET.participation.heads } }), 'participation');
  assert.equal(ruleSetProblem({ ...DEFAULT_RULE_SET, special: ['nonsense'] }), 'special');
  assert.equal(ruleSetProblem({ ...DEFAULT_RULE_SET, heads: { ...DEFAULT_RULE_SET.heads, developerOwners: [''] } }), 'heads.developerOwners');
});
