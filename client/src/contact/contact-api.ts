/**
 * @module client/contact/contact-api
 * The contact relay's HTTP API (services/identity/contact-routes.ts): my plates, ask by plate or
 * by unit, answer, inbox and outbox. Every call is signed in (session.call).
 * Owns: paths and bodies. Does not: merge live pushes (contact-log does).
 */
import type { Authed } from '../auth/auth-api.ts';
import type { InboxEntry, OutboxEntry } from '../protocol.ts';

export type AskTarget = { readonly kind: 'plate'; readonly plate: string } | { readonly kind: 'unit'; readonly unitId: string };

export const listPlates = (call: Authed) => call<{ plates: string[] }>('/api/contact/plates').then((r) => r.plates);
export const addPlate = (call: Authed, plate: string) => call<{ plates: string[] }>('/api/contact/plates', { plate }).then((r) => r.plates);
export const removePlate = (call: Authed, plate: string) => call<{ plates: string[] }>('/api/contact/plates/remove', { plate }).then((r) => r.plates);
export const ask = (call: Authed, target: AskTarget, text: string, requestId: string) =>
  call<{ requestId: string }>('/api/contact/ask', { target, text, requestId }).then((r) => r.requestId);
export const answer = (call: Authed, requestId: string, text: string) => call<{ ok: true }>('/api/contact/answer', { requestId, text });
export const fetchInbox = (call: Authed) => call<{ inbox: InboxEntry[] }>('/api/contact/inbox').then((r) => r.inbox);
export const fetchOutbox = (call: Authed) => call<{ outbox: OutboxEntry[] }>('/api/contact/outbox').then((r) => r.outbox);
