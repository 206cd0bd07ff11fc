/**
 * @module client/parking/parking-panel
 * The car parks for residents deciding where to park before they arrive: free spaces now per lot,
 * coloured like the map, with where the numbers come from (counter, bay sensors, both) and a
 * warning when the counter and the sensors disagree; the forecast of free spaces for the next
 * hours; the tariff. Residents ask for a bay here (in a lot, or "find me one"), see the bay held
 * for them with its deadline and gate (the route is on the map), are told when it moves, expires
 * or they arrive, pay what is due at an exit, and issue a visitor pass.
 * Owns: the markup (`lot-row` rows carry data-lot-id and data-occupied; the hold card data-lot-id
 * and data-bay-id; steps data-step and data-reason, for tests). Does not: fetch (use-parking).
 */
import { useEffect, useState } from 'preact/hooks';
import type { CommunityLayout } from '../../../actors/community/layout.ts';
import { failureOf } from '../api.ts';
import type { Authed } from '../auth/auth-api.ts';
import { pick, useI18n, type MessageKey } from '../i18n.ts';
import { dateTimeFormat } from '../labels.ts';
import { BAND_COLOURS, cssColour, occupancyBand } from '../map/occupancy.ts';
import type { Failure, HoldView, LotDetail, MapState } from '../protocol.ts';
import type { ParkingStep } from './parking-log.ts';
import { issueVisitorPass, yuan } from './parking-api.ts';
import type { ParkingView } from './use-parking.ts';

export interface ParkingPanelProps {
  readonly layout: CommunityLayout;
  readonly lots: MapState['lots'];
  readonly details?: Readonly<Record<string, LotDetail>>;
  readonly parking?: ParkingView;
  /** The account is a resident: it may ask for bays and issue visitor passes. */
  readonly resident?: boolean;
  readonly call?: Authed;
}

/** Height of a forecast bar for a lot with every space free. */
const FORECAST_BAR_PX = 28;

/** `lot-594882341-b07` → `07`. */
export function bayLabel(bayId: string): string {
  return /-b(\d+)$/.exec(bayId)?.[1] ?? bayId;
}

