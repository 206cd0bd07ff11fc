/**
 * @module actors/votes/head-count
 * How an owners' vote (业主共同决定) counts, as data and pure functions: the rule set (who is a
 * head, which area counts, the thresholds of PRC Civil Code art. 278), the register snapshot a
 * vote takes when it opens, the tally of ballots by area and by head, and the outcome.
 * Default rules: Civil Code art. 278 and the Supreme People's Court's interpretation on building
 * distinct ownership (法释〔2009〕7号, arts. 8–9): area is the exclusive area of the register; one
 * exclusive unit is one head, the developer's unsold (or sold, undelivered) units together are one
 * head, several units of one buyer are one head. A community records a local rule by changing the
 * data (RuleSet), never this code. "以上" includes the number itself (Civil Code art. 1259), so
 * 2/3 and 3/4 are inclusive; "过半数" (more than half) is strict.
 * Owns: the counting rules. Does not: know accounts' roles, time, or I/O. Pure; never throws.
 * Areas are counted in integer hundredths of a square metre (0.01 m², the register's precision),
 * so thresholds compare exact integers: a·den ≥ num·total.
 */
import type { LocalizedText } from './vote-protocol.ts';

/** The matters of Civil Code art. 278, items (1)–(9). */
export const VOTE_CATEGORIES = [
  'assembly-rules', 'management-covenant', 'committee', 'property-company', 'use-fund',
  'raise-fund', 'rebuild', 'change-use', 'other',
] as const;
export type VoteCategory = (typeof VOTE_CATEGORIES)[number];

/** A fraction of a total; `strict`: more than it (过半数), else at least it (以上). */
export interface Threshold {
  readonly num: number;
  readonly den: number;
  readonly strict: boolean;
}

export interface BothThresholds {
  readonly area: Threshold;
  readonly heads: Threshold;
}

export interface RuleSet {
  /** Stable id, e.g. `cn-civil-code-278/spc-2009-7`; a local rule takes its own. */
  readonly id: string;
  readonly name: LocalizedText;
  /** Where the rule comes from (statute, local regulation, assembly resolution). */
  readonly basis: LocalizedText;
  readonly heads: {
    /** The developer's units (unsold, or sold and not delivered) count together as one head. */
    readonly developerAsOne: boolean;
    /** Several units of one owner of record count as one head. */
    readonly sameOwnerAsOne: boolean;
    /** `owner_of_record` values of the register that name the developer. */
    readonly developerOwners: readonly string[];
  };
  /** Owners taking part, of all owners in the snapshot. */
  readonly participation: BothThresholds;
  /** Approval, of the participating owners, by class of matter. */
  readonly approval: { readonly special: BothThresholds; readonly ordinary: BothThresholds };
  /** Matters that need the special majority. */
  readonly special: readonly VoteCategory[];
}

const atLeast = (num: number, den: number): Threshold => ({ num, den, strict: false });

export const DEFAULT_RULE_SET: RuleSet = {
  id: 'cn-civil-code-278/spc-2009-7',
  name: { 'zh-CN': '民法典第二百七十八条（默认）', en: 'PRC Civil Code art. 278 (default)' },
  basis: {
    'zh-CN': '《中华人民共和国民法典》第二百七十八条；《最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释》第八条、第九条',
    en: 'PRC Civil Code art. 278; Supreme People\'s Court interpretation on building distinct ownership disputes, arts. 8–9',
  },
  heads: { developerAsOne: true, sameOwnerAsOne: true, developerOwners: ['开发商', '建设单位'] },
  participation: { area: atLeast(2, 3), heads: atLeast(2, 3) },
  approval: {
    special: { area: atLeast(3, 4), heads: atLeast(3, 4) },
    ordinary: { area: { num: 1, den: 2, strict: true }, heads: { num: 1, den: 2, strict: true } },
  },
  special: ['raise-fund', 'rebuild', 'change-use'],
};

export const MAX_RULE_TEXT_CHARS = 400;
const MAX_DEN = 1000;
const MAX_DEVELOPER_NAMES = 50;

function thresholdOk(t: unknown): boolean {
  const x = t as Threshold;
  return typeof x === 'object' && x !== null && Number.isInteger(x.num) && Number.isInteger(x.den)
    && x.den >= 1 && x.den <= MAX_DEN && x.num >= 0 && x.num <= x.den && typeof x.strict === 'boolean';
}

const bothOk = (b: unknown) => typeof b === 'object' && b !== null && thresholdOk((b as BothThresholds).area) && thresholdOk((b as BothThresholds).heads);
const textOk = (t: unknown) => typeof t === 'object' && t !== null && [(t as LocalizedText)['zh-CN'], (t as LocalizedText).en]
  .every((s) => typeof s === 'string' && s.length > 0 && s.length <= MAX_RULE_TEXT_CHARS);

