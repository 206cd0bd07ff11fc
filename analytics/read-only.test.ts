/**
 * @module analytics/read-only.test
 * Table-driven checks of the read-only guard: what analysts write is accepted, and every way to
 * write, administer, reach outside the database, or smuggle a second statement is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReadOnly, type ReadOnlyRejection } from './read-only.ts';

const ACCEPT: Array<[string, string]> = [
  ['plain select', 'SELECT 1'],
  ['lower case', 'select count() from linli.room_events'],
  ['trailing semicolon', 'SELECT 1;'],
  ['trailing semicolons and comment', 'SELECT 1 ;; -- done'],
  ['WITH … SELECT', "WITH toDate(at) AS d SELECT d, count() FROM room_events GROUP BY d"],
  ['parenthesised', '(SELECT 1) UNION ALL (SELECT 2)'],
  ['a column or table named system after a dot', 'SELECT t.system FROM linli.t AS t'],
  ['system as a string', "SELECT count() FROM room_events WHERE author = 'system'"],
  ['information_schema as a string', "SELECT 'information_schema.tables' AS s"],
  ['uniqMerge is not merge()', 'SELECT uniqMerge(s) FROM (SELECT uniqState(seq) AS s FROM room_events)'],
  ['SHOW COLUMNS', 'SHOW COLUMNS FROM room_events'],
  ['SHOW DATABASES', 'SHOW DATABASES'],
  ['SHOW CREATE without TABLE', 'SHOW CREATE room_events'],
  ['SHOW TABLES', 'SHOW TABLES FROM linli'],
  ['SHOW CREATE TABLE', 'SHOW CREATE TABLE linli.room_events'],
  ['DESCRIBE', 'DESCRIBE TABLE room_events'],
  ['DESC', 'desc room_events'],
  ['EXPLAIN', 'EXPLAIN SELECT 1'],
  ['EXISTS', 'EXISTS TABLE room_events'],
  ['keyword inside a string', "SELECT * FROM room_events WHERE type = 'DROP TABLE x; INSERT'"],
  ['semicolon inside a string', "SELECT ';' AS s"],
  ['keyword inside a comment', 'SELECT 1 /* DROP TABLE room_events */'],
  ['quoted identifier named like a keyword', 'SELECT `update`, "set" FROM t'],
  ['column of a table named like a keyword', 'SELECT t.update FROM t'],
  ['format() the string function', "SELECT format('{} {}', 'a', 'b')"],
  ['URL functions that are not url()', "SELECT domain('https://example.com'), URLHierarchy('https://a/b')"],
  ['Chinese text in a string', "SELECT count() FROM room_events WHERE JSONExtractString(event, 'text') LIKE '%漏水%'"],
  ['escaped quote in a string', "SELECT 'it''s', 'a\\'b'"],
  ['numbers', 'SELECT 1e9, 0x1F, 1.5e-3, -2'],
  ['numbers() table function', 'SELECT count() FROM numbers(1000)'],
  ['column transformer REPLACE', 'SELECT * REPLACE (seq + 1 AS seq) FROM room_events'],
];

