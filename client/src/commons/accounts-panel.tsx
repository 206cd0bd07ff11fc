/**
 * @module client/commons/accounts-panel
 * The public accounts of the common parts (公共收益与维修资金公示): totals, a month-by-month
 * chart (SVG), every published line with its vouchers (fetched signed in, opened as a blob),
 * corrections shown as such, and the questions on each line with staff's public answers.
 * Staff publish lines (with voucher uploads and corrections) and answer here.
 * Owns: those views and forms. Does not: compute totals (the server sends them) or check roles.
 */
import { useState } from 'preact/hooks';
import { failureOf } from '../api.ts';
import { authedFetch } from './authed-fetch.ts';
import type { LinkAuth } from '../connection.ts';
import { dateTimeFormat } from '../labels.ts';
import type { Failure, LedgerCategory, LedgerLine, LedgerTotals, Question, VoucherRef } from '../protocol.ts';
import { LEDGER_CATEGORY_LIST, ledgerCategoryName, useCommonsI18n, yuan } from './commons-i18n.ts';
import { FailureLine } from './failure-line.tsx';
import type { CommonsView } from './use-commons-room.ts';

export function AccountsPanel({ commons, auth }: { commons: CommonsView; auth: LinkAuth }) {
  const { lang, ct } = useCommonsI18n();
  const t = commons.totals;
  const lines = [...commons.lines].sort((a, b) => (a.month === b.month ? b.n - a.n : a.month < b.month ? 1 : -1));
  return (
    <section class="panel accounts-panel" aria-labelledby="accounts-title" data-testid="accounts-panel">
      <h2 id="accounts-title">{ct('accountsTitle')}</h2>
      {t && (
        <dl class="totals" data-testid="accounts-totals" data-common-in={t.all.commonIn} data-common-out={t.all.commonOut} data-fund-in={t.all.fundIn} data-fund-out={t.all.fundOut}>
          <div><dt>{ct('accountsCommonIn')}</dt><dd>{yuan(t.all.commonIn, lang)}</dd></div>
          <div><dt>{ct('accountsCommonOut')}</dt><dd>{yuan(t.all.commonOut, lang)}</dd></div>
          <div><dt>{ct('accountsFundIn')}</dt><dd>{yuan(t.all.fundIn, lang)}</dd></div>
          <div><dt>{ct('accountsFundOut')}</dt><dd>{yuan(t.all.fundOut, lang)}</dd></div>
        </dl>
      )}
      {t && t.months.length > 0 && <MonthChart totals={t} />}
      {commons.staff && <PublishForm commons={commons} auth={auth} />}
      <h3>{ct('accountsLines')}</h3>
      {commons.ready && lines.length === 0 && <p class="muted">{ct('accountsEmpty')}</p>}
      <ul class="rows" data-testid="accounts-lines">
        {lines.map((l) => <LineRow key={l.lineId} line={l} all={commons.lines} questions={commons.questions.filter((q) => q.lineId === l.lineId)} commons={commons} auth={auth} />)}
      </ul>
    </section>
  );
}

