/**
 * @module rooms/parking/forecast
 * Forecasts of every lot's occupancy for the next hours, from its history in analytics: one
 * read-only query (through the analytics store, which runs chDB in its own process, off the
 * rooms' event loop) builds each lot's weekday-hour profile from the lot's committed occupancy
 * events in `linli.room_events` (`OccupancyRecorded`, `BayRecorded`: their `total`, or a v1
 * event's `occupied`), over the last PARKING_FORECAST_WEEKS weeks; the method itself is pure
 * (actors/parking/forecast.ts) and is applied to each lot's occupancy now.
 * Owns: the SQL, caching the profile for PARKING_FORECAST_CACHE_S. Does not: the method.
 * Failure: without analytics, or when the query fails (busy, timeout), the forecast still answers
 * from the occupancy now (basis `current`) and says why in `history`.
 */
import { forecastLot, type ForecastHour, type ProfileRow } from '../../actors/parking/forecast.ts';
import { LinliError } from '../../engine/errors.ts';
import type { AnalyticsStore } from '../../analytics/contract.ts';
import type { RoomServices } from '../_shared/services.ts';

const WEEK_MS = 7 * 86_400_000;

export const FORECAST_METHOD = {
  'zh-CN': '按星期几和小时统计过去几周每天该小时的平均占用，取各天的平均值；该星期几没有记录时用其他日子同一小时的平均；完全没有历史时沿用当前占用。当前占用与平时的差额计入未来各小时，每两小时减半。',
  en: 'For each weekday and hour, the mean over past days of that day\'s mean occupancy in that hour; with no history on that weekday, the same hour on any day; with no history at all, the occupancy now. Today\'s difference from typical is added to the hours ahead, halving every two hours.',
} as const;

export interface LotForecast {
  readonly lotId: string;
  readonly capacity: number;
  readonly current: number | null;
  readonly hours: readonly ForecastHour[];
}

export interface ForecastAnswer {
  readonly generatedAt: number;
  /** `ok`, `off` (no analytics), or the code of the failed history query. */
  readonly history: string;
  readonly weeks: number;
  readonly method: typeof FORECAST_METHOD;
  readonly lots: readonly LotForecast[];
}

/** The profile query; every interpolated value is checked (ids from the layout, integers). */
export function profileSql(community: string, fromMs: number, toMs: number, utcOffsetMin: number): string {
  if (!/^[a-z0-9-]{1,64}$/.test(community)) throw new Error(`community id not safe for SQL: ${community}`);
  for (const n of [fromMs, toMs, utcOffsetMin]) if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return `SELECT lot, dow, hour, avg(day_mean) AS mean, count() AS days FROM (
  SELECT actor_id AS lot, toDate(addMinutes(at, ${utcOffsetMin})) AS day,
         toDayOfWeek(addMinutes(at, ${utcOffsetMin})) AS dow, toHour(addMinutes(at, ${utcOffsetMin})) AS hour,
         avg(if(JSONHas(event, 'total'), JSONExtractFloat(event, 'total'), JSONExtractFloat(event, 'occupied'))) AS day_mean
  FROM linli.room_events
  WHERE community = '${community}' AND kind = 'parking-lot' AND type IN ('OccupancyRecorded', 'BayRecorded')
    AND toUnixTimestamp64Milli(at) >= ${fromMs} AND toUnixTimestamp64Milli(at) < ${toMs}
  GROUP BY lot, day, dow, hour
) GROUP BY lot, dow, hour ORDER BY lot, dow, hour`;
}

/** Query rows → profile rows by lot. */
export function profilesOf(rows: readonly Record<string, unknown>[]): Map<string, ProfileRow[]> {
  const out = new Map<string, ProfileRow[]>();
  for (const r of rows) {
    const lot = String(r.lot);
    const row = { dow: Number(r.dow), hour: Number(r.hour), mean: Number(r.mean), days: Number(r.days) };
    if (![row.dow, row.hour, row.mean, row.days].every(Number.isFinite)) continue;
    out.set(lot, [...(out.get(lot) ?? []), row]);
  }
  return out;
}

export class ParkingForecast {
  private cached: { at: number; profiles: Map<string, ProfileRow[]>; history: string } | null = null;

  constructor(private readonly s: RoomServices, private readonly analytics: AnalyticsStore | null) {}

  private async profiles(now: number): Promise<{ profiles: Map<string, ProfileRow[]>; history: string }> {
    const c = this.s.config;
    if (this.cached && now - this.cached.at < c.parkingForecastCacheS * 1000 && now >= this.cached.at) return this.cached;
    if (!this.analytics) return { profiles: new Map(), history: 'off' };
    let result: { profiles: Map<string, ProfileRow[]>; history: string };
    try {
      const sql = profileSql(this.s.community.id, now - c.parkingForecastWeeks * WEEK_MS, now, c.alarmUtcOffsetMin);
      const r = await this.analytics.query(sql, { maxRows: 7 * 24 * Math.max(1, this.s.community.lots.length) });
      result = { profiles: profilesOf(r.rows), history: 'ok' };
    } catch (err) {
      const code = err instanceof LinliError ? err.code : 'ANALYTICS_QUERY_FAILED';
      this.s.metrics.inc('parking_forecast_history_failures_total', 'Forecast history queries that failed (answered from the occupancy now)', { code });
      return { profiles: new Map(), history: code };
    }
    this.cached = { at: now, ...result };
    return result;
  }

  async forecast(lotIds: readonly string[], hours: number): Promise<ForecastAnswer> {
    const now = this.s.now();
    const { profiles, history } = await this.profiles(now);
    const lots = lotIds.map((lotId): LotForecast => {
      const layout = this.s.community.lots.find((l) => l.id === lotId)!;
      const current = this.s.parking.lot(lotId)?.state().occupied ?? null;
      return {
        lotId, capacity: layout.capacity, current,
        hours: forecastLot({ capacity: layout.capacity, current, now, hours, utcOffsetMin: this.s.config.alarmUtcOffsetMin, profile: profiles.get(lotId) ?? [] }),
      };
    });
    return { generatedAt: now, history, weeks: this.s.config.parkingForecastWeeks, method: FORECAST_METHOD, lots };
  }
}
