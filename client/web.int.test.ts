/**
 * @module client/web.int.test
 * End to end in a real browser: the real server in-process (port 0, temp data dir, fast replay),
 * the built web client, and headless Chromium (no GPU), one browser context per person, so each
 * has its own signed-in session in its own localStorage.
 * Neighbours: two residents of one building sign in through the form (accounts made over HTTP by
 * engine/testing/accounts). Checks: a wrong password is refused in zh-CN, the map canvas really
 * has a drawing, only the account's rooms are offered (a guard gets the map, the parking desk, one line saying
 * it has no chat room, and no reach-a-neighbour tab, so nothing is refused), live
 * parking, chat travels between the pages with one seq, a late joiner gets history, errors are
 * shown localized and a refused text stays in the input, the composer's code-point counter and
 * limit, renaming (cleaned, kept by the server), the access token refreshed before it expires,
 * language switching and the session kept across a reload, a server restart (the new server
 * knows no session: back to sign-in with the reason, then the log is exactly the new history),
 * attribution, and no message type arriving before its handler.
 * Onboarding (a second server): the first admin set up through the form with the setup code, the
 * sample register uploaded, an invite issued and redeemed in another browser, chat and notices in
 * the building, reaching a neighbour by plate, signing out another device, and a revoked
 * resident thrown out of the room and back at sign-in.
 * The server runs with CHAT_MAX_CHARS below the client's built-in 500 so that a server refusal
 * (CHAT_TOO_LONG) can be provoked through the page, and with 30 s access tokens.
 * Builds client/dist first when it is missing or older than the client sources.
 * Leaves /tmp/linli-page.png for humans. No sleeps: every wait is on a selector or a condition.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CommunityLayout } from '../actors/community/layout.ts';
import { directoryErrorSpecs } from '../actors/community/directory-errors.ts';
import { identityErrorSpecs } from '../actors/identity/identity-errors.ts';
import { startCommunityServer, type CommunityServer } from '../engine/community-server.ts';
import { testConfig, type Config } from '../engine/config.ts';
import { accountFor, api, nextPhone, TEST_PASSWORD, type TestAccount } from '../engine/testing/accounts.ts';
import { TestResident } from '../engine/testing/test-server.ts';
import { CHAT_MAX_CHARS } from './src/chat/chat-log.ts';
import { capName, cleanName, MAX_NAME_CHARS } from './src/chat/identity.ts';
import { SESSION_KEY } from './src/auth/session.ts';
import { DIST_DIR, ensureClientBuilt, launch, newPage, PageWatch, REPO_DIR, signIn, WAIT_MS } from './testing/web-kit.ts';

const SAMPLE_REGISTER = join(REPO_DIR, 'fixtures/shikeyuan/units.sample.csv');
const SCREENSHOT = '/tmp/linli-page.png';
/** The access token lifetime in this test (the server's minimum): the page refreshes it ~6 s before it ends. */
const ACCESS_TTL_S = 30;
/** A drawn map has antialiased edges in many colours; an empty Pixi canvas is one flat colour. */
const MIN_DISTINCT_COLOURS = 40;
const MIN_DRAWN_FRACTION = 0.05;
/** The server's chat limit in this test: lower than the client's CHAT_MAX_CHARS on purpose. */
const SERVER_CHAT_MAX_CHARS = 100;
/** --bad in styles.css: the over-limit counter is drawn in it. */
const BAD_RED = 'rgb(214, 69, 65)';
/** 1号楼 of fixtures/shikeyuan: the onboarding resident's building. */
const BUILDING_1 = 'bldg-594889490';

const SERVER_TEXTS: Readonly<Record<string, { readonly 'zh-CN': string; readonly en: string }>> = Object.fromEntries(
  Object.entries({ ...identityErrorSpecs, ...directoryErrorSpecs }).map(([code, spec]) => [code, spec.message]),
);


/**
 * The pages' origin: a TCP relay to whichever server is current. A restart swaps the server behind
 * one origin and cuts every connection, as a dying process would. (In process, the closed server
 * keeps an idle connection of the page's open for a long time, so a new one could not bind its
 * port; a relay needs no waiting for that.)
 */
