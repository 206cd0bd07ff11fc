/**
 * @module analytics/result.test
 * RowCollector on literal engine output: headers repeated per chunk, the row cap, and the check
 * against the engine's row count that keeps another query's leftover output from being returned.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResultMismatchError, RowCollector } from './result.ts';

const chunk = (...lines: unknown[][]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

test('RowCollector: chunks that each repeat the header, counts matching → one header, all rows', () => {
  const c = new RowCollector(10);
  assert.equal(c.pushChunk(chunk(['n'], ['UInt64'], ['1'], ['2']), 2), true);
  assert.equal(c.pushChunk(chunk(['n'], ['UInt64'], ['3']), 1), true);
  assert.equal(c.pushChunk(chunk(['n'], ['UInt64']), 0), true); // a header-only chunk (e.g. WITH TOTALS)
  assert.deepEqual(c.result(), { columns: [{ name: 'n', type: 'UInt64' }], rows: [{ n: '1' }, { n: '2' }, { n: '3' }], truncated: false });
});

test('RowCollector: a failed query\'s header left before this query\'s output → ResultMismatchError, nothing kept', () => {
  // What chDB returned for `SELECT 'second' AS b` on a reader whose previous query timed out.
  const c = new RowCollector(10);
  assert.throws(() => c.pushChunk(chunk(['slow'], ['UInt64'], ['b'], ['String'], ['second']), 1), (err: unknown) => {
    assert.ok(err instanceof ResultMismatchError);
    assert.equal(err.engineRows, 1);
    assert.equal(err.textRows, 3);
    return true;
  });
  assert.deepEqual(c.result().rows, []);
});

test('RowCollector: a later chunk whose header differs from the first → ResultMismatchError', () => {
  const c = new RowCollector(10);
  c.pushChunk(chunk(['a'], ['String'], ['x']), 1);
  assert.throws(() => c.pushChunk(chunk(['b'], ['String'], ['y']), 1), ResultMismatchError);
});

test('RowCollector: more rows than maxRows → capped, truncated, and the count is still checked first', () => {
  const c = new RowCollector(2);
  assert.equal(c.pushChunk(chunk(['n'], ['UInt8'], [1], [2], [3]), 3), false);
  assert.deepEqual(c.result(), { columns: [{ name: 'n', type: 'UInt8' }], rows: [{ n: 1 }, { n: 2 }], truncated: true, truncatedBy: 'rows' });
  assert.throws(() => new RowCollector(2).pushChunk(chunk(['n'], ['UInt8'], [1], [2], [3]), 5), ResultMismatchError);
});

test('RowCollector: rows past maxBytes → cut before the row is parsed, truncatedBy bytes; a single row over the cap keeps nothing', () => {
  const c = new RowCollector(100, 12);
  assert.equal(c.pushChunk(chunk(['s'], ['String'], ['aaaa'], ['bbbb'], ['cccc']), 3), false);
  assert.deepEqual([c.result().rows, c.result().truncatedBy], [[{ s: 'aaaa' }], 'bytes']); // each row line is 8 bytes: ["aaaa"]
  const one = new RowCollector(100, 12);
  assert.equal(one.pushChunk(chunk(['s'], ['String'], ['x'.repeat(50)]), 1), false);
  assert.deepEqual([one.result().rows, one.result().truncated], [[], true]);
});

test('RowCollector: empty output and no engine count → no columns, no rows', () => {
  const c = new RowCollector(5);
  assert.equal(c.pushChunk('', 0), true);
  assert.equal(c.pushChunk(chunk(['n'], ['UInt8'], [7])), true);
  assert.deepEqual(c.result().rows, [{ n: 7 }]);
});
