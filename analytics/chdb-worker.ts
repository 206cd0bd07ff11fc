/**
 * @module analytics/chdb-worker
 * The child process that owns chDB: one writer Session (DDL, inserts) and N reader Sessions on the
 * same data path, opened with `readonly=1` and `max_execution_time`. Forked by chdb.ts; talks IPC
 * (chdb-protocol.ts). A native crash here kills only this process; the parent restarts it.
 * Owns: the chDB sessions. Does not: guard SQL (the parent does) or retry anything.
 * Concurrency: inserts run one at a time in arrival order; each reader runs one query at a time
 * (the parent never sends more queries than readers; extra ones wait here, bounded by the parent).
 * A reader is reused only after a query that ran to its natural end; after a failure, a cancel or
 * a truncated read it is closed and a fresh one opened, because chDB leaves a query that failed
 * mid-run's output header in the connection and hands it to the next query there. Every chunk is
 * also checked against the engine's own row count (result.ts), so such output is never returned.
 * Exits when the parent disconnects, so it never outlives the server.
 */
import { Session, drainPending } from 'chdb';
import { EXIT_READER_LOST, type FromWorker, type InsertRows, type ToWorker, type WorkerError, type WorkerErrorKind, type WorkerInit } from './chdb-protocol.ts';
import { batchToken, readingRow, roomEventRow, toJsonEachRow } from './schema.ts';
import { RESULT_FORMAT, ResultMismatchError, RowCollector, type CollectedRows } from './result.ts';
import { clickhouseCodeOf } from './errors.ts';

let writer: Session | null = null;
let config: WorkerInit | null = null;
let database = '';
const readers: Session[] = [];
const idle: Session[] = [];
const waitingForReader: Array<(s: Session) => void> = [];
const running = new Map<number, AbortController>();
let insertChain: Promise<void> = Promise.resolve();
let closing = false;

function reply(msg: FromWorker): void {
  if (process.connected) process.send!(msg);
}

