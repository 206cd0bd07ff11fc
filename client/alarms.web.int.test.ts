/**
 * @module client/alarms.web.int.test
 * Alarms in a real browser: the real server in-process with a private nats-server and its MQTT
 * listener, the built web client, headless Chromium, one context per person. A smoke detector
 * publishes with mosquitto_pub → the guard's map shows the alarm at once (the list and the
 * canvas), the unit's owner gets the alarm banner; the guard takes it, is refused without a note,
 * resolves it with one → both pages follow; a wrong-unit MQTT reading shows in the property
 * page's device health. The building's alarm notices read in the page's language only (an English
 * neighbour's page, the owner's Chinese one). No sleeps: every wait is on a selector or a condition.
 * Leaves /tmp/linli-alarm.png for humans.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startCommunityServer, type CommunityServer } from '../engine/community-server.ts';
import { testConfig } from '../engine/config.ts';
import { accountFor, signUp, unitIn } from '../engine/testing/accounts.ts';
import { mosquittoPub, natsServerAvailable, startNatsServer, type PrivateNats } from '../engine/testing/nats-server.ts';
import { until } from '../engine/testing/until.ts';
import { DIST_DIR, ensureClientBuilt, launch, newPage, PageWatch, signIn, WAIT_MS } from './testing/web-kit.ts';

const CJK = /[\u3000-\u9fff\uff00-\uffef]/;
/** 1号楼 of fixtures/shikeyuan. */
const BUILDING_1 = 'bldg-594889490';
describe('client web: an alarm from an MQTT smoke detector on the guard map and in the resident page', { skip: natsServerAvailable() ? false : 'no /usr/sbin/nats-server' }, () => {
  let nats: PrivateNats;
  let server: CommunityServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const watch = new PageWatch();
  let guardPage: Page;
  let ownerPage: Page;
  const buildingId = BUILDING_1;
  const unitId = unitIn(buildingId, '101');

  before(async () => {
    await ensureClientBuilt();
    nats = await startNatsServer({ mqtt: true });
    server = await startCommunityServer(testConfig({ clientDist: DIST_DIR, natsUrl: nats.url }));
    browser = await launch();
    guardPage = await newPage(browser, contexts, watch, 'guard');
    ownerPage = await newPage(browser, contexts, watch, 'owner');
  });

  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await nats?.stop();
  });

  it('alarm: mosquitto_pub smoke alarm=1 → the guard map shows it at once; the owner gets the banner; take and resolve with a note → both pages follow', async () => {
    const guard = await accountFor(server, '值班保安', 'guard');
    const owner = await accountFor(server, '业主101', 'owner', buildingId);
    await guardPage.goto(server.url);
    await signIn(guardPage, guard);
    await guardPage.waitForSelector('[data-testid=alarm-panel]');
    await guardPage.waitForSelector('[data-testid=map-canvas][data-alarms="0"]');
    await ownerPage.goto(server.url);
    await signIn(ownerPage, owner);
    await ownerPage.waitForSelector('[data-testid=chat-panel]');
    assert.equal(await ownerPage.locator('[data-testid=alarm-panel]').count(), 0, 'residents have no alarm desk');

    const smoke = server.devices.inUnit(unitId).find((d) => d.kind === 'smoke')!;
    await mosquittoPub(nats.mqttPort!, `nb/${server.community.id}/dev/${smoke.id}/alarm`, JSON.stringify({ value: 1, at: Date.now() }), `linli-web-${process.pid}`);
    const item = guardPage.locator('[data-testid=alarm-item][data-kind=smoke]');
    await item.waitFor();
    assert.match((await item.textContent()) ?? '', /烟雾报警/);
    assert.match((await item.textContent()) ?? '', /1号楼/);
    await guardPage.waitForSelector('[data-testid=map-canvas][data-alarms="1"]');
    const push = ownerPage.locator('[data-testid=alarm-push][data-reason=unit]');
    await push.waitFor();
    assert.match((await push.textContent()) ?? '', /您家中发生烟雾报警/);

    await item.locator('[data-testid=alarm-take]').click();
    await guardPage.waitForSelector('[data-testid=alarm-item][data-status=taken]');
    await item.locator('[data-testid=alarm-resolve]').click();
    const refused = item.locator('[data-testid=alarm-error]');
    await refused.waitFor();
    assert.equal(await refused.getAttribute('data-code'), 'ALARM_NOTE_REQUIRED');
    assert.match((await refused.textContent()) ?? '', /处理说明/);
    await item.locator('[data-testid=alarm-note]').fill('厨房油烟，已通风');
    await item.locator('[data-testid=alarm-resolve]').click();
    await guardPage.waitForSelector('[data-testid=alarm-item][data-status=resolved]');
    await guardPage.waitForSelector('[data-testid=map-canvas][data-alarms="0"]');
    await ownerPage.waitForSelector('[data-testid=alarm-push][data-step=AlarmResolved]');
    assert.match((await ownerPage.locator('[data-testid=alarm-push]').textContent()) ?? '', /厨房油烟/);
    await guardPage.screenshot({ path: '/tmp/linli-alarm.png' });
  });

  it('notice: the building\'s alarm notices → an English page shows only English, the Chinese page only Chinese', async () => {
    const neighbour = await signUp(server, 'Owner 102', 'owner', unitIn(buildingId, '102'));
    const enPage = await newPage(browser, contexts, watch, 'owner-en');
    await enPage.context().addInitScript(() => localStorage.setItem('linli.lang', 'en'));
    await enPage.goto(server.url);
    await signIn(enPage, neighbour);
    await enPage.waitForSelector('html[lang="en"]');
    const en = enPage.locator('[data-testid=notice]', { hasText: 'Smoke alarm' });
    await en.nth(1).waitFor(); // raised and resolved
    for (const text of await en.allTextContents()) {
      assert.ok(!CJK.test(text), `English only: ${text}`);
      assert.match(text, /Entrance 1: /);
    }
    assert.match((await en.allTextContents()).join('\n'), /Smoke alarm resolved/);

    const zh = ownerPage.locator('[data-testid=notice]', { hasText: '烟雾报警' });
    await zh.nth(1).waitFor();
    for (const text of await zh.allTextContents()) assert.ok(!/Smoke|Guards|alarm|Entrance/i.test(text), `Chinese only: ${text}`);
  });

  it('device health: a malformed MQTT reading → the property page lists it under the device', async () => {
    const smoke = server.devices.inUnit(unitId).find((d) => d.kind === 'smoke')!;
    await mosquittoPub(nats.mqttPort!, `nb/${server.community.id}/dev/${smoke.id}/temperature`, JSON.stringify({ value: 70, unit: '°F' }), `linli-web-${process.pid}-2`);
    await until('the wrong unit counted', () => (server.gateway.healthOf(smoke.id)?.rejected.wrong_unit ?? 0) === 1, WAIT_MS);
    const staff = await accountFor(server, '物业员', 'property_staff');
    const page = await newPage(browser, contexts, watch, 'staff');
    await page.goto(server.url);
    await signIn(page, staff);
    await page.click('[data-testid=tab-property]');
    const row = page.locator(`[data-testid=device-row][data-device="${smoke.id}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /wrong_unit×1/);
    assert.match((await row.textContent()) ?? '', /DEVICE_WRONG_UNIT/);
  });

  it('page: no uncaught errors, every message type handled', async () => {
    assert.deepEqual(watch.errors, []);
    assert.deepEqual(watch.unhandledTypes, []);
  });
});

