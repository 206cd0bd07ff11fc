/**
 * @module client/parking.web.int.test
 * Guidance in a real browser: the real server in-process with a controllable clock, the built web
 * client, headless Chromium. A resident sees every lot's free spaces, data quality and forecast,
 * asks the system for a bay → the held bay appears with its deadline, and on the map its route
 * from a gate (the canvas says which bay and how many route points); the clock passes the
 * deadline → the page says the hold expired and the route goes; the resident asks in a lot, their
 * car enters by plate and parks in the bay → the page says they arrived. In English too. Staff see
 * the parking desk with the tariff; a guard sees the desk without it and takes cash at the exit;
 * a tariff staff set reaches the open resident page live. No sleeps: every wait is on a selector or a condition.
 * Leaves /tmp/linli-parking.png for humans.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startCommunityServer, type CommunityServer } from '../engine/community-server.ts';
import { testConfig } from '../engine/config.ts';
import { accountFor, api, registeredPlate } from '../engine/testing/accounts.ts';
import { TestClock } from '../engine/testing/test-server.ts';
import { until } from '../engine/testing/until.ts';
import { bayReading, counterReading, FakeBarrier, plateRead } from '../rooms/parking/testing/parking-kit.ts';
import { DIST_DIR, ensureClientBuilt, launch, newPage, PageWatch, signIn, WAIT_MS } from './testing/web-kit.ts';

/** 1号楼 of fixtures/shikeyuan. */
const BUILDING_1 = 'bldg-594889490';
const HOLD_S = 60;

