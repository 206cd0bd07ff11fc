/**
 * @module client/header
 * The top bar: app name, community, the connection badge, who is signed in (name and roles) with
 * a sign-out button, and the language switch.
 * Owns: that bar's markup. Does not: sign out by itself (the caller's session does).
 */
import type { CommunityLayout } from '../../actors/community/layout.ts';
import type { LinkState } from './connection.ts';
import { pick, useI18n } from './i18n.ts';
import { roleLabel } from './labels.ts';
import type { Me } from './protocol.ts';
import { StatusBadge } from './status-badge.tsx';

export interface HeaderProps {
  readonly layout: CommunityLayout | null;
  readonly links: readonly LinkState[];
  readonly me?: Me;
  readonly onSignOut?: () => void;
}

export function Header({ layout, links, me, onSignOut }: HeaderProps) {
  const { lang, t, setLang } = useI18n();
  const roles = me ? [...new Set(me.roles.map((g) => g.role))] : [];
  return (
    <header class="topbar">
      <h1>
        <span class="brand">{t('appTitle')}</span>
        {layout && <span class="community">{pick(layout.name, lang)}</span>}
      </h1>
      {me && <StatusBadge links={links} />}
      {me && (
        <span class="account" data-testid="account" data-account-id={me.accountId}>
          <strong data-testid="account-name">{me.displayName ?? me.phone ?? ''}</strong>
          <span class="muted" data-testid="account-roles">{roles.length > 0 ? roles.map((r) => roleLabel(r, t)).join(' · ') : t('noRoles')}</span>
        </span>
      )}
      {onSignOut && (
        <button type="button" class="lang" data-testid="sign-out" onClick={onSignOut}>{t('signOut')}</button>
      )}
      <button
        type="button"
        class="lang"
        data-testid="lang-switch"
        lang={lang === 'en' ? 'zh-CN' : 'en'}
        title={t('langSwitchTitle')}
        onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
      >
        {t('langSwitch')}
      </button>
    </header>
  );
}
