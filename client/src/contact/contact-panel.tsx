/**
 * @module client/contact/contact-panel
 * "Reach a neighbour" (找邻居): register my cars' plates (each chip says when it waits for staff
 * or is disputed), ask the owner of a plate or the
 * residents of a unit (nobody's phone number is shown, and the answer to an ask never tells
 * whether anyone was reached), answer what I was asked, and read the answers to my asks as they
 * arrive. Owns: that panel's markup and forms. Does not: hold the state (use-contact does).
 */
import { useState } from 'preact/hooks';
import type { CommunityLayout } from '../../../actors/community/layout.ts';
import { pick, useI18n } from '../i18n.ts';
import { dateTimeFormat, unitLabel } from '../labels.ts';
import type { TargetRef } from '../protocol.ts';
import type { AskTarget } from './contact-api.ts';
import type { ContactView } from './use-contact.ts';

/** Longest ask or answer, code points: the relay's DEFAULT_CONTACT_LIMITS.maxChars. */
export const CONTACT_MAX_CHARS = 200;

export interface ContactPanelProps {
  readonly layout: CommunityLayout;
  readonly contact: ContactView;
}

export function ContactPanel({ layout, contact }: ContactPanelProps) {
  const { lang, t } = useI18n();
  const when = dateTimeFormat(lang);
  const target = (r: TargetRef) => (r.kind === 'plate' ? t('targetPlate', { plate: r.plate }) : t('targetUnit', { unit: unitLabel(r.unitId, layout, lang, t) }));

  return (
    <section class="panel contact" aria-labelledby="contact-title" data-testid="contact-panel">
      <h2 id="contact-title">{t('contactTitle')}</h2>
      <p class="muted small">{t('contactHint')}</p>
      {contact.error && (
        <p class="chat-error" role="alert" data-testid="contact-error" data-code={contact.error.code}>
          {pick(contact.error.message, lang)}
          <button type="button" class="link" onClick={contact.dismissError}>{t('dismiss')}</button>
        </p>
      )}
      <Plates contact={contact} />
      <AskForm layout={layout} contact={contact} />

      <h3>
        {t('inboxTitle')}{' '}
        <button type="button" class="link" data-testid="contact-reload" onClick={() => void contact.reload()}>{t('reload')}</button>
      </h3>
      {contact.inbox.length === 0 ? (
        <p class="muted">{t('inboxEmpty')}</p>
      ) : (
        <ul class="rows" data-testid="inbox">
          {[...contact.inbox].reverse().map((e) => (
            <li key={e.requestId} class="row column" data-testid="inbox-entry" data-request-id={e.requestId} data-answered={e.answered ? 'true' : 'false'}>
              <span>
                <strong>{e.from.name}</strong> <span class="muted">{target(e.target)} · {when.format(e.at)}</span>
              </span>
              <p class="quote">{e.text}</p>
              {e.answered ? <span class="muted" data-testid="inbox-answered">{t('answered')}</span> : <AnswerForm contact={contact} requestId={e.requestId} />}
            </li>
          ))}
        </ul>
      )}

      <h3>{t('outboxTitle')}</h3>
      {contact.outbox.length === 0 ? (
        <p class="muted">{t('outboxEmpty')}</p>
      ) : (
        <ul class="rows" data-testid="outbox">
          {[...contact.outbox].reverse().map((e) => (
            <li key={e.requestId} class="row column" data-testid="outbox-entry" data-request-id={e.requestId} data-answers={e.answers.length}>
              <span class="muted">{target(e.target)} · {when.format(e.at)}</span>
              <p class="quote">{e.text}</p>
              {e.answers.length === 0 ? (
                <span class="muted">{t('noAnswerYet')}</span>
              ) : (
                <ul class="plain">
                  {e.answers.map((a) => (
                    <li key={`${a.at}:${a.name}`} data-testid="outbox-answer">
                      <strong>{a.name}</strong>：{a.text} <span class="muted">{when.format(a.at)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Plates({ contact }: { contact: ContactView }) {
  const { t } = useI18n();
  const [plate, setPlate] = useState('');
  return (
    <form
      class="form"
      data-testid="plate-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (plate.trim() && (await contact.addPlate(plate.trim()))) setPlate('');
      }}
    >
      <h3>{t('platesTitle')}</h3>
      {contact.plates.length > 0 && (
        <ul class="chips" data-testid="plates">
          {contact.plates.map(({ plate: p, status }) => (
            <li key={p} class={status === 'confirmed' ? 'chip' : 'chip muted'} data-testid="plate-row" data-plate={p} data-status={status}>
              {p}
              {status !== 'confirmed' && <span class="small" data-testid="plate-status"> · {t(status === 'pending' ? 'platePending' : 'plateDisputed')}</span>}
              <button type="button" class="link" aria-label={t('plateRemove', { plate: p })} onClick={() => void contact.removePlate(p)}>×</button>
            </li>
          ))}
        </ul>
      )}
      <div class="inline">
        <input data-testid="plate-input" value={plate} placeholder={t('platePlaceholder')} aria-label={t('platesTitle')} onInput={(e) => setPlate(e.currentTarget.value)} />
        <button type="submit" class="secondary" data-testid="plate-add" disabled={!plate.trim()}>{t('plateAdd')}</button>
      </div>
    </form>
  );
}

function AskForm({ layout, contact }: { layout: CommunityLayout; contact: ContactView }) {
  const { lang, t } = useI18n();
  const [kind, setKind] = useState<AskTarget['kind']>('plate');
  const [plate, setPlate] = useState('');
  const [building, setBuilding] = useState('');
  const [entrance, setEntrance] = useState('');
  const [room, setRoom] = useState('');
  const [text, setText] = useState('');
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const homes = layout.buildings.filter((b) => b.residential);
  const target: AskTarget | null =
    kind === 'plate' ? (plate.trim() ? { kind, plate: plate.trim() } : null)
      : building && entrance.trim() && room.trim() ? { kind, unitId: `${building}-${entrance.trim()}-${room.trim()}` } : null;
  const chars = [...text.trim()].length;

  return (
    <form
      class="form"
      data-testid="ask-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!target || chars === 0 || busy) return;
        setBusy(true);
        setSent(false);
        if (await contact.ask(target, text.trim())) {
          setText('');
          setSent(true);
        }
        setBusy(false);
      }}
    >
      <h3>{t('askTitle')}</h3>
      <div class="tabs" role="radiogroup" aria-label={t('askTitle')}>
        {(['plate', 'unit'] as const).map((k) => (
          <button key={k} type="button" role="radio" aria-checked={kind === k} class={kind === k ? 'tab active' : 'tab'} data-testid={`ask-kind-${k}`} onClick={() => setKind(k)}>
            {t(k === 'plate' ? 'askByPlate' : 'askByUnit')}
          </button>
        ))}
      </div>
      {kind === 'plate' ? (
        <label>
          <span>{t('askPlate')}</span>
          <input data-testid="ask-plate" value={plate} placeholder={t('platePlaceholder')} onInput={(e) => setPlate(e.currentTarget.value)} />
        </label>
      ) : (
        <div class="inline">
          <select data-testid="ask-building" value={building} aria-label={t('inviteBuilding')} onChange={(e) => setBuilding(e.currentTarget.value)}>
            <option value="">{t('buildingPlaceholder')}</option>
            {homes.map((b) => (
              <option key={b.id} value={b.id}>{pick(b.name, lang)}</option>
            ))}
          </select>
          <input data-testid="ask-entrance" value={entrance} placeholder={t('askEntrance')} aria-label={t('askEntrance')} size={4} onInput={(e) => setEntrance(e.currentTarget.value)} />
          <input data-testid="ask-room" value={room} placeholder={t('askRoom')} aria-label={t('askRoom')} size={6} onInput={(e) => setRoom(e.currentTarget.value)} />
        </div>
      )}
      <label>
        <span>{t('askText')}</span>
        <textarea data-testid="ask-text" value={text} rows={2} maxLength={CONTACT_MAX_CHARS * 2} placeholder={t('askTextHint')} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" data-testid="ask-send" disabled={!target || chars === 0 || chars > CONTACT_MAX_CHARS || busy}>
        {busy ? t('sending') : t('askSend')}
      </button>
      {sent && <span class="ok" role="status" data-testid="ask-sent">{t('askSent')}</span>}
    </form>
  );
}

function AnswerForm({ contact, requestId }: { contact: ContactView; requestId: string }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="inline"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!text.trim() || busy) return;
        setBusy(true);
        if (await contact.answer(requestId, text.trim())) setText('');
        setBusy(false);
      }}
    >
      <input data-testid="answer-text" value={text} placeholder={t('answerPlaceholder')} aria-label={t('answerPlaceholder')} onInput={(e) => setText(e.currentTarget.value)} />
      <button type="submit" class="secondary" data-testid="answer-send" disabled={!text.trim() || busy}>{t('answerSend')}</button>
    </form>
  );
}
