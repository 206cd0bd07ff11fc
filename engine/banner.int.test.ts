/**
 * The banner's claim about analytics when it is off, checked against a real server: nothing is
 * counted, and /api/analytics/* answers as the banner says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './testing/test-server.ts';
import { analyticsBannerLine } from './banner.ts';

test('banner: ANALYTICS_ENABLED=false → says off and how to turn it on; the query route answers what it says', async () => {
  const srv = await startTestServer({ analyticsEnabled: false });
  try {
    assert.deepEqual([srv.report.analytics, srv.report.analyticsQueries], ['off', 'none']);
    const line = analyticsBannerLine(srv.report, srv.url);
    assert.doesNotMatch(line, /rows stored|query at|http:/);
    const get = await fetch(`${srv.url}/api/analytics/query?sql=SELECT%201`);
    const post = await fetch(`${srv.url}/api/analytics/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sql":"SELECT 1"}' });
    const got = [get.status, (await get.json() as { code: string }).code, post.status, (await post.json() as { code: string }).code];
    assert.deepEqual(got, [503, 'ANALYTICS_DISABLED', 503, 'ANALYTICS_DISABLED']);
    for (const claim of [`${got[0]} ${got[1]}`, `${got[2]} ${got[3]}`]) assert.ok(line.includes(claim), `${line} should say ${claim}`);
  } finally {
    await srv.close();
  }
});