/** The first field of a rule set that is malformed, or null. */
export function ruleSetProblem(r: unknown): string | null {
  const x = r as RuleSet;
  if (typeof x !== 'object' || x === null) return 'rules';
  if (typeof x.id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,79}$/.test(x.id)) return 'id';
  if (!textOk(x.name)) return 'name';
  if (!textOk(x.basis)) return 'basis';
  const h = x.heads;
  if (typeof h !== 'object' || h === null || typeof h.developerAsOne !== 'boolean' || typeof h.sameOwnerAsOne !== 'boolean') return 'heads';
  if (!Array.isArray(h.developerOwners) || h.developerOwners.length > MAX_DEVELOPER_NAMES
    || h.developerOwners.some((n) => typeof n !== 'string' || n.length === 0 || n.length > 64)) return 'heads.developerOwners';
  if (!bothOk(x.participation)) return 'participation';
  if (typeof x.approval !== 'object' || x.approval === null || !bothOk(x.approval.special) || !bothOk(x.approval.ordinary)) return 'approval';
  if (!Array.isArray(x.special) || x.special.some((c) => !(VOTE_CATEGORIES as readonly string[]).includes(c))) return 'special';
  return null;
}

// --- the register snapshot

/** What the snapshot needs of a register unit. */
export interface RegisterUnit {
  readonly id: string;
  readonly buildingId: string;
  readonly areaM2: number;
  readonly ownerOfRecord: string | null;
}

export interface SnapshotUnit {
  readonly id: string;
  readonly buildingId: string;
  readonly areaCenti: number;
  /** Label of the head this unit counts under (`developer`, `H0001`, …); never the owner's name. */
  readonly head: string;
  /** Accounts holding the owner role on this unit when the vote opened, sorted. */
  readonly owners: readonly string[];
}

export interface SnapshotHead {
  readonly areaCenti: number;
  /** Sorted unit ids. */
  readonly units: readonly string[];
  readonly developer: boolean;
}

/**
 * The register as it stood when a vote opened; it, not today's register, decides who votes and
 * with what weight. Owner names are replaced by head labels, so the snapshot can be published.
 */
export interface RegisterSnapshot {
  readonly takenAt: number;
  /** Sorted by id. */
  readonly units: readonly SnapshotUnit[];
  readonly heads: Readonly<Record<string, SnapshotHead>>;
  /** Account → the heads it may vote for (sorted). */
  readonly accountHeads: Readonly<Record<string, readonly string[]>>;
  readonly totalAreaCenti: number;
  readonly totalHeads: number;
}

export const DEVELOPER_HEAD = 'developer';

/** 0.01 m² as an integer; areas are at most 10 000 m² (unit-register.ts), so sums stay exact. */
export const areaCentiOf = (m2: number) => Math.round(m2 * 100);

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The raw grouping key of a unit under the rules: developer, its owner of record, or itself. */
function groupKeyOf(u: RegisterUnit, rules: RuleSet): string {
  // The developer's units follow developerAsOne alone: a local rule that counts them one by one is not undone by sameOwnerAsOne.
  if (u.ownerOfRecord !== null && rules.heads.developerOwners.includes(u.ownerOfRecord)) return rules.heads.developerAsOne ? DEVELOPER_HEAD : `unit:${u.id}`;
  if (rules.heads.sameOwnerAsOne && u.ownerOfRecord !== null) return `owner:${u.ownerOfRecord}`;
  return `unit:${u.id}`;
}

/**
 * Takes the snapshot of `units` (already limited to the vote's scope) with the owner accounts of
 * each unit at `at`. Heads are labelled by the order of their first unit id, so the same register
 * always gives the same labels.
 */