describe('client web: a resident guided to a held bay, with its route on the map', () => {
  const clock = new TestClock();
  let server: CommunityServer;
  let browser: Browser;
  let barrier: FakeBarrier;
  const contexts: BrowserContext[] = [];
  const watch = new PageWatch();
  let page: Page;

  before(async () => {
    await ensureClientBuilt();
    server = await startCommunityServer(testConfig({ clientDist: DIST_DIR, replayEnabled: false, parkingHoldS: HOLD_S }), { now: clock.now });
    barrier = new FakeBarrier(server.bus, server.community.id, server.community.gates[0]!);
    browser = await launch();
    page = await newPage(browser, contexts, watch, 'resident');
  });

  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    barrier?.stop();
    await server?.close();
  });

  it('guidance: the resident asks → a held bay with a deadline and a route on the map; the deadline passes → expired, the route goes', async () => {
    const c = server.community;
    for (const lot of c.lots) counterReading(server.bus, c.id, lot.counterDeviceId, Math.floor(lot.capacity / 2), clock.now());
    const resident = await accountFor(server, '业主甲', 'owner', BUILDING_1);
    await page.goto(server.url);
    await signIn(page, resident);
    await page.waitForSelector('[data-testid=parking-panel] [data-testid=lot-row]');
    await page.waitForSelector(`[data-testid=lot-row][data-lot-id="${c.lots[0]!.id}"] [data-testid=lot-quality][data-source=counter]`);
    await page.waitForSelector('[data-testid=forecast]');
    await page.waitForSelector('[data-testid=tariff-line]');
    assert.match((await page.locator('[data-testid=tariff-line]').textContent()) ?? '', /30 分钟内免费/);

    await page.click('[data-testid=parking-pick]');
    const card = page.locator('[data-testid=hold-card]');
    await card.waitFor();
    const lotId = (await card.getAttribute('data-lot-id'))!;
    const bayId = (await card.getAttribute('data-bay-id'))!;
    assert.ok(c.lots.find((l) => l.id === lotId)?.bays.some((b) => b.id === bayId), `${bayId} is a bay of ${lotId}`);
    assert.match((await card.textContent()) ?? '', /为你保留的车位/);
    assert.match((await page.locator('[data-testid=hold-countdown]').textContent()) ?? '', /保留剩余 [01]:\d\d/);
    const canvas = page.locator('[data-testid=map-canvas]');
    await page.waitForSelector(`[data-testid=map-canvas][data-held-bay="${bayId}"]`);
    assert.ok(Number(await canvas.getAttribute('data-route-points')) > 2, 'a route of several points is drawn');
    const held = server.parking.hub.lot(lotId)!.state().holds;
    assert.equal(Object.values(held)[0]?.bayId, bayId, 'the server holds that bay');
    await page.screenshot({ path: '/tmp/linli-parking.png' });

    clock.advance(HOLD_S * 1000 + 1000);
    await page.waitForSelector('[data-testid=parking-step][data-step=released][data-reason=expired]');
    assert.match((await page.locator('[data-testid=parking-step]').textContent()) ?? '', /保留时间已到/);
    assert.equal(await card.count(), 0, 'no hold card');
    await page.waitForSelector('[data-testid=map-canvas][data-held-bay=""][data-route-points="0"]');
  });

  it('guidance: the resident picks a lot; their car enters by plate and parks in the bay → arrived; the bay shows on the map; in English too', async () => {
    const c = server.community;
    const resident = await accountFor(server, '业主甲', 'owner', BUILDING_1);
    await registeredPlate(server, resident, '京A66688');
    const lot = c.lots.reduce((a, b) => (b.capacity > a.capacity ? b : a));
    await page.click(`[data-testid=lot-row][data-lot-id="${lot.id}"] [data-testid=lot-hold]`);
    const card = page.locator(`[data-testid=hold-card][data-lot-id="${lot.id}"]`);
    await card.waitFor();
    const bayId = (await card.getAttribute('data-bay-id'))!;
    await page.waitForSelector(`[data-testid=map-canvas][data-held-bay="${bayId}"]`);

    plateRead(server.bus, c.id, c.gates[0]!, '京A66688', 'in', clock.now());
    await until('the car inside', () => server.parking.plateInside('京A66688'), WAIT_MS);
    await page.waitForSelector('[data-testid=parking-step][data-kind=session][data-step=opened]');
    const known = Number(await page.locator('[data-testid=map-canvas]').getAttribute('data-bays-known'));
    bayReading(server.bus, c.id, lot.bays.find((b) => b.id === bayId)!, true, clock.now());
    await page.waitForSelector('[data-testid=parking-step][data-step=fulfilled]');
    assert.match((await page.locator('[data-testid=parking-step]').textContent()) ?? '', /已到达车位/);
    await page.waitForSelector(`[data-testid=map-canvas][data-held-bay=""][data-bays-known="${known + 1}"]`);
    await page.waitForSelector(`[data-testid=lot-row][data-lot-id="${lot.id}"] [data-testid=lot-quality][data-source=mixed]`);
    await until('the barrier opened for the car', () => barrier.opens === 1, WAIT_MS);

    await page.click('[data-testid=lang-switch]');
    await page.waitForSelector('[data-testid=parking-pick]:has-text("Find me a bay")');
    assert.match((await page.locator('[data-testid=parking-step]').textContent()) ?? '', /You have reached your bay/);
  });

  it('staff: the property panel shows the parking desk with the tariff; no uncaught errors, every message type handled', async () => {
    const staff = await accountFor(server, '物业收费员', 'property_staff');
    const desk = await newPage(browser, contexts, watch, 'staff');
    await desk.goto(server.url);
    await signIn(desk, staff);
    await desk.click('[data-testid=tab-property]');
    await desk.waitForSelector('[data-testid=parking-office] .tariff-form');
    await desk.waitForSelector('[data-testid=office-session][data-plate="京A66688"]');
    assert.deepEqual(watch.errors, []);
    assert.deepEqual(watch.unhandledTypes, []);
  });

  it('guard: the desk tab lists the cars inside; a car at the exit with money due → the guard takes the cash → the session closes, the barrier opens; no tariff form', async () => {
    const c = server.community;
    const guard = await accountFor(server, '岗亭保安', 'guard');
    const booth = await newPage(browser, contexts, watch, 'guard');
    await booth.goto(server.url);
    await signIn(booth, guard);
    await booth.click('[data-testid=tab-desk]');
    await booth.waitForSelector('[data-testid=desk-panel] [data-testid=office-session][data-plate="京A66688"]');
    assert.equal(await booth.locator('[data-testid=parking-office] .tariff-form').count(), 0, 'the tariff is staff-only');

    plateRead(server.bus, c.id, c.gates[0]!, '沪B77777', 'in', clock.now());
    await until('the visitor inside', () => server.parking.plateInside('沪B77777'), WAIT_MS);
    clock.advance(3 * 3600_000);
    const opensBefore = barrier.opens;
    plateRead(server.bus, c.id, c.gates[0]!, '沪B77777', 'out', clock.now());
    await until('the exit asked for money', () => server.parking.state.open['沪B77777']?.exit != null, WAIT_MS);
    await booth.click('[data-testid=desk-panel] button:has-text("刷新")');
    const row = booth.locator('[data-testid=office-session][data-plate="沪B77777"]');
    const take = row.locator('button', { hasText: '收现金' });
    await take.waitFor();
    assert.match((await take.textContent()) ?? '', /收现金 ¥\d+\.\d\d/);
    await take.click();
    await row.waitFor({ state: 'detached' });
    assert.equal(server.parking.plateInside('沪B77777'), false, 'the session closed');
    await until('the barrier opened for the exit', () => barrier.opens === opensBefore + 1, WAIT_MS);
    assert.equal(await booth.locator('[data-testid=desk-panel] [role=alert]').count(), 0, 'no refusal shown');
    assert.deepEqual(watch.errors, []);
  });

  it('tariff: staff change it over HTTP → the open resident page shows the new tariff without a reload', async () => {
    // Signed in again: the test clock has moved past the staff account's first access token.
    const staff = await accountFor(server, '物业收费员', 'property_staff');
    const signedIn = await api(server, '/api/auth/signin', { phone: staff.phone, password: staff.password });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.json));
    const line = page.locator('[data-testid=tariff-line]');
    assert.match((await line.textContent()) ?? '', /¥5\.00 an hour, at most ¥30\.00/);
    const set = await api(server, '/api/parking/tariff', { hourlyFen: 800, dailyCapFen: 4000 }, signedIn.json.accessToken);
    assert.equal(set.status, 200, JSON.stringify(set.json));
    await page.waitForSelector('[data-testid=tariff-line]:has-text("¥8.00 an hour, at most ¥40.00")');
    assert.deepEqual(watch.unhandledTypes, []);
  });
});