const REJECT: Array<[string, string, ReadOnlyRejection]> = [
  ['empty', '', 'empty'],
  ['only whitespace and comments', '  -- nothing\n /* here */ ', 'empty'],
  ['only a semicolon', ';', 'empty'],
  ['DROP', 'DROP TABLE room_events', 'not_a_read_statement'],
  ['INSERT', "INSERT INTO room_events VALUES ('x')", 'not_a_read_statement'],
  ['ALTER', 'ALTER TABLE room_events DELETE WHERE 1', 'not_a_read_statement'],
  ['CREATE', 'CREATE TABLE t (a Int8) ENGINE = Memory', 'not_a_read_statement'],
  ['SYSTEM', 'SYSTEM SHUTDOWN', 'not_a_read_statement'],
  ['KILL', 'KILL QUERY WHERE 1', 'not_a_read_statement'],
  ['SET', 'SET readonly = 0', 'not_a_read_statement'],
  ['OPTIMIZE', 'OPTIMIZE TABLE room_events FINAL', 'not_a_read_statement'],
  ['TRUNCATE', 'TRUNCATE TABLE room_events', 'not_a_read_statement'],
  ['ATTACH', 'ATTACH TABLE t', 'not_a_read_statement'],
  ['DETACH', 'DETACH TABLE room_events', 'not_a_read_statement'],
  ['GRANT', 'GRANT ALL ON *.* TO default', 'not_a_read_statement'],
  ['DELETE', 'DELETE FROM room_events WHERE 1', 'not_a_read_statement'],
  ['USE', 'USE system', 'not_a_read_statement'],
  ['two statements', 'SELECT 1; DROP TABLE room_events', 'multiple_statements'],
  ['two selects', 'SELECT 1; SELECT 2', 'multiple_statements'],
  ['statement after a comment line', 'SELECT 1; -- x\nSELECT 2', 'multiple_statements'],
  ['INSERT after WITH', 'WITH 1 AS x INSERT INTO t SELECT x', 'forbidden_keyword'],
  ['EXPLAIN of a write', 'EXPLAIN INSERT INTO t SELECT 1', 'forbidden_keyword'],
  ['INTO OUTFILE', "SELECT * FROM room_events INTO OUTFILE '/tmp/leak.csv'", 'forbidden_keyword'],
  ['FORMAT clause', 'SELECT 1 FORMAT CSV', 'forbidden_keyword'],
  ['file() table function', "SELECT * FROM file('/etc/passwd', 'LineAsString')", 'forbidden_function'],
  ['file() scalar function', "SELECT file('/etc/passwd')", 'forbidden_function'],
  ['FILE upper case', "SELECT * FROM FILE('/etc/passwd')", 'forbidden_function'],
  ['file with a space before (', "SELECT * FROM file ('/etc/passwd')", 'forbidden_function'],
  ['file with a comment before (', "SELECT * FROM file/**/('/etc/passwd')", 'forbidden_function'],
  ['quoted function name', "SELECT * FROM `file`('/etc/passwd')", 'forbidden_function'],
  ['url()', "SELECT * FROM url('http://169.254.169.254/', 'LineAsString')", 'forbidden_function'],
  ['s3()', "SELECT * FROM s3('https://bucket/x.csv')", 'forbidden_function'],
  ['s3Cluster()', "SELECT * FROM s3Cluster('c', 'https://bucket/x.csv')", 'forbidden_function'],
  ['remote()', "SELECT * FROM remote('10.0.0.1', system.one)", 'forbidden_function'],
  ['remoteSecure()', "SELECT * FROM remoteSecure('h', db.t)", 'forbidden_function'],
  ['cluster()', "SELECT * FROM clusterAllReplicas('c', system.one)", 'forbidden_function'],
  ['mysql()', "SELECT * FROM mysql('h:3306', 'db', 't', 'u', 'p')", 'forbidden_function'],
  ['postgresql()', "SELECT * FROM postgresql('h', 'db', 't', 'u', 'p')", 'forbidden_function'],
  ['executable()', "SELECT * FROM executable('x.sh', 'TSV', 'a String')", 'forbidden_function'],
  ['hdfs()', "SELECT * FROM hdfs('hdfs://h/x', 'TSV')", 'forbidden_function'],
  ['iceberg()', "SELECT * FROM icebergS3('https://b/t')", 'forbidden_function'],
  ['input()', "SELECT * FROM input('a Int8')", 'forbidden_function'],
  ['file() in a subquery', "SELECT * FROM (SELECT * FROM file('x'))", 'forbidden_function'],
  ['system.tables', 'SELECT name FROM system.tables', 'forbidden_database'],
  ['system.tables with a filter', "SELECT name, total_rows FROM system.tables WHERE database = 'linli'", 'forbidden_database'],
  ['backquoted system', 'SELECT * FROM `system`.`tables`', 'forbidden_database'],
  ['double-quoted system', 'SELECT * FROM "system"."tables"', 'forbidden_database'],
  ['system.processes', 'SELECT query FROM system.processes', 'forbidden_database'],
  ['system.query_log in a subquery', 'SELECT * FROM (SELECT query FROM system.query_log)', 'forbidden_database'],
  ['system in upper case', 'SELECT * FROM SYSTEM.TABLES', 'forbidden_database'],
  ['system in mixed case, quoted', 'SELECT * FROM `SyStEm`.tables', 'forbidden_database'],
  ['whitespace around the dot', 'SELECT * FROM system  .\n  disks', 'forbidden_database'],
  ['comments around the dot', 'SELECT * FROM system/* x */./* y */processes', 'forbidden_database'],
  ['line comment before the dot', 'SELECT * FROM system -- x\n.processes', 'forbidden_database'],
  ['system in a JOIN', 'SELECT * FROM room_events AS r JOIN system.users AS u ON 1', 'forbidden_database'],
  ['system in IN (…)', 'SELECT 1 WHERE 1 IN (SELECT 1 FROM system.one)', 'forbidden_database'],
  ['DESCRIBE a system table', 'DESCRIBE TABLE system.processes', 'forbidden_database'],
  ['EXISTS a system table', 'EXISTS TABLE system.query_log', 'forbidden_database'],
  ['SHOW CREATE of a system table', 'SHOW CREATE TABLE system.query_log', 'forbidden_database'],
  ['SHOW TABLES FROM system', 'SHOW TABLES FROM system', 'forbidden_database'],
  ['SHOW TABLES FROM quoted system', 'SHOW TABLES FROM "system"', 'forbidden_database'],
  ['information_schema', 'SELECT * FROM information_schema.tables', 'forbidden_database'],
  ['INFORMATION_SCHEMA upper case', 'SELECT * FROM INFORMATION_SCHEMA.COLUMNS', 'forbidden_database'],
  ['quoted information_schema', 'SELECT * FROM `information_schema` . `schemata`', 'forbidden_database'],
  ['SHOW TABLES FROM information_schema', 'SHOW TABLES FROM INFORMATION_SCHEMA', 'forbidden_database'],
  ['SHOW PROCESSLIST', 'SHOW PROCESSLIST', 'forbidden_keyword'],
  ['SHOW USERS', 'SHOW USERS', 'forbidden_keyword'],
  ['SHOW GRANTS', 'SHOW GRANTS', 'forbidden_keyword'],
  ['SHOW SETTINGS', "SHOW SETTINGS LIKE '%path%'", 'forbidden_keyword'],
  ['SHOW CREATE USER', 'SHOW CREATE USER default', 'forbidden_keyword'],
  ['SHOW CREATE ROW POLICY', 'SHOW CREATE ROW POLICY p ON t', 'forbidden_keyword'],
  ['SHOW CREATE QUOTA', 'SHOW CREATE QUOTA default', 'forbidden_keyword'],
  ['merge() over system', "SELECT * FROM merge('system', '^query_log')", 'forbidden_function'],
  ['loop() over system', "SELECT * FROM loop('system', 'processes') LIMIT 1", 'forbidden_function'],
  ['mergeTreeIndex()', "SELECT * FROM mergeTreeIndex('system', 'query_log')", 'forbidden_function'],
  ['dictionary()', "SELECT * FROM dictionary('d')", 'forbidden_function'],
  ['unterminated string', "SELECT 'abc", 'unterminated'],
  ['unterminated comment', 'SELECT 1 /* never closed', 'unterminated'],
  ['nested comment', "SELECT 1 /* /* */ ' */ , file('x') -- '", 'nested_comment'],
  ['heredoc', "SELECT $$ ' $$, file('/etc/passwd') -- '", 'unsupported_character'],
  ['hash comment', "SELECT 1 # ' \n, file('/etc/passwd') -- '", 'unsupported_character'],
];

