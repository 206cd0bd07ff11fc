/**
 * @module client/commons/votes-panel
 * Owners' votes (业主共同决定): every vote of the community (newest first) with its live turnout
 * and tally by area and by head, the thresholds it needs, the owner's own ballot and receipt, a
 * ballot form, and once closed the outcome and its printable record. Staff also open, extend and
 * cancel votes here.
 * Owns: those views and forms. Does not: count or decide eligibility (the server refuses with a
 * typed failure, shown in the page language).
 */
import { useState } from 'preact/hooks';
import type { CommunityLayout } from '../../../actors/community/layout.ts';
import { pick } from '../i18n.ts';
import { buildingName, dateTimeFormat } from '../labels.ts';
import type { Failure, VoteView } from '../protocol.ts';
import { categoryName, fraction, m2, percent, useCommonsI18n, VOTE_CATEGORY_LIST } from './commons-i18n.ts';
import { FailureLine } from './failure-line.tsx';
import { RecordView } from './record-view.tsx';
import type { CommonsView, VoteLiveJson } from './use-commons-room.ts';
import type { LinkAuth } from '../connection.ts';

export interface VotesPanelProps {
  readonly layout: CommunityLayout;
  readonly commons: CommonsView;
  readonly auth: LinkAuth;
}

export function VotesPanel({ layout, commons, auth }: VotesPanelProps) {
  const { lang, ct } = useCommonsI18n();
  const [record, setRecord] = useState<string | null>(null);
  if (record) return <RecordView voteId={record} auth={auth} layout={layout} onBack={() => setRecord(null)} />;
  return (
    <section class="panel votes" aria-labelledby="votes-title" data-testid="votes-panel" data-ready={commons.ready ? 'true' : 'false'}>
      <h2 id="votes-title">{ct('votesTitle')}</h2>
      {commons.rules && <p class="muted small">{ct('voteRules', { name: pick(commons.rules.name, lang) })}</p>}
      {commons.staff && <OpenVoteForm layout={layout} commons={commons} />}
      {commons.ready && commons.votes.length === 0 && <p class="muted">{ct('votesEmpty')}</p>}
      <ul class="rows">
        {commons.votes.map((v) => (
          <VoteCard key={v.definition.voteId} layout={layout} view={v} live={commons.live[v.definition.voteId]} commons={commons} onRecord={() => setRecord(v.definition.voteId)} />
        ))}
      </ul>
    </section>
  );
}

