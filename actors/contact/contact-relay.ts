/**
 * @module actors/contact/contact-relay
 * The contact relay of ONE community as a pure state machine: who holds which plate, and requests
 * to "the owner of plate X" or "the residents of unit Y" that reveal a recipient only when they
 * answer; plus the queries the engine shows (`inboxOf`, `outboxOf`, `platesOf`) and pushes (`recipientsOf`, `notificationOf`).
 * Owns: plates, requests, answers, the ask rate. Does not: resolve unit members (the engine does), see phone numbers.
 * Concurrency: pure; the engine feeds one command at a time. Overflow: beyond `openRequestsKept` the
 * oldest sent request is dropped (counted in `droppedRequests`), its id freed and it can no longer be answered.
 */
import {
  accept, reject, assertNever, defineActor, hasLoneSurrogate, codePointLength, cleanText, isBlank, type Decision,
} from '../_kit/index.ts';
import { ContactError, type ContactErrorCode } from './contact-errors.ts';
import { normalizePlate } from './plate.ts';
import type {
  Answer, Ask, ContactCommand, ContactEvent, ContactLimits, ContactNotification, ContactRequest, ContactState,
  InboxEntry, OutboxEntry, PlateView, RegisterPlate, RemovePlate, ReviewPlate, TargetRef,
} from './contact-protocol.ts';

/** The rolling window `asksPerHour` counts over. */
export const ASK_WINDOW_MS = 3_600_000;

export const DEFAULT_CONTACT_LIMITS: ContactLimits = {
  platesPerAccount: 3,
  maxChars: 200,
  asksPerHour: 10,
  requestTtlMs: 24 * ASK_WINDOW_MS,
  openRequestsKept: 10_000,
};

const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Directory unit ids (`<building>-<entrance>-<room>`); checked only for shape, so an unknown unit is not revealed. */
const UNIT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export const initialContact: ContactState = { plates: {}, released: {}, requests: [], asks: {}, droppedRequests: 0 };

type D = Decision<ContactEvent, ContactErrorCode>;
type Refusal = D & { ok: false };
/** `reject` typed as the refusal it always is, for helpers that return either a refusal or a value. */
const refusal = (code: ContactErrorCode, details?: Record<string, unknown>) => reject(code, details) as Refusal;

/** Own-property lookup, so ids such as `__proto__` or `constructor` are plain keys. */
function own<T>(rec: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}

function keepWhere<T>(rec: Readonly<Record<string, T>>, keep: (key: string, value: T) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(rec).filter(([k, v]) => keep(k, v)));
}

function findRequest(s: ContactState, requestId: string): ContactRequest | undefined {
  for (let i = s.requests.length - 1; i >= 0; i--) if (s.requests[i].requestId === requestId) return s.requests[i];
  return undefined;
}

const isReleased = (s: ContactState, accountId: string) => own(s.released, accountId) !== undefined;

const claimsOf = (s: ContactState, plate: string): readonly string[] => own(s.claims ?? {}, plate) ?? [];

/** The plates the account holds or claims, sorted. */
export function platesOf(s: ContactState, accountId: string): string[] {
  return plateViewsOf(s, accountId).map((v) => v.plate);
}

/** The account's plates with their status, sorted. A claimant sees `pending` whether or not someone else holds the plate. */
export function plateViewsOf(s: ContactState, accountId: string): PlateView[] {
  const views: PlateView[] = [];
  for (const [plate, holder] of Object.entries(s.plates)) {
    if (holder === accountId) views.push({ plate, status: claimsOf(s, plate).some((c) => c !== accountId) ? 'disputed' : 'confirmed' });
  }
  for (const [plate, claimants] of Object.entries(s.claims ?? {})) {
    if (claimants.includes(accountId) && own(s.plates, plate) !== accountId) views.push({ plate, status: 'pending' });
  }
  return views.sort((a, b) => (a.plate < b.plate ? -1 : a.plate > b.plate ? 1 : 0));
}

