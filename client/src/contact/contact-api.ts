/**
 * @module client/contact/contact-api
 * The contact relay's HTTP API (services/identity/contact-routes.ts): my plates and their status,
 * ask by plate or by unit, answer, inbox and outbox, and (staff) the plate claims to review. Every call is signed in (session.call).
 * Owns: paths and bodies. Does not: merge live pushes (contact-log does).
 */
import type { Authed } from '../auth/auth-api.ts';
import type { InboxEntry, OutboxEntry, PlateView } from '../protocol.ts';

export type AskTarget = { readonly kind: 'plate'; readonly plate: string } | { readonly kind: 'unit'; readonly unitId: string };

/** My plates as held (`plates`) and every plate of mine with its status (`claims`: pending, confirmed, disputed). */
export interface MyPlates {
  readonly plates: readonly string[];
  readonly claims: readonly PlateView[];
}
const mine = (r: MyPlates): MyPlates => ({ plates: r.plates, claims: r.claims ?? [] });
export const listPlates = (call: Authed) => call<MyPlates>('/api/contact/plates').then(mine);
export const addPlate = (call: Authed, plate: string) => call<MyPlates>('/api/contact/plates', { plate }).then(mine);
export const removePlate = (call: Authed, plate: string) => call<MyPlates>('/api/contact/plates/remove', { plate }).then(mine);

/** A plate with claims waiting for staff (property staff only). */
export interface PlateReview {
  readonly plate: string;
  readonly holder: { readonly accountId: string; readonly displayName: string | null } | null;
  readonly claimants: readonly { readonly accountId: string; readonly displayName: string | null }[];
}
export const fetchPlateReviews = (call: Authed) => call<{ reviews: PlateReview[] }>('/api/contact/plates/reviews').then((r) => r.reviews);
export const reviewPlate = (call: Authed, plate: string, accountId: string, decision: 'confirm' | 'reject') =>
  call<{ reviews: number }>('/api/contact/plates/review', { plate, accountId, decision });
export const ask = (call: Authed, target: AskTarget, text: string, requestId: string) =>
  call<{ requestId: string }>('/api/contact/ask', { target, text, requestId }).then((r) => r.requestId);
export const answer = (call: Authed, requestId: string, text: string) => call<{ ok: true }>('/api/contact/answer', { requestId, text });
export const fetchInbox = (call: Authed) => call<{ inbox: InboxEntry[] }>('/api/contact/inbox').then((r) => r.inbox);
export const fetchOutbox = (call: Authed) => call<{ outbox: OutboxEntry[] }>('/api/contact/outbox').then((r) => r.outbox);