class Relay {
  target = 0;
  readonly #server = createServer((down) => this.#pipe(down));
  readonly #sockets = new Set<Socket>();

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Drops every connection, both sides. */
  cut(): void {
    for (const s of this.#sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #pipe(down: Socket): void {
    const up = connect(this.target, '127.0.0.1');
    const end = () => {
      down.destroy();
      up.destroy();
      this.#sockets.delete(down);
      this.#sockets.delete(up);
    };
    for (const s of [down, up]) {
      this.#sockets.add(s);
      s.on('error', end);
      s.on('close', end);
    }
    down.pipe(up);
    up.pipe(down);
  }
}

/** Waits until the input holds exactly `value` (state updates land a render later than the DOM change that caused them). */
async function waitForValue(page: Page, selector: string, value: string): Promise<void> {
  await page.waitForFunction(
    ([sel, want]) => (document.querySelector(sel) as HTMLInputElement | null)?.value === want,
    [selector, value] as const,
  );
}

/** The texts and seqs of the chat log, top to bottom. */
async function chatLog(page: Page): Promise<{ text: string; seq: string }[]> {
  return page.$$eval('[data-testid=chat-message]', (els) =>
    els.map((el) => ({ text: el.querySelector('p')?.textContent ?? '', seq: el.getAttribute('data-seq') ?? '' })),
  );
}

/** The page's stored session (auth/session's `linli.session`). */
async function storedSession(page: Page): Promise<{ accessToken: string; refreshToken: string; accessDeadline: number } | null> {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), SESSION_KEY);
}

/** Sends a chat text with Enter and resolves with the seq the room gave it. */
async function sendChat(page: Page, text: string): Promise<string> {
  await page.fill('[data-testid=chat-input]', text);
  await page.press('[data-testid=chat-input]', 'Enter');
  const mine = page.locator('[data-testid=chat-message]', { hasText: text });
  await mine.waitFor();
  const seq = await mine.getAttribute('data-seq');
  assert.ok(seq && Number(seq) > 0, `message has a seq: ${seq}`);
  return seq;
}

interface CanvasStats {
  readonly width: number;
  readonly height: number;
  readonly distinct: number;
  /** Share of pixels that differ from the most common colour (the background). */
  readonly drawn: number;
}

/**
 * Screenshots the map canvas as the user sees it (whatever the renderer, no preserveDrawingBuffer
 * needed) and decodes the PNG with the page's own image decoder to count colours.
 */
async function canvasStats(page: Page): Promise<CanvasStats> {
  const png = await page.locator('[data-testid=map-canvas]').screenshot();
  return page.evaluate(async (b64: string) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    const counts = new Map<number, number>();
    for (let i = 0; i < px.length; i += 4) {
      const rgb = (px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!;
      counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
    }
    const total = px.length / 4;
    const background = Math.max(...counts.values());
    return { width: c.width, height: c.height, distinct: counts.size, drawn: (total - background) / total };
  }, png.toString('base64'));
}