/** Plates with claims waiting for staff: the holder (if any) and the claimants, in claim order. */
export function plateReviewsOf(s: ContactState): Array<{ plate: string; holder: string | null; claimants: readonly string[] }> {
  return Object.entries(s.claims ?? {})
    .filter(([, c]) => c.length > 0)
    .map(([plate, claimants]) => ({ plate, holder: own(s.plates, plate) ?? null, claimants }))
    .sort((a, b) => (a.plate < b.plate ? -1 : 1));
}

/** Who a request to the plate reaches: its confirmed holder, and nobody while a claim on it waits. */
function plateRecipient(s: ContactState, plate: string): string | undefined {
  return claimsOf(s, plate).length > 0 ? undefined : own(s.plates, plate);
}

/** Milliseconds until this account may ask again; 0 when it may now. Assumes `asksPerHour` ≥ 1. */
export function askWait(s: ContactState, limits: ContactLimits, accountId: string, at: number): number {
  const times = (own(s.asks, accountId) ?? []).filter((t) => t > at - ASK_WINDOW_MS);
  if (times.length < limits.asksPerHour) return 0;
  return times[times.length - limits.asksPerHour] + ASK_WINDOW_MS - at;
}

// --- decide

function checkText(raw: unknown, name: unknown, l: ContactLimits): Refusal | { ok: true; text: string } {
  if (typeof raw !== 'string' || typeof name !== 'string' || hasLoneSurrogate(raw) || hasLoneSurrogate(name)) {
    return refusal(ContactError.BAD_TEXT);
  }
  const text = cleanText(raw);
  if (isBlank(text)) return refusal(ContactError.EMPTY);
  const chars = codePointLength(text);
  if (chars > l.maxChars) return refusal(ContactError.TOO_LONG, { chars, maxChars: l.maxChars });
  return { ok: true, text };
}

/**
 * A plate is claimed, never simply taken: the claim waits for staff, who confirm one holder after
 * seeing the car's registration. The answer is the same whether the plate was free or held, so
 * registering probes nothing; a second claim on a held plate puts it under review, and requests
 * to it reach nobody until staff decide.
 */
function decideRegister(s: ContactState, c: RegisterPlate, l: ContactLimits): D {
  const p = normalizePlate(c.plate);
  if (!p.ok) return reject(p.code, { reason: p.reason });
  if (isReleased(s, c.by)) return reject(ContactError.ACCOUNT_RELEASED);
  if (own(s.plates, p.plate) === c.by || claimsOf(s, p.plate).includes(c.by)) return accept();
  if (platesOf(s, c.by).length >= l.platesPerAccount) return reject(ContactError.TOO_MANY_PLATES, { max: l.platesPerAccount });
  return accept({ type: 'PlateClaimed', v: 1, accountId: c.by, plate: p.plate, at: c.at });
}

function decideRemove(s: ContactState, c: RemovePlate): D {
  const p = normalizePlate(c.plate);
  if (!p.ok) return reject(p.code, { reason: p.reason });
  const holder = own(s.plates, p.plate);
  if (claimsOf(s, p.plate).includes(c.by) && holder !== c.by) {
    return accept({ type: 'PlateClaimDropped', v: 1, by: c.by, accountId: c.by, plate: p.plate, at: c.at });
  }
  // A resident gets NOT_YOURS whether the plate is free or someone else's, so removal never probes a plate.
  if (holder !== c.by && c.byStaff !== true) return reject(ContactError.NOT_YOURS);
  if (holder === undefined) return accept();
  return accept({ type: 'PlateRemoved', v: 1, by: c.by, accountId: holder, plate: p.plate, at: c.at });
}

