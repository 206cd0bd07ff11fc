/**
 * @module client/web.int.test
 * End to end in a real browser: the real server in-process (port 0, temp data dir, fast replay),
 * the built web client, and headless Chromium (no GPU) with two pages as two neighbours.
 * Checks: the map canvas really has a drawing, chat travels between the pages with one seq,
 * a late joiner gets history, errors are shown localized, language switching and persistence,
 * attribution, live parking.
 * Builds client/dist first when it is missing or older than the client sources.
 * Leaves /tmp/linli-page.png for humans. No sleeps: every wait is on a selector or a condition.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { CommunityLayout } from '../actors/community/layout.ts';
import { startCommunityServer } from '../engine/community-server.ts';
import { testConfig, type Config } from '../engine/config.ts';

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
  let context: BrowserContext;
  let profileDir: string;
  let layout: CommunityLayout;
  let buildingId: string;
  let a: Page;
  let b: Page;
  let sentSeq: string;
  const pageErrors: string[] = [];

  before(async () => {
    await ensureClientBuilt();
    config = testConfig({ clientDist: DIST_DIR });
    server = await startCommunityServer(config);
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
    }
    await Promise.all([a.goto(server.url), b.goto(server.url)]);
  });

  after(async () => {
    await context?.close();
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
    assert.equal(await a.inputValue('[data-testid=chat-input]'), '', 'input cleared after send');
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

  it('chat: a message over the length limit → an error in the page language, nothing posted', async () => {
    const before = await a.locator('[data-testid=chat-message]').count();
    await a.fill('[data-testid=chat-input]', 'x'.repeat(config.chatMaxChars + 1));
    await a.click('[data-testid=chat-send]');
    const error = a.locator('[data-testid=chat-error]');
    await error.waitFor();
    assert.ok(await error.getAttribute('data-code'), 'the error carries its code');
    assert.match((await error.textContent()) ?? '', /[A-Za-z]{3}/, 'shown in English after the switch');
    await a.waitForSelector('[data-testid=chat-pending]', { state: 'detached' });
    assert.equal(await a.locator('[data-testid=chat-message]').count(), before);
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
  });
});
