/**
 * @module actors/votes/record
 * The auditable record of a closed (or cancelled) vote, built only from the vote's folded state:
 * definition, rule set, the register snapshot it used, deadlines and extensions, the tally by
 * area and head, the outcome, register changes since opening, and every ballot (open ballot) or
 * every receipt with its choice plus the list of participants (secret ballot). Also its CSV.
 * Owns: what the record shows and hides. Does not: store it (the closed state is immutable:
 * every command after VoteClosed is refused) or render HTML (the web client's printable page).
 * Secrecy: a secret ballot's record never pairs a head, unit or account with a choice; receipts
 * are random codes listed in code order, so their order says nothing about who voted when.
 */
import { shardedValues } from '../_kit/index.ts';
import { passedOf } from './vote.ts';
import type { Outcome, SnapshotUnit, Tally } from './head-count.ts';
import type { Extension, LocalizedText, RegisterChange, RuleSet, VoteDefinition, VoteState } from './vote-protocol.ts';

export interface RecordUnit extends Omit<SnapshotUnit, 'owners'> {
  readonly owners: number;
}

export interface OpenBallotRow {
  readonly head: string;
  readonly units: readonly string[];
  readonly areaCenti: number;
  readonly by: string;
  readonly choices: readonly number[];
  readonly at: number;
  /** Ballots of this head it replaced. */
  readonly changes: number;
}

export interface ReceiptRow {
  readonly receipt: string;
  /** Null for a receipt whose ballot its owner later replaced. */
  readonly choices: readonly number[] | null;
}

export interface ParticipantRow {
  readonly head: string;
  readonly units: readonly string[];
  readonly areaCenti: number;
}