function decideReview(s: ContactState, c: ReviewPlate): D {
  if (c.byStaff !== true) return reject(ContactError.STAFF_ONLY);
  const p = normalizePlate(c.plate);
  if (!p.ok) return reject(p.code, { reason: p.reason });
  const claimed = claimsOf(s, p.plate).includes(c.accountId);
  const holds = own(s.plates, p.plate) === c.accountId;
  if (!claimed && !holds) return reject(ContactError.NO_SUCH_CLAIM);
  if (c.decision === 'confirm') {
    return claimed || claimsOf(s, p.plate).length > 0
      ? accept({ type: 'PlateConfirmed', v: 1, by: c.by, accountId: c.accountId, plate: p.plate, at: c.at })
      : accept();
  }
  return holds
    ? accept({ type: 'PlateRemoved', v: 1, by: c.by, accountId: c.accountId, plate: p.plate, at: c.at })
    : accept({ type: 'PlateClaimDropped', v: 1, by: c.by, accountId: c.accountId, plate: p.plate, at: c.at });
}

/** The stored target and who it reaches; the asker and released accounts are never among them. */
function resolveTarget(s: ContactState, c: Ask): Refusal | { ok: true; target: TargetRef; recipients: string[] } {
  const t = c.target;
  if (t?.kind === 'plate') {
    const p = normalizePlate(t.plate);
    if (!p.ok) return refusal(p.code, { reason: p.reason });
    const holder = plateRecipient(s, p.plate);
    return { ok: true, target: { kind: 'plate', plate: p.plate }, recipients: holder === undefined || holder === c.by || isReleased(s, holder) ? [] : [holder] };
  }
  if (t?.kind === 'unit' && typeof t.unitId === 'string' && UNIT_ID.test(t.unitId) && Array.isArray(t.recipients)) {
    const recipients = [...new Set(t.recipients)].filter((id) => typeof id === 'string' && id !== c.by && !isReleased(s, id));
    return { ok: true, target: { kind: 'unit', unitId: t.unitId }, recipients };
  }
  return refusal(ContactError.BAD_TARGET);
}

function decideAsk(s: ContactState, c: Ask, l: ContactLimits): D {
  if (typeof c.requestId !== 'string' || !REQUEST_ID.test(c.requestId)) return reject(ContactError.BAD_REQUEST_ID);
  const existing = findRequest(s, c.requestId);
  if (existing) return existing.askerId === c.by ? accept() : reject(ContactError.BAD_REQUEST_ID);
  if (isReleased(s, c.by)) return reject(ContactError.ACCOUNT_RELEASED);
  const target = resolveTarget(s, c);
  if (!target.ok) return target;
  const text = checkText(c.text, c.byName, l);
  if (!text.ok) return text;
  const wait = askWait(s, l, c.by, c.at);
  if (wait > 0) return reject(ContactError.TOO_MANY_REQUESTS, { retryAfterMs: wait });
  // Accepted alike whether anyone is reached: the asker's reply must not tell an empty unit or a free plate.
  return accept({
    type: 'RequestSent', v: 1, requestId: c.requestId, askerId: c.by, askerName: c.byName, target: target.target,
    recipients: target.recipients, text: text.text, at: c.at,
  });
}

function decideAnswer(s: ContactState, c: Answer, l: ContactLimits): D {
  const r = typeof c.requestId === 'string' ? findRequest(s, c.requestId) : undefined;
  // One code for "no such request" and "not yours to answer", so a request id reveals nothing.
  if (!r || !r.recipients.includes(c.by)) return reject(ContactError.UNKNOWN_REQUEST);
  if (c.at >= r.closesAt) return reject(ContactError.REQUEST_CLOSED);
  if (r.answers.some((a) => a.accountId === c.by)) return reject(ContactError.ALREADY_ANSWERED);
  const text = checkText(c.text, c.byName, l);
  if (!text.ok) return text;
  return accept({
    type: 'AnswerGiven', v: 1, requestId: r.requestId, askerId: r.askerId, answererId: c.by, answererName: c.byName,
    text: text.text, at: c.at,
  });
}

function decideWith(l: ContactLimits, s: ContactState, c: ContactCommand): D {
  switch (c.type) {
    case 'RegisterPlate': return decideRegister(s, c, l);
    case 'RemovePlate': return decideRemove(s, c);
    case 'ReleaseAccount':
      return isReleased(s, c.accountId) ? accept() : accept({ type: 'AccountReleased', v: 1, accountId: c.accountId, at: c.at });
    case 'Ask': return decideAsk(s, c, l);
    case 'Answer': return decideAnswer(s, c, l);
    case 'ReviewPlate': return decideReview(s, c);
    default: return assertNever(c);
  }
}

