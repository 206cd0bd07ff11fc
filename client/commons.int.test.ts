/**
 * @module client/commons.int.test
 * The commons in a real browser (headless Chromium) against the real server: property staff
 * open an owners' vote through the page; an owner casts a ballot and sees their receipt and the
 * tally move, and sees it move again live when a neighbour votes through the SDK; the vote closes
 * on the server's clock and the printable record shows the ballots (CSV downloads); staff publish
 * an accounts line with a voucher through the form; the owner sees it in the totals and lines,
 * asks a question and sees staff's public answer. The server clock is moved by the test (`now`
 * hook), never waited for. No sleeps: every wait is on a selector or a condition.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startCommunityServer, type CommunityServer } from '../engine/community-server.ts';
import { testConfig } from '../engine/config.ts';
import { accountFor, adminOf, signUp, unitIn, type TestAccount } from '../engine/testing/accounts.ts';
import { TestResident } from '../engine/testing/test-server.ts';
import { DIST_DIR, ensureClientBuilt, launch, newPage, PageWatch, signIn, WAIT_MS } from './testing/web-kit.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('client web: owners\' vote and public accounts in headless Chromium', () => {
  let offset = 0;
  let server: CommunityServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const watch = new PageWatch();
  let building: string;
  let staff: TestAccount;
  let owner: TestAccount;
  let neighbour: TestAccount;
  let s: Page;
  let o: Page;
  let voteId = '';
  const sdk: TestResident[] = [];

  before(async () => {
    await ensureClientBuilt();
    server = await startCommunityServer(testConfig({ clientDist: DIST_DIR, replayEnabled: false, analyticsEnabled: false, votePatchIntervalMs: 50 }), { now: () => Date.now() + offset });
    building = server.community.buildings.find((b) => b.residential)!.id;
    staff = await accountFor(server, '物业小周', 'property_staff');
    owner = await accountFor(server, '业主老陈', 'owner', building);
    neighbour = await signUp(server, '业主小林', 'owner', unitIn(building, '202'));
    browser = await launch();
    s = await newPage(browser, contexts, watch, 'staff');
    o = await newPage(browser, contexts, watch, 'owner');
    await Promise.all([s.goto(server.url), o.goto(server.url)]);
    await signIn(s, staff);
    await signIn(o, owner);
  });

  after(async () => {
    for (const r of sdk) await r.leave();
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('vote: staff open a building vote through the form → the owner sees it with turnout 0', async () => {
    await s.click('[data-testid=tab-votes]');
    await s.waitForSelector('[data-testid=votes-panel][data-ready=true]');
    await s.click('[data-testid=vote-new]');
    await s.fill('[data-testid=vote-form-title]', '更换1号楼电梯');
    await s.fill('[data-testid=vote-form-body]', '使用专项维修资金更换电梯。');
    await s.selectOption('[data-testid=vote-form-scope]', building);
    await s.fill('[data-testid=vote-form-days]', '7');
    await s.click('[data-testid=vote-form-submit]');
    const card = s.locator('[data-testid=vote]', { hasText: '更换1号楼电梯' });
    await card.waitFor();
    voteId = (await card.getAttribute('data-vote-id')) ?? '';
    assert.match(voteId, /^vote-/);
    assert.equal(await card.locator('[data-testid=vote-staff-no-ballot]').count(), 1, 'staff are not owners: told so, no ballot form');
    assert.equal(await card.locator('[data-testid=vote-not-eligible]').count(), 0, 'staff are refused as non-owners, not for the register snapshot');
    assert.equal(await card.locator('[data-testid=vote-choice]').count(), 0);
    assert.match((await card.locator('[data-testid=vote-staff-no-ballot]').textContent()) ?? '', /物业人员不参与业主表决/);
    const needs = (await card.textContent()) ?? '';
    assert.match(needs, /需参与 [≥>] \d+\/\d+；同意 [≥>] \d+\/\d+/);
    assert.ok(!/[≥>]\s*[≥>]/.test(needs), `one sign per threshold: ${needs}`);

    await o.click('[data-testid=tab-votes]');
    const mine = o.locator(`[data-testid=vote][data-vote-id="${voteId}"]`);
    await mine.waitFor();
    assert.equal(await mine.locator('[data-testid=vote-turnout]').getAttribute('data-heads'), '0');
    assert.match((await mine.textContent()) ?? '', /使用维修资金/);
  });

  it('vote: the owner picks 同意 and votes → their receipt, and the tally moves; a neighbour votes by SDK → it moves again live', async () => {
    const card = o.locator(`[data-testid=vote][data-vote-id="${voteId}"]`);
    await card.locator('[data-testid=vote-choice][data-index="0"]').check();
    await card.locator('[data-testid=vote-cast]').click();
    await card.locator('[data-testid=vote-mine]').waitFor();
    assert.match((await card.locator('[data-testid=vote-mine]').textContent()) ?? '', /你的选择：同意（回执 [0-9A-Z]{10}）/);
    await o.waitForSelector(`[data-testid=vote][data-vote-id="${voteId}"] [data-testid=vote-option][data-index="0"][data-heads="1"]`);
    assert.equal(await card.locator('[data-testid=vote-cast]').count(), 0, 'no change allowed: the form is gone');

    const n = await TestResident.join(server, `commons-${server.community.id}`, { token: neighbour.accessToken });
    sdk.push(n);
    n.send('ballot', { key: 'page-test-neighbour', voteId, choices: [1] });
    await n.waitFor('ballot');
    await o.waitForSelector(`[data-testid=vote][data-vote-id="${voteId}"] [data-testid=vote-turnout][data-heads="2"]`);
    await o.waitForSelector(`[data-testid=vote][data-vote-id="${voteId}"] [data-testid=vote-option][data-index="1"][data-heads="1"]`);
  });

  it('vote: the deadline passes on the server clock → closed with its outcome; the record page lists both ballots and downloads CSV', async () => {
    offset += 8 * 86_400_000;
    const card = o.locator(`[data-testid=vote][data-vote-id="${voteId}"][data-status=closed]`);
    await card.waitFor();
    await card.locator('[data-testid=vote-outcome]').waitFor();
    await card.locator('[data-testid=vote-record]').click();
    await o.waitForSelector('[data-testid=vote-record-page] [data-testid=record-ballots]');
    assert.equal(await o.locator('[data-testid=record-ballots] tbody tr').count(), 2);
    assert.match((await o.textContent('[data-testid=record-statement]')) ?? '', /房屋登记快照为准/);
    const record = (await o.textContent('[data-testid=vote-record-page]')) ?? '';
    assert.match(record, /需参与 [≥>] \d+\/\d+/);
    assert.ok(!/[≥>]\s*[≥>]/.test(record), `one sign per threshold in the record: ${record}`);
    const [download] = await Promise.all([o.waitForEvent('download'), o.click('[data-testid=record-csv]')]);
    assert.equal(download.suggestedFilename(), `${voteId}.csv`);
  });

  it('accounts: staff publish a line with a voucher → the owner sees the line and the totals; asks; staff answer in public', async () => {
    await s.click('[data-testid=tab-accounts]');
    await s.click('[data-testid=accounts-new]');
    await s.fill('[data-testid=accounts-form-month]', '2026-03');
    await s.selectOption('[data-testid=accounts-form-category]', 'advertising');
    await s.fill('[data-testid=accounts-form-amount]', '1200.50');
    await s.fill('[data-testid=accounts-form-description]', '电梯广告 3 月收入');
    await s.setInputFiles('[data-testid=accounts-form-files]', { name: '广告合同.png', mimeType: 'image/png', buffer: PNG });
    await s.click('[data-testid=accounts-form-submit]');
    await s.waitForSelector('[data-testid=accounts-line][data-amount="120050"], [data-testid=accounts-form-error]');
    assert.equal(await s.locator('[data-testid=accounts-form-error]').count(), 0, (await s.locator('[data-testid=accounts-form-error]').textContent().catch(() => '')) ?? '');

    await o.click('[data-testid=tab-accounts]');
    const line = o.locator('[data-testid=accounts-line][data-amount="120050"]');
    await line.waitFor();
    assert.match((await line.textContent()) ?? '', /广告收入/);
    assert.equal(await line.locator('[data-testid=accounts-voucher]').count(), 1);
    assert.equal(await o.getAttribute('[data-testid=accounts-totals]', 'data-common-in'), '120050');
    await o.waitForSelector('[data-testid=accounts-chart][data-months="1"]');

    await line.locator('[data-testid=accounts-ask-text]').fill('合同单价是多少？');
    await line.locator('[data-testid=accounts-ask]').click();
    const q = s.locator('[data-testid=accounts-question]', { hasText: '合同单价是多少？' });
    await q.waitFor();
    await q.locator('[data-testid=accounts-answer-text]').fill('每月 1200.50 元，合同见凭证。');
    await q.locator('[data-testid=accounts-answer-send]').click();
    await o.waitForSelector('[data-testid=accounts-question][data-answered=true]');
    assert.match((await o.textContent('[data-testid=accounts-answer]')) ?? '', /物业小周（物业）：每月 1200\.50 元/);
  });

  it('phone 390×844: the admin opens the "Open a vote" form in en, then zh-CN → nothing wider than the screen (no sideways scroll)', async () => {
    const admin = await adminOf(server);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    context.setDefaultTimeout(WAIT_MS);
    contexts.push(context);
    await context.addInitScript(() => { if (!localStorage.getItem('linli.lang')) localStorage.setItem('linli.lang', 'en'); });
    const p = watch.watch('phone', await context.newPage());
    await p.goto(server.url);
    await signIn(p, admin);
    await p.waitForSelector('html[lang="en"]');
    await p.click('[data-testid=tab-votes]');
    await p.waitForSelector('[data-testid=votes-panel][data-ready=true]');
    await p.click('[data-testid=vote-new]');
    await p.waitForSelector('[data-testid=vote-form-category]');
    const widest = () => p.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const over = [...document.querySelectorAll<HTMLElement>('body *')].filter((e) => e.getBoundingClientRect().right > vw + 0.5).slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className}[${e.dataset.testid ?? ''}] right=${Math.round(e.getBoundingClientRect().right)}`);
      return { scrollWidth: document.documentElement.scrollWidth, over };
    });
    const en = await widest();
    assert.ok(en.scrollWidth <= 390, `en: page ${en.scrollWidth} px wide; overflowing: ${en.over.join(', ')}`);
    await p.click('[data-testid=lang-switch]');
    await p.waitForSelector('html[lang="zh-CN"]');
    await p.waitForSelector('[data-testid=vote-form-category]');
    const zh = await widest();
    assert.ok(zh.scrollWidth <= 390, `zh-CN: page ${zh.scrollWidth} px wide; overflowing: ${zh.over.join(', ')}`);
  });

  it('page: no uncaught errors, every message type handled', () => {
    assert.deepEqual(watch.errors, []);
    assert.deepEqual(watch.unhandledTypes, []);
  });
});
