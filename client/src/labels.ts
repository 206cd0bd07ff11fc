/**
 * @module client/labels
 * How the page names things the server sends as ids: roles, units (`bldg-…-1-1202` → 1号楼 1单元
 * 1202), role grants, and times, in the current language.
 * Owns: those labels. Does not: hold strings (i18n.ts does) or decide access (auth/access does).
 */
import type { NoticeCategory } from './protocol.ts';
import type { CommunityLayout } from '../../actors/community/layout.ts';
import { splitUnitId } from './auth/access.ts';
import { pick, type Lang, type MessageKey, type Translate } from './i18n.ts';
import type { Role, RoleGrant } from './protocol.ts';

export const ROLE_LABELS: Readonly<Record<Role, MessageKey>> = {
  owner: 'roleOwner',
  tenant: 'roleTenant',
  family: 'roleFamily',
  property_staff: 'rolePropertyStaff',
  property_admin: 'rolePropertyAdmin',
  guard: 'roleGuard',
  merchant: 'roleMerchant',
  carer: 'roleCarer',
  analyst: 'roleAnalyst',
};

export function roleLabel(role: string, t: Translate): string {
  const key = ROLE_LABELS[role as Role];
  return key ? t(key) : role;
}

export function buildingName(layout: CommunityLayout, buildingId: string, lang: Lang): string {
  const b = layout.buildings.find((x) => x.id === buildingId);
  return b ? pick(b.name, lang) : buildingId;
}

export function unitLabel(unitId: string, layout: CommunityLayout, lang: Lang, t: Translate): string {
  const parts = splitUnitId(unitId);
  if (!parts) return unitId;
  return t('unitLabel', { building: buildingName(layout, parts.buildingId, lang), entrance: parts.entrance, room: parts.room });
}

/** `业主 · 1号楼 1单元 101`, or just the role for staff roles. */
export function grantLabel(g: RoleGrant, layout: CommunityLayout, lang: Lang, t: Translate): string {
  return 'unitId' in g ? `${roleLabel(g.role, t)} · ${unitLabel(g.unitId, layout, lang, t)}` : roleLabel(g.role, t);
}

export function timeFormat(lang: Lang): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

export function dateTimeFormat(lang: Lang): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
}

/** Every notice category, in the order the notice form offers them (a Record, so a new category must be listed here). */
const CATEGORIES: Record<NoticeCategory, true> = { general: true, repair: true, safety: true, event: true, fee: true };
export const NOTICE_CATEGORIES = Object.keys(CATEGORIES) as NoticeCategory[];
