/**
 * @module analytics/read-only
 * The guard in front of every analytics query: exactly one read-only statement (SELECT,
 * WITH … SELECT, SHOW, DESCRIBE, EXPLAIN, EXISTS), no write or admin keyword anywhere, no table
 * function or scalar function that reaches files, URLs, object stores or other servers, no
 * INTO OUTFILE, no FORMAT clause, no reference to the `system` or `information_schema`
 * databases (they hold other analysts' queries, users and data paths), quoted or not, whatever
 * the case or the comments around the dot. Stores also run queries with ClickHouse `readonly=1`.
 * Owns: the accept/reject decision and the statement that is executed (comments removed, trailing
 * `;` dropped). Does not: execute anything. Pure and synchronous.
 * Strictness: a column named like a statement keyword (`update`, `set`) must be quoted.
 */
import { lexSql, type Token } from './sql-lexer.ts';

export type ReadOnlyRejection =
  | 'empty'
  | 'multiple_statements'
  | 'not_a_read_statement'
  | 'forbidden_keyword'
  | 'forbidden_function'
  | 'forbidden_database'
  | 'unterminated'
  | 'unsupported_character'
  | 'nested_comment';

export type StatementKind = 'select' | 'show' | 'describe' | 'explain' | 'exists';

export type ReadOnlyCheck =
  | { readonly ok: true; readonly statement: string; readonly kind: StatementKind }
  | { readonly ok: false; readonly reason: ReadOnlyRejection; readonly token?: string; readonly at?: number };

const FIRST: Readonly<Record<string, StatementKind>> = {
  SELECT: 'select', WITH: 'select', SHOW: 'show', DESCRIBE: 'describe', DESC: 'describe', EXPLAIN: 'explain', EXISTS: 'exists',
};

/** Statement keywords that never belong inside a read-only statement (bare words, not `db.x` parts). */
const FORBIDDEN_KEYWORDS = new Set([
  'INSERT', 'ALTER', 'DROP', 'CREATE', 'SYSTEM', 'KILL', 'SET', 'OPTIMIZE', 'TRUNCATE', 'ATTACH', 'DETACH',
  'GRANT', 'REVOKE', 'RENAME', 'DELETE', 'UPDATE', 'EXCHANGE', 'UNDROP', 'BACKUP', 'RESTORE', 'USE',
  'OUTFILE', 'INFILE', 'FORMAT', 'PROCESSLIST',
]);

/** Databases an analyst never reads: ClickHouse's own tables (queries, processes, users, disks) and their SQL-standard view. */
const FORBIDDEN_DATABASES = new Set(['system', 'information_schema']);

/** What may follow SHOW: the linli tables and their columns; not processes, users, grants, settings or clusters. */
const SHOW_ALLOWED = new Set(['TABLES', 'CREATE', 'COLUMNS', 'FIELDS', 'DATABASES', 'INDEX', 'INDEXES', 'INDICES', 'KEYS', 'FULL', 'EXTENDED', 'TEMPORARY']);

/** SHOW CREATE of access entities (users, roles, quotas, policies, profiles) prints credentials and rules, not tables. */
const SHOW_CREATE_REFUSED = new Set(['USER', 'USERS', 'ROLE', 'ROLES', 'ROW', 'POLICY', 'POLICIES', 'QUOTA', 'QUOTAS', 'SETTINGS', 'PROFILE', 'PROFILES', 'NAMED']);

export interface ReadOnlyOptions {
  /**
   * Let the statement read `system.tables` (nothing else of `system`): only for the server's own
   * fixed catalogue query (GET /api/analytics/tables), never for an analyst's text.
   */
  readonly catalog?: boolean;
}

/** Functions (table or scalar) that read or write outside the database. Matched case-insensitively. */
const FORBIDDEN_FUNCTIONS = new Set([
  'file', 'filecluster', 'url', 'urlcluster', 'input', 'cluster', 'clusterallreplicas',
  'odbc', 'jdbc', 'redis', 'sqlite', 'hive', 'ytsaurus', 'gcs', 'oss', 'cosn',
  // Name other tables by strings (`merge('system', …)`, `loop('system', 'processes')`), out of the guard's sight.
  'merge', 'loop', 'dictionary', 'viewifpermitted', 'timeseriesdata', 'timeseriestags', 'timeseriesmetrics', 'timeseriesselector',
]);
const FORBIDDEN_FUNCTION_PREFIXES = [
  's3', 'hdfs', 'azureblobstorage', 'remote', 'mysql', 'postgresql', 'mongodb', 'executable',
  'iceberg', 'deltalake', 'hudi', 'paimon', 'arrowflight', 'datalake', 'mergetree',
];

