import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { botMessage, checkScreen, pressAction, signInWorkspace, withBotInChromium } from '../helpers/browser.js';
import type { E2E } from '../helpers/e2e-app.js';

const WAIT = { timeout: 20_000 };
const OUT = join(REPO_ROOT, 'test-output');

type Box = { x: number; y: number; width: number; height: number };
const inside = (box: Box | null, vw: number, vh: number) => box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= vw + 0.5 && box.y + box.height <= vh + 0.5;

/**
 * The header and the message box of a staff member's page, as they stand: every header control and
 * the whole composer inside the viewport, the header one row, and the title readable (not squeezed
 * to a letter).
 */
async function assertFits(page: Page, name: string): Promise<void> {
  const { width: vw, height: vh } = page.viewportSize()!;
  const header = await page.locator('header.top').boundingBox();
  const title = await page.locator('header.top h1').boundingBox();
  expect(inside(header, vw, vh), `${name}: header`).toBe(true);
  // One row: the header is no taller than its buttons plus padding.
  expect(header!.height, `${name}: header height`).toBeLessThanOrEqual(64);
  expect(title!.width, `${name}: title width`).toBeGreaterThanOrEqual(120);
  for (const id of ['#notify-toggle', '#lang-toggle', '#sign-out']) {
    const box = await page.locator(id).boundingBox();
    expect(inside(box, vw, vh), `${name}: ${id}`).toBe(true);
    expect(box!.width, `${name}: ${id} is big enough to tap`).toBeGreaterThanOrEqual(40);
  }
  // The title's full text is still there (visible or in its tooltip), not cut to nothing.
  expect(await page.locator('header.top h1').textContent()).toBe(name.endsWith('-en') ? 'Press liaison network' : 'Mạng lưới phát ngôn');
  expect(inside(await page.locator('#composer').boundingBox(), vw, vh), `${name}: composer`).toBe(true);
  expect(inside(await page.locator('#composer button[type="submit"]').boundingBox(), vw, vh), `${name}: send button`).toBe(true);
}

describe('a staff member\'s page header and message box on a 360 px phone, in Chromium', () => {
  let e: E2E;
  let browser: Browser;
  withBotInChromium(OUT, (started) => ({ e, browser } = started));

  it('fits the header on one row with a readable title and keeps the whole message box in view while the notification offer shows', async () => {
    const base = `http://127.0.0.1:${e.app.httpPort}`;
    const page = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
    await signInWorkspace(page, base, 1, 'dpv-vhtt-01', WAIT);
    // The offer to turn notifications on shows (permission not yet asked).
    await page.locator('.notify-offer').waitFor(WAIT);
    await page.locator('nav.views button', { hasText: 'Trò chuyện với bot' }).click();
    await page.locator('#composer').waitFor(WAIT);
    expect(await page.locator('.notify-offer').isVisible()).toBe(true);
    // Icons on a phone, each with its name for screen readers.
    expect(await page.getByRole('button', { name: 'Thông báo', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Đăng xuất', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Switch to English', exact: true }).count()).toBe(1);
    await assertFits(page, 'chat-offer-360');
    await checkScreen(page, OUT, 'phone-header', 'chat-offer');
    // A shorter phone: the conversation gives way, never the message box.
    await page.setViewportSize({ width: 360, height: 600 });
    await assertFits(page, 'chat-offer-360x600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await assertFits(page, 'chat-offer-1280');
    // Wide screens keep the words.
    expect(await page.locator('#sign-out').innerText()).toBe('Đăng xuất');
    await checkScreen(page, OUT, 'phone-header', 'chat-offer');

    // In English too (longer words), and the inbox's screen.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.locator('#lang-toggle').click();
    await page.locator('header.top h1', { hasText: 'Press liaison network' }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Sign out', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Notifications', exact: true }).count()).toBe(1);
    await assertFits(page, 'chat-offer-360-en');
    await checkScreen(page, OUT, 'phone-header', 'chat-offer-en');
    await page.locator('#lang-toggle').click();
    await page.locator('header.top h1', { hasText: 'Mạng lưới phát ngôn' }).waitFor(WAIT);

    // An inquiry's thread on the phone (the page scrolls there): scrolled down, its end shows whole.
    const reporter = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInWorkspace(reporter, base, 2, 'pv-hue-01', WAIT);
    await botMessage(reporter, 'Xin chào').waitFor(WAIT);
    await reporter.locator('#composer-text').fill('Chợ Đông Ba bao giờ mở cửa lại?');
    await reporter.locator('#composer-text').press('Enter');
    await pressAction(reporter, 'Khác / chưa rõ');
    await pressAction(reporter, /^Gửi$/);
    await botMessage(reporter, 'Đã tiếp nhận câu hỏi Q-').waitFor(WAIT);
    await page.reload();
    await page.locator('nav.views button', { hasText: 'Hộp thư' }).click();
    await page.locator('#inbox-screening + ul .inbox-open', { hasText: 'Chợ Đông Ba' }).click(WAIT);
    // A coordinator only screens (no message box in the thread): its last screening button shows whole.
    // The thread's data first (its actions drawn), then what it hides: not the page before it loaded.
    const lastAction = page.locator('.thread-actions button.action').last();
    await lastAction.waitFor(WAIT);
    expect(await page.locator('.thread-composer').isHidden()).toBe(true);
    await lastAction.evaluate((n) => { (n as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'end' }); });
    expect(inside(await lastAction.boundingBox(), 360, 740), 'last screening button').toBe(true);
    expect(inside(await page.locator('header.top').boundingBox(), 360, 740), 'thread header').toBe(true);
    await checkScreen(page, OUT, 'phone-header', 'thread');
  }, 180_000);
});