function fail(id: number, kind: WorkerErrorKind, err: unknown): void {
  const e = err as { message?: unknown; clickhouseCode?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const clickhouseCode = typeof e?.clickhouseCode === 'number' ? e.clickhouseCode : clickhouseCodeOf(message);
  const error: WorkerError = clickhouseCode === undefined ? { kind, message } : { kind, message, clickhouseCode };
  reply({ op: 'error', id, error });
}

function open(init: WorkerInit): void {
  config = init;
  database = init.database;
  writer = new Session(init.dataPath);
  for (const ddl of init.ddl) writer.query(ddl);
  for (let i = 0; i < init.readers; i++) {
    const r = openReader(init);
    readers.push(r);
    idle.push(r);
  }
}

/** Largest result a query may produce, bytes (ClickHouse `max_result_bytes`); over it the query fails. */
const MAX_RESULT_BYTES = 16 * 1024 * 1024;

function openReader(init: WorkerInit): Session {
  const r = new Session(init.dataPath, {
    connectionArgs: [
      '--readonly=1',
      `--max_execution_time=${init.maxExecutionSeconds}`,
      `--max_threads=${init.maxThreads}`,
      '--output_format_json_quote_64bit_integers=1',
      // A result is capped in bytes as well as rows: one huge row (groupArray over millions) would
      // otherwise be copied whole through IPC into the server process and stall its event loop.
      `--max_result_bytes=${MAX_RESULT_BYTES}`,
      '--result_overflow_mode=throw',
      // The engine does not count every result against max_result_bytes (one row built by
      // arrayMap/repeat passes it), so RowCollector also cuts by bytes here in the child.
    ],
  });
  try {
    r.query(`USE ${init.database}`); // lets analysts write `room_events` without the database
  } catch (err) {
    r.close();
    throw err;
  }
  return r;
}

/** Closes a reader whose connection may hold another query's output and opens a fresh one in its place. */
function renewReader(old: Session): Session {
  if (closing) return old; // close() closes every reader; no fresh one is needed
  old.close(); // chDB defers the teardown until native work still running on it is done
  let fresh: Session;
  try {
    fresh = openReader(config!);
  } catch (err) {
    // One reader fewer would silently shrink the parent's concurrency; a restart restores it.
    process.stderr.write(`chDB worker: cannot reopen a reader connection: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(EXIT_READER_LOST);
  }
  readers[readers.indexOf(old)] = fresh;
  return fresh;
}

function acquire(): Promise<Session> {
  const r = idle.pop();
  return r ? Promise.resolve(r) : new Promise((resolve) => waitingForReader.push(resolve));
}

function release(r: Session): void {
  const next = waitingForReader.shift();
  if (next) next(r);
  else idle.push(r);
}

async function runQuery(id: number, sql: string, stream: boolean, maxRows: number, maxBytes: number): Promise<void> {
  const ac = new AbortController();
  running.set(id, ac);
  let reader = await acquire();
  let reusable = false;
  try {
    if (ac.signal.aborted) {
      reusable = true; // nothing ran on it
      throw new Error('cancelled before it started');
    }
    const { result, complete } = await execute(reader, sql, stream, maxRows, maxBytes, ac.signal);
    reusable = complete;
    reply({ op: 'ok', id, result });
  } catch (err) {
    fail(id, err instanceof ResultMismatchError ? 'mismatch' : 'query', err);
  } finally {
    running.delete(id);
    if (!reusable) reader = renewReader(reader);
    release(reader);
  }
}

/** Runs one statement; `complete` is false when the read stopped early (row cap). */
async function execute(reader: Session, sql: string, stream: boolean, maxRows: number, maxBytes: number, signal: AbortSignal): Promise<{ result: CollectedRows; complete: boolean }> {
  // The byte cap is enforced here, in the child: an oversized result never crosses IPC into the server.
  const rows = new RowCollector(maxRows, maxBytes);
  if (stream) {
    let st: ReturnType<Session['queryStream']> | null = null;
    try {
      st = reader.queryStream(sql, { format: RESULT_FORMAT, signal });
    } catch (err) {
      // Only SELECTs stream; the engine refuses the others here, before anything runs, and they run buffered.
      if (!String((err as Error)?.message).includes('Streaming query is not supported')) throw err;
    }
    if (st) {
      for await (const chunk of st) {
        if (!rows.pushChunk(chunk.text(), chunk.numRows)) {
          st.cancel();
          return { result: rows.result(), complete: false };
        }
      }
      return { result: rows.result(), complete: true };
    }
  }
  // No signal: an aborted buffered query would settle at once while the engine kept running it on
  // this reader; holding the reader until the engine stops (max_execution_time) keeps the bound true.
  const r = await reader.queryAsync(sql, { format: RESULT_FORMAT });
  const complete = rows.pushChunk(r.text(), r.rowsRead); // rowsRead is the engine's count of result rows
  return { result: rows.result(), complete: complete || !rows.result().truncated };
}

function runInsert(id: number, batch: InsertRows): void {
  insertChain = insertChain.then(async () => {
    try {
      const table = `${database}.${batch.table}`;
      const payload = batch.table === 'room_events' ? toJsonEachRow(batch.rows.map(roomEventRow)) : toJsonEachRow(batch.rows.map(readingRow));
      // Same rows, same token: a batch re-sent after a crash is skipped by the engine's dedup window.
      const token = batchToken(table, payload);
      const summary = await writer!.insert({
        table,
        values: Buffer.from(payload),
        format: 'JSONEachRow',
        settings: { insert_deduplication_token: token },
      });
      reply({ op: 'ok', id, rowsWritten: summary.rowsWritten });
    } catch (err) {
      fail(id, 'insert', err);
    }
  });
}

async function close(id: number): Promise<void> {
  closing = true;
  for (const ac of running.values()) ac.abort();
  await insertChain;
  for (const r of readers) r.close();
  writer?.close();
  await drainPending();
  if (process.connected) process.send!({ op: 'ok', id } satisfies FromWorker, () => process.exit(0));
  else process.exit(0);
}

process.on('message', (raw: unknown) => {
  const msg = raw as ToWorker;
  switch (msg.op) {
    case 'init':
      try {
        open(msg.init);
        reply({ op: 'ok', id: msg.id });
      } catch (err) {
        fail(msg.id, 'init', err);
      }
      return;
    case 'insert':
      if (!writer) return fail(msg.id, 'internal', new Error('worker not initialised'));
      return runInsert(msg.id, msg.batch);
    case 'query':
      if (!writer) return fail(msg.id, 'internal', new Error('worker not initialised'));
      void runQuery(msg.id, msg.sql, msg.stream, msg.maxRows, msg.maxBytes);
      return;
    case 'cancel':
      running.get(msg.id)?.abort();
      return;
    case 'close':
      void close(msg.id);
      return;
  }
});

process.on('disconnect', () => process.exit(0));