for (const [name, sql] of ACCEPT) {
  test(`checkReadOnly: ${name} → accepted`, () => {
    const c = checkReadOnly(sql);
    assert.ok(c.ok, `rejected: ${JSON.stringify(c)}`);
  });
}

for (const [name, sql, reason] of REJECT) {
  test(`checkReadOnly: ${name} → rejected (${reason})`, () => {
    const c = checkReadOnly(sql);
    assert.equal(c.ok, false, `accepted: ${sql}`);
    if (!c.ok) assert.equal(c.reason, reason);
  });
}

test('checkReadOnly: the catalogue option → system.tables only, nothing else of system', () => {
  const sql = 'SELECT database, name, engine, total_rows, total_bytes FROM system.tables WHERE database = currentDatabase() ORDER BY name';
  assert.equal(checkReadOnly(sql).ok, false, 'not for an analyst');
  assert.ok(checkReadOnly(sql, { catalog: true }).ok);
  for (const other of ['SELECT query FROM system.processes', 'SELECT * FROM system.tables, system.query_log', 'SELECT * FROM information_schema.tables']) {
    const c = checkReadOnly(other, { catalog: true });
    assert.deepEqual(c.ok ? null : c.reason, 'forbidden_database', other);
  }
});

test('checkReadOnly: comments and trailing semicolons → removed from the executed statement', () => {
  const c = checkReadOnly('-- how many\nSELECT /* all */ count() FROM t; -- end');
  assert.ok(c.ok);
  if (c.ok) {
    assert.equal(c.statement, 'SELECT   count() FROM t');
    assert.equal(c.kind, 'select');
  }
});

test('checkReadOnly: statement kinds → select streams, the others do not', () => {
  const kinds = ['WITH 1 AS x SELECT x', '(SELECT 1)', 'SHOW TABLES', 'DESC t', 'EXPLAIN SELECT 1', 'EXISTS t']
    .map((s) => { const c = checkReadOnly(s); return c.ok ? c.kind : c.reason; });
  assert.deepEqual(kinds, ['select', 'select', 'show', 'describe', 'explain', 'exists']);
});