// --- evolve

/** Drops requests whose time is up and ask times outside the window; returns `s` itself when nothing goes. */
function prune(s: ContactState, at: number): ContactState {
  const requests = s.requests.some((r) => at >= r.closesAt) ? s.requests.filter((r) => at < r.closesAt) : s.requests;
  const stale = (times: readonly number[]) => times.some((t) => t <= at - ASK_WINDOW_MS);
  const asksStale = Object.values(s.asks).some(stale);
  if (requests === s.requests && !asksStale) return s;
  const asks = asksStale
    ? Object.fromEntries(Object.entries(s.asks).map(([k, ts]) => [k, ts.filter((t) => t > at - ASK_WINDOW_MS)] as const).filter(([, ts]) => ts.length > 0))
    : s.asks;
  return { ...s, requests, asks };
}

function addRequest(s: ContactState, r: ContactRequest, l: ContactLimits): ContactState {
  const all = [...s.requests, r];
  const drop = Math.max(0, all.length - l.openRequestsKept);
  const times = [...(own(s.asks, r.askerId) ?? []), r.at].slice(-l.asksPerHour);
  return {
    ...s,
    requests: drop > 0 ? all.slice(drop) : all,
    droppedRequests: s.droppedRequests + drop,
    // A computed key defines an own property even for `__proto__`; assignment would set the prototype.
    asks: { ...s.asks, [r.askerId]: times },
  };
}

function releaseAccount(s: ContactState, accountId: string, at: number): ContactState {
  const requests = s.requests
    .filter((r) => r.askerId !== accountId)
    .map((r) => (r.recipients.includes(accountId) ? { ...r, recipients: r.recipients.filter((id) => id !== accountId) } : r));
  return {
    ...s,
    plates: keepWhere(s.plates, (_, holder) => holder !== accountId),
    claims: withoutClaimant(s.claims ?? {}, accountId),
    released: { ...s.released, [accountId]: at },
    requests,
    asks: keepWhere(s.asks, (k) => k !== accountId),
  };
}

function withoutClaimant(claims: Readonly<Record<string, readonly string[]>>, accountId: string, plate?: string): Record<string, readonly string[]> {
  return Object.fromEntries(Object.entries(claims)
    .map(([p, ids]) => [p, plate === undefined || p === plate ? ids.filter((id) => id !== accountId) : ids] as const)
    .filter(([, ids]) => ids.length > 0));
}

function addAnswer(s: ContactState, e: Extract<ContactEvent, { type: 'AnswerGiven' }>): ContactState {
  const i = s.requests.findIndex((r) => r.requestId === e.requestId);
  if (i < 0 || s.requests[i].answers.some((a) => a.accountId === e.answererId)) return s;
  const r = s.requests[i];
  const answered = { ...r, answers: [...r.answers, { accountId: e.answererId, name: e.answererName, text: e.text, at: e.at }] };
  return { ...s, requests: s.requests.map((x, j) => (j === i ? answered : x)) };
}

function applyEvent(l: ContactLimits, s: ContactState, e: ContactEvent): ContactState {
  switch (e.type) {
    case 'PlateRegistered': return { ...s, plates: { ...s.plates, [e.plate]: e.accountId } };
    case 'PlateRemoved': return { ...s, plates: keepWhere(s.plates, (plate) => plate !== e.plate) };
    case 'PlateClaimed': {
      const claims = s.claims ?? {};
      // A computed key defines an own property even for `__proto__`; assignment would set the prototype.
      return { ...s, claims: { ...claims, [e.plate]: [...(own(claims, e.plate) ?? []), e.accountId] } };
    }
    case 'PlateConfirmed':
      return { ...s, plates: { ...s.plates, [e.plate]: e.accountId }, claims: keepWhere(s.claims ?? {}, (plate) => plate !== e.plate) };
    case 'PlateClaimDropped': return { ...s, claims: withoutClaimant(s.claims ?? {}, e.accountId, e.plate) };
    case 'AccountReleased': return releaseAccount(s, e.accountId, e.at);
    case 'RequestSent':
      return addRequest(s, {
        requestId: e.requestId, askerId: e.askerId, askerName: e.askerName, target: e.target, recipients: e.recipients,
        text: e.text, at: e.at, closesAt: e.at + l.requestTtlMs, answers: [],
      }, l);
    case 'AnswerGiven': return addAnswer(s, e);
    default: return s;
  }
}