function MonthChart({ totals }: { totals: LedgerTotals }) {
  const { ct } = useCommonsI18n();
  const months = totals.months.slice(-12);
  const max = Math.max(1, ...months.flatMap((m) => [m.commonIn, m.commonOut]));
  const w = 28;
  const h = 90;
  return (
    <figure class="chart" data-testid="accounts-chart" data-months={months.length}>
      <figcaption class="small muted">{ct('accountsChart')}: <span class="key in">{ct('accountsCommonIn')}</span> <span class="key out">{ct('accountsCommonOut')}</span></figcaption>
      <svg viewBox={`0 0 ${months.length * w + 4} ${h + 16}`} role="img" aria-label={ct('accountsChart')}>
        {months.map((m, i) => {
          const hi = (m.commonIn / max) * h;
          const ho = (m.commonOut / max) * h;
          return (
            <g key={m.month}>
              <rect class="in" x={i * w + 4} y={h - hi} width={10} height={hi} />
              <rect class="out" x={i * w + 15} y={h - ho} width={10} height={ho} />
              <text x={i * w + 14} y={h + 12} text-anchor="middle" font-size="8">{m.month.slice(2)}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

async function openVoucher(auth: LinkAuth, v: VoucherRef): Promise<void> {
  const res = await authedFetch(auth, `/api/commons/voucher?sha256=${v.sha256}`);
  const url = URL.createObjectURL(await res.blob());
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function LineRow({ line, all, questions, commons, auth }: { line: LedgerLine; all: readonly LedgerLine[]; questions: readonly Question[]; commons: CommonsView; auth: LinkAuth }) {
  const { lang, ct } = useCommonsI18n();
  const when = dateTimeFormat(lang);
  const [text, setText] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const nOf = (id: string | null) => all.find((x) => x.lineId === id)?.n ?? '?';
  const ask = async () => {
    const r = await commons.send('ask', { lineId: line.lineId, text });
    setFailure(r.ok ? null : r.failure);
    if (r.ok) setText('');
  };
  return (
    <li class={`row column ledger-line${line.correctedBy ? ' corrected' : ''}`} data-testid="accounts-line" data-line-id={line.lineId} data-amount={line.amountFen} data-corrected={line.correctedBy ? 'true' : 'false'}>
      <div class="row-main">
        <strong>#{line.n} {line.month} · {ledgerCategoryName(line.category, lang)}</strong>{' '}
        <span class={line.direction === 'in' ? 'ok' : 'bad'}>{line.direction === 'in' ? '+' : '−'}{yuan(line.amountFen, lang)}</span>
        <div class="small">{line.description}</div>
        <div class="muted small">{line.byName} · {when.format(line.at)}</div>
        {line.corrects && <div class="small">{ct('accountsCorrects', { n: nOf(line.corrects), reason: line.reason })}</div>}
        {line.correctedBy && <div class="small bad">{ct('accountsCorrectedBy', { n: nOf(line.correctedBy) })}</div>}
        {line.vouchers.map((v) => (
          <button key={v.sha256} type="button" class="link" data-testid="accounts-voucher" data-sha256={v.sha256} onClick={() => void openVoucher(auth, v).catch((e: unknown) => setFailure(failureOf(e)))}>
            {ct('accountsVoucher', { name: v.name || v.sha256.slice(0, 8) })}
          </button>
        ))}
        <ul class="questions">
          {questions.map((q) => <QuestionRow key={q.questionId} q={q} commons={commons} />)}
        </ul>
        <form class="inline" onSubmit={(e) => { e.preventDefault(); void ask(); }}>
          <input data-testid="accounts-ask-text" placeholder={ct('accountsAskPlaceholder')} value={text} maxLength={500} onInput={(e) => setText(e.currentTarget.value)} />
          <button type="submit" class="secondary" data-testid="accounts-ask" disabled={text.trim() === ''}>{ct('accountsAsk')}</button>
        </form>
        <FailureLine failure={failure} testid="accounts-line-error" />
      </div>
    </li>
  );
}

function QuestionRow({ q, commons }: { q: Question; commons: CommonsView }) {
  const { ct } = useCommonsI18n();
  const [text, setText] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const answer = async () => {
    const r = await commons.send('answer', { questionId: q.questionId, text });
    setFailure(r.ok ? null : r.failure);
  };
  return (
    <li class="small" data-testid="accounts-question" data-answered={q.answer ? 'true' : 'false'}>
      <strong>{q.byName}：</strong>{q.text}
      {q.answer ? <div class="answer" data-testid="accounts-answer"><strong>{q.answer.byName}：</strong>{q.answer.text}</div> : <div class="muted">{ct('accountsNoAnswer')}</div>}
      {!q.answer && commons.staff && (
        <form class="inline" onSubmit={(e) => { e.preventDefault(); void answer(); }}>
          <input data-testid="accounts-answer-text" placeholder={ct('accountsAnswerPlaceholder')} value={text} onInput={(e) => setText(e.currentTarget.value)} />
          <button type="submit" class="secondary" data-testid="accounts-answer-send" disabled={text.trim() === ''}>{ct('accountsAnswer')}</button>
        </form>
      )}
      <FailureLine failure={failure} testid="accounts-answer-error" />
    </li>
  );
}

function PublishForm({ commons, auth }: { commons: CommonsView; auth: LinkAuth }) {
  const { lang, ct } = useCommonsI18n();
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const [category, setCategory] = useState<LedgerCategory>('advertising');
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [corrects, setCorrects] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const submit = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const vouchers: { sha256: string; name: string }[] = [];
      for (const f of files) {
        const res = await authedFetch(auth, '/api/commons/vouchers', { method: 'POST', body: f, headers: { 'x-file-name': encodeURIComponent(f.name) } });
        const body: unknown = await res.json();
        vouchers.push({ sha256: (body as { voucher: VoucherRef }).voucher.sha256, name: f.name });
      }
      const fen = Math.round(Number(amount) * 100);
      const r = await commons.send('publishLine', { month, category, amountFen: Number.isFinite(fen) ? fen : 0, description, vouchers, corrects: corrects || null, reason: corrects ? reason : '' });
      if (!r.ok) setFailure(r.failure);
      else { setAmount(''); setDescription(''); setFiles([]); setCorrects(''); setReason(''); }
    } catch (e) {
      setFailure(failureOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="form-box">
      <summary data-testid="accounts-new">{ct('accountsPublish')}</summary>
      <form class="form" data-testid="accounts-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <label>{ct('accountsMonth')}<input type="month" data-testid="accounts-form-month" value={month} onInput={(e) => setMonth(e.currentTarget.value)} /></label>
        <label>{ct('accountsCategory')}
          <select data-testid="accounts-form-category" value={category} onChange={(e) => setCategory(e.currentTarget.value as LedgerCategory)}>
            {LEDGER_CATEGORY_LIST.map((c) => <option key={c} value={c}>{ledgerCategoryName(c, lang)}</option>)}
          </select>
        </label>
        <label>{ct('accountsAmount')}<input inputMode="decimal" data-testid="accounts-form-amount" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} /></label>
        <label>{ct('accountsDescription')}<input data-testid="accounts-form-description" value={description} maxLength={200} onInput={(e) => setDescription(e.currentTarget.value)} /></label>
        <label>{ct('accountsVouchers')}<input type="file" multiple accept="image/png,image/jpeg,image/webp,application/pdf" data-testid="accounts-form-files" onChange={(e) => setFiles([...(e.currentTarget.files ?? [])])} /></label>
        <label>{ct('accountsCorrect')}
          <select data-testid="accounts-form-corrects" value={corrects} onChange={(e) => setCorrects(e.currentTarget.value)}>
            <option value="">{ct('accountsCorrectNone')}</option>
            {commons.lines.filter((l) => l.correctedBy === null).map((l) => <option key={l.lineId} value={l.lineId}>#{l.n} {l.month} {ledgerCategoryName(l.category, lang)} {yuan(l.amountFen, lang)}</option>)}
          </select>
        </label>
        {corrects && <label>{ct('accountsReason')}<input data-testid="accounts-form-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} /></label>}
        <button type="submit" class="primary" data-testid="accounts-form-submit" disabled={busy || amount === '' || description.trim() === ''}>{busy ? ct('accountsUploading') : ct('accountsPublishIt')}</button>
        <FailureLine failure={failure} testid="accounts-form-error" />
      </form>
    </details>
  );
}
