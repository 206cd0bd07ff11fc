/**
 * @module client/me/me-panel
 * "Me" (我的): who I am here (name, masked phone, roles with their units), redeeming another
 * invite code (a second unit, a staff role), inviting family and tenants to the units I own, and
 * my signed-in sessions (this device marked) with a button to sign any other one out.
 * Owns: that panel. Does not: keep the session (auth/session does) or decide roles (the server).
 */
import { useEffect, useState } from 'preact/hooks';
import type { CommunityLayout } from '../../../actors/community/layout.ts';
import { failureOf } from '../api.ts';
import type { Access } from '../auth/access.ts';
import { listSessions, redeemInvite, revokeSession, type Authed } from '../auth/auth-api.ts';
import { pick, useI18n } from '../i18n.ts';
import { dateTimeFormat, grantLabel } from '../labels.ts';
import { InviteForm } from '../property/invite-form.tsx';
import type { Failure, Me, SessionRow } from '../protocol.ts';

export interface MePanelProps {
  readonly layout: CommunityLayout;
  readonly me: Me;
  readonly access: Access;
  readonly call: Authed;
  onMe(me: Me): void;
}

export function MePanel({ layout, me, access, call, onMe }: MePanelProps) {
  const { lang, t } = useI18n();
  return (
    <section class="panel me" aria-labelledby="me-title" data-testid="me-panel">
      <h2 id="me-title">{t('meTitle')}</h2>
      <dl class="facts">
        <dt>{t('nameLabel')}</dt>
        <dd data-testid="me-name">{me.displayName ?? '—'}</dd>
        <dt>{t('authPhone')}</dt>
        <dd data-testid="me-phone">{me.phone ?? '—'}</dd>
        <dt>{t('meRoles')}</dt>
        <dd data-testid="me-roles">
          {me.roles.length === 0 ? t('noRoles') : (
            <ul class="plain">
              {me.roles.map((g) => (
                <li key={'unitId' in g ? `${g.role}:${g.unitId}` : g.role}>{grantLabel(g, layout, lang, t)}</li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      <Redeem call={call} onMe={onMe} />
      {access.ownedUnits.length > 0 && <InviteForm layout={layout} call={call} unitRoles={['family', 'tenant']} staffRoles={[]} units={access.ownedUnits} />}
      <Sessions call={call} />
    </section>
  );
}

function Redeem({ call, onMe }: { call: Authed; onMe(me: Me): void }) {
  const { lang, t } = useI18n();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState(false);
  return (
    <form
      class="form"
      data-testid="redeem-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (busy || !code.trim()) return;
        setBusy(true);
        setFailure(null);
        setDone(false);
        try {
          onMe(await redeemInvite(call, code.trim()));
          setCode('');
          setDone(true);
        } catch (error) {
          setFailure(failureOf(error));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3>{t('redeemTitle')}</h3>
      <label>
        <span>{t('authInviteCode')}</span>
        <input data-testid="redeem-code" value={code} spellcheck={false} onInput={(e) => setCode(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" data-testid="redeem-submit" disabled={busy || !code.trim()}>{busy ? t('working') : t('redeemSubmit')}</button>
      {done && <span class="ok" role="status" data-testid="redeem-done">{t('redeemDone')}</span>}
      {failure && (
        <p class="chat-error" role="alert" data-testid="redeem-error" data-code={failure.code}>{pick(failure.message, lang)}</p>
      )}
    </form>
  );
}

function Sessions({ call }: { call: Authed }) {
  const { lang, t } = useI18n();
  const [sessions, setSessions] = useState<readonly SessionRow[] | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [version, setVersion] = useState(0);
  const when = dateTimeFormat(lang);

  useEffect(() => {
    let live = true;
    listSessions(call).then(
      (list) => live && setSessions([...list].sort((a, b) => Number(b.current) - Number(a.current) || b.refreshedAt - a.refreshedAt)),
      (e: unknown) => live && setFailure(failureOf(e)),
    );
    return () => {
      live = false;
    };
  }, [call, version]);

  const revoke = async (sid: string) => {
    try {
      await revokeSession(call, sid);
      setFailure(null);
    } catch (e) {
      setFailure(failureOf(e));
    }
    setVersion((v) => v + 1);
  };

  return (
    <section class="sessions" aria-labelledby="sessions-title">
      <h3 id="sessions-title">
        {t('sessionsTitle')}{' '}
        <button type="button" class="link" data-testid="sessions-reload" onClick={() => setVersion((v) => v + 1)}>{t('reload')}</button>
      </h3>
      {failure && (
        <p class="chat-error" role="alert" data-testid="sessions-error" data-code={failure.code}>{pick(failure.message, lang)}</p>
      )}
      {sessions === null ? (
        <p class="muted">{t('loadingShort')}</p>
      ) : (
        <ul class="rows" data-testid="sessions-list" data-count={sessions.length}>
          {sessions.map((s) => (
            <li key={s.sid} class="row" data-testid="session-row" data-sid={s.sid} data-current={s.current ? 'true' : 'false'}>
              <span class="row-main">
                <strong>{s.current ? t('sessionThis') : describeAgent(s.userAgent) || t('sessionUnknownDevice')}</strong>{' '}
                <span class="muted">{t('sessionSeen', { opened: when.format(s.openedAt), seen: when.format(s.refreshedAt) })}{s.ip ? ` · ${s.ip}` : ''}</span>
              </span>
              {!s.current && (
                <button type="button" class="secondary" data-testid="session-revoke" onClick={() => void revoke(s.sid)}>{t('sessionRevoke')}</button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A short name for a browser from its user agent (`Chrome · Linux`); empty when unknown. */
export function describeAgent(ua: string): string {
  const browser = /MicroMessenger/.test(ua) ? 'WeChat' : /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : '';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
  return [browser, os].filter(Boolean).join(' · ') || ua.slice(0, 40);
}
