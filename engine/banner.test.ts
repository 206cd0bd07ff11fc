/**
 * The banner's analytics line in each configuration: on (kind, rows, query URL), off (the switch
 * and what the route answers; no rows, no URL), off here but served by another cluster node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyticsBannerLine } from './banner.ts';

const url = 'http://127.0.0.1:2567';

test('banner: analytics on → kind, rows stored and the query URL', () => {
  assert.equal(analyticsBannerLine({ analytics: 'chdb', analyticsRows: 12, analyticsQueries: 'here' }, url),
    '  Analytics   chdb (embedded ClickHouse), 12 rows stored; query at POST http://127.0.0.1:2567/api/analytics/query');
  assert.match(analyticsBannerLine({ analytics: 'clickhouse', analyticsRows: -1, analyticsQueries: 'here' }, url), /clickhouse, row count unknown; query at POST/);
});

test('banner: ANALYTICS_ENABLED=false → off, how to turn it on, what the route answers; no row count, no query URL', () => {
  const line = analyticsBannerLine({ analytics: 'off', analyticsRows: 0, analyticsQueries: 'none' }, url);
  assert.match(line, /^  Analytics   off \(ANALYTICS_ENABLED=false\)/);
  assert.match(line, /set ANALYTICS_ENABLED=true to turn it on/);
  assert.match(line, /503 ANALYTICS_DISABLED/);
  assert.doesNotMatch(line, /rows stored|query at|127\.0\.0\.1/);
});

test('banner: off on this cluster node → queries go to the node that has it on', () => {
  const line = analyticsBannerLine({ analytics: 'off', analyticsRows: 0, analyticsQueries: 'cluster' }, url);
  assert.match(line, /off on this node \(ANALYTICS_ENABLED=false\).*cluster node that has it on/);
  assert.doesNotMatch(line, /rows stored/);
});
