/**
 * @module client/plates.web.int.test
 * Plate claims in a real browser (the real server in-process, the built client, headless
 * Chromium): a resident registers a plate → its chip says it waits for staff; the property page
 * lists the claim with the claimant's name → staff confirm → the resident's chip turns confirmed
 * live (the relay's PlatesChanged push, no reload). A second resident claims the same plate → the
 * property page names the holder; the holder's chip says disputed (after a reload: a new claim is
 * not pushed); staff reject it → the list is empty and the holder's chip confirmed again.
 * No sleeps: every wait is on a selector.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startCommunityServer, type CommunityServer } from '../engine/community-server.ts';
import { testConfig } from '../engine/config.ts';
import { accountFor } from '../engine/testing/accounts.ts';
import { DIST_DIR, ensureClientBuilt, launch, newPage, PageWatch, signIn } from './testing/web-kit.ts';

/** 1号楼 of fixtures/shikeyuan. */
const BUILDING_1 = 'bldg-594889490';
const PLATE = '京B24680';

describe('client web: plate claims confirmed by the property office', () => {
  let server: CommunityServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const watch = new PageWatch();
  let resident: Page;
  let office: Page;

  before(async () => {
    await ensureClientBuilt();
    server = await startCommunityServer(testConfig({ clientDist: DIST_DIR, replayEnabled: false }));
    browser = await launch();
    resident = await newPage(browser, contexts, watch, 'resident');
    office = await newPage(browser, contexts, watch, 'staff');
  });

  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('plates: the resident registers one → 待物业确认; staff confirm it on the property page → the chip turns confirmed live', async () => {
    const owner = await accountFor(server, '车主甲', 'owner', BUILDING_1);
    const staff = await accountFor(server, '物业小刘', 'property_staff');
    await resident.goto(server.url);
    await signIn(resident, owner);
    await resident.click('[data-testid=tab-contact]');
    await resident.fill('[data-testid=plate-input]', '京b 24680');
    await resident.click('[data-testid=plate-add]');
    const chip = resident.locator(`[data-testid=plate-row][data-plate="${PLATE}"]`);
    await resident.waitForSelector(`[data-testid=plate-row][data-plate="${PLATE}"][data-status=pending]`);
    assert.match((await chip.textContent()) ?? '', /待物业确认/);

    await office.goto(server.url);
    await signIn(office, staff);
    await office.click('[data-testid=tab-property]');
    const review = office.locator(`[data-testid=plate-review][data-plate="${PLATE}"]`);
    await review.waitFor();
    assert.match((await review.textContent()) ?? '', /车主甲/);
    await review.locator(`[data-testid=plate-claimant][data-account-id="${owner.accountId}"] [data-testid=plate-confirm]`).click();
    await office.waitForSelector('[data-testid=plate-reviews-none]');

    await resident.waitForSelector(`[data-testid=plate-row][data-plate="${PLATE}"][data-status=confirmed]`);
    assert.doesNotMatch((await chip.textContent()) ?? '', /待物业确认/);
  });

  it('plates: another resident claims it → staff see the holder, the holder sees 有争议 (after a reload); staff reject the claim → confirmed again, live', async () => {
    const rival = await accountFor(server, '车主乙', 'owner', BUILDING_1);
    const other = await newPage(browser, contexts, watch, 'rival');
    await other.goto(server.url);
    await signIn(other, rival);
    await other.click('[data-testid=tab-contact]');
    await other.fill('[data-testid=plate-input]', PLATE);
    await other.click('[data-testid=plate-add]');
    await other.waitForSelector(`[data-testid=plate-row][data-plate="${PLATE}"][data-status=pending]`);

    await office.click('[data-testid=plate-reviews-reload]');
    const review = office.locator(`[data-testid=plate-review][data-plate="${PLATE}"]`);
    await review.waitFor();
    assert.match((await review.textContent()) ?? '', /当前登记：车主甲/);
    assert.match((await review.textContent()) ?? '', /车主乙/);

    await resident.reload();
    await resident.click('[data-testid=tab-contact]');
    const chip = resident.locator(`[data-testid=plate-row][data-plate="${PLATE}"][data-status=disputed]`);
    await chip.waitFor();
    assert.match((await chip.textContent()) ?? '', /有争议/);

    await review.locator(`[data-testid=plate-claimant][data-account-id="${rival.accountId}"] [data-testid=plate-reject]`).click();
    await office.waitForSelector('[data-testid=plate-reviews-none]');
    await other.waitForSelector(`[data-testid=plate-row][data-plate="${PLATE}"]`, { state: 'detached' });
    // The holder is told nothing live here (the dropped claim was the rival's): its next read says confirmed.
    await resident.reload();
    await resident.click('[data-testid=tab-contact]');
    await resident.waitForSelector(`[data-testid=plate-row][data-plate="${PLATE}"][data-status=confirmed]`);
    assert.deepEqual(watch.errors, []);
    assert.deepEqual(watch.unhandledTypes, []);
  });
});
