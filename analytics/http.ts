/**
 * @module analytics/http
 * The analyst's HTTP API: `POST /api/analytics/query` with `{"sql": "...", "maxRows"?: n}`,
 * `GET /api/analytics/query?sql=...&maxRows=n`, and `GET /api/analytics/tables`.
 * Owns: request parsing and the mapping of failures to HTTP statuses (400, 413, 503, 504).
 * Does not: check SQL itself (the store runs the read-only guard on every query) or authenticate
 * (the transport's router decides who reaches these routes).
 * Limits: `maxRows` caps rows per reply (default 10000); `maxSqlChars` caps the statement (65536).
 */
import { EngineError, LinliError, failure } from '../engine/errors.ts';
import { json, type HttpRequest, type HttpResponse, type Route } from '../engine/http/contract.ts';
import { DEFAULT_MAX_ROWS, silentLog, type AnalyticsLog, type AnalyticsStore } from './contract.ts';
import { AnalyticsError, httpStatusFor } from './errors.ts';

export const DEFAULT_MAX_SQL_CHARS = 65_536;

export interface AnalyticsRoutesOptions {
  /** Rows a reply carries at most; a request may ask for fewer. Default 10000. */
  readonly maxRows?: number;
  readonly maxSqlChars?: number;
  /** Where unexpected failures (answered as ENGINE_INTERNAL) are logged. */
  readonly log?: AnalyticsLog;
}

type Parsed = { ok: true; sql: string; maxRows: number } | { ok: false; response: HttpResponse };

export function analyticsRoutes(store: AnalyticsStore, opts: AnalyticsRoutesOptions = {}): Route[] {
  const cap = opts.maxRows ?? DEFAULT_MAX_ROWS;
  const maxSqlChars = opts.maxSqlChars ?? DEFAULT_MAX_SQL_CHARS;
  const log = opts.log ?? silentLog;
  const fail = (err: unknown): HttpResponse => {
    if (err instanceof LinliError) return json(httpStatusFor(err.code), failure(err.code, err.details));
    log.error('analytics request failed', { err });
    return json(500, failure(EngineError.INTERNAL)); // the cause stays in the server log, never on the wire
  };

  const run = async (p: Parsed): Promise<HttpResponse> => {
    if (!p.ok) return p.response;
    try {
      const r = await store.query(p.sql, { maxRows: p.maxRows });
      return json(200, { ok: true, columns: r.columns, rows: r.rows, rowCount: r.rowCount, truncated: r.truncated, ...(r.truncatedBy ? { truncatedBy: r.truncatedBy } : {}), elapsedMs: r.elapsedMs });
    } catch (err) {
      return fail(err);
    }
  };

  const parse = (sql: unknown, maxRows: unknown): Parsed => {
    if (typeof sql !== 'string') return bad({ field: 'sql', problem: 'missing or not a string' });
    if (sql.trim() === '') return bad({ field: 'sql', problem: 'empty' });
    if (sql.length > maxSqlChars) return { ok: false, response: json(413, failure(EngineError.PAYLOAD_TOO_LARGE, { field: 'sql', maxChars: maxSqlChars })) };
    if (maxRows === undefined) return { ok: true, sql, maxRows: cap };
    const n = typeof maxRows === 'string' && maxRows !== '' ? Number(maxRows) : maxRows;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return bad({ field: 'maxRows', problem: 'not a non-negative integer' });
    return { ok: true, sql, maxRows: Math.min(n, cap) };
  };

  return [
    {
      method: 'POST',
      path: '/api/analytics/query',
      handle: (req: HttpRequest) => {
        let body: unknown;
        try {
          body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(req.body));
        } catch {
          return bad({ problem: 'body is not UTF-8 JSON' }).response;
        }
        if (typeof body !== 'object' || body === null || Array.isArray(body)) return bad({ problem: 'body must be a JSON object' }).response;
        const b = body as Record<string, unknown>;
        return run(parse(b.sql, b.maxRows));
      },
    },
    {
      method: 'GET',
      path: '/api/analytics/query',
      handle: (req: HttpRequest) => run(parse(req.query.get('sql') ?? undefined, req.query.get('maxRows') ?? undefined)),
    },
    {
      method: 'GET',
      path: '/api/analytics/tables',
      handle: async () => {
        try {
          const r = await store.query(
            'SELECT database, name, engine, total_rows, total_bytes FROM system.tables WHERE database = currentDatabase() ORDER BY name',
            { maxRows: 1000, catalog: true },
          );
          const tables = r.rows.map((t) => ({
            database: t.database,
            name: t.name,
            engine: t.engine,
            rows: t.total_rows === null ? null : Number(t.total_rows),
            bytes: t.total_bytes === null ? null : Number(t.total_bytes),
          }));
          return json(200, { ok: true, tables });
        } catch (err) {
          return fail(err);
        }
      },
    },
  ];
}

function bad(details: Record<string, unknown>): { ok: false; response: HttpResponse } {
  return { ok: false, response: json(400, failure(EngineError.BAD_INPUT, details)) };
}

/** The same paths on a server with analytics turned off: each answers ANALYTICS_DISABLED (503), not the router's 404 or 405. */
export function analyticsDisabledRoutes(): Route[] {
  const off = () => json(httpStatusFor(AnalyticsError.DISABLED), failure(AnalyticsError.DISABLED, { setting: 'ANALYTICS_ENABLED' }));
  return [
    { method: 'POST', path: '/api/analytics/query', handle: off },
    { method: 'GET', path: '/api/analytics/query', handle: off },
    { method: 'GET', path: '/api/analytics/tables', handle: off },
  ];
}
