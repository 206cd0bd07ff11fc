/**
 * @module actors/parking/protocol
 * Commands, events and state of a community's parking office: the tariff the property sets,
 * monthly and visitor passes, parking sessions opened and closed by gate plate reads, and
 * payments. Types only; the client imports this file.
 * Every command carries `at`; ids and facts about the plate (whose it is, whether its unit owns a
 * planned bay) come from the engine, which looks them up; plates are normalised here.
 */
import type { FeeRules } from './tariff.ts';

/** The property's tariff: the fee rules plus gate and pass policy. Money in fen. */
export interface Tariff extends FeeRules {
  /** Price of a 30-day monthly pass, fen (what staff charge by default). */
  readonly monthlyPassFen: number;
  /** After paying ahead (in the app or at the booth), minutes to reach the exit at no further cost. */
  readonly exitGraceMinutes: number;
  /** The longest window a resident's visitor pass may cover, hours. */
  readonly visitorPassMaxHours: number;
  /** Visitor passes one unit may have not yet expired at once. */
  readonly visitorPassesPerUnit: number;
  /** Whether the gate lets in plates nobody registered (temporary parking, paid at the exit). */
  readonly admitUnregistered: boolean;
}

export type PassKind = 'monthly' | 'visitor';
export type PaymentMethod = 'cash' | 'wechat' | 'alipay' | 'card' | 'app';
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['cash', 'wechat', 'alipay', 'card', 'app'];
/** Who a caller is to the parking office; the engine passes the strongest role. */
export type OfficeRole = 'staff' | 'guard' | 'resident' | 'other';
/**
 * Why a car is inside: its unit owns a planned bay (`owner`, free), a monthly or visitor pass,
 * a resident's registered plate (`resident`, pays the hourly tariff), or nobody's (`temporary`).
 */
export type SessionClass = 'owner' | 'monthly' | 'visitor' | 'resident' | 'temporary';

export interface Pass {
  readonly passId: string;
  readonly kind: PassKind;
  readonly plate: string;
  readonly from: number;
  readonly until: number;
  /** Account that issued it (staff for monthly passes, the resident for visitor passes). */
  readonly issuedBy: string;
  /** The issuing resident's unit (visitor passes), or the unit a monthly pass is for (may be null). */
  readonly unitId: string | null;
  readonly revokedAt: number | null;
}

/** What the engine knows of a plate when it reads it: the registered holder and planned-bay ownership. */
export interface PlateFacts {
  readonly accountId: string | null;
  /** The holder's unit owns a planned bay (产权车位): the car parks free. */
  readonly ownsPlannedBay: boolean;
}

export interface Session {
  readonly sessionId: string;
  readonly plate: string;
  readonly class: SessionClass;
  readonly accountId: string | null;
  readonly passId: string | null;
  readonly enteredAt: number;
  readonly entryGateId: string;
  /** Last plate read of this car (entry, repeats, exit attempts). */
  readonly lastReadAt: number;
  readonly paidFen: number;
  /** The stay was paid up to this time (a payment covers the fee up to its own time). */
  readonly paidUntil: number | null;
  /** Set when the car stands at an exit with money due. */
  readonly exit: { readonly gateId: string; readonly at: number; readonly dueFen: number } | null;
}

export interface ClosedSession {
  readonly sessionId: string;
  readonly plate: string;
  readonly class: SessionClass;
  readonly accountId: string | null;
  readonly enteredAt: number;
  readonly exitedAt: number;
  readonly feeFen: number;
  readonly paidFen: number;
  readonly reason: CloseReason;
}

export type CloseReason = 'exit' | 'missed-exit';

// --- commands

export type SetTariff = { type: 'SetTariff'; by: string; role: OfficeRole; tariff: Tariff; at: number };
export type IssuePass = {
  type: 'IssuePass'; passId: string; kind: PassKind; by: string; role: OfficeRole;
  /** The issuer's units (a visitor pass names one of them in `unitId`). */
  unitIds: readonly string[]; unitId: string | null;
  /** As typed; normalised by the actor. */
  plate: string; from: number; until: number;
  /** A monthly pass's price, recorded as a payment when given with a method. */
  amountFen: number | null; method: PaymentMethod | null; paymentId: string | null;
  at: number;
};
export type RevokePass = { type: 'RevokePass'; passId: string; by: string; role: OfficeRole; at: number };
export type ReadPlate = {
  type: 'ReadPlate'; gateId: string; deviceId: string;
  /** As the reader sent it; normalised by the actor. */
  plate: string; direction: 'in' | 'out';
  /** Facts about the normalised plate (null when it could not be normalised). */
  facts: PlateFacts;
  /** Id for the session this read opens, if it opens one. */
  sessionId: string;
  at: number;
};
export type RecordPayment = {
  type: 'RecordPayment'; paymentId: string; sessionId: string; by: string; role: OfficeRole;
  method: PaymentMethod; amountFen: number; at: number;
};

export type ParkingCommand = SetTariff | IssuePass | RevokePass | ReadPlate | RecordPayment;

// --- events

export type TariffSet = { type: 'TariffSet'; v: 1; tariff: Tariff; by: string; at: number };
export type PassIssued = { type: 'PassIssued'; v: 1; pass: Pass; at: number };
export type PassRevoked = { type: 'PassRevoked'; v: 1; passId: string; by: string; at: number };
export type PaymentRecorded = {
  type: 'PaymentRecorded'; v: 1; paymentId: string; sessionId: string | null; passId: string | null; plate: string;
  amountFen: number; method: PaymentMethod; by: string;
  /** The role `by` paid in: staff or a guard at the booth, or the car's resident in the app. */
  role: OfficeRole; at: number;
};
export type SessionOpened = {
  type: 'SessionOpened'; v: 1; sessionId: string; plate: string; gateId: string; class: SessionClass;
  accountId: string | null; passId: string | null; at: number;
};
/** An exit read with money due: the barrier stays down until a payment is recorded. */
export type ExitRequested = {
  type: 'ExitRequested'; v: 1; sessionId: string; plate: string; gateId: string; feeFen: number; paidFen: number; dueFen: number; at: number;
};
export type SessionClosed = {
  type: 'SessionClosed'; v: 1; sessionId: string; plate: string; gateId: string; class: SessionClass; accountId: string | null;
  enteredAt: number; minutes: number; feeFen: number; paidFen: number; reason: CloseReason;
  /** True when the gate opens for this car now (an exit); false for a session closed on paper (missed exit). */
  open: boolean; at: number;
};
/** A plate read the gate does not act on: malformed, not admitted, or an exit with no entry. */
export type PlateRefused = {
  type: 'PlateRefused'; v: 1; gateId: string; direction: 'in' | 'out';
  /** The normalised plate, or the raw text (at most 32 characters) when it could not be normalised. */
  plate: string; code: string; reason: string; at: number;
};

export type ParkingEvent = TariffSet | PassIssued | PassRevoked | PaymentRecorded | SessionOpened | ExitRequested | SessionClosed | PlateRefused;

export type ParkingState = Readonly<{
  tariff: Tariff;
  passes: Readonly<Record<string, Pass>>;
  /** Open sessions by plate (one car is inside at most once). */
  open: Readonly<Record<string, Session>>;
  /** The most recently closed sessions, newest last (bounded). */
  closed: readonly ClosedSession[];
  sessions: number;
  revenueFen: number;
}>;
