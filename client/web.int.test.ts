/**
 * @module client/web.int.test
 * End to end in a real browser: the real server in-process (port 0, temp data dir, fast replay),
 * the built web client, and headless Chromium (no GPU) with two pages as two neighbours.
 * Checks: the map canvas really has a drawing, chat travels between the pages with one seq,
 * a late joiner gets history, errors are shown localized and a refused text stays in the input,
 * the composer's code-point counter and limit, name cleaning, a server restart (the log becomes
 * the new history; the offline warning clears), language switching and persistence, attribution,
 * live parking, and no message type arriving before its handler.
 * The server runs with CHAT_MAX_CHARS below the client's built-in 500 so that a server refusal
 * (CHAT_TOO_LONG) can be provoked through the page.
 * Builds client/dist first when it is missing or older than the client sources.
 * Leaves /tmp/linli-page.png for humans. No sleeps: every wait is on a selector or a condition.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { CommunityLayout } from '../actors/community/layout.ts';
import { startCommunityServer } from '../engine/community-server.ts';
import { testConfig, type Config } from '../engine/config.ts';
import { CHAT_MAX_CHARS } from './src/chat/chat-log.ts';
import { capName, cleanName } from './src/chat/identity.ts';

const CLIENT_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_DIR = dirname(CLIENT_DIR);
const DIST_DIR = join(CLIENT_DIR, 'dist');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SCREENSHOT = '/tmp/linli-page.png';
const WAIT_MS = 20_000;
/** A drawn map has antialiased edges in many colours; an empty Pixi canvas is one flat colour. */
const MIN_DISTINCT_COLOURS = 40;
const MIN_DRAWN_FRACTION = 0.05;
/** The server's chat limit in this test: lower than the client's CHAT_MAX_CHARS on purpose. */
const SERVER_CHAT_MAX_CHARS = 100;
/** --bad in styles.css: the over-limit counter is drawn in it. */
const BAD_RED = 'rgb(214, 69, 65)';
const UNHANDLED_TYPE = /onMessage\(\) not registered/;

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return path.endsWith('.test.ts') ? 0 : st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Runs `vite build client` when dist is missing or older than any client source. */
async function ensureClientBuilt(): Promise<void> {
  const index = join(DIST_DIR, 'index.html');
  const sources = Math.max(
    newestMtime(join(CLIENT_DIR, 'src')),
    newestMtime(join(CLIENT_DIR, 'index.html')),
    newestMtime(join(CLIENT_DIR, 'vite.config.ts')),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const child = spawn('npx', ['vite', 'build', 'client'], { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  assert.equal(code, 0, `vite build client failed:\n${output}`);
}

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
  let server: Awaited<ReturnType<typeof startCommunityServer>>;
  const relay = new Relay();
  let origin: string;
  let context: BrowserContext;
  let profileDir: string;
  let layout: CommunityLayout;
  let buildingId: string;
  let a: Page;
  let b: Page;
  let sentSeq: string;
  const pageErrors: string[] = [];
  const unhandledTypes: string[] = [];
  const serverConfig = (overrides: Partial<Config> = {}) =>
    testConfig({ clientDist: DIST_DIR, chatMaxChars: SERVER_CHAT_MAX_CHARS, ...overrides });

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

    profileDir = mkdtempSync(join(tmpdir(), 'linli-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
    context.setDefaultTimeout(WAIT_MS);
    a = context.pages()[0] ?? (await context.newPage());
    b = await context.newPage();
    for (const [name, page] of [['A', a], ['B', b]] as const) {
      page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
      // The SDK drops a message whose type has no handler yet, and says so on the console.
      page.on('console', (m) => {
        if (UNHANDLED_TYPE.test(m.text())) unhandledTypes.push(`${name}: ${m.text()}`);
      });
    }
    await Promise.all([a.goto(origin), b.goto(origin)]);
  });

  after(async () => {
    await context?.close();
    await relay.close();
    await server?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
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

  it('parking: one row per lot, and live occupancy arrives from the map room', async () => {
    assert.equal(await a.locator('[data-testid=lot-row]').count(), layout.lots.length);
    await a.waitForSelector('[data-testid=lot-row]:not([data-occupied=""])');
  });

  it('chat: both pick the same building → both connected', async () => {
    for (const page of [a, b]) {
      await page.selectOption('[data-testid=building-select]', buildingId);
      await page.waitForSelector('[data-testid=connection-status][data-state=connected]');
    }
  });

  it('chat: A sends with Enter → B shows the same text under the same seq', async () => {
    const text = `你好 neighbour ${Date.now().toString(36)}`;
    await a.fill('[data-testid=chat-input]', text);
    await a.press('[data-testid=chat-input]', 'Enter');
    const mine = a.locator('[data-testid=chat-message]', { hasText: text });
    await mine.waitFor();
    const seq = await mine.getAttribute('data-seq');
    assert.ok(seq && Number(seq) > 0, `message has a seq: ${seq}`);
    sentSeq = seq;
    const theirs = b.locator(`[data-testid=chat-message][data-seq="${seq}"]`);
    await theirs.waitFor();
    assert.match((await theirs.textContent()) ?? '', new RegExp(text));
    await a.waitForSelector('[data-testid=chat-pending]', { state: 'detached' });
    await waitForValue(a, '[data-testid=chat-input]', ''); // cleared once the room confirmed it
  });

  it('i18n: zh-CN by default; the switch → en labels, <html lang="en">, kept after reload', async () => {
    assert.equal(await a.getAttribute('html', 'lang'), 'zh-CN');
    const send = a.locator('[data-testid=chat-send]');
    assert.equal((await send.textContent())?.trim(), '发送');
    await a.click('[data-testid=lang-switch]');
    await a.waitForSelector('html[lang="en"]');
    assert.equal((await send.textContent())?.trim(), 'Send');
    await a.reload();
    await a.waitForSelector('html[lang="en"]');
    await a.waitForSelector('[data-testid=connection-status][data-state=connected]');
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

  it('name: controls and bidi overrides stripped, capped at 32 code points while typing → the server keeps it', async () => {
    const raw = `  \u202eevil\u2066 名字\u0007\u200f${'邻'.repeat(40)}  `;
    await a.fill('[data-testid=name-input]', raw);
    const typed = await a.inputValue('[data-testid=name-input]');
    assert.equal(typed, capName(raw));
    assert.ok([...typed].length <= 32, `capped in the input: ${[...typed].length}`);
    assert.doesNotMatch(typed, /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    await a.press('[data-testid=name-input]', 'Enter');
    const clean = cleanName(typed); // what the field commits: trimmed, whitespace folded
    assert.equal(clean, `evil 名字${'邻'.repeat(32 - 9)}`, 'the two leading spaces counted while typing');
    await waitForValue(a, '[data-testid=name-input]', clean);
    // The re-join's welcome echoes the name the server kept (it would substitute 邻居xxxx otherwise).
    await a.waitForFunction(
      (want) => {
        const panel = document.querySelector<HTMLElement>('[data-testid=chat-panel]');
        return panel?.dataset.status === 'connected' && panel.dataset.youName === want;
      },
      clean,
    );
  });

  it('server restart: the log becomes the new history (seqs from 1, nothing old), the offline warning clears', async () => {
    const old = await chatLog(a);
    assert.ok(old.length > 0, 'messages from before the restart');
    await server.close();
    relay.cut();
    // Offline (not just resuming): a send is refused, the warning shows, and the text stays.
    await a.waitForSelector('[data-testid=chat-panel][data-status=offline]');
    const text = `after the restart ${Date.now().toString(36)}`;
    await a.fill('[data-testid=chat-input]', text);
    await a.press('[data-testid=chat-input]', 'Enter');
    await a.waitForSelector('[data-testid=not-connected]');
    assert.equal(await a.inputValue('[data-testid=chat-input]'), text);

    config = serverConfig();
    server = await startCommunityServer(config);
    relay.target = server.port;
    await a.waitForSelector('[data-testid=chat-panel][data-status=connected]');
    await a.waitForSelector('[data-testid=not-connected]', { state: 'detached' });
    // The new server remembers nothing: the welcome's empty history empties both logs.
    for (const page of [a, b]) await page.waitForSelector('[data-testid=chat-message]', { state: 'detached' });

    await a.press('[data-testid=chat-input]', 'Enter');
    for (const page of [a, b]) {
      await page.waitForSelector('[data-testid=chat-message][data-seq="1"]');
      assert.deepEqual(await chatLog(page), [{ text, seq: '1' }], 'exactly the new message, under the new seq 1');
    }
    await waitForValue(a, '[data-testid=chat-input]', '');
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
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(unhandledTypes, [], 'every message type had its handler before it arrived');
  });
});