function evolveWith(l: ContactLimits, s: ContactState, e: ContactEvent): ContactState {
  if (e.v !== 1) return s; // a later version needs its upcaster first; never half-apply it
  switch (e.type) {
    case 'PlateRegistered': case 'PlateRemoved': case 'AccountReleased': case 'RequestSent': case 'AnswerGiven':
    case 'PlateClaimed': case 'PlateConfirmed': case 'PlateClaimDropped':
      return applyEvent(l, prune(s, e.at), e);
    default: return s; // unknown (future) event versions leave state unchanged; evolve never throws
  }
}

/**
 * The contact relay of one community.
 * @example
 * const relay = createContactRelay();
 * relay.decide(relay.initial, { type: 'RegisterPlate', by: 'acct-1', plate: '京a·12345', at: 0 });
 */
export function createContactRelay(limits: ContactLimits = DEFAULT_CONTACT_LIMITS) {
  return defineActor({
    type: 'contact-relay',
    initial: initialContact,
    decide: (s: ContactState, c: ContactCommand): D => decideWith(limits, s, c),
    evolve: (s: ContactState, e: ContactEvent): ContactState => evolveWith(limits, s, e),
  });
}

// --- queries

/** Open requests the account received, oldest sent first, each with whether it has answered. */
export function inboxOf(s: ContactState, accountId: string, at: number): InboxEntry[] {
  return s.requests
    .filter((r) => at < r.closesAt && r.recipients.includes(accountId))
    .map((r) => ({
      requestId: r.requestId, from: { id: r.askerId, name: r.askerName }, target: r.target, text: r.text, at: r.at,
      answered: r.answers.some((a) => a.accountId === accountId),
    }));
}

/** The account's open requests, oldest sent first, with the answers so far: names only, no recipient ids or count. */
export function outboxOf(s: ContactState, accountId: string, at: number): OutboxEntry[] {
  return s.requests
    .filter((r) => at < r.closesAt && r.askerId === accountId)
    .map((r) => ({
      requestId: r.requestId, target: r.target, text: r.text, at: r.at,
      answers: r.answers.map((a) => ({ name: a.name, text: a.text, at: a.at })),
    }));
}

/** The accounts to push an event to live: a request's recipients, or an answer's asker; nobody for the rest. */
export function recipientsOf(e: ContactEvent): string[] {
  switch (e.type) {
    case 'RequestSent': return [...e.recipients];
    case 'AnswerGiven': return [e.askerId];
    // The claimant learns staff decided; the page reads its plates again.
    case 'PlateConfirmed': case 'PlateClaimDropped': return [e.accountId];
    default: return [];
  }
}

/** What to push to `recipientsOf(e)`: the same views inboxOf and outboxOf give, never the event (it names accounts). */
export function notificationOf(e: ContactEvent): ContactNotification | null {
  switch (e.type) {
    case 'RequestSent':
      return {
        type: 'RequestReceived',
        entry: { requestId: e.requestId, from: { id: e.askerId, name: e.askerName }, target: e.target, text: e.text, at: e.at, answered: false },
      };
    case 'AnswerGiven': return { type: 'AnswerReceived', requestId: e.requestId, answer: { name: e.answererName, text: e.text, at: e.at } };
    case 'PlateConfirmed': case 'PlateClaimDropped': return { type: 'PlatesChanged', plate: e.plate };
    default: return null;
  }
}