function VoteCard({ layout, view, live, commons, onRecord }: { layout: CommunityLayout; view: VoteView; live: VoteLiveJson | undefined; commons: CommonsView; onRecord: () => void }) {
  const { lang, ct } = useCommonsI18n();
  const def = view.definition;
  const when = dateTimeFormat(lang);
  const mine = commons.mine[def.voteId];
  const [choice, setChoice] = useState<number[]>([]);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  // Live numbers come from the patched state; the last `vote` message holds them for a closed vote.
  const turnoutArea = live?.turnoutAreaCenti ?? view.turnout.areaCenti;
  const turnoutHeads = live?.turnoutHeads ?? view.turnout.heads;
  const hidden = view.tally === null;
  const optionArea = (i: number) => (view.status === 'open' && live ? live.optionAreaCenti[i] ?? 0 : view.tally?.options[i]?.areaCenti ?? 0);
  const optionHeads = (i: number) => (view.status === 'open' && live ? live.optionHeads[i] ?? 0 : view.tally?.options[i]?.heads ?? 0);
  const cls = view.rules.special.includes(def.category) ? 'special' : 'ordinary';
  const status = view.status === 'open' ? ct('voteOpen') : view.status === 'closed' ? ct('voteClosed') : ct('voteCancelled');
  const cast = mine?.heads.find((h) => h.choices !== null);

  const vote = async () => {
    if (choice.length === 0 || busy) return;
    setBusy(true);
    const r = await commons.send('ballot', { voteId: def.voteId, choices: choice });
    setFailure(r.ok ? null : r.failure);
    setBusy(false);
  };
  const toggle = (i: number) => setChoice((cur) => (def.maxChoices === 1 ? [i] : cur.includes(i) ? cur.filter((x) => x !== i) : [...cur, i].slice(0, def.maxChoices)));

  return (
    <li class="row column vote" data-testid="vote" data-vote-id={def.voteId} data-status={view.status}>
      <div class="row-main">
        <strong>{def.title}</strong> <span class="badge-soft">{status}</span>
        <div class="muted small">
          {categoryName(def.category, lang)} · {def.scope.kind === 'community' ? ct('voteScopeCommunity') : ct('voteScopeBuilding', { building: buildingName(layout, def.scope.buildingId, lang) })} ·{' '}
          {def.secret ? ct('voteSecret') : ct('voteOpenBallot')}{def.allowChange ? ` · ${ct('voteMayChange')}` : ''} · {ct('voteDeadline', { at: when.format(view.closesAt) })}
        </div>
        {def.body && <p class="small">{def.body}</p>}
        <p class="small" data-testid="vote-turnout" data-heads={turnoutHeads} data-area={turnoutArea}>
          {ct('voteTurnout', { area: m2(turnoutArea), total: m2(view.totalAreaCenti), pa: percent(turnoutArea, view.totalAreaCenti), heads: turnoutHeads, totalHeads: view.totalHeads, ph: percent(turnoutHeads, view.totalHeads) })}
        </p>
        <p class="muted small">{ct('voteNeeds', { p: fraction(view.rules.participation.area), a: fraction(view.rules.approval[cls].area) })}</p>
        {hidden ? <p class="muted small">{ct('voteHidden')}</p> : (
          <ul class="tally" data-testid="vote-tally">
            {def.options.map((o, i) => (
              <li key={i} data-testid="vote-option" data-index={i} data-heads={optionHeads(i)} data-area={optionArea(i)}>
                <span class="bar" style={{ width: percent(optionArea(i), Math.max(1, turnoutArea)) }} />
                {ct('voteOption', { label: pick(o, lang), area: m2(optionArea(i)), heads: optionHeads(i) })}
              </li>
            ))}
          </ul>
        )}
        {view.status === 'closed' && (
          <p data-testid="vote-outcome" data-passed={view.passed ? 'true' : 'false'}>
            <strong>{view.passed ? ct('votePassed') : ct('voteFailed')}</strong>
            {def.form === 'election' && view.elected.length > 0 && ` · ${ct('voteElected', { names: view.elected.map((i) => pick(def.options[i]!, lang)).join('、') })}`}
          </p>
        )}
        {cast && <p class="ok small" data-testid="vote-mine">{ct('voteYours', { choice: cast.choices!.map((i) => pick(def.options[i]!, lang)).join('、'), receipt: cast.receipt ?? '' })}</p>}
        {/* Staff are refused with VOTE_NOT_OWNER, not for the snapshot: say so, and keep the snapshot line for owners. */}
        {view.status === 'open' && mine && !mine.eligible && (commons.staff
          ? <p class="muted small" data-testid="vote-staff-no-ballot">{ct('voteStaffNoBallot')}</p>
          : <p class="muted small" data-testid="vote-not-eligible">{ct('voteNotEligible')}</p>)}
        {view.status === 'open' && mine?.eligible && (!cast || def.allowChange) && (
          <div class="inline" role="group">
            {def.options.map((o, i) => (
              <label key={i} class="choice">
                <input type={def.maxChoices === 1 ? 'radio' : 'checkbox'} name={`vote-${def.voteId}`} data-testid="vote-choice" data-index={i} checked={choice.includes(i)} onChange={() => toggle(i)} />
                {pick(o, lang)}
              </label>
            ))}
            <button type="button" class="primary" data-testid="vote-cast" disabled={choice.length === 0 || busy} onClick={() => void vote()}>{cast ? ct('voteChange') : ct('voteCast')}</button>
          </div>
        )}
        <FailureLine failure={failure} testid="vote-error" />
        {view.status !== 'open' && <button type="button" class="link" data-testid="vote-record" onClick={onRecord}>{ct('voteRecord')}</button>}
        {commons.staff && view.status === 'open' && <StaffActions view={view} commons={commons} />}
      </div>
    </li>
  );
}

function StaffActions({ view, commons }: { view: VoteView; commons: CommonsView }) {
  const { ct } = useCommonsI18n();
  const [reason, setReason] = useState('');
  const [days, setDays] = useState(3);
  const [failure, setFailure] = useState<Failure | null>(null);
  const run = async (type: 'extendVote' | 'cancelVote') => {
    const payload = type === 'extendVote' ? { voteId: view.definition.voteId, closesAt: view.closesAt + days * 86_400_000, reason } : { voteId: view.definition.voteId, reason };
    const r = await commons.send(type, payload);
    setFailure(r.ok ? null : r.failure);
    if (r.ok) setReason('');
  };
  return (
    <div class="inline staff-actions">
      <input aria-label={ct('voteExtendReason')} placeholder={ct('voteExtendReason')} value={reason} onInput={(e) => setReason(e.currentTarget.value)} data-testid="vote-reason" />
      <input type="number" min={1} max={60} aria-label={ct('voteExtendDays')} value={days} onInput={(e) => setDays(Number(e.currentTarget.value) || 1)} />
      <button type="button" class="secondary" data-testid="vote-extend" onClick={() => void run('extendVote')}>{ct('voteExtend')}</button>
      <button type="button" class="danger" data-testid="vote-cancel" onClick={() => void run('cancelVote')}>{ct('voteCancel')}</button>
      <FailureLine failure={failure} testid="vote-staff-error" />
    </div>
  );
}