describe('client web: two neighbours in headless Chromium against the real server', () => {
  let config: Config;
  let server: CommunityServer;
  const relay = new Relay();
  let origin: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const watch = new PageWatch();
  let layout: CommunityLayout;
  let buildingId: string;
  let accountA: TestAccount;
  let accountB: TestAccount;
  let a: Page;
  let b: Page;
  let sentSeq: string;
  const serverConfig = (overrides: Partial<Config> = {}) =>
    testConfig({ clientDist: DIST_DIR, chatMaxChars: SERVER_CHAT_MAX_CHARS, accessTokenTtlS: ACCESS_TTL_S, ...overrides });
  /** One owner (unit 101) and one family member (unit 102) of the same building, on the current server. */
  const neighbours = async () => {
    accountA = await accountFor(server, '邻居甲', 'owner', buildingId);
    accountB = await accountFor(server, '邻居乙', 'family', buildingId);
  };

  before(async () => {
    await ensureClientBuilt();
    config = serverConfig();
    server = await startCommunityServer(config);
    relay.target = server.port;
    origin = await relay.listen();
    const res = await fetch(new URL('/api/community', server.url));
    assert.equal(res.status, 200, 'GET /api/community');
    layout = (await res.json()) as CommunityLayout;
    const home = layout.buildings.find((x) => x.residential);
    assert.ok(home, 'the community has a residential building');
    buildingId = home.id;
    await neighbours();

    browser = await launch();
    a = await newPage(browser, contexts, watch, 'A');
    b = await newPage(browser, contexts, watch, 'B');
    await Promise.all([a.goto(origin), b.goto(origin)]);
  });

  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await relay.close();
    await server?.close();
  });

  it('sign-in: no session → the sign-in form; a wrong password → 手机号或密码不正确 (zh-CN), still signed out', async () => {
    for (const page of [a, b]) await page.waitForSelector('[data-testid=auth-form][data-mode=signin]');
    assert.equal(await a.getAttribute('html', 'lang'), 'zh-CN');
    await a.fill('[data-testid=auth-phone]', accountA.phone);
    await a.fill('[data-testid=auth-password]', `${TEST_PASSWORD} but wrong`);
    await a.click('[data-testid=auth-submit]');
    const error = a.locator('[data-testid=auth-error]');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-code'), 'IDENTITY_BAD_CREDENTIALS');
    assert.equal((await error.textContent())?.trim(), '手机号或密码不正确');
    assert.equal(await a.locator('[data-testid=account-name]').count(), 0, 'not signed in');
    assert.equal(await storedSession(a), null, 'nothing stored');
  });

  it('sign-in: both neighbours sign in through the form → the header shows their name and role', async () => {
    await signIn(a, accountA);
    await signIn(b, accountB);
    assert.equal(await a.textContent('[data-testid=account-name]'), '邻居甲');
    assert.equal(await a.textContent('[data-testid=account-roles]'), '业主');
    assert.equal(await b.textContent('[data-testid=account-name]'), '邻居乙');
    assert.equal(await b.textContent('[data-testid=account-roles]'), '家庭成员');
    const stored = await storedSession(a);
    assert.ok(stored?.refreshToken, 'the session is kept in localStorage');
  });

  it('map: the canvas is drawn → many colours, a real share of non-background pixels', async () => {
    for (const page of [a, b]) {
      await page.waitForSelector('[data-testid=map-canvas][data-frames]');
      const stats = await canvasStats(page);
      const renderer = await page.getAttribute('[data-testid=map-canvas]', 'data-renderer');
      assert.ok(stats.width > 100 && stats.height > 100, `canvas has a size: ${JSON.stringify(stats)}`);
      assert.ok(stats.distinct >= MIN_DISTINCT_COLOURS, `canvas (${renderer}) has ${stats.distinct} colours`);
      assert.ok(stats.drawn >= MIN_DRAWN_FRACTION, `canvas (${renderer}) is ${(stats.drawn * 100).toFixed(1)} % drawn`);
    }
  });

  it('parking: one row per lot, and live occupancy arrives from the lot rooms (residents may not enter the guards\' map)', async () => {
    assert.equal(await a.locator('[data-testid=lot-row]').count(), layout.lots.length);
    await a.waitForSelector('[data-testid=lot-row]:not([data-occupied=""])');
  });

  it('rooms: a resident is offered only their own building and the groups', async () => {
    const offered = await a.$$eval('[data-testid=building-select] option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    assert.deepEqual(offered, [buildingId, ...layout.groups.map((g) => g.id)]);
    assert.equal(await a.locator('[data-testid=tab-property]').count(), 0, 'no property panel for a resident');
  });

  it('rooms: a guard → the community map (live lots), one clear "no chat room" line and no dead controls, no reach-a-neighbour tab (nothing refused), no property panel', async () => {
    const guard = await accountFor(server, '门卫老张', 'guard');
    const g = await newPage(browser, contexts, watch, 'G');
    const consoleErrors: string[] = [];
    const refused: string[] = [];
    g.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    g.on('response', (r) => r.status() >= 400 && refused.push(`${r.status()} ${new URL(r.url()).pathname}`));
    await g.goto(origin);
    await signIn(g, guard);
    assert.equal(await g.textContent('[data-testid=account-roles]'), '保安');
    await g.waitForSelector('[data-testid=chat-none]');
    const chat = g.locator('[data-testid=chat-panel]');
    assert.equal(await chat.locator('select, input, button').count(), 0, 'no building select, name field or composer');
    assert.doesNotMatch((await chat.textContent()) ?? '', /在地图上点击/, 'not also told to pick a building');
    await g.waitForSelector('[data-testid=lot-row]:not([data-occupied=""])');
    await g.waitForSelector('[data-testid=connection-status][data-state=connected]');
    assert.deepEqual(await g.$$eval('[data-testid^=tab-]', (tabs) => tabs.map((t) => t.getAttribute('data-testid'))), ['tab-chat', 'tab-desk', 'tab-me']);
    // The desk's own reads have answered by now; the contact reads (had they run) started earlier.
    await g.click('[data-testid=tab-desk]');
    await g.waitForSelector('[data-testid=desk-panel] [data-testid=parking-office][data-loaded=true]');
    assert.deepEqual(refused, [], 'no request refused');
    assert.deepEqual(consoleErrors, [], 'no console errors');
    await g.context().close();
  });

  it('chat: both pick the same building → both connected', async () => {
    for (const page of [a, b]) {
      await page.selectOption('[data-testid=building-select]', buildingId);
      await page.waitForSelector('[data-testid=connection-status][data-state=connected]');
    }
  });

  it('chat: A sends with Enter → B shows the same text under the same seq, by A\'s account name', async () => {
    const text = `你好 neighbour ${Date.now().toString(36)}`;
    sentSeq = await sendChat(a, text);
    const theirs = b.locator(`[data-testid=chat-message][data-seq="${sentSeq}"]`);
    await theirs.waitFor();
    assert.match((await theirs.textContent()) ?? '', new RegExp(text));
    assert.equal((await theirs.locator('.author').textContent())?.trim(), '邻居甲', 'the author is the account, not a declared name');
    await a.waitForSelector('[data-testid=chat-pending]', { state: 'detached' });
    await waitForValue(a, '[data-testid=chat-input]', ''); // cleared once the room confirmed it
  });

  it('i18n: zh-CN by default; the switch → en labels, <html lang="en">, kept after reload with the session', async () => {
    assert.equal(await a.getAttribute('html', 'lang'), 'zh-CN');
    const send = a.locator('[data-testid=chat-send]');
    assert.equal((await send.textContent())?.trim(), '发送');
    await a.click('[data-testid=lang-switch]');
    await a.waitForSelector('html[lang="en"]');
    assert.equal((await send.textContent())?.trim(), 'Send');
    assert.equal(await a.textContent('[data-testid=account-roles]'), 'Owner');
    await a.reload();
    await a.waitForSelector('html[lang="en"]');
    await a.waitForSelector('[data-testid=connection-status][data-state=connected]');
    assert.equal(await a.textContent('[data-testid=account-name]'), '邻居甲', 'still signed in after the reload');
    assert.equal(await a.inputValue('[data-testid=building-select]'), buildingId, 'building choice kept');
  });

  it('chat: a late joiner (A after reload) → the earlier message arrives in welcome history', async () => {
    await a.waitForSelector(`[data-testid=chat-message][data-seq="${sentSeq}"]`);
  });

  it('composer: counter in code points against 500 → red and Send off over the limit, emoji count once', async () => {
    const counter = a.locator('[data-testid=chat-counter]');
    const send = a.locator('[data-testid=chat-send]');
    await a.fill('[data-testid=chat-input]', 'x'.repeat(CHAT_MAX_CHARS));
    assert.equal((await counter.textContent())?.trim(), `${CHAT_MAX_CHARS}/${CHAT_MAX_CHARS}`);
    assert.equal(await counter.getAttribute('data-over'), 'false');
    assert.equal(await send.isEnabled(), true);
    const plain = await counter.evaluate((el) => getComputedStyle(el).color);
    assert.notEqual(plain, BAD_RED);

    await a.fill('[data-testid=chat-input]', 'x'.repeat(CHAT_MAX_CHARS + 1));
    await a.waitForSelector('[data-testid=chat-counter][data-over=true]');
    assert.equal((await counter.textContent())?.trim(), `${CHAT_MAX_CHARS + 1}/${CHAT_MAX_CHARS}`);
    assert.equal(await counter.evaluate((el) => getComputedStyle(el).color), BAD_RED, 'the counter turns red');
    assert.equal(await send.isEnabled(), false, 'Send is off over the limit');
    await a.press('[data-testid=chat-input]', 'Enter');
    assert.equal(await a.locator('[data-testid=chat-pending]').count(), 0, 'Enter sends nothing over the limit');
    assert.equal(await a.inputValue('[data-testid=chat-input]'), 'x'.repeat(CHAT_MAX_CHARS + 1), 'the text stays');

    await a.fill('[data-testid=chat-input]', '😀'.repeat(CHAT_MAX_CHARS)); // 1000 UTF-16 units
    await a.waitForSelector('[data-testid=chat-counter][data-over=false]');
    assert.equal((await counter.textContent())?.trim(), `${CHAT_MAX_CHARS}/${CHAT_MAX_CHARS}`);
    assert.equal(await send.isEnabled(), true);
    await a.fill('[data-testid=chat-input]', '');
  });

  it('chat: the server refuses (CHAT_TOO_LONG) → error in the page language, the text stays in the input, nothing posted', async () => {
    const before = await a.locator('[data-testid=chat-message]').count();
    const text = `refused ${'y'.repeat(SERVER_CHAT_MAX_CHARS)}`; // over the server's limit, under the client's
    await a.fill('[data-testid=chat-input]', text);
    await a.click('[data-testid=chat-send]');
    const error = a.locator('[data-testid=chat-error]');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-code'), 'CHAT_TOO_LONG');
    assert.match((await error.textContent()) ?? '', /[A-Za-z]{3}/, 'shown in English after the switch');
    await a.waitForSelector('[data-testid=chat-pending]', { state: 'detached' });
    await a.waitForSelector('[data-testid=chat-send]:not([disabled])'); // no longer in flight
    assert.equal(await a.inputValue('[data-testid=chat-input]'), text, 'the refused text is still there to edit');
    assert.equal(await a.locator('[data-testid=chat-message]').count(), before);
    await a.click('[data-testid=chat-error] button');
    await a.fill('[data-testid=chat-input]', '');
  });

  it(`name: controls and bidi overrides stripped, capped at ${MAX_NAME_CHARS} code points while typing → the account is renamed and the room uses it`, async () => {
    const raw = `  \u202eevil\u2066 名字\u0007\u200f${'邻'.repeat(40)}  `;
    await a.fill('[data-testid=name-input]', raw);
    const typed = await a.inputValue('[data-testid=name-input]');
    assert.equal(typed, capName(raw));
    assert.ok([...typed].length <= MAX_NAME_CHARS, `capped in the input: ${[...typed].length}`);
    assert.doesNotMatch(typed, /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    await a.press('[data-testid=name-input]', 'Enter');
    const clean = cleanName(typed); // what the field commits: trimmed, whitespace folded
    assert.equal(clean, `evil 名字${'邻'.repeat(MAX_NAME_CHARS - 9)}`, 'the two leading spaces counted while typing');
    await waitForValue(a, '[data-testid=name-input]', clean);
    await a.waitForFunction((want) => document.querySelector('[data-testid=account-name]')?.textContent === want, clean);
    // The re-join's welcome echoes the name the server admitted the new session with.
    await a.waitForFunction(
      (want) => {
        const panel = document.querySelector<HTMLElement>('[data-testid=chat-panel]');
        return panel?.dataset.status === 'connected' && panel.dataset.youName === want;
      },
      clean,
    );
    const text = `renamed ${Date.now().toString(36)}`;
    const seq = await sendChat(a, text);
    assert.equal((await b.locator(`[data-testid=chat-message][data-seq="${seq}"] .author`).textContent())?.trim(), clean, 'B sees the new name');
  });

  it(`session: the ${ACCESS_TTL_S} s access token is refreshed before it ends → rotated tokens stored, the rooms stay connected`, async () => {
    const first = await storedSession(b);
    assert.ok(first);
    const refreshedAt = await b.waitForFunction(
      ([key, old]) => {
        const s = JSON.parse(localStorage.getItem(key) ?? 'null') as { accessToken?: string } | null;
        return s && s.accessToken !== old ? Date.now() : false;
      },
      [SESSION_KEY, first.accessToken] as const,
      { timeout: (ACCESS_TTL_S + 10) * 1000 },
    );
    assert.ok(Number(await refreshedAt.jsonValue()) < first.accessDeadline, 'refreshed before the old token ended');
    const second = await storedSession(b);
    assert.notEqual(second?.refreshToken, first.refreshToken, 'the refresh token rotated');
    assert.equal(await b.getAttribute('[data-testid=chat-panel]', 'data-status'), 'connected', 'no re-join needed');
    const text = `after refresh ${Date.now().toString(36)}`;
    const seq = await sendChat(b, text);
    await a.waitForSelector(`[data-testid=chat-message][data-seq="${seq}"]`);
  });

  it('server restart on the same data → the pages come back by themselves with their sessions; a message sent while it was down goes out once when it is back; numbering goes on', async () => {
    const old = await chatLog(a);
    assert.ok(old.length > 0, 'messages from before the restart');
    await server.close();
    relay.cut();
    // Offline (not just resuming): a send is kept pending (the text stays in the input), not refused.
    await a.waitForSelector('[data-testid=chat-panel][data-status=offline]');
    const text = `after the restart ${Date.now().toString(36)}`;
    await a.fill('[data-testid=chat-input]', text);
    await a.press('[data-testid=chat-input]', 'Enter');
    await a.waitForSelector('[data-testid=chat-send][disabled]');
    assert.equal(await a.locator('[data-testid=not-connected]').count(), 0, 'not refused while the link is on its way back');
    assert.equal(await a.inputValue('[data-testid=chat-input]'), text);
    // Down for longer than the page waits for an answer once connected (15 s): the wait does not run out offline.
    await new Promise((r) => setTimeout(r, 16_000));
    assert.equal(await a.inputValue('[data-testid=chat-input]'), text, 'still pending, not reported lost');

    // The same data directory: journal, accounts, sessions and the token key survive.
    server = await startCommunityServer({ ...config, port: 0 });
    relay.target = server.port;
    for (const page of [a, b]) await page.waitForSelector('[data-testid=chat-panel][data-status=connected]', { timeout: 60_000 });
    assert.equal(await a.locator('[data-testid=auth-form]').count(), 0, 'still signed in');
    assert.equal(await a.inputValue('[data-testid=building-select]'), buildingId, 'the building choice survived');
    await a.waitForFunction((n) => document.querySelectorAll('[data-testid=chat-message]').length >= n, old.length);
    const mine = a.locator('[data-testid=chat-message]', { hasText: text });
    await mine.waitFor();
    const seq = await mine.getAttribute('data-seq');
    assert.equal(Number(seq), Number(old[old.length - 1]!.seq) + 1, 'numbering goes on after the restart');
    assert.deepEqual((await chatLog(a)).slice(0, old.length), old, 'the log after the restart is the log before it');
    await b.waitForSelector(`[data-testid=chat-message][data-seq="${seq}"]`);
    await a.waitForFunction(() => (document.querySelector('[data-testid=chat-input]') as HTMLInputElement).value === '');
    assert.equal((await chatLog(b)).filter((m) => m.text === text).length, 1, 'sent once');
  });

  it('history: more messages than a room sends on joining → 加载更早的消息 brings the older ones from the journal, in order', async () => {
    const fresh = await api(server, '/api/auth/signin', { phone: accountA.phone, password: accountA.password }); // access tokens here live 30 s
    const sender = await TestResident.join(server, buildingId, { token: fresh.json.accessToken });
    await sender.waitFor('welcome');
    const before = (await chatLog(b)).length;
    for (let i = 0; i < 60; i++) {
      sender.send('chat', { text: `历史消息 ${i}`, key: `history-${i}` });
      if (i % 15 === 14) await sender.waitCount('ack', i + 1); // stay under the per-client rate limit
      if (i % 15 === 14) await new Promise((r) => setTimeout(r, 1000));
    }
    await sender.waitCount('ack', 60);
    await sender.leave();
    await b.reload();
    await b.waitForSelector('[data-testid=chat-panel][data-status=connected]');
    await b.waitForFunction(() => document.querySelectorAll('[data-testid=chat-message]').length >= 50);
    const shown = await chatLog(b);
    assert.equal(shown.length, 50, 'a join carries the last 50');
    const earlier = b.locator('[data-testid=chat-earlier]');
    await earlier.click();
    const total = before + 60;
    await b.waitForFunction((n) => document.querySelectorAll('[data-testid=chat-message]').length >= Math.min(n, 100), total);
    const all = await chatLog(b);
    assert.ok(all.length > 50, `older messages were added (${all.length})`);
    assert.deepEqual(all.map((m) => Number(m.seq)), [...all.map((m) => Number(m.seq))].sort((x, y) => x - y), 'in the room\'s order');
    assert.equal(Number(all[all.length - 1]!.seq) - Number(all[0]!.seq) + 1, all.length, 'no gaps');
  });

  it('footer: data attribution in both languages', async () => {
    const en = (await a.textContent('[data-testid=attribution]')) ?? '';
    assert.match(en, /© OpenStreetMap contributors \(ODbL\)/);
    assert.match(en, /Parking occupancy: Parking Birmingham, UCI ML Repository, CC BY 4\.0 — replayed and scaled/);
    const zh = (await b.textContent('[data-testid=attribution]')) ?? '';
    assert.match(zh, /© OpenStreetMap contributors \(ODbL\)/);
    assert.match(zh, /Parking Birmingham.*CC BY 4\.0/);
    assert.equal(layout.attribution, '© OpenStreetMap contributors');
  });

  it('page: no uncaught errors; screenshot saved', async () => {
    await a.waitForSelector('[data-testid=map-canvas][data-frames]');
    await a.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.deepEqual(watch.errors, []);
    assert.deepEqual(watch.unhandledTypes, [], 'every message type had its handler before it arrived');
  });
});

