/**
 * @module analytics/chdb-protocol
 * The IPC messages between the chDB store (parent) and its worker process (chdb-worker.ts).
 * Owns: message shapes. Does not: send anything. Messages use Node's `advanced` IPC serialization.
 * Every request carries an `id`; the worker answers each with exactly one `ok` or `error`,
 * except `cancel`, which is fire-and-forget (the cancelled query still answers).
 */
import type { DeviceReading } from '../devices/reading.ts';
import type { JournalRecord } from '../engine/journal/record.ts';
import type { CollectedRows } from './result.ts';

/** Rows travel as the callers' records (V8 structured clone); the worker encodes them, off the server's loop. */
export type InsertRows =
  | { readonly table: 'room_events'; readonly rows: readonly JournalRecord[] }
  | { readonly table: 'device_readings'; readonly rows: readonly DeviceReading[] };

export interface WorkerInit {
  readonly dataPath: string;
  readonly database: string;
  readonly ddl: readonly string[];
  /** Reader connections (queries run one per reader at a time). */
  readonly readers: number;
  /** Engine-side `max_execution_time` for reader connections, seconds. */
  readonly maxExecutionSeconds: number;
  /** Engine-side `max_threads` for reader connections. */
  readonly maxThreads: number;
}

export type ToWorker =
  | { readonly op: 'init'; readonly id: number; readonly init: WorkerInit }
  | { readonly op: 'insert'; readonly id: number; readonly batch: InsertRows }
  | { readonly op: 'query'; readonly id: number; readonly sql: string; readonly stream: boolean; readonly maxRows: number; readonly maxBytes: number }
  | { readonly op: 'cancel'; readonly id: number }
  | { readonly op: 'close'; readonly id: number };

/**
 * What kind of operation failed, so the parent can pick a code. `mismatch`: the engine's output did
 * not match its own row count, so it was withheld and the reader connection replaced.
 */
export type WorkerErrorKind = 'init' | 'insert' | 'query' | 'mismatch' | 'internal';

/** The worker exits with this code when it cannot reopen a reader connection; the parent restarts it. */
export const EXIT_READER_LOST = 70;

export interface WorkerError {
  readonly kind: WorkerErrorKind;
  readonly message: string;
  readonly clickhouseCode?: number;
}

export type FromWorker =
  | { readonly op: 'ok'; readonly id: number; readonly result?: CollectedRows; readonly rowsWritten?: number }
  | { readonly op: 'error'; readonly id: number; readonly error: WorkerError };

export type OkReply = Extract<FromWorker, { op: 'ok' }>;
