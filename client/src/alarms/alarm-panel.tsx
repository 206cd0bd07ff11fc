/**
 * @module client/alarms/alarm-panel
 * The guards' and property staff's alarm list beside the map: every open alarm (newest first)
 * with its kind, severity, place, status and who answers for it, and the steps the room takes:
 * acknowledge, take, resolve with a note; then the last resolved ones with their note.
 * Owns: the list and the note inputs. Does not: decide who may act (the room refuses with a
 * typed failure, shown in the page language).
 */
import { useState } from 'preact/hooks';
import type { CommunityLayout } from '../../../actors/community/layout.ts';
import { pick, useI18n, type MessageKey, type Translate } from '../i18n.ts';
import { buildingName, timeFormat } from '../labels.ts';
import type { AlarmStep } from '../map/use-map-room.ts';
import type { AlarmLive, Failure, MapState } from '../protocol.ts';

export interface AlarmPanelProps {
  readonly layout: CommunityLayout;
  readonly alarms: MapState['alarms'];
  readonly onDuty: readonly string[];
  readonly accountId: string;
  readonly act: (step: AlarmStep) => Promise<Failure | null>;
}

export function alarmKindLabel(kind: string, t: Translate): string {
  return t(`alarmKind_${kind}` as MessageKey);
}

export function alarmWhere(a: Pick<AlarmLive, 'buildingId' | 'entrance' | 'unitId'>, layout: CommunityLayout, lang: 'zh-CN' | 'en', t: Translate): string {
  if (!a.buildingId) return t('alarmWherePoint');
  const building = buildingName(layout, a.buildingId, lang);
  const unit = a.unitId ? a.unitId.split('-').pop() ?? '' : '';
  return unit ? t('alarmWhereUnit', { building, entrance: a.entrance, unit }) : t('alarmWhereBuilding', { building, entrance: a.entrance });
}

export function AlarmPanel({ layout, alarms, onDuty, accountId, act }: AlarmPanelProps) {
  const { t } = useI18n();
  const list = Object.entries(alarms).sort(([, a], [, b]) => (a.status === 'resolved') !== (b.status === 'resolved') ? (a.status === 'resolved' ? 1 : -1) : b.raisedAt - a.raisedAt);
  return (
    <section class="panel alarms" aria-labelledby="alarms-title" data-testid="alarm-panel">
      <h2 id="alarms-title">{t('alarmsTitle')} <small>{t('alarmOnDuty', { n: onDuty.length })}</small></h2>
      {list.length === 0 ? <p class="muted">{t('alarmsNone')}</p> : (
        <ul class="alarm-list">
          {list.map(([id, a]) => <AlarmItem key={id} id={id} alarm={a} layout={layout} accountId={accountId} act={act} />)}
        </ul>
      )}
    </section>
  );
}

function AlarmItem({ id, alarm: a, layout, accountId, act }: { id: string; alarm: AlarmLive; layout: CommunityLayout; accountId: string; act: AlarmPanelProps['act'] }) {
  const { lang, t } = useI18n();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const run = async (step: AlarmStep) => {
    setBusy(true);
    const f = await act(step);
    setBusy(false);
    setFailure(f);
    if (!f && step.type === 'alarm-resolve') setNote('');
  };
  const open = a.status !== 'resolved';
  const responder = a.responder === 'staff' ? t('alarmResponderStaff') : a.responder === accountId ? t('alarmResponderYou') : t('alarmResponderGuard', { name: a.responderName || a.responder });
  return (
    <li class={`alarm alarm-${a.severity} alarm-${a.status}`} data-testid="alarm-item" data-alarm-id={id} data-status={a.status} data-kind={a.kind}>
      <div class="alarm-head">
        <strong>{alarmKindLabel(a.kind, t)}</strong>
        <span class="badge">{t(`alarmSeverity_${a.severity}` as MessageKey)}</span>
        <span class="alarm-status" data-testid="alarm-status">{t(`alarmStatus_${a.status}` as MessageKey)}</span>
        <time>{timeFormat(lang).format(a.raisedAt)}</time>
      </div>
      <div class="alarm-where">{alarmWhere(a, layout, lang, t)}</div>
      {open && <div class="alarm-who">{a.takenBy ? t('alarmTakenBy', { name: a.takenByName || a.takenBy }) : responder}</div>}
      {!open && a.note && <div class="alarm-note">{a.note}</div>}
      {open && (
        <div class="alarm-actions">
          {a.status === 'raised' && <button type="button" disabled={busy} data-testid="alarm-ack" onClick={() => void run({ type: 'alarm-ack', alarmId: id })}>{t('alarmAck')}</button>}
          {a.status !== 'taken' && <button type="button" disabled={busy} data-testid="alarm-take" onClick={() => void run({ type: 'alarm-take', alarmId: id })}>{t('alarmTake')}</button>}
          <input type="text" value={note} maxLength={500} placeholder={t('alarmNotePlaceholder')} aria-label={t('alarmNote')} data-testid="alarm-note" onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
          <button type="button" disabled={busy} data-testid="alarm-resolve" onClick={() => void run({ type: 'alarm-resolve', alarmId: id, note })}>{t('alarmResolve')}</button>
        </div>
      )}
      {failure && <p class="chat-error" role="alert" data-testid="alarm-error" data-code={failure.code}>{pick(failure.message, lang)}</p>}
    </li>
  );
}