function OpenVoteForm({ layout, commons }: { layout: CommunityLayout; commons: CommonsView }) {
  const { lang, ct } = useCommonsI18n();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [category, setCategory] = useState<string>('use-fund');
  const [form, setForm] = useState<'motion' | 'election'>('motion');
  const [candidates, setCandidates] = useState('');
  const [maxChoices, setMaxChoices] = useState(1);
  const [secret, setSecret] = useState(false);
  const [allowChange, setAllowChange] = useState(false);
  const [days, setDays] = useState(14);
  const [scope, setScope] = useState('community');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const r = await commons.send('openVote', {
      title, body, category, form, candidates: form === 'election' ? candidates.split('\n').map((x) => x.trim()).filter(Boolean) : [], maxChoices: form === 'election' ? maxChoices : 1,
      secret, allowChange, scope: scope === 'community' ? { kind: 'community' } : { kind: 'building', buildingId: scope }, closesAt: Date.now() + days * 86_400_000,
    });
    setBusy(false);
    setFailure(r.ok ? null : r.failure);
    if (r.ok) { setTitle(''); setBody(''); }
  };
  return (
    <details class="form-box">
      <summary data-testid="vote-new">{ct('voteNew')}</summary>
      <form class="form" data-testid="vote-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <label>{ct('voteTitle')}<input data-testid="vote-form-title" value={title} maxLength={100} onInput={(e) => setTitle(e.currentTarget.value)} /></label>
        <label>{ct('voteBody')}<textarea data-testid="vote-form-body" value={body} maxLength={4000} onInput={(e) => setBody(e.currentTarget.value)} /></label>
        <label>{ct('voteCategory')}
          <select data-testid="vote-form-category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
            {VOTE_CATEGORY_LIST.map((c) => <option key={c} value={c}>{categoryName(c, lang)}</option>)}
          </select>
        </label>
        <label>{ct('voteForm')}
          <select data-testid="vote-form-form" value={form} onChange={(e) => setForm(e.currentTarget.value as 'motion' | 'election')}>
            <option value="motion">{ct('voteFormMotion')}</option>
            <option value="election">{ct('voteFormElection')}</option>
          </select>
        </label>
        {form === 'election' && (
          <>
            <label>{ct('voteCandidates')}<textarea value={candidates} onInput={(e) => setCandidates(e.currentTarget.value)} /></label>
            <label>{ct('voteMaxChoices')}<input type="number" min={1} max={50} value={maxChoices} onInput={(e) => setMaxChoices(Number(e.currentTarget.value) || 1)} /></label>
          </>
        )}
        <label>{ct('voteScope')}
          <select data-testid="vote-form-scope" value={scope} onChange={(e) => setScope(e.currentTarget.value)}>
            <option value="community">{ct('voteScopeCommunity')}</option>
            {layout.buildings.filter((b) => b.residential).map((b) => <option key={b.id} value={b.id}>{ct('voteScopeBuilding', { building: pick(b.name, lang) })}</option>)}
          </select>
        </label>
        <label>{ct('voteDays')}<input type="number" min={1} max={180} data-testid="vote-form-days" value={days} onInput={(e) => setDays(Number(e.currentTarget.value) || 1)} /></label>
        <label class="check"><input type="checkbox" checked={secret} onChange={(e) => setSecret(e.currentTarget.checked)} /> {ct('voteSecret')}</label>
        <label class="check"><input type="checkbox" checked={allowChange} onChange={(e) => setAllowChange(e.currentTarget.checked)} /> {ct('voteMayChange')}</label>
        <button type="submit" class="primary" data-testid="vote-form-submit" disabled={busy || title.trim() === ''}>{ct('voteOpenIt')}</button>
        <FailureLine failure={failure} testid="vote-form-error" />
      </form>
    </details>
  );
}