export function isForbiddenFunction(name: string): boolean {
  const n = name.toLowerCase();
  return FORBIDDEN_FUNCTIONS.has(n) || FORBIDDEN_FUNCTION_PREFIXES.some((p) => n.startsWith(p));
}

/**
 * Decides whether `sql` is one read-only statement.
 * @example
 * const c = checkReadOnly('SELECT count() FROM linli.room_events;');
 * if (c.ok) run(c.statement); // 'SELECT count() FROM linli.room_events'
 */
export function checkReadOnly(sql: string, opts: ReadOnlyOptions = {}): ReadOnlyCheck {
  const lexed = lexSql(sql);
  if (!lexed.ok) return { ok: false, reason: lexed.problem, at: lexed.at };
  const all = lexed.tokens;
  const semi = all.findIndex((t) => t.kind === 'punct' && t.text === ';');
  if (semi >= 0 && all.slice(semi + 1).some((t) => !(t.kind === 'punct' && t.text === ';'))) {
    return { ok: false, reason: 'multiple_statements', at: all[semi]!.start };
  }
  const tokens = semi >= 0 ? all.slice(0, semi) : all;
  if (tokens.length === 0) return { ok: false, reason: 'empty' };

  let first = 0;
  while (first < tokens.length && tokens[first]!.text === '(') first++;
  const head = tokens[first];
  const kind = head && head.kind === 'word' ? FIRST[head.text.toUpperCase()] : undefined;
  if (!kind) return { ok: false, reason: 'not_a_read_statement', token: head?.text ?? '(', at: head?.start ?? 0 };
  if (kind === 'show') {
    const what = tokens[first + 1];
    if (what && !(what.kind === 'word' && SHOW_ALLOWED.has(what.text.toUpperCase()))) return { ok: false, reason: 'forbidden_keyword', token: what.text, at: what.start };
    const entity = tokens[first + 2];
    if (what?.text.toUpperCase() === 'CREATE' && entity?.kind === 'word' && SHOW_CREATE_REFUSED.has(entity.text.toUpperCase())) {
      return { ok: false, reason: 'forbidden_keyword', token: entity.text, at: entity.start };
    }
  }

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    const prev = tokens[i - 1];
    // A database name is never a `x.` suffix; `t.system` is a column, `system.tables` and `"system" . "tables"` are the database.
    if ((t.kind === 'word' || t.kind === 'quoted') && FORBIDDEN_DATABASES.has(t.text.toLowerCase()) && !isDot(prev)) {
      const table = tokens[i + 2];
      const catalogRead = opts.catalog === true && t.text.toLowerCase() === 'system' && isDot(next) && table !== undefined
        && (table.kind === 'word' || table.kind === 'quoted') && table.text.toLowerCase() === 'tables' && !isDot(tokens[i + 3]);
      if (!catalogRead) return { ok: false, reason: 'forbidden_database', token: t.text, at: t.start };
    }
    if ((t.kind === 'word' || t.kind === 'quoted') && next?.text === '(' && next.kind === 'punct') {
      if (isForbiddenFunction(t.text)) return { ok: false, reason: 'forbidden_function', token: t.text, at: t.start };
      continue;
    }
    if (t.kind !== 'word') continue;
    const upper = t.text.toUpperCase();
    if (!FORBIDDEN_KEYWORDS.has(upper)) continue;
    if (isDot(prev) || isDot(next)) continue; // `system.tables`, `t.update`
    if (upper === 'CREATE' && prev?.kind === 'word' && prev.text.toUpperCase() === 'SHOW') continue; // SHOW CREATE TABLE
    return { ok: false, reason: 'forbidden_keyword', token: t.text, at: t.start };
  }
  return { ok: true, statement: executable(sql, lexed.comments, tokens), kind };
}

function isDot(t: Token | undefined): boolean {
  return t !== undefined && t.kind === 'punct' && t.text === '.';
}

/** The statement as the engine runs it: comments blanked (so the engine reads exactly what was checked), no trailing `;`. */
function executable(sql: string, comments: readonly [number, number][], tokens: readonly Token[]): string {
  let out = '';
  let pos = 0;
  for (const [s, e] of comments) {
    out += sql.slice(pos, s) + ' ';
    pos = e;
  }
  out += sql.slice(pos);
  // Recompute the end on the blanked text: everything up to the last kept token.
  const last = tokens[tokens.length - 1]!;
  const removedBefore = comments.filter(([, e]) => e <= last.start).reduce((n, [s, e]) => n + (e - s) - 1, 0);
  return out.slice(0, last.end - removedBefore).trim();
}
