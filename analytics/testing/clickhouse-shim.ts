/**
 * @module analytics/testing/clickhouse-shim
 * A stand-in for a ClickHouse server's HTTP interface, backed by chDB in the test process. It
 * exists so that clickhouse.ts runs through the real `@clickhouse/client` (request building,
 * streaming, error parsing) in every test run, not only where a server is available.
 * Covers exactly what the client sends here: `/ping`, a statement in the body (with an optional
 * trailing `FORMAT x`), `?query=INSERT INTO t FORMAT JSONEachRow` with rows in the body, the
 * `database`, `readonly` and `insert_deduplication_token` parameters. Other settings are ignored;
 * readers have a fixed `max_execution_time`. Extend the request switch when the store sends more.
 * Errors answer 500 with `X-ClickHouse-Exception-Code`, as the server does. Listens on 127.0.0.1:0.
 * After a failed read the reader connection is replaced, as chdb-worker.ts does (chDB hands a
 * failed query's output header to the next query on the same connection).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session } from 'chdb';

export interface ClickHouseShim {
  readonly url: string;
  /** Requests seen, for assertions on what the client sent. */
  readonly requests: Array<{ params: Record<string, string>; body: string }>;
  close(): Promise<void>;
}

export async function startClickHouseShim(dataPath: string, maxExecutionSeconds = 5): Promise<ClickHouseShim> {
  const writer = new Session(dataPath);
  const openReader = () => new Session(dataPath, {
    connectionArgs: ['--readonly=1', `--max_execution_time=${maxExecutionSeconds}`, '--output_format_json_quote_64bit_integers=1'],
  });
  let reader = openReader();
  const requests: ClickHouseShim['requests'] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://shim');
    if (url.pathname === '/ping') return void res.end('Ok.\n');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const params = Object.fromEntries(url.searchParams);
    requests.push({ params, body: body.toString('utf8') });
    try {
      const insert = /^INSERT INTO ([\w.]+)\s+FORMAT JSONEachRow$/i.exec(params.query ?? '');
      if (insert) {
        const token = params.insert_deduplication_token;
        const s = await writer.insert({ table: insert[1]!, values: body, format: 'JSONEachRow', ...(token ? { settings: { insert_deduplication_token: token } } : {}) });
        res.setHeader('X-ClickHouse-Summary', JSON.stringify({ written_rows: String(s.rowsWritten) }));
        return void res.end();
      }
      let sql = body.toString('utf8');
      let format = 'TabSeparated';
      const f = /\s+FORMAT\s+(\w+)\s*$/i.exec(sql);
      if (f) { format = f[1]!; sql = sql.slice(0, f.index); }
      const session = params.readonly && params.readonly !== '0' ? reader : writer;
      if (session === reader && params.database) await reader.queryAsync(`USE ${params.database}`);
      let out;
      try {
        out = await session.queryAsync(sql, { format });
      } catch (err) {
        if (session === reader) { reader.close(); reader = openReader(); } // not if a concurrent failure already did
        throw err;
      }
      res.setHeader('Content-Type', 'text/plain; charset=UTF-8');
      res.end(Buffer.from(out.bytes()));
    } catch (err) {
      const e = err as { message?: string; clickhouseCode?: number };
      const message = e.message ?? String(err);
      const code = e.clickhouseCode ?? Number(/Code: (\d+)\./.exec(message)?.[1] ?? 1001);
      res.statusCode = 500;
      res.setHeader('X-ClickHouse-Exception-Code', String(code));
      res.end(message.startsWith('Code:') ? message : `Code: ${code}. DB::Exception: ${message}`);
    }
  };

  const server = createServer((req, res) => { void handle(req, res); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      reader.close();
      writer.close();
    },
  };
}