export function snapshotRegister(units: readonly RegisterUnit[], ownersByUnit: Readonly<Record<string, readonly string[]>>, rules: RuleSet, at: number): RegisterSnapshot {
  const sorted = [...units].sort((a, b) => byString(a.id, b.id));
  const groups = new Map<string, RegisterUnit[]>();
  for (const u of sorted) {
    const k = groupKeyOf(u, rules);
    const g = groups.get(k);
    if (g) g.push(u);
    else groups.set(k, [u]);
  }
  const labels = new Map<string, string>();
  let n = 0;
  for (const k of groups.keys()) labels.set(k, k === DEVELOPER_HEAD ? DEVELOPER_HEAD : `H${String(++n).padStart(4, '0')}`);
  const heads: Record<string, SnapshotHead> = {};
  const accountHeads = new Map<string, Set<string>>();
  const snapUnits: SnapshotUnit[] = [];
  let totalAreaCenti = 0;
  for (const [k, members] of groups) {
    const head = labels.get(k)!;
    let area = 0;
    for (const u of members) {
      const areaCenti = areaCentiOf(u.areaM2);
      area += areaCenti;
      const owners = [...new Set(Object.hasOwn(ownersByUnit, u.id) ? ownersByUnit[u.id] : [])].sort(byString);
      for (const a of owners) {
        const set = accountHeads.get(a) ?? new Set<string>();
        set.add(head);
        accountHeads.set(a, set);
      }
      snapUnits.push({ id: u.id, buildingId: u.buildingId, areaCenti, head, owners });
    }
    heads[head] = { areaCenti: area, units: members.map((u) => u.id), developer: k === DEVELOPER_HEAD };
    totalAreaCenti += area;
  }
  snapUnits.sort((a, b) => byString(a.id, b.id));
  const accounts: Record<string, string[]> = {};
  for (const [a, set] of [...accountHeads].sort((x, y) => byString(x[0], y[0]))) accounts[a] = [...set].sort(byString);
  return { takenAt: at, units: snapUnits, heads, accountHeads: accounts, totalAreaCenti, totalHeads: groups.size };
}

// --- tally and outcome

export interface OptionTally {
  readonly areaCenti: number;
  readonly heads: number;
}

export interface Tally {
  readonly participatingAreaCenti: number;
  readonly participatingHeads: number;
  /** One entry per option, in option order. */
  readonly options: readonly OptionTally[];
}

export const emptyTally = (options: number): Tally => ({ participatingAreaCenti: 0, participatingHeads: 0, options: Array.from({ length: options }, () => ({ areaCenti: 0, heads: 0 })) });

/**
 * The tally after a head's ballot changes from `before` to `after` (null: no ballot). A head
 * participates once whatever it chose; each chosen option gets its area and one head.
 */
export function retally(t: Tally, areaCenti: number, before: readonly number[] | null, after: readonly number[] | null): Tally {
  const options = t.options.map((o, i) => {
    const d = (after?.includes(i) ? 1 : 0) - (before?.includes(i) ? 1 : 0);
    return d === 0 ? o : { areaCenti: o.areaCenti + d * areaCenti, heads: o.heads + d };
  });
  const dp = (after ? 1 : 0) - (before ? 1 : 0);
  return { participatingAreaCenti: t.participatingAreaCenti + dp * areaCenti, participatingHeads: t.participatingHeads + dp, options };
}

/** Whether `part` of `total` meets the threshold, in exact integer arithmetic. */
export function meets(part: number, total: number, t: Threshold): boolean {
  const lhs = part * t.den;
  const rhs = t.num * total;
  return t.strict ? lhs > rhs : lhs >= rhs;
}

export interface Check {
  readonly area: boolean;
  readonly heads: boolean;
  readonly ok: boolean;
}

const check = (area: number, areaTotal: number, heads: number, headsTotal: number, b: BothThresholds): Check => {
  const a = meets(area, areaTotal, b.area);
  const h = meets(heads, headsTotal, b.heads);
  return { area: a, heads: h, ok: a && h };
};

export type ApprovalClass = 'special' | 'ordinary';

export const approvalClassOf = (category: VoteCategory, rules: RuleSet): ApprovalClass => (rules.special.includes(category) ? 'special' : 'ordinary');

export interface Outcome {
  readonly approvalClass: ApprovalClass;
  readonly participation: Check;
  /** Per option: approved by the participating owners (by area and by head). */
  readonly options: readonly Check[];
}

/** The outcome of a tally under the rules; an empty register never passes anything. */
export function outcomeOf(snapshot: Pick<RegisterSnapshot, 'totalAreaCenti' | 'totalHeads'>, t: Tally, category: VoteCategory, rules: RuleSet): Outcome {
  const approvalClass = approvalClassOf(category, rules);
  const empty = snapshot.totalHeads === 0;
  const participation = empty ? { area: false, heads: false, ok: false }
    : check(t.participatingAreaCenti, snapshot.totalAreaCenti, t.participatingHeads, snapshot.totalHeads, rules.participation);
  const options = t.options.map((o) => {
    if (t.participatingHeads === 0) return { area: false, heads: false, ok: false };
    const c = check(o.areaCenti, t.participatingAreaCenti, o.heads, t.participatingHeads, rules.approval[approvalClass]);
    return { ...c, ok: c.ok && participation.ok };
  });
  return { approvalClass, participation, options };
}