describe('client web: a community onboarded through the page (setup, register, invite, revoke)', () => {
  let server: CommunityServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const watch = new PageWatch();
  let admin: Page;
  let resident: Page;
  let inviteCode: string;
  let residentId: string;
  const residentLogin = { phone: '', password: 'lin li 2024!' };

  before(async () => {
    await ensureClientBuilt();
    server = await startCommunityServer(testConfig({ clientDist: DIST_DIR }));
    browser = await launch();
    admin = await newPage(browser, contexts, watch, 'admin');
    resident = await newPage(browser, contexts, watch, 'resident');
    await admin.goto(server.url);
  });

  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('setup: the first admin via 设置管理员 with the setup code → signed in as 物业管理员; the code is spent', async () => {
    const code = server.identity.setupCode;
    assert.ok(code, 'a fresh server prints a setup code');
    await admin.click('[data-testid=auth-tab-setup]');
    await admin.fill('[data-testid=auth-code]', code.toLowerCase()); // typed as people type it
    await admin.fill('[data-testid=auth-phone]', nextPhone(server));
    await admin.fill('[data-testid=auth-name]', '物业王经理');
    await admin.fill('[data-testid=auth-password]', TEST_PASSWORD);
    await admin.click('[data-testid=auth-submit]');
    await admin.waitForSelector('[data-testid=account-name]');
    assert.equal(await admin.textContent('[data-testid=account-name]'), '物业王经理');
    assert.equal(await admin.textContent('[data-testid=account-roles]'), '物业管理员');
    assert.equal(server.identity.setupCode, null, 'the setup code is spent');
    // Staff see every building and the map.
    await admin.waitForSelector('[data-testid=connection-status][data-state=connected]');
    const offered = await admin.$$eval('[data-testid=building-select] option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    assert.equal(offered.length, server.community.buildings.filter((x) => x.residential).length + server.community.groups.length);
  });

  it('property: a register with errors → nothing imported, the bad lines listed; the sample register via the file input → all imported', async () => {
    await admin.click('[data-testid=tab-property]');
    await admin.setInputFiles('[data-testid=register-file]', {
      name: 'bad.csv', mimeType: 'text/csv',
      buffer: Buffer.from('building_id,entrance,floor,room,area_m2,owner_of_record\nbldg-594889490,1,one,101,68.5,\n'),
    });
    await admin.click('[data-testid=register-upload]');
    await admin.waitForSelector('[data-testid=register-errors] li');
    assert.match((await admin.textContent('[data-testid=register-errors]')) ?? '', /第 2 行（floor）/);
    assert.equal(await admin.getAttribute('[data-testid=register-error]', 'data-code'), 'DIRECTORY_REGISTER_REJECTED');

    const rows = readFileSync(SAMPLE_REGISTER, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).length - 1;
    await admin.setInputFiles('[data-testid=register-file]', SAMPLE_REGISTER);
    await admin.click('[data-testid=register-upload]');
    const result = admin.locator('[data-testid=register-result]');
    await result.waitFor();
    assert.equal((await result.textContent())?.trim(), `共 ${rows} 行：新导入 ${rows} 套，已存在 0 套。`);
    assert.equal(await admin.locator('[data-testid=register-errors]').count(), 0);
  });

  it('property: an owner invite for 1号楼 1单元 101 (building → unit → role) → a code to hand over', async () => {
    await admin.selectOption('[data-testid=invite-building]', BUILDING_1);
    await admin.waitForSelector(`[data-testid=invite-unit] option[value="${BUILDING_1}-1-101"]`, { state: 'attached' });
    await admin.selectOption('[data-testid=invite-unit]', `${BUILDING_1}-1-101`);
    await admin.selectOption('[data-testid=invite-role]', 'tenant');
    assert.equal(await admin.isEnabled('[data-testid=invite-issue]'), false, 'a tenant needs the end of the tenancy');
    await admin.selectOption('[data-testid=invite-role]', 'owner');
    await admin.click('[data-testid=invite-issue]');
    const code = admin.locator('[data-testid=invite-code]');
    await code.waitFor();
    inviteCode = ((await code.textContent()) ?? '').trim();
    assert.match(inviteCode, /^[0-9A-Z]{5}-[0-9A-Z]+$/);
    assert.match((await admin.textContent('.invite-result')) ?? '', /业主，1号楼 1单元 101/);
  });

  it('sign-up: a second browser redeems the code via 邀请码注册 → lands in 1号楼\'s chat and posts; the admin sees it under the same seq', async () => {
    await resident.goto(server.url);
    await resident.click('[data-testid=auth-tab-signup]');
    residentLogin.phone = nextPhone(server);
    await resident.fill('[data-testid=auth-code]', inviteCode);
    await resident.fill('[data-testid=auth-phone]', residentLogin.phone);
    await resident.fill('[data-testid=auth-name]', '李四');
    await resident.fill('[data-testid=auth-password]', residentLogin.password);
    await resident.click('[data-testid=auth-submit]');
    await resident.waitForSelector('[data-testid=account-name]');
    residentId = (await resident.getAttribute('[data-testid=account]', 'data-account-id')) ?? '';
    assert.equal(await resident.textContent('[data-testid=account-name]'), '李四');
    assert.equal(await resident.textContent('[data-testid=account-roles]'), '业主');
    await resident.waitForSelector('[data-testid=chat-panel][data-status=connected]');
    assert.equal(await resident.inputValue('[data-testid=building-select]'), BUILDING_1, 'the home building is opened');

    const text = `大家好，我是 101 的李四 ${Date.now().toString(36)}`;
    const seq = await sendChat(resident, text);
    await admin.click('[data-testid=tab-chat]');
    await admin.selectOption('[data-testid=building-select]', BUILDING_1);
    const seen = admin.locator(`[data-testid=chat-message][data-seq="${seq}"]`);
    await seen.waitFor();
    assert.match((await seen.textContent()) ?? '', /李四/);
  });

  it('notice: the admin posts from the building room → the resident sees it; the resident has no notice form', async () => {
    assert.equal(await resident.locator('[data-testid=notice-form]').count(), 0);
    await admin.fill('[data-testid=notice-title]', '停水通知');
    await admin.fill('[data-testid=notice-body]', '明天 9:00–12:00 1号楼停水检修。');
    await admin.selectOption('[data-testid=notice-category]', 'repair');
    await admin.click('[data-testid=notice-send]');
    await admin.waitForSelector('[data-testid=notice-posted]');
    const notice = resident.locator('[data-testid=notice]', { hasText: '停水通知' });
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? '', /1号楼停水检修/);
    assert.equal(await notice.getAttribute('data-category'), 'repair');
    assert.match((await notice.textContent()) ?? '', /维修/);
  });

  it('contact: the resident registers a plate; the admin asks its owner → the resident\'s inbox shows it live; the answer reaches the admin live', async () => {
    await resident.click('[data-testid=tab-contact]');
    await resident.fill('[data-testid=plate-input]', '京a·12345');
    await resident.click('[data-testid=plate-add]');
    await resident.waitForSelector('[data-testid=plate-row][data-plate="京A12345"]');
    // A plate is a claim until the property office confirms it (having seen the car's registration).
    const office = (await storedSession(admin))!.accessToken;
    const confirmed = await fetch(`${server.url}/api/contact/plates/review`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${office}` },
      body: JSON.stringify({ plate: '京A12345', accountId: residentId, decision: 'confirm' }),
    });
    assert.equal(confirmed.status, 200, await confirmed.text());

    await admin.click('[data-testid=tab-contact]');
    await admin.fill('[data-testid=ask-plate]', '京A 12345');
    await admin.fill('[data-testid=ask-text]', '您的车挡住了消防通道，请挪车。');
    await admin.click('[data-testid=ask-send]');
    await admin.waitForSelector('[data-testid=ask-sent]');
    await admin.waitForSelector('[data-testid=outbox-entry][data-answers="0"]');

    const entry = resident.locator('[data-testid=inbox-entry]', { hasText: '消防通道' });
    await entry.waitFor(); // pushed through the resident's open rooms, no reload
    assert.match((await entry.textContent()) ?? '', /物业王经理/);
    assert.match((await entry.textContent()) ?? '', /车牌 京A12345/);
    await entry.locator('[data-testid=answer-text]').fill('马上来挪，抱歉！');
    await entry.locator('[data-testid=answer-send]').click();
    await resident.waitForSelector('[data-testid=inbox-entry][data-answered=true]');

    const answer = admin.locator('[data-testid=outbox-answer]');
    await answer.waitFor();
    assert.match((await answer.textContent()) ?? '', /李四：马上来挪，抱歉！/);
  });

  it('sessions: the resident\'s Me panel lists this device and another sign-in; signing the other out ends it', async () => {
    const other = await api(server, '/api/auth/signin', residentLogin);
    assert.equal(other.status, 200);
    await resident.click('[data-testid=tab-me]');
    await resident.waitForSelector('[data-testid=sessions-list][data-count="2"]');
    assert.equal(await resident.locator('[data-testid=session-row][data-current=true]').count(), 1);
    assert.equal(await resident.textContent('[data-testid=me-phone]'), `${residentLogin.phone.slice(0, 3)}****${residentLogin.phone.slice(7)}`);
    await resident.click('[data-testid=session-row][data-current=false] [data-testid=session-revoke]');
    await resident.waitForSelector('[data-testid=sessions-list][data-count="1"]');
    const refused = await api(server, '/api/auth/refresh', { refreshToken: other.json.refreshToken });
    assert.equal(refused.status, 401, 'the other device is signed out');
    await resident.click('[data-testid=tab-chat]');
    await resident.waitForSelector('[data-testid=chat-panel][data-status=connected]');
  });

  it('revoke: the admin revokes the resident in the accounts list → the resident is thrown out of the room and shown why (zh-CN)', async () => {
    await admin.click('[data-testid=tab-property]');
    await admin.click('[data-testid=accounts-reload]');
    const row = admin.locator(`[data-testid=account-row][data-account-id="${residentId}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /李四/);
    await row.locator('[data-testid=account-revoke]').click();
    await row.locator('[data-testid=account-revoke-confirm]').click();
    await admin.waitForSelector(`[data-testid=account-row][data-account-id="${residentId}"][data-revoked=true]`);

    const reason = resident.locator('[data-testid=auth-reason]');
    await reason.waitFor();
    const code = (await reason.getAttribute('data-code')) ?? '';
    assert.ok(['IDENTITY_SESSION_REVOKED', 'DIRECTORY_ACCOUNT_REVOKED', 'IDENTITY_ACCOUNT_REVOKED'].includes(code), `why: ${code}`);
    assert.equal((await reason.textContent())?.trim(), SERVER_TEXTS[code]!['zh-CN']);
    assert.equal(await resident.locator('[data-testid=chat-panel]').count(), 0, 'out of the room');
    assert.equal(await storedSession(resident), null);

    // Signing in again is refused too, with the server's words.
    await resident.fill('[data-testid=auth-phone]', residentLogin.phone);
    await resident.fill('[data-testid=auth-password]', residentLogin.password);
    await resident.click('[data-testid=auth-submit]');
    const error = resident.locator('[data-testid=auth-error]');
    await error.waitFor();
    const refusal = (await error.getAttribute('data-code')) ?? '';
    assert.equal((await error.textContent())?.trim(), SERVER_TEXTS[refusal]?.['zh-CN']);
  });

  it('page: no uncaught errors, every message type handled', async () => {
    assert.deepEqual(watch.errors, []);
    assert.deepEqual(watch.unhandledTypes, []);
  });
});

