/**
 * Property test of the tally: over random registers (developer-held units, owners of several
 * units, units without a known owner), random local head rules and random ballot sequences
 * (repeats, changes, refused changes), the vote actor's running tally and outcome equal a
 * brute-force recount written independently from the raw register and the final choices.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { run } from '../_kit/scenario.ts';
import { DEFAULT_RULE_SET, snapshotRegister, type RegisterUnit, type RuleSet } from './head-count.ts';
import { createVoteActor, passedOf } from './vote.ts';
import type { VoteCategory, VoteCommand } from './vote-protocol.ts';

const vote = createVoteActor();
const T0 = 1_700_000_000_000;
const OWNER_NAMES = ['甲', '乙', '丙', '丁', '戊', '开发商'];

interface World {
  units: { id: string; areaCenti: number; owner: string | null }[];
  rules: RuleSet;
  category: VoteCategory;
  allowChange: boolean;
  casts: { person: number; choice: number }[];
}

const world = fc.record({
  units: fc.array(fc.record({ areaCenti: fc.integer({ min: 1, max: 50_000 }), owner: fc.option(fc.constantFrom(...OWNER_NAMES), { nil: null }) }), { minLength: 1, maxLength: 40 })
    .map((us) => us.map((x, i) => ({ ...x, id: `b1-1-${100 + i}` }))),
  developerAsOne: fc.boolean(),
  sameOwnerAsOne: fc.boolean(),
  category: fc.constantFrom<VoteCategory>('raise-fund', 'other', 'rebuild', 'committee'),
  allowChange: fc.boolean(),
  casts: fc.array(fc.record({ person: fc.nat(60), choice: fc.integer({ min: 0, max: 2 }) }), { maxLength: 120 }),
}).map((w): World => ({
  units: w.units, category: w.category, allowChange: w.allowChange, casts: w.casts,
  rules: { ...DEFAULT_RULE_SET, heads: { developerAsOne: w.developerAsOne, sameOwnerAsOne: w.sameOwnerAsOne, developerOwners: ['开发商'] } },
}));

/** The account that owns a unit: one per named owner (the developer's too), one per unit without a known owner. */
const accountOf = (unit: { id: string; owner: string | null }) => (unit.owner === null ? `acct-${unit.id}` : `acct-${unit.owner}`);

/** Brute force: straight from the raw register, with none of head-count.ts. */
function recount(w: World) {
  const accounts = [...new Set(w.units.map(accountOf))].sort();
  const unitsOf = (a: string) => w.units.filter((x) => accountOf(x) === a);
  const headsOf = (a: string) => {
    const mine = unitsOf(a);
    if (mine[0].owner === null) return 1;
    if (mine[0].owner === '开发商') return w.rules.heads.developerAsOne ? 1 : mine.length;
    return w.rules.heads.sameOwnerAsOne ? 1 : mine.length;
  };
  const final = new Map<string, number>();
  for (const c of w.casts) {
    const a = accounts[c.person % (accounts.length + 2)]; // some casts come from people who are not owners
    if (a === undefined) continue;
    if (!final.has(a) || w.allowChange) final.set(a, c.choice);
  }
  const options = [0, 1, 2].map(() => ({ areaCenti: 0, heads: 0 }));
  let pArea = 0;
  let pHeads = 0;
  for (const [a, choice] of final) {
    const area = unitsOf(a).reduce((s, x) => s + x.areaCenti, 0);
    options[choice].areaCenti += area;
    options[choice].heads += headsOf(a);
    pArea += area;
    pHeads += headsOf(a);
  }
  const totalArea = w.units.reduce((s, x) => s + x.areaCenti, 0);
  const totalHeads = accounts.reduce((s, a) => s + headsOf(a), 0);
  const ge = (part: number, whole: number, num: number, den: number, strict: boolean) => (strict ? BigInt(part) * BigInt(den) > BigInt(num) * BigInt(whole) : BigInt(part) * BigInt(den) >= BigInt(num) * BigInt(whole));
  const p = w.rules.participation;
  const participated = ge(pArea, totalArea, p.area.num, p.area.den, p.area.strict) && ge(pHeads, totalHeads, p.heads.num, p.heads.den, p.heads.strict);
  const appr = w.rules.special.includes(w.category) ? w.rules.approval.special : w.rules.approval.ordinary;
  const passed = participated && pHeads > 0 && ge(options[0].areaCenti, pArea, appr.area.num, appr.area.den, appr.area.strict)
    && ge(options[0].heads, pHeads, appr.heads.num, appr.heads.den, appr.heads.strict);
  return { accounts, tally: { participatingAreaCenti: pArea, participatingHeads: pHeads, options }, totalArea, totalHeads, passed };
}

test('tally property: random registers and ballots → actor tally, totals and outcome equal a brute-force recount', () => {
  fc.assert(fc.property(world, (w) => {
    const register: RegisterUnit[] = w.units.map((x) => ({ id: x.id, buildingId: 'b1', areaM2: x.areaCenti / 100, ownerOfRecord: x.owner }));
    const owners = Object.fromEntries(w.units.map((x) => [x.id, [accountOf(x)]]));
    const snapshot = snapshotRegister(register, owners, w.rules, T0);
    const brute = recount(w);
    const cmds: VoteCommand[] = [
      { type: 'OpenVote', voteId: 'vote-prop', by: 's', byStaff: true, title: '议题', body: '', category: w.category, form: 'motion', candidates: [], maxChoices: 1,
        secret: false, allowChange: w.allowChange, scope: { kind: 'community' }, closesAt: T0 + 1000, snapshot, rules: w.rules, at: T0 },
      ...w.casts.map((c, i): VoteCommand => {
        const by = brute.accounts[c.person % (brute.accounts.length + 2)] ?? `stranger-${c.person}`;
        return { type: 'CastBallot', by, roles: [{ role: 'owner', unitId: 'b9-1-101', buildingId: 'b9' }], choices: [c.choice], receipt: `R${String(i).padStart(9, '0')}`, at: T0 + 1 + i };
      }),
      { type: 'CloseVote', at: T0 + 1000, registerChanges: [] },
    ];
    const r = run(vote, cmds);
    assert.equal(snapshot.totalAreaCenti, brute.totalArea);
    assert.equal(snapshot.totalHeads, brute.totalHeads);
    assert.deepEqual(r.state.tally, brute.tally);
    assert.equal(r.state.closed?.passed, brute.passed);
    assert.equal(passedOf(r.state.definition!, r.state.closed!.outcome, r.state.tally).passed, brute.passed);
  }), { numRuns: 400 });
});
