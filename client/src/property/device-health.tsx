/**
 * @module client/property/device-health
 * The property office's device-health view: for every device that sent anything, how many
 * readings were accepted and how many refused, by reason (DEVICE_* codes, e.g. wrong unit, out
 * of range, stale time, replayed sequence number, flood), the last refusal, and the ids of
 * unregistered devices that tried. Worst devices first (the server sorts).
 * Owns: fetching GET /api/devices/health and the table. Does not: count anything.
 */
import { useEffect, useState } from 'preact/hooks';
import { failureOf } from '../api.ts';
import type { Authed } from '../auth/auth-api.ts';
import { pick, useI18n } from '../i18n.ts';
import { timeFormat } from '../labels.ts';
import type { DeviceHealth, Failure } from '../protocol.ts';

interface HealthAnswer {
  readonly devices: readonly DeviceHealth[];
  readonly unknownIds: readonly string[];
  readonly totals: { readonly accepted: number; readonly rejected: number };
}

const SHOWN = 30;

export function DeviceHealthPanel({ call }: { call: Authed }) {
  const { lang, t } = useI18n();
  const [health, setHealth] = useState<HealthAnswer | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const load = () => call<HealthAnswer>('/api/devices/health').then((h) => { setHealth(h); setFailure(null); }, (e) => setFailure(failureOf(e)));
  useEffect(() => void load(), []);
  const bad = (d: DeviceHealth) => Object.values(d.rejected).reduce((s, n) => s + (n ?? 0), 0);
  return (
    <div class="device-health" data-testid="device-health">
      <h3>{t('devicesTitle')} <button type="button" onClick={() => void load()} data-testid="devices-refresh">{t('devicesRefresh')}</button></h3>
      {failure && <p class="chat-error" role="alert">{pick(failure.message, lang)}</p>}
      {health && <p class="muted" data-testid="devices-totals">{t('devicesTotals', health.totals)}</p>}
      {health && health.devices.length === 0 && <p class="muted">{t('devicesNone')}</p>}
      {health && health.devices.length > 0 && (
        <table>
          <thead><tr><th>ID</th><th>{t('devicesAccepted')}</th><th>{t('devicesRejected')}</th><th>{t('devicesLast')}</th></tr></thead>
          <tbody>
            {health.devices.slice(0, SHOWN).map((d) => (
              <tr key={d.deviceId} data-testid="device-row" data-device={d.deviceId}>
                <td>{d.deviceId}{d.kind ? ` (${d.kind})` : ''}</td>
                <td>{d.accepted}</td>
                <td title={Object.entries(d.rejected).map(([r, n]) => `${r}: ${n}`).join(', ')}>{bad(d)} {Object.entries(d.rejected).map(([r, n]) => `${r}×${n}`).join(' ')}</td>
                <td>{d.lastRejection ? `${d.lastRejection.code} ${timeFormat(lang).format(d.lastRejection.at)}` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {health && health.unknownIds.length > 0 && <p class="muted">{t('devicesUnknown', { ids: health.unknownIds.slice(-10).join(', ') })}</p>}
    </div>
  );
}
