/**
 * @module client/parking/use-parking
 * The page's parking: the account's hold (asked for, cancelled, followed through `parking`
 * pushes), money due at an exit for its cars (and paying it in the app), the tariff and the
 * forecast for every lot (read again every FORECAST_REFRESH_MS). A tariff staff change reaches the
 * page live (`parking` message of kind `tariff` from the lot rooms).
 * Owns: those requests and their state; the server clock's offset from this page's (hold
 * deadlines are server times). Does not: draw (parking-panel, map) or decide anything.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { failureOf } from '../api.ts';
import type { Authed } from '../auth/auth-api.ts';
import type { Failure, ForecastAnswer, ParkingNotification, Tariff } from '../protocol.ts';
import * as api from './parking-api.ts';
import { applyPush, EMPTY_PARKING_LOG, withHold, type ParkingLog } from './parking-log.ts';

export const FORECAST_REFRESH_MS = 5 * 60_000;
export const FORECAST_HOURS = 6;

export interface ParkingView {
  readonly log: ParkingLog;
  readonly forecast: ForecastAnswer | null;
  readonly tariff: Tariff | null;
  /** Server clock minus this page's clock, ms. */
  readonly skewMs: number;
  readonly busy: boolean;
  readonly failure: Failure | null;
  readonly onParking: (n: ParkingNotification) => void;
  /** Asks for a bay in `lotId`, or in the lot the system picks (null). */
  readonly request: (lotId: string | null) => Promise<void>;
  readonly cancel: () => Promise<void>;
  readonly payDue: (sessionId: string, dueFen: number) => Promise<void>;
}

function newKey(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export function useParking(call: Authed, enabled: boolean, resident: boolean): ParkingView {
  const [log, setLog] = useState<ParkingLog>(EMPTY_PARKING_LOG);
  const [forecast, setForecast] = useState<ForecastAnswer | null>(null);
  const [tariff, setTariff] = useState<Tariff | null>(null);
  const [skewMs, setSkew] = useState(0);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const callRef = useRef(call);
  callRef.current = call;

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const loadForecast = () => api.fetchForecast(callRef.current, FORECAST_HOURS).then((f) => {
      if (!live) return;
      setForecast(f);
      setSkew(f.generatedAt - Date.now());
    }, () => undefined); // a failed refresh keeps the last forecast; the next one retries
    void loadForecast();
    const timer = setInterval(() => void loadForecast(), FORECAST_REFRESH_MS);
    void api.fetchTariff(callRef.current).then((t) => live && setTariff(t), () => undefined); // shown when it comes
    if (resident) void api.fetchHold(callRef.current).then((a) => { if (live) { setLog((l) => withHold(l, a.hold)); setSkew(a.now - Date.now()); } }, () => undefined);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [enabled, resident]);

  // Every lot room the page has open sends a tariff change; each copy carries the whole tariff.
  const onParking = useCallback((n: ParkingNotification) => (n.kind === 'tariff' ? setTariff(n.tariff) : setLog((l) => applyPush(l, n))), []);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    try {
      await work();
    } catch (e) {
      setFailure(failureOf(e));
    } finally {
      setBusy(false);
    }
  };

  const request = (lotId: string | null) => run(async () => {
    const a = await api.requestHold(callRef.current, lotId, newKey('hold'));
    setSkew(a.now - Date.now());
    setLog((l) => withHold(l, a.hold));
  });
  const cancel = () => run(async () => {
    await api.cancelHold(callRef.current);
    setLog((l) => withHold(l, null));
  });
  const payDue = (sessionId: string, dueFen: number) => run(async () => {
    await api.pay(callRef.current, sessionId, dueFen, 'app', newKey('pay'));
  });

  return { log, forecast, tariff, skewMs, busy, failure, onParking, request, cancel, payDue };
}
