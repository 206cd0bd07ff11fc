/**
 * @module analytics/result
 * Turns `JSONCompactEachRowWithNamesAndTypes` output (a names line, a types line, then one JSON
 * array per row) into a capped QueryResult. Shared by the chDB worker and the ClickHouse client.
 * Owns: the row cap, the truncated flag, and the check that a chunk holds exactly the rows the
 * engine says it produced (ResultMismatchError otherwise). Does not: run queries or measure time.
 * Overflow: keeps at most `maxRows` rows and `maxBytes` bytes of row text; one more row, or a row
 * that would pass the byte cap (even a single huge one), sets `truncated` (with `truncatedBy`) and
 * the caller stops reading. In embedded mode this runs in the chDB child, so an oversized result
 * is cut there and never crosses IPC into the server process.
 */
import type { ColumnInfo } from './contract.ts';

/** The wire format both stores ask for: typed column headers plus compact rows. */
export const RESULT_FORMAT = 'JSONCompactEachRowWithNamesAndTypes';

/** Default byte cap of a result's row text (ANALYTICS_MAX_RESULT_BYTES). */
export const DEFAULT_MAX_RESULT_BYTES = 16 * 1024 * 1024;

export interface CollectedRows {
  readonly columns: ColumnInfo[];
  readonly rows: Record<string, unknown>[];
  readonly truncated: boolean;
  /** Which cap cut the result, when one did. */
  readonly truncatedBy?: 'rows' | 'bytes';
}

/**
 * A chunk's text holds more or fewer row lines than the engine reported for it, so some of the
 * text belongs to another query (chDB leaves a failed query's header in its connection, and the
 * next query on that connection returns it first). The rows must not be returned.
 */
export class ResultMismatchError extends Error {
  constructor(readonly engineRows: number, readonly textRows: number) {
    super(`result text holds ${textRows} row line(s) but the engine produced ${engineRows}; output from another query`);
    this.name = 'ResultMismatchError';
  }
}

export class RowCollector {
  private names: string[] | null = null;
  private types: string[] | null = null;
  private readonly rows: Record<string, unknown>[] = [];
  private truncated = false;
  private truncatedBy: 'rows' | 'bytes' | undefined;
  private bytes = 0;

  constructor(private readonly maxRows: number, private readonly maxBytes: number = DEFAULT_MAX_RESULT_BYTES) {}

  /** True once the cap is passed: read no further. */
  get full(): boolean {
    return this.truncated;
  }

  /**
   * Feeds one decoded line (names, types, then rows); `bytes` is the size of its text. Returns
   * false when the caller should stop.
   */
  push(values: unknown[], bytes = 0): boolean {
    if (this.truncated) return false;
    if (!this.names) { this.names = values.map(String); return true; }
    if (!this.types) { this.types = values.map(String); return true; }
    if (this.rows.length >= this.maxRows) return this.cut('rows');
    if (this.bytes + bytes > this.maxBytes) return this.cut('bytes');
    this.bytes += bytes;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < this.names.length; i++) row[this.names[i]!] = values[i];
    this.rows.push(row);
    return true;
  }

  /**
   * Feeds a chunk of text that starts with its own header lines (chDB repeats the names and types
   * lines in every streamed chunk); header lines equal to the known ones are skipped. With
   * `engineRows` (the engine's own count of rows in this chunk), throws ResultMismatchError unless
   * the chunk holds exactly that many row lines, before any of them is kept.
   */
  pushChunk(text: string, engineRows?: number): boolean {
    // Row lines are JSON arrays, never empty; empty strings come only from the trailing newline.
    const lines = text.split('\n').filter((l) => l !== '');
    const known = this.names !== null && this.types !== null;
    // The first chunk's two header lines go through push(), which takes them as names and types.
    const header = known ? (lines.length >= 2 && sameJson(lines[0]!, this.names!) && sameJson(lines[1]!, this.types!) ? 2 : 0) : Math.min(2, lines.length);
    if (engineRows !== undefined && lines.length - header !== engineRows) throw new ResultMismatchError(engineRows, lines.length - header);
    for (let j = known ? header : 0; j < lines.length; j++) {
      const line = lines[j]!;
      const isHeader = j < (known ? 0 : header);
      // Checked on the text, before parsing: a row over the cap is never turned into objects.
      const bytes = isHeader ? 0 : Buffer.byteLength(line);
      if (!isHeader && (this.rows.length >= this.maxRows || this.bytes + bytes > this.maxBytes)) return this.cut(this.rows.length >= this.maxRows ? 'rows' : 'bytes');
      if (!this.push(JSON.parse(line) as unknown[], bytes)) return false;
    }
    return true;
  }

  private cut(by: 'rows' | 'bytes'): false {
    this.truncated = true;
    this.truncatedBy = by;
    return false;
  }

  result(): CollectedRows {
    const names = this.names ?? [];
    const types = this.types ?? [];
    return { columns: names.map((name, i) => ({ name, type: types[i] ?? '' })), rows: this.rows, truncated: this.truncated, ...(this.truncatedBy ? { truncatedBy: this.truncatedBy } : {}) };
  }
}

function sameJson(line: string, values: readonly string[]): boolean {
  try {
    const parsed = JSON.parse(line) as unknown;
    return Array.isArray(parsed) && parsed.length === values.length && parsed.every((v, i) => v === values[i]);
  } catch {
    return false; // not a header line; the row parser reports real malformation
  }
}
