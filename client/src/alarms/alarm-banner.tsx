/**
 * @module client/alarms/alarm-banner
 * The alarm pushes this account got (an `alarm` message in whatever room it has open): for a
 * resident, an alarm in their unit (or, for an elderly relative's SOS, their family's unit) and
 * every later step; for a guard or staff, an alarm they must answer. Shown at the top of the page
 * until dismissed; the latest step of each alarm replaces the earlier ones.
 * Owns: the list of pushes and their dismissal. Does not: act on alarms (guards use the map panel).
 */
import { useCallback, useState } from 'preact/hooks';
import { useI18n } from '../i18n.ts';
import type { AlarmNotification } from '../protocol.ts';
import { alarmKindLabel } from './alarm-panel.tsx';

const KEPT = 5;

export function useAlarmPushes() {
  const [pushes, setPushes] = useState<readonly AlarmNotification[]>([]);
  const onAlarm = useCallback((n: AlarmNotification) => {
    setPushes((current) => [n, ...current.filter((x) => x.alarmId !== n.alarmId)].slice(0, KEPT));
  }, []);
  const dismiss = useCallback((alarmId: string) => setPushes((current) => current.filter((x) => x.alarmId !== alarmId)), []);
  return { pushes, onAlarm, dismiss };
}

export function AlarmBanner({ pushes, dismiss }: { pushes: readonly AlarmNotification[]; dismiss: (alarmId: string) => void }) {
  const { t } = useI18n();
  if (pushes.length === 0) return null;
  return (
    <div class="alarm-banner" role="alert" data-testid="alarm-banner">
      {pushes.map((n) => {
        const kind = alarmKindLabel(n.kind, t);
        const head = n.reason === 'family' ? t('alarmBannerFamily', { kind }) : n.reason === 'responder' ? t('alarmBannerResponder', { kind })
          : n.reason === 'staff' ? t('alarmBannerStaff', { kind }) : t('alarmBannerUnit', { kind });
        const step = n.step === 'AlarmAcknowledged' || n.step === 'AlarmTaken' || n.step === 'AlarmResolved'
          ? t(`alarmBannerStep_${n.step}`, { note: n.note ?? '' }) : '';
        return (
          <p key={n.alarmId} class={`alarm-push alarm-${n.severity}`} data-testid="alarm-push" data-step={n.step} data-reason={n.reason}>
            <span>{head} {step}</span>
            <button type="button" onClick={() => dismiss(n.alarmId)}>{t('alarmDismiss')}</button>
          </p>
        );
      })}
    </div>
  );
}
