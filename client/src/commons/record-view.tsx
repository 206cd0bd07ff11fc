/**
 * @module client/commons/record-view
 * The printable page of a closed vote's record: what was decided, by which rules, on which
 * register snapshot, the tally and outcome, extensions, register changes, and every ballot (open
 * ballot) or every receipt and the participants (secret ballot). "Print" prints just this page
 * (styles.css @media print); "Download CSV" saves the server's CSV of the same record.
 * Owns: the record's layout. Does not: compute anything (the server's record is shown as it is).
 */
import { useEffect, useState } from 'preact/hooks';
import type { CommunityLayout } from '../../../actors/community/layout.ts';
import { failureOf } from '../api.ts';
import { authedFetch } from './authed-fetch.ts';
import type { LinkAuth } from '../connection.ts';
import { pick } from '../i18n.ts';
import { dateTimeFormat, unitLabel } from '../labels.ts';
import { useI18n } from '../i18n.ts';
import type { Failure, VoteRecord } from '../protocol.ts';
import { categoryName, fraction, m2, useCommonsI18n } from './commons-i18n.ts';
import { FailureLine } from './failure-line.tsx';


export function RecordView({ voteId, auth, layout, onBack }: { voteId: string; auth: LinkAuth; layout: CommunityLayout; onBack: () => void }) {
  const { lang, ct } = useCommonsI18n();
  const { t } = useI18n();
  const [record, setRecord] = useState<VoteRecord | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const when = dateTimeFormat(lang);
  useEffect(() => {
    let live = true;
    authedFetch(auth, `/api/commons/vote-record?voteId=${encodeURIComponent(voteId)}`)
      .then((r) => r.json() as Promise<{ record: VoteRecord }>)
      .then((j) => live && setRecord(j.record), (e: unknown) => live && setFailure(failureOf(e)));
    return () => { live = false; };
  }, [voteId, auth]);

  const downloadCsv = async () => {
    try {
      const blob = await (await authedFetch(auth, `/api/commons/vote-record.csv?voteId=${encodeURIComponent(voteId)}`)).blob();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${voteId}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      setFailure(failureOf(e));
    }
  };

  const units = (list: readonly string[]) => list.map((u) => unitLabel(u, layout, lang, t)).join('、');
  const label = (choices: readonly number[] | null) => (choices === null ? ct('recordReplaced') : choices.map((i) => (record ? pick(record.definition.options[i]!, lang) : String(i))).join('、'));
  const cls = record?.outcome?.approvalClass ?? 'ordinary';
  return (
    <section class="panel record printable" data-testid="vote-record-page" aria-labelledby="record-title">
      <div class="no-print inline">
        <button type="button" class="link" onClick={onBack}>{ct('recordBack')}</button>
        <button type="button" class="secondary" data-testid="record-print" onClick={() => window.print()}>{ct('recordPrint')}</button>
        <button type="button" class="secondary" data-testid="record-csv" onClick={() => void downloadCsv()}>{ct('recordCsv')}</button>
      </div>
      <FailureLine failure={failure} testid="record-error" />
      {record && (
        <>
          <h2 id="record-title">{ct('recordTitle', { title: record.definition.title })}</h2>
          <p class="small">{categoryName(record.definition.category, lang)} · {when.format(record.definition.openedAt)} – {when.format(record.closedAt)}</p>
          <p data-testid="record-outcome" data-passed={record.passed ? 'true' : 'false'}><strong>{record.status === 'cancelled' ? ct('voteCancelled') : record.passed ? ct('votePassed') : ct('voteFailed')}</strong>{record.cancelled ? ` · ${record.cancelled.reason}` : ''}</p>
          <p class="small" data-testid="record-statement">{pick(record.registerStatement, lang)}</p>
          <h3>{ct('recordRules')}</h3>
          <p class="small">{pick(record.rules.name, lang)} — {pick(record.rules.basis, lang)}</p>
          <p class="small">{ct('voteNeeds', { p: fraction(record.rules.participation.area), a: fraction(record.rules.approval[cls].area) })}</p>
          <p class="small">{ct('recordSnapshot', { at: when.format(record.snapshot.takenAt), units: record.snapshot.units.length, area: m2(record.snapshot.totalAreaCenti), heads: record.snapshot.totalHeads })}</p>
          <h3>{ct('recordTally')}</h3>
          <table class="record-table" data-testid="record-tally">
            <thead><tr><th /><th>{ct('recordArea')}</th><th>{ct('recordHead')}</th><th /></tr></thead>
            <tbody>
              <tr><td>{ct('recordParticipating')}</td><td>{m2(record.tally.participatingAreaCenti)}</td><td>{record.tally.participatingHeads}</td><td>{record.outcome?.participation.ok ? ct('recordApproved') : ct('recordNotApproved')}</td></tr>
              {record.tally.options.map((o, i) => (
                <tr key={i}><td>{pick(record.definition.options[i]!, lang)}</td><td>{m2(o.areaCenti)}</td><td>{o.heads}</td><td>{record.outcome?.options[i]?.ok ? ct('recordApproved') : ct('recordNotApproved')}</td></tr>
              ))}
            </tbody>
          </table>
          {record.extensions.length > 0 && (
            <><h3>{ct('recordExtensions')}</h3><ul class="small">{record.extensions.map((x) => <li key={x.at}>{when.format(x.from)} → {when.format(x.to)}：{x.reason}</li>)}</ul></>
          )}
          {record.registerChanges.length > 0 && (
            <><h3>{ct('recordChanges')}</h3><ul class="small" data-testid="record-changes">{record.registerChanges.map((c) => <li key={c.unitId}>{units([c.unitId])}</li>)}</ul></>
          )}
          {record.definition.secret ? (
            <>
              <h3>{ct('recordParticipants')}</h3>
              <table class="record-table"><tbody>{record.participants.map((p) => <tr key={p.head}><td>{p.head}</td><td>{units(p.units)}</td><td>{m2(p.areaCenti)}</td></tr>)}</tbody></table>
              <h3>{ct('recordReceipts')}</h3>
              <table class="record-table" data-testid="record-receipts"><tbody>{record.receipts.map((r) => <tr key={r.receipt}><td><code>{r.receipt}</code></td><td>{label(r.choices)}</td></tr>)}</tbody></table>
            </>
          ) : (
            <>
              <h3>{ct('recordBallots')}</h3>
              <table class="record-table" data-testid="record-ballots">
                <thead><tr><th>{ct('recordHead')}</th><th>{ct('recordUnits')}</th><th>{ct('recordArea')}</th><th>{ct('recordChoice')}</th><th>{ct('recordTime')}</th></tr></thead>
                <tbody>{record.ballots.map((b) => <tr key={b.head}><td>{b.head}</td><td>{units(b.units)}</td><td>{m2(b.areaCenti)}</td><td>{label(b.choices)}</td><td>{when.format(b.at)}</td></tr>)}</tbody>
              </table>
            </>
          )}
        </>
      )}
    </section>
  );
}
