/**
 * @module client/property/property-panel
 * The property office's panel (物业), for property staff and admins: upload the unit register
 * (CSV file), issue an invite code for a unit (building → unit → role; a tenant needs the end of
 * the tenancy) or, for an admin, for a staff role, list accounts with a revoke button, confirm or
 * reject residents' plate claims, and see
 * the parking tariff and the cars inside (cash at a waiting exit), and the devices' health
 * (readings accepted and refused, by reason).
 * Owns: those forms. Does not: decide who may do what (the server refuses with a typed failure,
 * shown in the page language).
 */
import { useEffect, useState } from 'preact/hooks';
import type { CommunityLayout } from '../../../actors/community/layout.ts';
import { failureOf } from '../api.ts';
import type { Access } from '../auth/access.ts';
import type { Authed } from '../auth/auth-api.ts';
import { pick, useI18n } from '../i18n.ts';
import { dateTimeFormat, grantLabel } from '../labels.ts';
import type { AccountListing, Failure, ImportResult, Role, StaffRole } from '../protocol.ts';
import { DeviceHealthPanel } from './device-health.tsx';
import { ParkingOffice } from './parking-office.tsx';
import { PlateReviews } from './plate-reviews.tsx';
import { InviteForm } from './invite-form.tsx';
import * as dir from './directory-api.ts';

export interface PropertyPanelProps {
  readonly layout: CommunityLayout;
  readonly access: Access;
  readonly call: Authed;
  /** The signed-in account (it cannot revoke itself here). */
  readonly accountId: string;
}

const UNIT_ROLES: readonly Role[] = ['owner', 'family', 'tenant'];
const STAFF_ROLES: readonly StaffRole[] = ['property_staff', 'property_admin', 'guard', 'merchant', 'carer', 'analyst'];

export function PropertyPanel({ layout, access, call, accountId }: PropertyPanelProps) {
  const { t } = useI18n();
  return (
    <section class="panel property" aria-labelledby="property-title" data-testid="property-panel">
      <h2 id="property-title">{t('propertyTitle')}</h2>
      <RegisterUpload call={call} />
      <InviteForm layout={layout} call={call} unitRoles={UNIT_ROLES} staffRoles={access.admin ? STAFF_ROLES : []} />
      <Accounts layout={layout} call={call} accountId={accountId} />
      <PlateReviews call={call} />
      <ParkingOffice layout={layout} call={call} staff />
      <DeviceHealthPanel call={call} />
    </section>
  );
}

function ErrorLine({ failure, testid }: { failure: Failure; testid: string }) {
  const { lang } = useI18n();
  return (
    <p class="chat-error" role="alert" data-testid={testid} data-code={failure.code}>
      {pick(failure.message, lang)}
    </p>
  );
}

function RegisterUpload({ call }: { call: Authed }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [refusal, setRefusal] = useState<dir.RegisterRefusal | null>(null);

  const upload = async () => {
    if (!file || busy) return;
    setBusy(true);
    setResult(null);
    setFailure(null);
    setRefusal(null);
    try {
      setResult(await dir.importUnits(call, await file.text()));
    } catch (e) {
      setFailure(failureOf(e));
      setRefusal(dir.registerRefusalOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="form"
      data-testid="register-form"
      onSubmit={(e) => {
        e.preventDefault();
        void upload();
      }}
    >
      <h3>{t('registerTitle')}</h3>
      <p class="muted small">{t('registerHint')}</p>
      <input type="file" accept=".csv,text/csv,text/plain" data-testid="register-file" aria-label={t('registerTitle')} onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      <button type="submit" class="primary" data-testid="register-upload" disabled={!file || busy}>
        {busy ? t('working') : t('registerUpload')}
      </button>
      {result && (
        <p class="ok" role="status" data-testid="register-result" data-imported={result.imported}>
          {t('registerDone', { rows: result.rows, imported: result.imported, known: result.alreadyKnown })}
        </p>
      )}
      {failure && <ErrorLine failure={failure} testid="register-error" />}
      {refusal && (
        <ul class="register-errors" data-testid="register-errors">
          {refusal.errors.map((x) => (
            <li key={`${x.line}:${x.column}`}>{t('registerLine', { line: x.line, column: x.column ?? '—', detail: x.detail })}</li>
          ))}
          {refusal.unknownBuildings.map((b) => (
            <li key={b}>{t('registerUnknownBuilding', { building: b })}</li>
          ))}
        </ul>
      )}
    </form>
  );
}

function Accounts({ layout, call, accountId }: { layout: CommunityLayout; call: Authed; accountId: string }) {
  const { lang, t } = useI18n();
  const [accounts, setAccounts] = useState<readonly AccountListing[] | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const when = dateTimeFormat(lang);

  useEffect(() => {
    let live = true;
    dir.listAccounts(call).then(
      (list) => live && setAccounts(list),
      (e: unknown) => live && setFailure(failureOf(e)),
    );
    return () => {
      live = false;
    };
  }, [call, version]);

  const revoke = async (id: string) => {
    setConfirming(null);
    try {
      await dir.revokeAccount(call, id);
      setFailure(null);
    } catch (e) {
      setFailure(failureOf(e));
    }
    setVersion((v) => v + 1);
  };

  return (
    <section class="accounts" aria-labelledby="accounts-title">
      <h3 id="accounts-title">
        {t('accountsTitle')}{' '}
        <button type="button" class="link" data-testid="accounts-reload" onClick={() => setVersion((v) => v + 1)}>{t('reload')}</button>
      </h3>
      {failure && <ErrorLine failure={failure} testid="accounts-error" />}
      {accounts === null ? (
        <p class="muted">{t('loadingShort')}</p>
      ) : (
        <ul class="rows" data-testid="accounts-list">
          {accounts.map((a) => (
            <li key={a.accountId} class="row" data-testid="account-row" data-account-id={a.accountId} data-revoked={a.revokedAt === null ? 'false' : 'true'}>
              <span class="row-main">
                <strong>{a.displayName ?? a.accountId}</strong>{' '}
                <span class="muted">
                  {a.revokedAt !== null ? t('accountRevokedAt', { at: when.format(a.revokedAt) }) : a.roles.map((g) => grantLabel(g, layout, lang, t)).join('，') || t('noRoles')}
                </span>
              </span>
              {a.revokedAt === null && a.accountId !== accountId && (
                confirming === a.accountId ? (
                  <span class="row-actions">
                    <button type="button" class="danger" data-testid="account-revoke-confirm" onClick={() => void revoke(a.accountId)}>{t('revokeConfirm')}</button>
                    <button type="button" class="link" onClick={() => setConfirming(null)}>{t('cancel')}</button>
                  </span>
                ) : (
                  <button type="button" class="secondary" data-testid="account-revoke" title={t('revokeAccountTitle')} onClick={() => setConfirming(a.accountId)}>{t('revokeAccount')}</button>
                )
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