export interface VoteRecord {
  readonly definition: VoteDefinition;
  readonly status: 'closed' | 'cancelled';
  readonly rules: RuleSet;
  /** The snapshot's units with how many owner accounts each had (never which: a record names accounts only next to open ballots). */
  readonly snapshot: { readonly takenAt: number; readonly totalAreaCenti: number; readonly totalHeads: number; readonly units: readonly RecordUnit[] };
  readonly closesAt: number;
  readonly extensions: readonly Extension[];
  readonly closedAt: number;
  readonly tally: Tally;
  readonly outcome: Outcome | null;
  readonly passed: boolean;
  readonly elected: readonly number[];
  readonly registerChanges: readonly RegisterChange[];
  readonly cancelled: { readonly by: string; readonly reason: string } | null;
  /** Open ballot: every ballot, by head. Secret ballot: empty. */
  readonly ballots: readonly OpenBallotRow[];
  /** Secret ballot: every receipt (current and replaced), sorted by code. Open ballot: empty. */
  readonly receipts: readonly ReceiptRow[];
  /** Secret ballot: who took part (heads and units, no choices). Open ballot: empty. */
  readonly participants: readonly ParticipantRow[];
  /** The sentence every record carries about which register decided. */
  readonly registerStatement: LocalizedText;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The record of a vote that has ended; null while it is open or was never opened. */
export function voteRecord(s: VoteState): VoteRecord | null {
  if ((s.status !== 'closed' && s.status !== 'cancelled') || !s.definition || !s.snapshot || !s.rules) return null;
  const def = s.definition;
  const snap = s.snapshot;
  const ballots = shardedValues(s.ballots).sort((a, b) => byString(a.head, b.head));
  const headOf = (h: string) => snap.heads[h];
  const outcome = s.closed?.outcome ?? null;
  const result = outcome ? passedOf(def, outcome, s.tally) : { passed: false, elected: [] };
  const changed = s.closed?.registerChanges ?? [];
  return {
    definition: def,
    status: s.status,
    rules: s.rules,
    snapshot: { takenAt: snap.takenAt, totalAreaCenti: snap.totalAreaCenti, totalHeads: snap.totalHeads, units: snap.units.map((x) => ({ ...x, owners: x.owners.length })) },
    closesAt: s.closesAt,
    extensions: s.extensions,
    closedAt: s.closed?.at ?? s.cancelled?.at ?? 0,
    tally: s.tally,
    outcome,
    passed: s.closed?.passed ?? false,
    elected: result.elected,
    registerChanges: changed,
    cancelled: s.cancelled ? { by: s.cancelled.by, reason: s.cancelled.reason } : null,
    ballots: def.secret ? [] : ballots.map((b) => ({ head: b.head, units: headOf(b.head)?.units ?? [], areaCenti: headOf(b.head)?.areaCenti ?? 0, by: b.by, choices: b.choices, at: b.at, changes: b.replaced.length })),
    receipts: def.secret
      ? ballots.flatMap((b) => [{ receipt: b.receipt, choices: b.choices }, ...b.replaced.map((r) => ({ receipt: r, choices: null }))]).sort((a, b) => byString(a.receipt, b.receipt))
      : [],
    participants: def.secret ? ballots.map((b) => ({ head: b.head, units: headOf(b.head)?.units ?? [], areaCenti: headOf(b.head)?.areaCenti ?? 0 })) : [],
    registerStatement: {
      'zh-CN': `以表决开始时（${new Date(snap.takenAt).toISOString()}）的房屋登记快照为准${changed.length > 0 ? `；其后有 ${changed.length} 套房屋的业主发生变化，不影响本次表决` : '；表决期间登记未发生变化'}。`,
      en: `The register snapshot taken at the opening (${new Date(snap.takenAt).toISOString()}) decides${changed.length > 0 ? `; the owners of ${changed.length} unit(s) changed afterwards, which does not affect this vote` : '; the register did not change during the vote'}.`,
    },
  };
}

/** m² with two decimals, from hundredths. */
export const m2 = (centi: number) => `${Math.trunc(centi / 100)}.${String(Math.abs(centi % 100)).padStart(2, '0')}`;

function cell(v: string | number): string {
  const s = String(v);
  // Quote anything a spreadsheet could misread, and neutralise formula starts (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const row = (...cells: (string | number)[]) => cells.map(cell).join(',');

/** The record as CSV (UTF-8, one section per part, `#` lines as headings), for a spreadsheet or an archive. */
export function recordCsv(r: VoteRecord): string {
  const def = r.definition;
  const label = (i: number) => def.options[i]?.['zh-CN'] ?? String(i);
  const lines: string[] = [
    '# vote',
    row('vote_id', 'title', 'category', 'form', 'secret', 'allow_change', 'scope', 'opened_at', 'closes_at', 'closed_at', 'status', 'passed'),
    row(def.voteId, def.title, def.category, def.form, String(def.secret), String(def.allowChange), def.scope.kind === 'building' ? def.scope.buildingId : 'community',
      new Date(def.openedAt).toISOString(), new Date(r.closesAt).toISOString(), new Date(r.closedAt).toISOString(), r.status, String(r.passed)),
    '# rules',
    row('rule_set', 'participation_area', 'participation_heads', 'approval_class', 'approval_area', 'approval_heads', 'developer_as_one', 'same_owner_as_one'),
  ];
  const cls = r.outcome?.approvalClass ?? (r.rules.special.includes(def.category) ? 'special' : 'ordinary');
  const frac = (t: { num: number; den: number; strict: boolean }) => `${t.strict ? '>' : '>='}${t.num}/${t.den}`;
  lines.push(row(r.rules.id, frac(r.rules.participation.area), frac(r.rules.participation.heads), cls, frac(r.rules.approval[cls].area), frac(r.rules.approval[cls].heads), String(r.rules.heads.developerAsOne), String(r.rules.heads.sameOwnerAsOne)));
  lines.push('# register snapshot', row('taken_at', 'total_area_m2', 'total_heads'), row(new Date(r.snapshot.takenAt).toISOString(), m2(r.snapshot.totalAreaCenti), r.snapshot.totalHeads));
  lines.push(row('unit_id', 'building_id', 'area_m2', 'head', 'owners_at_opening'));
  for (const u of r.snapshot.units) lines.push(row(u.id, u.buildingId, m2(u.areaCenti), u.head, u.owners));
  lines.push('# tally', row('option', 'area_m2', 'heads', 'approved'));
  lines.push(row('participating', m2(r.tally.participatingAreaCenti), r.tally.participatingHeads, String(r.outcome?.participation.ok ?? false)));
  r.tally.options.forEach((o, i) => lines.push(row(label(i), m2(o.areaCenti), o.heads, String(r.outcome?.options[i]?.ok ?? false))));
  if (r.extensions.length > 0) {
    lines.push('# extensions', row('at', 'from', 'to', 'by', 'reason'));
    for (const x of r.extensions) lines.push(row(new Date(x.at).toISOString(), new Date(x.from).toISOString(), new Date(x.to).toISOString(), x.by, x.reason));
  }
  if (r.registerChanges.length > 0) {
    lines.push('# register changes after opening (the snapshot decides)', row('unit_id', 'owners_at_opening', 'owners_at_closing'));
    for (const c of r.registerChanges) lines.push(row(c.unitId, c.ownersAtOpening, c.ownersNow));
  }
  if (def.secret) {
    lines.push('# participants', row('head', 'units', 'area_m2'));
    for (const p of r.participants) lines.push(row(p.head, p.units.join(' '), m2(p.areaCenti)));
    lines.push('# receipts', row('receipt', 'choices'));
    for (const x of r.receipts) lines.push(row(x.receipt, x.choices === null ? 'replaced' : x.choices.map(label).join(' ')));
  } else {
    lines.push('# ballots', row('head', 'units', 'area_m2', 'account', 'choices', 'at', 'changes'));
    for (const b of r.ballots) lines.push(row(b.head, b.units.join(' '), m2(b.areaCenti), b.by, b.choices.map(label).join(' '), new Date(b.at).toISOString(), b.changes));
  }
  lines.push('# statement', row(r.registerStatement['zh-CN']), row(r.registerStatement.en));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
