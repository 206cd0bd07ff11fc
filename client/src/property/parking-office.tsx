/**
 * @module client/property/parking-office
 * The parking desk: for property staff the tariff (free minutes, hourly rate, daily cap, whether
 * unregistered cars may park); for staff and guards the cars inside, with cash taken at a waiting exit.
 * Owns: those forms. Does not: decide (the server refuses a tariff change by non-staff with PARKING_NOT_STAFF).
 */
import { useEffect, useState } from 'preact/hooks';
import type { CommunityLayout } from '../../../actors/community/layout.ts';
import { failureOf } from '../api.ts';
import type { Authed } from '../auth/auth-api.ts';
import { pick, useI18n } from '../i18n.ts';
import { dateTimeFormat } from '../labels.ts';
import * as api from '../parking/parking-api.ts';
import type { Failure, Tariff } from '../protocol.ts';

export function ParkingOffice({ layout, call, staff }: { layout: CommunityLayout; call: Authed; staff: boolean }) {
  const { lang, t } = useI18n();
  const [tariff, setTariff] = useState<Tariff | null>(null);
  const [draft, setDraft] = useState<{ free: string; hourly: string; cap: string; admit: boolean } | null>(null);
  const [sessions, setSessions] = useState<api.OpenSession[]>([]);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saved, setSaved] = useState(false);

  const load = async () => {
    try {
      const [tf, open] = await Promise.all([api.fetchTariff(call), api.fetchSessions(call)]);
      setTariff(tf);
      setDraft({ free: String(tf.freeMinutes), hourly: String(tf.hourlyFen), cap: tf.dailyCapFen === null ? '' : String(tf.dailyCapFen), admit: tf.admitUnregistered });
      setSessions(open);
    } catch (e) {
      setFailure(failureOf(e));
    }
  };
  useEffect(() => void load(), [call]);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!draft) return;
    setFailure(null);
    setSaved(false);
    try {
      setTariff(await api.setTariff(call, {
        freeMinutes: Number(draft.free), hourlyFen: Number(draft.hourly), dailyCapFen: draft.cap.trim() === '' ? null : Number(draft.cap), admitUnregistered: draft.admit,
      }));
      setSaved(true);
    } catch (err) {
      setFailure(failureOf(err));
    }
  };
  const cash = async (s: api.OpenSession) => {
    setFailure(null);
    try {
      await api.pay(call, s.sessionId, s.dueFen, 'cash', `cash-${s.sessionId}-${s.dueFen}`);
      await load();
    } catch (err) {
      setFailure(failureOf(err));
    }
  };
  const gateName = (id: string) => { const g = layout.gates.find((x) => x.id === id); return g ? pick(g.name, lang) : id; };

  return (
    <div class="parking-office" data-testid="parking-office" data-loaded={tariff ? 'true' : 'false'}>
      {staff && <h3>{t('officeTitle')}</h3>}
      {staff && draft && tariff && (
        <form onSubmit={save} class="tariff-form">
          <label>{t('officeFreeMinutes')} <input type="number" min={0} value={draft.free} onInput={(e) => setDraft({ ...draft, free: (e.target as HTMLInputElement).value })} /></label>
          <label>{t('officeHourly')} <input type="number" min={0} value={draft.hourly} onInput={(e) => setDraft({ ...draft, hourly: (e.target as HTMLInputElement).value })} /></label>
          <label>{t('officeCap')} <input type="number" min={0} value={draft.cap} onInput={(e) => setDraft({ ...draft, cap: (e.target as HTMLInputElement).value })} /></label>
          <label><input type="checkbox" checked={draft.admit} onChange={(e) => setDraft({ ...draft, admit: (e.target as HTMLInputElement).checked })} /> {t('officeAdmit')}</label>
          <button type="submit">{t('officeSave')}</button>
          {saved && <span class="muted">{t('officeSaved')}</span>}
        </form>
      )}
      <h4>{t('officeSessions')} <button type="button" onClick={() => void load()}>{t('devicesRefresh')}</button></h4>
      {sessions.length === 0 ? <p class="muted">{t('officeNone')}</p> : (
        <ul class="office-sessions">
          {sessions.map((s) => (
            <li key={s.sessionId} data-testid="office-session" data-plate={s.plate}>
              <strong>{s.plate}</strong> · {gateName(s.entryGateId)} · {dateTimeFormat(lang).format(s.enteredAt)}
              {s.exit && <> · {t('officeAtExit', { yuan: api.yuan(s.exit.dueFen) })} <button type="button" onClick={() => void cash(s)}>{t('officeCash', { yuan: api.yuan(s.dueFen) })}</button></>}
            </li>
          ))}
        </ul>
      )}
      {failure && <p class="chat-error" role="alert" data-code={failure.code}>{pick(failure.message, lang)}</p>}
    </div>
  );
}
