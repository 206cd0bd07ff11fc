/**
 * @module analytics/result
 * Turns `JSONCompactEachRowWithNamesAndTypes` output (a names line, a types line, then one JSON
 * array per row) into a capped QueryResult. Shared by the chDB worker and the ClickHouse client.
 * Owns: the row cap, the truncated flag, and the check that a chunk holds exactly the rows the
 * engine says it produced (ResultMismatchError otherwise). Does not: run queries or measure time.
 * Overflow: keeps at most `maxRows` rows; one more row sets `truncated`, and the caller stops reading.
 */
import type { ColumnInfo } from './contract.ts';

/** The wire format both stores ask for: typed column headers plus compact rows. */
export const RESULT_FORMAT = 'JSONCompactEachRowWithNamesAndTypes';

export interface CollectedRows {
  readonly columns: ColumnInfo[];
  readonly rows: Record<string, unknown>[];
  readonly truncated: boolean;
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

  constructor(private readonly maxRows: number) {}

  /** True once the cap is passed: read no further. */
  get full(): boolean {
    return this.truncated;
  }

  /** Feeds one decoded line (names, types, then rows). Returns false when the caller should stop. */
  push(values: unknown[]): boolean {
    if (this.truncated) return false;
    if (!this.names) { this.names = values.map(String); return true; }
    if (!this.types) { this.types = values.map(String); return true; }
    if (this.rows.length >= this.maxRows) { this.truncated = true; return false; }
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
      if (!this.push(JSON.parse(lines[j]!) as unknown[])) return false;
    }
    return true;
  }

  result(): CollectedRows {
    const names = this.names ?? [];
    const types = this.types ?? [];
    return { columns: names.map((name, i) => ({ name, type: types[i] ?? '' })), rows: this.rows, truncated: this.truncated };
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
