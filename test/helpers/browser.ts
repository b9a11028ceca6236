import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { createE2E, type E2E } from './e2e-app.js';

/** Debian's Chromium (installed by .ci/run); Playwright never downloads a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless Chromium with the flags this closed network needs (no background traffic). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install chromium (the CI script does)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Playwright's 30 s per action bounds the machine's speed on a loaded 2-core CI machine; these
  // limits are for a hang, so every page's actions get the browser tests' 90 s.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(BROWSER_ACTION_TIMEOUT_MS);
    return context;
  };
  return browser;
}

/** How long a page action (click, fill, wait) may take before the test fails, in ms. */
export const BROWSER_ACTION_TIMEOUT_MS = 90_000;

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The page's serious and critical axe-core violations as it is now (the bar the issues set), one line each. */
export async function axeSerious(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const r = await axe.run();
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** The page's width beyond its viewport (0: no sideways scroll), in CSS px. */
export async function sidewaysScroll(page: Page): Promise<number> {
  const width = page.viewportSize()?.width ?? 0;
  const scroll = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
  return Math.max(0, scroll - width);
}

/**
 * Signs a web page slot in with `code` and waits for the workspace (the inbox's tabs). The first
 * sign-in right after the bot starts may wait on a loaded machine, so the wait is at least the
 * page actions' bound; if the page shows an error instead, the test fails with its text.
 */
export async function signInWorkspace(page: Page, base: string, slot: number, code: string, wait: { timeout: number }): Promise<void> {
  await page.goto(`${base}/web/u/${slot}/?code=${code}`);
  await page.locator('#sign-in button[type="submit"]').click();
  const timeout = Math.max(wait.timeout, BROWSER_ACTION_TIMEOUT_MS);
  const shown = await Promise.race([
    page.locator('nav.views').waitFor({ timeout }).then(() => 'workspace' as const),
    page.locator('#error').waitFor({ state: 'visible', timeout }).then(() => 'error' as const, () => new Promise<never>(() => undefined)),
  ]);
  if (shown === 'error') throw new Error(`sign-in with ${code} showed an error: ${await page.locator('#error').textContent()}`);
}

/**
 * Starts the bot (as `npm start` builds it) and a Chromium before a describe block's tests, hands
 * both to `use`, and closes them after; `outDir` (screenshots) is created first.
 */
export function withBotInChromium(outDir: string, use: (started: { e: E2E; browser: Browser }) => void): void {
  let started: { e?: E2E; browser?: Browser } = {};
  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    const e = await createE2E();
    started = { e };
    const browser = await launchChromium();
    started = { e, browser };
    use({ e, browser });
  });
  afterAll(async () => {
    await started.browser?.close();
    await started.e?.close();
  });
}

/** The chat's newest bot message containing `text`. */
export const botMessage = (page: Page, text: string) => page.locator('li.msg-bot', { hasText: text }).last();

/** Presses the chat's newest action button labelled `label`. */
export const pressAction = (page: Page, label: string | RegExp) => page.locator('#chat button.action', { hasText: label }).last().click();

/** How many action buttons `label` the conversation shows now (to wait for a newer menu with {@link pressNewAction}). */
export const actionCount = (page: Page, label: string | RegExp) => page.locator('#chat button.action', { hasText: label }).count();

/**
 * Presses the newest action button `label` once the conversation shows more of them than
 * `before`: on a loaded machine the menu asked for may not have arrived yet, and pressing then
 * would hit an older menu's button of the same name.
 */
export async function pressNewAction(page: Page, label: string | RegExp, before: number, timeoutMs = 90_000): Promise<void> {
  await expect.poll(() => actionCount(page, label), { timeout: timeoutMs }).toBeGreaterThan(before);
  await pressAction(page, label);
}

/**
 * Asserts the page as it is now has no sideways scroll and no serious accessibility violation, then
 * saves a full-page screenshot `<outDir>/<prefix>-<name>-<width>.png`.
 */
export async function checkScreen(page: Page, outDir: string, prefix: string, name: string): Promise<void> {
  const width = page.viewportSize()!.width;
  expect(await sidewaysScroll(page)).toBe(0);
  expect(await axeSerious(page), name).toEqual([]);
  await page.screenshot({ path: join(outDir, `${prefix}-${name}-${width}.png`), fullPage: true });
}
