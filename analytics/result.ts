/**
 * @module analytics/result
 * Turns `JSONCompactEachRowWithNamesAndTypes` output (a names line, a types line, then one JSON
 * array per row) into a capped QueryResult. Shared by the chDB worker and the ClickHouse client.
 * Owns: the row cap and the truncated flag. Does not: run queries or measure time.
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
   * lines in every streamed chunk); header lines equal to the known ones are skipped.
   */
  pushChunk(text: string): boolean {
    const lines = text.split('\n');
    let i = 0;
    if (this.names && this.types && lines.length >= 2 && lines[0] !== undefined && lines[1] !== undefined
      && sameJson(lines[0], this.names) && sameJson(lines[1], this.types)) i = 2;
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      if (line === '') continue;
      if (!this.push(JSON.parse(line) as unknown[])) return false;
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
