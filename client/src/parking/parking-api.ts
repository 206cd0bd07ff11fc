/**
 * @module client/parking/parking-api
 * The parking HTTP API (rooms/parking/routes.ts): holds for guidance, forecasts, the tariff,
 * visitor passes, my cars' sessions and paying for them; for staff, setting the tariff.
 * Every call is signed in (session.call). Owns: paths and bodies. Does not: merge pushes (use-parking).
 */
import type { Authed } from '../auth/auth-api.ts';
import type { ForecastAnswer, HoldView, Pass, Tariff } from '../protocol.ts';

export interface OpenSession {
  readonly sessionId: string;
  readonly plate: string;
  readonly class: string;
  readonly enteredAt: number;
  readonly entryGateId: string;
  readonly paidFen: number;
  readonly dueFen: number;
  readonly exit: { readonly gateId: string; readonly at: number; readonly dueFen: number } | null;
}

/** A hold answer with the server's clock, so the page can count down whatever its own clock says. */
export interface HoldAnswer {
  readonly hold: HoldView | null;
  readonly now: number;
}

export const requestHold = (call: Authed, lotId: string | null, key: string) => call<HoldAnswer>('/api/parking/holds', { lotId: lotId ?? 'auto', key });
export const fetchHold = (call: Authed) => call<HoldAnswer>('/api/parking/holds');
export const cancelHold = (call: Authed) => call<{ ok: true }>('/api/parking/holds/cancel', {});
export const fetchForecast = (call: Authed, hours: number) => call<ForecastAnswer>(`/api/parking/forecast?hours=${hours}`);
export const fetchTariff = (call: Authed) => call<{ tariff: Tariff }>('/api/parking/tariff').then((r) => r.tariff);
export const setTariff = (call: Authed, fields: Partial<Tariff>) => call<{ tariff: Tariff }>('/api/parking/tariff', fields).then((r) => r.tariff);
export const issueVisitorPass = (call: Authed, plate: string, until: number) =>
  call<{ pass: Pass }>('/api/parking/passes', { kind: 'visitor', plate, until }).then((r) => r.pass);
export const fetchSessions = (call: Authed) => call<{ open: OpenSession[] }>('/api/parking/sessions').then((r) => r.open);
export const pay = (call: Authed, sessionId: string, amountFen: number, method: 'app' | 'cash', key: string) =>
  call<{ paid: unknown }>('/api/parking/payments', { sessionId, amountFen, method, key });

/** Fen as yuan text: 1800 → "18.00". */
export function yuan(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
}
