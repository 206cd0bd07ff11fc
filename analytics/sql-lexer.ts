/**
 * @module analytics/sql-lexer
 * A small ClickHouse SQL tokenizer for the read-only guard: words, quoted identifiers, string
 * literals, numbers, punctuation; comments are dropped. It refuses what it cannot lex the way
 * ClickHouse does (`$` heredocs, `#` comments, nested block comments, stray characters), so that
 * the guard and the engine never disagree on where a string ends.
 * Owns: token boundaries. Does not: decide what is allowed (read-only.ts does). Pure.
 */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  /** Source text (for `quoted`, the identifier without quotes and escapes resolved). */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export type LexResult =
  | { readonly ok: true; readonly tokens: readonly Token[]; readonly comments: readonly [number, number][] }
  | { readonly ok: false; readonly problem: 'unterminated' | 'unsupported_character' | 'nested_comment'; readonly at: number };

const PUNCT = new Set('()[]{},.;:+-*/%<>=!?|&^~'.split(''));
const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

export function lexSql(sql: string): LexResult {
  const tokens: Token[] = [];
  const comments: [number, number][] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') { i++; continue; }
    if (c === '-' && sql[i + 1] === '-') {
      const start = i;
      while (i < n && sql[i] !== '\n') i++;
      comments.push([start, i]);
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const start = i;
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) return { ok: false, problem: 'unterminated', at: start };
      // ClickHouse nests block comments; refusing nesting keeps both readings identical.
      if (sql.slice(i + 2, close).includes('/*')) return { ok: false, problem: 'nested_comment', at: start };
      i = close + 2;
      comments.push([start, i]);
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const start = i;
      const end = quotedEnd(sql, i, c);
      if (end < 0) return { ok: false, problem: 'unterminated', at: start };
      const body = sql.slice(start + 1, end - 1);
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', text: c === "'" ? sql.slice(start, end) : unescape(body, c), start, end });
      i = end;
      continue;
    }
    if (WORD_START.test(c)) {
      const start = i;
      while (i < n && WORD_PART.test(sql[i]!)) i++;
      tokens.push({ kind: 'word', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (DIGIT.test(c)) {
      const start = i;
      // Loose on purpose (1e9, 0x1F, 1.5, 1_000): a number never hides a quote or a keyword.
      while (i < n && (WORD_PART.test(sql[i]!) || sql[i] === '.' || ((sql[i] === '+' || sql[i] === '-') && /[eEpP]/.test(sql[i - 1]!)))) i++;
      tokens.push({ kind: 'number', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (PUNCT.has(c)) {
      tokens.push({ kind: 'punct', text: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    return { ok: false, problem: 'unsupported_character', at: i };
  }
  return { ok: true, tokens, comments };
}

/** Index just past the closing quote, or -1. Backslash escapes the next character; a doubled quote is one quote. */
function quotedEnd(sql: string, open: number, q: string): number {
  let i = open + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '\\') { i += 2; continue; }
    if (c === q) {
      if (sql[i + 1] === q) { i += 2; continue; }
      return i + 1;
    }
    i++;
  }
  return -1;
}

function unescape(body: string, q: string): string {
  return body.replace(/\\(.)/gs, '$1').split(q + q).join(q);
}
