/**
 * @module client/protocol
 * The wire shapes the web app reads and sends. Types only: chat, notices and join options come
 * from the actors' and rooms' own protocol files (type imports, erased from the bundle); the map
 * state here is the JSON form of rooms/community-map/map-state.ts, which the client reads with
 * `toJSON()` rather than through schema classes.
 * Owns: the client's view of the protocol. Does not: validate (the server is the authority).
 */
import type { Failure, LocalizedText } from '../../engine/errors.ts';
import type { ChatMessage } from '../../actors/chat/protocol.ts';
import type { Notice, NoticeCategory } from '../../actors/building/protocol.ts';
import type { HistoryPage as RoomHistoryPage } from '../../rooms/_shared/chat-room.ts';
import type { ChatIn } from '../../rooms/_shared/chat-messages.ts';
import type { NoticeIn } from '../../rooms/building/messages.ts';
import type { ResidentRole, Role, RoleGrant, StaffRole, Unit } from '../../actors/community/directory-protocol.ts';
import type { ContactNotification, InboxEntry, OutboxAnswer, OutboxEntry, PlateView, TargetRef } from '../../actors/contact/contact-protocol.ts';
import type { SessionView } from '../../actors/identity/credentials-protocol.ts';

export type { ChatMessage, ContactNotification, Failure, InboxEntry, LocalizedText, Notice, NoticeCategory, OutboxAnswer, OutboxEntry, PlateView, ResidentRole, Role, RoleGrant, StaffRole, TargetRef };

export interface LotLive {
  readonly occupied: number;
  readonly capacity: number;
  /** Epoch ms of the last counter reading. */
  readonly updatedAt: number;
}

export interface BuildingLive {
  readonly online: number;
  readonly messages: number;
  readonly lastAt: number;
}

/** One alarm on the guards' map (rooms/community-map/map-state.ts AlarmCell). Empty strings mean "none". */
export interface AlarmLive {
  readonly kind: 'smoke' | 'water' | 'gas' | 'forced-door' | 'sos';
  readonly severity: 'critical' | 'major';
  readonly status: 'raised' | 'acknowledged' | 'taken' | 'resolved';
  readonly deviceId: string;
  readonly lon: number;
  readonly lat: number;
  readonly buildingId: string;
  readonly unitId: string;
  readonly entrance: string;
  readonly floor: number;
  readonly raisedAt: number;
  readonly level: number;
  /** The guard asked now (account id), or `staff`. */
  readonly responder: string;
  readonly responderName: string;
  readonly takenBy: string;
  readonly takenByName: string;
  readonly acknowledgedAt: number;
  readonly resolvedAt: number;
  readonly note: string;
}

/** `room.state.toJSON()` of the community map room `map-<communityId>`. */
export interface MapState {
  readonly lots: Readonly<Record<string, LotLive>>;
  readonly buildings: Readonly<Record<string, BuildingLive>>;
  readonly alarms: Readonly<Record<string, AlarmLive>>;
  /** Guards on duty, in the order they came on. */
  readonly onDuty: readonly string[];
}

export type { AlarmNotification } from '../../rooms/community-map/alarm-desk.ts';
export type { HoldNotification, HoldView, ParkingNotification, SessionNotification, TariffNotification } from '../../rooms/parking/hub.ts';
export type { ForecastAnswer, LotForecast } from '../../rooms/parking/forecast.ts';
export type { ForecastHour } from '../../actors/parking/forecast.ts';
export type { Pass, Tariff } from '../../actors/parking/protocol.ts';
export type { Route } from '../../actors/parking/route.ts';

/** One bay of a parking-lot room's state (rooms/parking-lot/parking-lot-state.ts BayCell). */
export interface BayLive {
  readonly status: 'free' | 'occupied' | 'held' | 'unknown';
  readonly planned: boolean;
  readonly updatedAt: number;
}

