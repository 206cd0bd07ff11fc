/**
 * @module client/property/invite-form
 * Issues one invite code to hand over: for a unit (choose building → unit → role; a tenant needs
 * the last day of the tenancy) or, where `staffRoles` is not empty (a property admin), for a
 * staff role. Staff pick any unit of the register; an owner passes `units`, their own.
 * Owns: the form and showing the code once. Does not: decide who may invite whom (the server does).
 */
import { useEffect, useState } from 'preact/hooks';
import type { CommunityLayout } from '../../../actors/community/layout.ts';
import { failureOf } from '../api.ts';
import { splitUnitId } from '../auth/access.ts';
import type { Authed } from '../auth/auth-api.ts';
import { pick, useI18n } from '../i18n.ts';
import { dateTimeFormat, roleLabel, unitLabel } from '../labels.ts';
import type { Failure, Invite, Role, StaffRole, UnitListing } from '../protocol.ts';
import * as dir from './directory-api.ts';

export interface InviteFormProps {
  readonly layout: CommunityLayout;
  readonly call: Authed;
  readonly unitRoles: readonly Role[];
  /** Staff roles this account may invite (a property admin's); empty hides the choice. */
  readonly staffRoles: readonly StaffRole[];
  /** The units to choose from (an owner's own); absent: any unit of the register, by building. */
  readonly units?: readonly string[];
}

type Kind = 'unit' | 'staff';

/** The end of the chosen day (`2026-12-31`) on this machine's clock. */
export function endOfDay(isoDate: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999).getTime() : null;
}

export function InviteForm({ layout, call, unitRoles, staffRoles, units }: InviteFormProps) {
  const { lang, t } = useI18n();
  const homes = layout.buildings.filter((b) => b.residential);
  const [kind, setKind] = useState<Kind>('unit');
  const [building, setBuilding] = useState('');
  const [listed, setListed] = useState<readonly UnitListing[] | null>(null);
  const [unitId, setUnitId] = useState(units?.[0] ?? '');
  const [role, setRole] = useState<Role>(unitRoles[0]!);
  const [endsOn, setEndsOn] = useState('');
  const [busy, setBusy] = useState(false);
  const [invite, setInvite] = useState<Invite | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const when = dateTimeFormat(lang);

  useEffect(() => {
    setListed(null);
    if (units || !building) return;
    let live = true;
    dir.listUnits(call, building).then(
      (list) => live && setListed([...list].sort((a, b) => a.entrance.localeCompare(b.entrance, 'en', { numeric: true }) || a.room.localeCompare(b.room, 'en', { numeric: true }))),
      (e: unknown) => live && setFailure(failureOf(e)),
    );
    return () => {
      live = false;
    };
  }, [call, building, units]);

  const chooseKind = (next: Kind) => {
    setKind(next);
    setRole(next === 'unit' ? unitRoles[0]! : staffRoles[0]!);
    setInvite(null);
  };

  const issue = async () => {
    if (busy) return;
    const tenancyEndsAt = role === 'tenant' ? endOfDay(endsOn) : null;
    setBusy(true);
    setFailure(null);
    setInvite(null);
    try {
      setInvite(await dir.issueInvite(call, { unitId: kind === 'unit' ? unitId : null, role, ...(tenancyEndsAt !== null ? { tenancyEndsAt } : {}) }));
    } catch (e) {
      setFailure(failureOf(e));
    } finally {
      setBusy(false);
    }
  };

  const roles = kind === 'unit' ? unitRoles : staffRoles;
  const ready = (kind === 'staff' || !!unitId) && (role !== 'tenant' || endOfDay(endsOn) !== null);

  return (
    <form
      class="form invite"
      data-testid="invite-form"
      onSubmit={(e) => {
        e.preventDefault();
        void issue();
      }}
    >
      <h3>{t('inviteTitle')}</h3>
      {staffRoles.length > 0 && (
        <label>
          <span>{t('inviteKind')}</span>
          <select data-testid="invite-kind" value={kind} onChange={(e) => chooseKind(e.currentTarget.value as Kind)}>
            <option value="unit">{t('inviteKindUnit')}</option>
            <option value="staff">{t('inviteKindStaff')}</option>
          </select>
        </label>
      )}
      {kind === 'unit' && !units && (
        <label>
          <span>{t('inviteBuilding')}</span>
          <select
            data-testid="invite-building"
            value={building}
            onChange={(e) => {
              setBuilding(e.currentTarget.value);
              setUnitId('');
            }}
          >
            <option value="">{t('buildingPlaceholder')}</option>
            {homes.map((b) => (
              <option key={b.id} value={b.id}>{pick(b.name, lang)}</option>
            ))}
          </select>
        </label>
      )}
      {kind === 'unit' && (
        <label>
          <span>{t('inviteUnit')}</span>
          <select data-testid="invite-unit" value={unitId} disabled={!units && !listed?.length} onChange={(e) => setUnitId(e.currentTarget.value)}>
            <option value="">{!units && building && listed?.length === 0 ? t('inviteNoUnits') : t('inviteUnitPlaceholder')}</option>
            {(units ?? listed?.map((u) => u.id) ?? []).map((id) => {
              const u = listed?.find((x) => x.id === id);
              const parts = splitUnitId(id);
              return (
                <option key={id} value={id}>
                  {units || !parts ? unitLabel(id, layout, lang, t) : t('unitShort', { entrance: parts.entrance, room: parts.room })}
                  {u && u.members.length > 0 ? ` · ${t('unitMembers', { n: u.members.length })}` : ''}
                </option>
              );
            })}
          </select>
        </label>
      )}
      <label>
        <span>{t('inviteRole')}</span>
        <select data-testid="invite-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          {roles.map((r) => (
            <option key={r} value={r}>{roleLabel(r, t)}</option>
          ))}
        </select>
      </label>
      {role === 'tenant' && (
        <label>
          <span>{t('inviteTenancyEnd')}</span>
          <input type="date" data-testid="invite-tenancy-end" value={endsOn} required onInput={(e) => setEndsOn(e.currentTarget.value)} />
        </label>
      )}
      <button type="submit" class="primary" data-testid="invite-issue" disabled={!ready || busy}>
        {busy ? t('working') : t('inviteIssue')}
      </button>
      {failure && (
        <p class="chat-error" role="alert" data-testid="invite-error" data-code={failure.code}>
          {pick(failure.message, lang)}
        </p>
      )}
      {invite && (
        <div class="invite-result" role="status">
          <p>{t('inviteHandOver', { role: roleLabel(invite.role, t), unit: invite.unitId ? unitLabel(invite.unitId, layout, lang, t) : t('inviteNoUnit') })}</p>
          <output class="code" data-testid="invite-code">{invite.code}</output>
          <p class="muted small">{t('inviteExpires', { at: when.format(invite.expiresAt) })}</p>
        </div>
      )}
    </form>
  );
}
