/**
 * @module actors/contact/contact-protocol
 * Commands, events, state, limits and query views of the contact relay: residents register their
 * cars' plates, and reach "the owner of plate X" or "the residents of unit Y" without learning who
 * they are until those people answer. Phone numbers are never part of it. Types only.
 * Every command carries `at` (ms since the epoch); request ids come from the client, and the
 * caller's identity (`by`, `byName`, `byStaff`) and a unit's `recipients` are filled in by the
 * engine after authentication, never by a client.
 */

/** Whom an Ask is for, as the engine sends it: a unit's current members are resolved by the engine. */
export type AskTarget =
  | { readonly kind: 'plate'; readonly plate: string }
  | { readonly kind: 'unit'; readonly unitId: string; readonly recipients: readonly string[] };

/** Whom a request was for, as stored and shown: the normalised plate, or the unit id; never who was reached. */
export type TargetRef =
  | { readonly kind: 'plate'; readonly plate: string }
  | { readonly kind: 'unit'; readonly unitId: string };

// --- commands

export type RegisterPlate = { type: 'RegisterPlate'; by: string; plate: string; at: number };
/** By its holder, or by property staff (`byStaff`, set by the engine from the directory). */
export type RemovePlate = { type: 'RemovePlate'; by: string; plate: string; byStaff?: boolean; at: number };
/** Sent by the engine when the directory revokes an account; never by a client. */
export type ReleaseAccount = { type: 'ReleaseAccount'; accountId: string; at: number };
export type Ask = { type: 'Ask'; requestId: string; by: string; byName: string; target: AskTarget; text: string; at: number };
export type Answer = { type: 'Answer'; requestId: string; by: string; byName: string; text: string; at: number };

/** Property staff decide a plate's claims (having seen the car's registration): `accountId` holds it, or its claim is refused. */
export type ReviewPlate = { type: 'ReviewPlate'; by: string; byStaff: boolean; plate: string; accountId: string; decision: 'confirm' | 'reject'; at: number };

export type ContactCommand = RegisterPlate | RemovePlate | ReleaseAccount | Ask | Answer | ReviewPlate;

// --- events (plates travel normalised, so replay never re-runs Unicode normalisation)

export type PlateRegistered = { type: 'PlateRegistered'; v: 1; accountId: string; plate: string; at: number };
export type PlateRemoved = { type: 'PlateRemoved'; v: 1; by: string; accountId: string; plate: string; at: number };
export type AccountReleased = { type: 'AccountReleased'; v: 1; accountId: string; at: number };
/**
 * Journal-only: it names the recipients, so it must never reach the asker. Push
 * `notificationOf(event)` to `recipientsOf(event)`, never the event itself.
 */
export type RequestSent = {
  type: 'RequestSent'; v: 1; requestId: string; askerId: string; askerName: string; target: TargetRef;
  /** Possibly empty: an unknown plate or an empty unit is accepted exactly like a reached one. */
  recipients: readonly string[];
  text: string; at: number;
};
/** Journal-only: it names the answerer's account; the asker sees only `answererName`. */
export type AnswerGiven = {
  type: 'AnswerGiven'; v: 1; requestId: string; askerId: string; answererId: string; answererName: string;
  text: string; at: number;
};

/** A claim waiting for staff: nobody is reached through the plate while any claim on it waits. */
export type PlateClaimed = { type: 'PlateClaimed'; v: 1; accountId: string; plate: string; at: number };
/** Staff confirmed `accountId` as the plate's holder; every other claim on it is dropped. */
export type PlateConfirmed = { type: 'PlateConfirmed'; v: 1; by: string; accountId: string; plate: string; at: number };
/** Staff refused (or the claimant withdrew) one claim. */
export type PlateClaimDropped = { type: 'PlateClaimDropped'; v: 1; by: string; accountId: string; plate: string; at: number };

export type ContactEvent = PlateRegistered | PlateRemoved | AccountReleased | RequestSent | AnswerGiven | PlateClaimed | PlateConfirmed | PlateClaimDropped;

// --- state

export interface ReceivedAnswer {
  readonly accountId: string;
  readonly name: string;
  readonly text: string;
  readonly at: number;
}

export interface ContactRequest {
  readonly requestId: string;
  readonly askerId: string;
  readonly askerName: string;
  readonly target: TargetRef;
  readonly recipients: readonly string[];
  readonly text: string;
  readonly at: number;
  /** `at + requestTtlMs`: from this instant on the request is closed, and the next event prunes it. */
  readonly closesAt: number;
  /** In the order given; at most one per recipient. */
  readonly answers: readonly ReceivedAnswer[];
}

export type ContactState = Readonly<{
  /** Normalised plate → the account holding it (confirmed by staff, or registered before claims existed). */
  plates: Readonly<Record<string, string>>;
  /** Normalised plate → accounts whose claims wait for staff, in claim order. Absent in older snapshots. */
  claims?: Readonly<Record<string, readonly string[]>>;
  /**
   * Released (revoked) account → when; such an account never holds a plate or receives a request
   * again. Grows by one per revoked account and is never pruned, like the directory's revocations.
   */
  released: Readonly<Record<string, number>>;
  /** Requests younger than requestTtlMs, oldest sent first, at most openRequestsKept (an array: object keys would put numeric ids first). */
  requests: readonly ContactRequest[];
  /** Asker → times of their latest asks within the last hour, oldest first, at most asksPerHour. */
  asks: Readonly<Record<string, readonly number[]>>;
  /** Requests dropped because openRequestsKept was exceeded; the engine exports it as a metric. */
  droppedRequests: number;
}>;

export interface ContactLimits {
  /** Plates one account may hold. */
  readonly platesPerAccount: number;
  /** Length of an ask or an answer, in code points after cleaning. */
  readonly maxChars: number;
  /** Asks one account may send in any rolling hour. */
  readonly asksPerHour: number;
  /** How long a request stays open (answerable, listed), in ms; then it is pruned. */
  readonly requestTtlMs: number;
  /** Requests kept; beyond it the oldest sent is dropped (and counted in droppedRequests). */
  readonly openRequestsKept: number;
}

// --- queries

/** A request as a recipient sees it: the asker is a verified neighbour, so their name is shown. */
export interface InboxEntry {
  readonly requestId: string;
  readonly from: { readonly id: string; readonly name: string };
  readonly target: TargetRef;
  readonly text: string;
  readonly at: number;
  /** Whether this recipient has answered. */
  readonly answered: boolean;
}

/** An answer as the asker sees it: a display name, never an account id. */
export interface OutboxAnswer {
  readonly name: string;
  readonly text: string;
  readonly at: number;
}

/** A request as its asker sees it: no recipient ids and no count of recipients. */
export interface OutboxEntry {
  readonly requestId: string;
  readonly target: TargetRef;
  readonly text: string;
  readonly at: number;
  readonly answers: readonly OutboxAnswer[];
}

/** One of the account's plates as it sees it: `pending` until staff confirm; `disputed` when it holds it and another claim waits. */
export interface PlateView {
  readonly plate: string;
  readonly status: 'confirmed' | 'pending' | 'disputed';
}

/** What the engine pushes live to `recipientsOf(event)`. */
export type ContactNotification =
  | { readonly type: 'RequestReceived'; readonly entry: InboxEntry }
  | { readonly type: 'AnswerReceived'; readonly requestId: string; readonly answer: OutboxAnswer }
  /** Staff confirmed or rejected my claim on a plate: read my plates again. */
  | { readonly type: 'PlatesChanged'; readonly plate: string };
