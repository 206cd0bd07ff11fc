/**
 * @module analytics/schema
 * The ClickHouse DDL (database `linli`) and the mapping of journal records and device readings to
 * table rows. The same SQL runs on embedded chDB and on a ClickHouse server.
 * Owns: table names, columns, engines, sort keys, and the row encoding (JSONEachRow).
 * Does not: execute anything.
 * Dedup: every insert carries `insert_deduplication_token` = a hash of its table and rows, and
 * `non_replicated_deduplication_window` makes the engine skip a block it has seen, so a batch
 * re-sent after a crash or a lost reply (by the store or by ingestion) is stored once.
 */
import { createHash } from 'node:crypto';
import type { DeviceReading } from '../devices/reading.ts';
import type { JournalRecord } from '../engine/journal/record.ts';

export const DEFAULT_DATABASE = 'linli';
export const ROOM_EVENTS = 'room_events';
export const DEVICE_READINGS = 'device_readings';
/** How many recent insert tokens each table remembers for deduplicating retried batches. */
export const DEDUP_WINDOW_BATCHES = 1000;

/** Database names are interpolated into DDL, so they must be plain identifiers. */
export function assertDatabaseName(db: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(db)) throw new Error(`invalid analytics database name: ${db}`);
  return db;
}

/** CREATE statements, in order, idempotent (IF NOT EXISTS). */
export function ddlStatements(db: string = DEFAULT_DATABASE): string[] {
  assertDatabaseName(db);
  return [
    `CREATE DATABASE IF NOT EXISTS ${db}`,
    `CREATE TABLE IF NOT EXISTS ${db}.${ROOM_EVENTS} (
  community   LowCardinality(String),
  kind        LowCardinality(String),
  actor_id    String,
  seq         UInt64,
  type        LowCardinality(String),
  v           UInt16 DEFAULT 1 COMMENT 'the event version',
  at          DateTime64(3, 'UTC'),
  author      String DEFAULT '' COMMENT 'account, device or system that caused it',
  event       String COMMENT 'the event as JSON',
  inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = MergeTree
ORDER BY (community, kind, actor_id, seq)
SETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW_BATCHES}`,
    // Stores made before the envelope carried version and author get the columns.
    `ALTER TABLE ${db}.${ROOM_EVENTS} ADD COLUMN IF NOT EXISTS v UInt16 DEFAULT 1 AFTER type`,
    `ALTER TABLE ${db}.${ROOM_EVENTS} ADD COLUMN IF NOT EXISTS author String DEFAULT '' AFTER at`,
    `CREATE TABLE IF NOT EXISTS ${db}.${DEVICE_READINGS} (
  community   LowCardinality(String),
  device_id   String,
  signal      LowCardinality(String),
  at          DateTime64(3, 'UTC'),
  value       Float64,
  raw         Float64,
  quality     LowCardinality(String),
  kind        LowCardinality(String) DEFAULT '',
  data        String DEFAULT '' COMMENT 'an event reading''s fields as JSON (plate, access, press, ack); empty for numbers',
  inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = MergeTree
ORDER BY (community, device_id, at)
SETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW_BATCHES}`,
    // Tables made before device kinds and event readings existed get the two columns.
    `ALTER TABLE ${db}.${DEVICE_READINGS} ADD COLUMN IF NOT EXISTS kind LowCardinality(String) DEFAULT '' AFTER quality`,
    `ALTER TABLE ${db}.${DEVICE_READINGS} ADD COLUMN IF NOT EXISTS data String DEFAULT '' AFTER kind`,
  ];
}

/** One `room_events` row; `at` is epoch ms (ClickHouse reads an integer as DateTime64(3) ticks). */
export function roomEventRow(r: JournalRecord): Record<string, unknown> {
  return {
    community: r.community,
    kind: r.kind,
    actor_id: r.actorId,
    seq: r.seq,
    type: r.type,
    v: r.v,
    at: Math.trunc(r.at),
    author: r.author,
    event: JSON.stringify(r.event ?? null),
  };
}

export function readingRow(r: DeviceReading): Record<string, unknown> {
  return {
    community: r.community,
    device_id: r.deviceId,
    signal: r.signal,
    at: Math.trunc(r.at),
    value: r.value,
    raw: r.raw,
    quality: r.quality,
    kind: r.kind ?? '',
    data: r.data ? JSON.stringify(r.data) : '',
  };
}

/** JSONEachRow text: one JSON object per line, newline-terminated. */
export function toJsonEachRow(rows: readonly Record<string, unknown>[]): string {
  let out = '';
  for (const row of rows) out += JSON.stringify(row) + '\n';
  return out;
}

/** The dedup token of one batch: equal rows in the same table give the same token. */
export function batchToken(table: string, payload: string): string {
  return createHash('sha256').update(table).update('\n').update(payload).digest('hex');
}
