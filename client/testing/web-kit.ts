/**
 * @module client/testing/web-kit
 * What the Chromium tests share: building client/dist when it is stale, launching Debian's
 * Chromium headless (no GPU, no background network), one browser context per person, signing in
 * through the form as a person would, and watching pages for uncaught errors and messages that
 * arrived before their handler. Test-only; nothing in client/src imports it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CLIENT_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO_DIR = dirname(CLIENT_DIR);
export const DIST_DIR = join(CLIENT_DIR, 'dist');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const WAIT_MS = 20_000;
export const UNHANDLED_TYPE = /onMessage\(\) not registered/;

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return path.endsWith('.test.ts') ? 0 : st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Runs `vite build client` when dist is missing or older than any client source. */
export async function ensureClientBuilt(): Promise<void> {
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

/** Page errors and "message before its handler" warnings of every page a suite opens. */
export class PageWatch {
  readonly errors: string[] = [];
  readonly unhandledTypes: string[] = [];

  watch(name: string, page: Page): Page {
    page.on('pageerror', (e) => this.errors.push(`${name}: ${e.message}`));
    // The SDK drops a message whose type has no handler yet, and says so on the console.
    page.on('console', (m) => {
      if (UNHANDLED_TYPE.test(m.text())) this.unhandledTypes.push(`${name}: ${m.text()}`);
    });
    return page;
  }
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function newPage(browser: Browser, contexts: BrowserContext[], watch: PageWatch, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(WAIT_MS);
  contexts.push(context);
  return watch.watch(name, await context.newPage());
}

/** Signs in through the form, as a person would; resolves once the header names the account. */
export async function signIn(page: Page, who: { readonly phone: string; readonly password: string }): Promise<void> {
  await page.click('[data-testid=auth-tab-signin]');
  await page.fill('[data-testid=auth-phone]', who.phone);
  await page.fill('[data-testid=auth-password]', who.password);
  await page.click('[data-testid=auth-submit]');
  await page.waitForSelector('[data-testid=account-name]');
}