export function ParkingPanel({ layout, lots, details = {}, parking, resident = false, call }: ParkingPanelProps) {
  const { lang, t } = useI18n();
  const hold = parking?.log.hold ?? null;
  const tariff = parking?.tariff;
  return (
    <section class="panel parking" aria-labelledby="parking-title" data-testid="parking-panel">
      <h2 id="parking-title">{t('parkingTitle')}</h2>
      {tariff && (
        <p class="muted" data-testid="tariff-line">
          {t('tariffLine', { free: tariff.freeMinutes, hourly: yuan(tariff.hourlyFen), cap: tariff.dailyCapFen === null ? t('tariffNoCap') : yuan(tariff.dailyCapFen) })}
        </p>
      )}
      {resident && parking && (
        <p class="parking-actions">
          <button type="button" data-testid="parking-pick" disabled={parking.busy || hold !== null} onClick={() => void parking.request(null)} title={t('parkingPickHint')}>
            {t('parkingPick')}
          </button>
        </p>
      )}
      {parking?.failure && <FailureLine failure={parking.failure} testid="parking-error" />}
      {hold && parking && <HoldCard layout={layout} hold={hold} skewMs={parking.skewMs} onCancel={() => void parking.cancel()} busy={parking.busy} />}
      {parking?.log.last && <StepLine step={parking.log.last} />}
      {parking && Object.values(parking.log.dues).map((d) => (
        <p key={d.sessionId} class="parking-due" data-testid="parking-due" data-session-id={d.sessionId}>
          {t('sessionStep_due', { plate: d.plate, yuan: yuan(d.dueFen) })}{' '}
          <button type="button" disabled={parking.busy} onClick={() => void parking.payDue(d.sessionId, d.dueFen)}>{t('sessionPay', { yuan: yuan(d.dueFen) })}</button>
        </p>
      ))}
      {layout.lots.length === 0 ? (
        <p class="muted">{t('parkingEmpty')}</p>
      ) : (
        <ul class="lot-list">
          {layout.lots.map((lot) => {
            const live = lots[lot.id];
            const detail = details[lot.id];
            const capacity = live && live.capacity > 0 ? live.capacity : lot.capacity;
            const band = occupancyBand(live);
            const forecast = parking?.forecast?.lots.find((f) => f.lotId === lot.id);
            return (
              <li key={lot.id} class={`lot-row band-${band}`} data-testid="lot-row" data-lot-id={lot.id} data-occupied={live ? String(live.occupied) : ''}>
                <div class="lot-line">
                  <span class="swatch" style={{ background: cssColour(BAND_COLOURS[band]) }} />
                  <span class="lot-name">{pick(lot.name, lang)}</span>
                  {live ? (
                    <>
                      <strong class="lot-free">{t('parkingFree', { free: Math.max(0, capacity - live.occupied) })}</strong>
                      <span class="muted">{t('parkingOf', { occupied: live.occupied, capacity })}</span>
                    </>
                  ) : (
                    <span class="muted">{t('parkingNoData')}</span>
                  )}
                  {resident && parking && (
                    <button type="button" class="lot-hold" data-testid="lot-hold" disabled={parking.busy || hold !== null} onClick={() => void parking.request(lot.id)}>
                      {t('parkingHere')}
                    </button>
                  )}
                </div>
                {detail && <Quality detail={detail} />}
                {forecast && forecast.hours.length > 0 && (
                  <ol class="forecast" data-testid="forecast" data-basis={forecast.hours[0]!.basis} aria-label={t('parkingForecast')} title={t(`parkingBasis_${forecast.hours[0]!.basis}` as MessageKey)}>
                    {forecast.hours.map((h) => (
                      <li key={h.at} class={`forecast-hour basis-${h.basis}`} data-free={h.free === null ? '' : String(h.free)}>
                        <span class="bar" style={{ height: `${h.free === null || capacity === 0 ? 0 : Math.round((FORECAST_BAR_PX * h.free) / capacity)}px` }} />
                        <span class="forecast-label">{h.free === null ? '–' : t('parkingForecastHour', { hour: h.hour, free: h.free })}</span>
                      </li>
                    ))}
                  </ol>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {resident && call && <VisitorPass call={call} skewMs={parking?.skewMs ?? 0} />}
    </section>
  );
}

function Quality({ detail }: { detail: LotDetail }) {
  const { t } = useI18n();
  const source = t(`parkingSource_${detail.source}` as MessageKey, { known: detail.baysKnown, capacity: detail.capacity });
  return (
    <p class="lot-quality muted" data-testid="lot-quality" data-source={detail.source} data-agreement={detail.agreement}>
      {source}
      {detail.held > 0 && ` · ${t('parkingHeldCount', { n: detail.held })}`}
      {detail.source !== 'none' && ` · ${t('parkingAvailable', { n: detail.available })}`}
      {detail.agreement === 'disagree' && <strong class="lot-disagree" data-testid="lot-disagree"> · {t('parkingDisagree', { counter: detail.counter })}</strong>}
    </p>
  );
}

function HoldCard({ layout, hold, skewMs, onCancel, busy }: { layout: CommunityLayout; hold: HoldView; skewMs: number; onCancel: () => void; busy: boolean }) {
  const { lang, t } = useI18n();
  const [now, setNow] = useState(() => Date.now() + skewMs);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() + skewMs), 1000);
    return () => clearInterval(timer);
  }, [skewMs]);
  const lot = layout.lots.find((l) => l.id === hold.lotId);
  const gate = layout.gates.find((g) => g.id === hold.gateId);
  const left = Math.max(0, hold.until - now);
  const mm = Math.floor(left / 60_000);
  const ss = String(Math.floor((left % 60_000) / 1000)).padStart(2, '0');
  return (
    <div class="hold-card" data-testid="hold-card" data-lot-id={hold.lotId} data-bay-id={hold.bayId} role="status">
      <strong>{t('holdTitle')}</strong>
      <p>{t('holdBay', { lot: lot ? pick(lot.name, lang) : hold.lotId, bay: bayLabel(hold.bayId) })}</p>
      {gate && hold.route && <p class="muted">{t('holdGate', { gate: pick(gate.name, lang), m: Math.round(hold.route.lengthM) })}</p>}
      <p data-testid="hold-countdown">{left > 0 ? t('holdLeft', { time: `${mm}:${ss}` }) : t('holdExpiring')}</p>
      <button type="button" data-testid="hold-cancel" disabled={busy} onClick={onCancel}>{t('holdCancel')}</button>
    </div>
  );
}

function StepLine({ step }: { step: ParkingStep }) {
  const { t } = useI18n();
  let text: string;
  if (step.kind === 'hold') {
    const key = (step.step === 'released' ? `holdStep_released_${step.reason ?? 'expired'}` : `holdStep_${step.step}`) as MessageKey;
    text = t(key, { bay: bayLabel(step.hold?.bayId ?? step.bayId) });
  } else {
    text = t(`sessionStep_${step.step}` as MessageKey, { plate: step.plate, yuan: yuan(step.step === 'due' ? step.dueFen : step.feeFen) });
  }
  return (
    <p class="parking-step" data-testid="parking-step" data-kind={step.kind} data-step={step.step} data-reason={step.kind === 'hold' ? step.reason ?? '' : ''} role="status">
      {text}
    </p>
  );
}

function FailureLine({ failure, testid }: { failure: Failure; testid: string }) {
  const { lang } = useI18n();
  return <p class="chat-error" role="alert" data-testid={testid} data-code={failure.code}>{pick(failure.message, lang)}</p>;
}

function VisitorPass({ call, skewMs }: { call: Authed; skewMs: number }) {
  const { lang, t } = useI18n();
  const [plate, setPlate] = useState('');
  const [hours, setHours] = useState(4);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const issue = async (e: Event) => {
    e.preventDefault();
    setFailure(null);
    setDone(null);
    try {
      const pass = await issueVisitorPass(call, plate, Date.now() + skewMs + hours * 3_600_000);
      setDone(t('visitorIssued', { plate: pass.plate, until: dateTimeFormat(lang).format(pass.until) }));
      setPlate('');
    } catch (err) {
      setFailure(failureOf(err));
    }
  };
  return (
    <form class="visitor-pass" onSubmit={issue} data-testid="visitor-pass">
      <h3>{t('visitorTitle')}</h3>
      <label>{t('visitorPlate')} <input value={plate} onInput={(e) => setPlate((e.target as HTMLInputElement).value)} placeholder={t('platePlaceholder')} maxLength={32} /></label>
      <label>{t('visitorHours')} <input type="number" min={1} max={24} value={hours} onInput={(e) => setHours(Number((e.target as HTMLInputElement).value))} /></label>
      <button type="submit" disabled={plate.trim() === ''}>{t('visitorIssue')}</button>
      {done && <p class="muted" data-testid="visitor-issued">{done}</p>}
      {failure && <FailureLine failure={failure} testid="visitor-error" />}
    </form>
  );
}