/** `room.state.toJSON()` of a parking-lot room: the lot's totals, data quality and bays. */
export interface LotDetail {
  readonly capacity: number;
  readonly occupied: number;
  readonly free: number;
  readonly updatedAt: number;
  readonly source: 'none' | 'counter' | 'bays' | 'mixed';
  readonly agreement: 'none' | 'agree' | 'disagree';
  /** The counter's own count, -1 before its first reading. */
  readonly counter: number;
  readonly baysKnown: number;
  readonly held: number;
  readonly available: number;
  readonly bays: Readonly<Record<string, BayLive>>;
}
export type { DeviceHealth } from '../../devices/gateway/gateway.ts';

export type Author = ChatMessage['author'];

/**
 * `welcome` of a building room (with notices) or a group room (with a member count instead);
 * the client reads the union leniently.
 */
export interface Welcome {
  readonly roomId: string;
  readonly name: LocalizedText;
  readonly you: Author;
  /** Roles of the signed-in account (`owner`, `property_staff`, …). */
  readonly roles?: readonly string[];
  readonly history: readonly ChatMessage[];
  readonly notices?: readonly Notice[];
  readonly members?: number;
}

export type SendChat = ChatIn;
/** `history` answer: a page of older items, oldest first; `before` asks for the page before it. */
export type HistoryPage<T> = RoomHistoryPage<T> & { readonly kind: 'chat' | 'notice' };
export type SendNotice = NoticeIn;

export interface Ack {
  readonly ok: true;
  readonly key: string;
  readonly seq: number;
}

/**
 * Options every room join carries. Who joins is the access token's account (`client.auth.token`);
 * the server ignores any declared name or resident id, so the client sends only its language.
 */
export interface JoinOptions {
  readonly lang: 'zh-CN' | 'en';
}

// --- HTTP: identity (services/identity/routes.ts)

/** `/api/me`, and `me` of every sign-in answer. */
export interface Me {
  readonly accountId: string;
  readonly community: string;
  readonly displayName: string | null;
  /** Masked (`138****8000`). */
  readonly phone: string | null;
  readonly roles: readonly RoleGrant[];
}

/** The answer of setup, sign-up, sign-in and refresh. */
export interface SignedIn {
  readonly accessToken: string;
  /** Epoch ms (server clock). */
  readonly accessExpiresAt: number;
  readonly refreshToken: string;
  readonly refreshExpiresAt: number;
  readonly me: Me;
}

export interface SessionRow extends SessionView {
  readonly current: boolean;
}

// --- HTTP: directory (services/identity/directory-routes.ts)

export interface UnitMember {
  readonly accountId: string;
  readonly displayName: string | null;
  readonly role: ResidentRole;
  readonly endsAt: number | null;
}

export interface UnitListing extends Unit {
  readonly members: readonly UnitMember[];
}

export interface AccountListing {
  readonly accountId: string;
  readonly displayName: string | null;
  readonly revokedAt: number | null;
  readonly roles: readonly RoleGrant[];
}

export interface RegisterLineError {
  readonly line: number;
  readonly code: string;
  readonly column: string | null;
  readonly detail: string;
}

export interface ImportResult {
  readonly rows: number;
  readonly imported: number;
  readonly alreadyKnown: number;
}

export interface Invite {
  readonly code: string;
  readonly unitId: string | null;
  readonly role: Role;
  readonly expiresAt: number;
  readonly tenancyEndsAt: number | null;
}

// --- the commons room (rooms/commons/messages.ts): owners' votes and public accounts

export type { BallotAck, CommonsWelcome, LedgerTotals, MyBallots, VoteView } from '../../rooms/commons/messages.ts';
export type { LedgerCategory, LedgerLine, MonthTotals, Question, VoucherRef } from '../../actors/ledger/ledger-protocol.ts';
export type { Outcome, RuleSet, Tally, VoteCategory } from '../../actors/votes/head-count.ts';
export type { VoteRecord } from '../../actors/votes/record.ts';
