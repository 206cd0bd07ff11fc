/**
 * @module analytics/chdb-worker
 * The child process that owns chDB: one writer Session (DDL, inserts) and N reader Sessions on the
 * same data path, opened with `readonly=1` and `max_execution_time`. Forked by chdb.ts; talks IPC
 * (chdb-protocol.ts). A native crash here kills only this process; the parent restarts it.
 * Owns: the chDB sessions. Does not: guard SQL (the parent does) or retry anything.
 * Concurrency: inserts run one at a time in arrival order; each reader runs one query at a time
 * (the parent never sends more queries than readers; extra ones wait here, bounded by the parent).
 * Exits when the parent disconnects, so it never outlives the server.
 */
import { Session, drainPending } from 'chdb';
import type { FromWorker, InsertRows, ToWorker, WorkerError, WorkerErrorKind, WorkerInit } from './chdb-protocol.ts';
import { batchToken, readingRow, roomEventRow, toJsonEachRow } from './schema.ts';
import { RESULT_FORMAT, RowCollector } from './result.ts';
import { clickhouseCodeOf } from './errors.ts';

let writer: Session | null = null;
let database = '';
const readers: Session[] = [];
const idle: Session[] = [];
const waitingForReader: Array<(s: Session) => void> = [];
const running = new Map<number, AbortController>();
let insertChain: Promise<void> = Promise.resolve();

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
  database = init.database;
  writer = new Session(init.dataPath);
  for (const ddl of init.ddl) writer.query(ddl);
  for (let i = 0; i < init.readers; i++) {
    const r = new Session(init.dataPath, {
      connectionArgs: [
        '--readonly=1',
        `--max_execution_time=${init.maxExecutionSeconds}`,
        `--max_threads=${init.maxThreads}`,
        '--output_format_json_quote_64bit_integers=1',
      ],
    });
    r.query(`USE ${init.database}`); // lets analysts write `room_events` without the database
    readers.push(r);
    idle.push(r);
  }
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

async function runQuery(id: number, sql: string, stream: boolean, maxRows: number): Promise<void> {
  const ac = new AbortController();
  running.set(id, ac);
  const reader = await acquire();
  const rows = new RowCollector(maxRows);
  try {
    if (ac.signal.aborted) throw new Error('cancelled before it started');
    if (stream) {
      try {
        const st = reader.queryStream(sql, { format: RESULT_FORMAT, signal: ac.signal });
        for await (const chunk of st) {
          if (!rows.pushChunk(chunk.text())) { st.cancel(); break; }
        }
      } catch (err) {
        // Only SELECTs stream; a statement the engine will not stream runs buffered instead.
        if (!String((err as Error)?.message).includes('Streaming query is not supported')) throw err;
        rows.pushChunk((await reader.queryAsync(sql, { format: RESULT_FORMAT, signal: ac.signal })).text());
      }
    } else {
      rows.pushChunk((await reader.queryAsync(sql, { format: RESULT_FORMAT, signal: ac.signal })).text());
    }
    reply({ op: 'ok', id, result: rows.result() });
  } catch (err) {
    fail(id, 'query', err);
  } finally {
    running.delete(id);
    release(reader);
  }
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
      void runQuery(msg.id, msg.sql, msg.stream, msg.maxRows);
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
