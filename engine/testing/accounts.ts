/**
 * @module engine/testing/accounts
 * Real accounts for tests, made the way people make them, over HTTP: the first admin with the
 * setup code, a unit register derived from the community's own buildings, invite codes issued
 * by the admin and redeemed with a phone and password. Accounts are cached per server and name,
 * so a test can ask for "the guard" twice and get one account.
 */
import type { CommunityServer } from '../community-server.ts';
import { normalizePlate } from '../../actors/contact/plate.ts';

/** What the helpers need of a server: an in-process CommunityServer, or one in a child process (server-process.ts). */
export type ServerRef = Pick<CommunityServer, 'url' | 'community'> & { readonly identity: { readonly setupCode: string | null } };

export interface TestAccount {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accountId: string;
  readonly displayName: string;
  readonly phone: string;
  readonly password: string;
}

export type TestRole = 'owner' | 'tenant' | 'family' | 'property_staff' | 'property_admin' | 'guard' | 'merchant' | 'carer' | 'analyst';

interface ServerAccounts {
  admin: Promise<TestAccount> | null;
  units: Promise<void> | null;
  readonly byName: Map<string, Promise<TestAccount>>;
  nextPhone: number;
}

const perServer = new WeakMap<ServerRef, ServerAccounts>();
export const TEST_PASSWORD = 'correct horse 9';

function stateOf(srv: ServerRef): ServerAccounts {
  let s = perServer.get(srv);
  if (!s) perServer.set(srv, (s = { admin: null, units: null, byName: new Map(), nextPhone: 0 }));
  return s;
}

export function nextPhone(srv: ServerRef): string {
  return String(13800000000 + ++stateOf(srv).nextPhone);
}

export async function api(srv: ServerRef, path: string, body?: unknown, token?: string, init: RequestInit = {}): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = { ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const r = await fetch(`${srv.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST', headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000), ...init,
  });
  const text = await r.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = { raw: text }; }
  return { status: r.status, json };
}

function asAccount(j: any, phone: string, password: string): TestAccount {
  if (!j?.accessToken) throw new Error(`sign-up failed: ${JSON.stringify(j)}`);
  return { accessToken: j.accessToken, refreshToken: j.refreshToken, accountId: j.me.accountId, displayName: j.me.displayName, phone, password };
}

/** The community's first property admin, created with the setup code. */
export function adminOf(srv: ServerRef): Promise<TestAccount> {
  const s = stateOf(srv);
  s.admin ??= (async () => {
    const phone = nextPhone(srv);
    const r = await api(srv, '/api/auth/setup', { code: srv.identity.setupCode, phone, password: TEST_PASSWORD, displayName: '物业管理员' });
    return asAccount(r.json, phone, TEST_PASSWORD);
  })();
  return s.admin;
}

/** Four units per residential building (entrance 1, rooms 101, 102, 201, 202), imported once. */
export function unitsOf(srv: ServerRef): Promise<void> {
  const s = stateOf(srv);
  s.units ??= (async () => {
    const admin = await adminOf(srv);
    const rows = srv.community.buildings.filter((b) => b.residential)
      .flatMap((b) => ['101', '102', '201', '202'].map((room) => `${b.id},1,${room[0]},${room},${80 + Number(room[2])},`));
    const r = await api(srv, '/api/directory/units', ['building_id,entrance,floor,room,area_m2,owner_of_record', ...rows].join('\n'), admin.accessToken);
    if (r.status !== 200) throw new Error(`unit import failed: ${JSON.stringify(r.json)}`);
  })();
  return s.units;
}

export const unitIn = (buildingId: string, room = '101') => `${buildingId}-1-${room}`;

/** Issues an invite as the admin and redeems it as a new account. */
export async function signUp(srv: ServerRef, name: string, role: TestRole, unitId: string | null): Promise<TestAccount> {
  await unitsOf(srv);
  const admin = await adminOf(srv);
  const tenancyEndsAt = role === 'tenant' ? Date.now() + 30 * 86_400_000 : null;
  const invite = await api(srv, '/api/directory/invites', { unitId, role, tenancyEndsAt }, admin.accessToken);
  if (invite.status !== 200) throw new Error(`invite failed: ${JSON.stringify(invite.json)}`);
  const phone = nextPhone(srv);
  const r = await api(srv, '/api/auth/signup', { code: invite.json.code, phone, password: TEST_PASSWORD, displayName: name });
  return asAccount(r.json, phone, TEST_PASSWORD);
}

/** One account per name and server: a resident of `buildingId` (owner of its unit 101 by default) or a staff role. */
export function accountFor(srv: ServerRef, name: string, role: TestRole = 'owner', buildingId?: string): Promise<TestAccount> {
  const s = stateOf(srv);
  let a = s.byName.get(name);
  if (!a) {
    const building = buildingId ?? srv.community.buildings.find((b) => b.residential)!.id;
    const resident = role === 'owner' || role === 'tenant' || role === 'family';
    a = signUp(srv, name, role, resident ? unitIn(building, role === 'owner' ? '101' : '102') : null);
    s.byName.set(name, a);
  }
  return a;
}

/** The account a test resident gets when it just names a room: who normally sits in that room. */
export function accountForRoom(srv: ServerRef, roomId: string, name: string): Promise<TestAccount> {
  if (roomId.startsWith('map-')) return accountFor(srv, name, 'guard');
  const inBuilding = srv.community.buildings.some((b) => b.id === roomId);
  return accountFor(srv, name, 'owner', inBuilding ? roomId : undefined);
}

/**
 * A resident's car as the product knows it after review: the resident claims the plate and the
 * property admin confirms it (a claim alone admits nobody at a gate). Returns the plate as stored.
 */
export async function registeredPlate(srv: ServerRef, who: TestAccount, plate: string): Promise<string> {
  const claim = await api(srv, '/api/contact/plates', { plate }, who.accessToken);
  if (claim.status !== 200) throw new Error(`plate claim failed: ${JSON.stringify(claim.json)}`);
  const normal = normalizePlate(plate);
  const stored = normal.ok ? normal.plate : plate;
  const review = await api(srv, '/api/contact/plates/review', { plate: stored, accountId: who.accountId, decision: 'confirm' }, (await adminOf(srv)).accessToken);
  if (review.status !== 200) throw new Error(`plate review failed: ${JSON.stringify(review.json)}`);
  return stored;
}
