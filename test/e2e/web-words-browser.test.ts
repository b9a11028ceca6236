import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { axeSerious, botMessage, withBotInChromium } from '../helpers/browser.js';
import type { E2E } from '../helpers/e2e-app.js';

const WAIT = { timeout: 15_000 };
const OUT = join(REPO_ROOT, 'test-output');

describe('the web page\'s wording and layout defects (issue 14), in Chromium at 1280 and 360 px', () => {
  let e: E2E;
  let browser: Browser;
  withBotInChromium(OUT, (started) => ({ e, browser } = started));

  for (const [width, height, slot, code, name] of [[1280, 800, 1, 'pv-hue-01', 'Trần Thị Minh Thư'], [360, 640, 2, 'pv-tto-01', 'Lê Hoàng Nam']] as const) {
    it(`at ${width} px: sign-in errors keep the form; the chat fits the screen; buttons show the choice; one language setting`, async () => {
      const page = await (await browser.newContext({ viewport: { width, height } })).newPage();
      const base = `http://127.0.0.1:${e.app.httpPort}/web/u/${slot}/`;
      await page.goto(base);
      // A mistyped code: an error, the sign-in form stays, nobody is signed in, no bubble appears.
      await page.locator('#invite-code').fill(`${code}x`);
      await page.locator('#sign-in button[type="submit"]').click();
      await expect.poll(() => page.locator('#error').textContent(), WAIT).toContain('không đúng');
      expect(await page.locator('#sign-in').isVisible()).toBe(true);
      expect(await page.locator('#chat').isVisible()).toBe(false);
      expect((await page.request.get(`${base}api/session`)).status()).toBe(401);
      await page.screenshot({ path: join(OUT, `words-${width}-sign-in-error.png`) });
      expect(await axeSerious(page)).toEqual([]);

      await page.locator('#invite-code').fill(code);
      await page.locator('#sign-in button[type="submit"]').click();
      await botMessage(page, `Xin chào ${name}`).waitFor(WAIT);
      expect(await botMessage(page, 'Xin chào').textContent()).toContain('Gõ câu hỏi của bạn để gửi');
      // No "/start" the person never typed; the bot speaks as the network, not as "Bot".
      expect(await page.locator('li.msg-user').count()).toBe(0);
      expect(await page.locator('li.msg-bot .sender').first().textContent()).toBe('Mạng lưới phát ngôn');

      await page.locator('#composer-text').fill('Số ca sốt xuất huyết tại Huế tuần này?');
      await page.locator('#composer-text').press('Enter');
      await page.locator('button.action', { hasText: 'Y tế' }).last().click();
      await botMessage(page, 'Xác nhận gửi').waitFor(WAIT);
      // The topic list shows what was chosen: marked and announced as pressed, the others off.
      await expect.poll(() => page.locator('button.action.is-chosen').count(), WAIT).toBe(1);
      expect(await page.locator('button.action.is-chosen').textContent()).toBe('✓ Y tế');
      expect(await page.locator('button.action.is-chosen').getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('button.action.is-disabled').count()).toBeGreaterThan(0);
      expect(await page.locator('button.action.is-disabled').first().isDisabled()).toBe(true);
      // Gửi, Hủy look different (primary, secondary).
      const look = (label: string) => page.locator('button.action', { hasText: label }).last().evaluate((b) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(b).backgroundColor);
      expect(await look('Gửi')).not.toBe(await look('Hủy'));
      await page.screenshot({ path: join(OUT, `words-${width}-confirm.png`) });
      expect(await axeSerious(page)).toEqual([]);

      await page.locator('button.action', { hasText: /^Gửi$/ }).last().click();
      const accepted = botMessage(page, 'Đã tiếp nhận');
      await accepted.waitFor(WAIT);
      const text = await accepted.locator('.text').textContent() ?? '';
      expect(text).toMatch(/Hạn trả lời: hết ngày \d{2}\/\d{2}\/\d{4} \(/);
      // "Q-12" never breaks across lines (copied text stays "Q-12").
      expect(await accepted.locator('.text .nowrap').first().textContent()).toMatch(/^Q-\d+$/);
      expect(await accepted.locator('.text .nowrap').first().evaluate((n) => (globalThis as unknown as { getComputedStyle(e: unknown): { whiteSpace: string } }).getComputedStyle(n).whiteSpace)).toBe('nowrap');

      // The page never scrolls into blank space, the header is one row, the composer is whole.
      const layout = await page.evaluate(() => {
        const { document: doc, innerHeight } = globalThis as unknown as { document: { scrollingElement: { scrollHeight: number }; querySelector(s: string): { getBoundingClientRect(): { height: number; bottom: number } } }; innerHeight: number };
        return {
          pageScroll: doc.scrollingElement.scrollHeight - innerHeight,
          header: doc.querySelector('header').getBoundingClientRect().height,
          composerBottom: doc.querySelector('#composer').getBoundingClientRect().bottom,
          viewport: innerHeight,
        };
      });
      expect(layout.pageScroll).toBeLessThanOrEqual(1);
      expect(layout.header).toBeLessThan(64);
      expect(layout.composerBottom).toBeLessThanOrEqual(layout.viewport);
      await page.mouse.wheel(0, 5000);
      expect(await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY)).toBe(0);
      await page.screenshot({ path: join(OUT, `words-${width}-accepted.png`) });
      expect(await axeSerious(page)).toEqual([]);

      // The language button is the person's language: the bot answers in English from now on.
      await page.locator('#lang-toggle').click();
      await botMessage(page, 'Language set to English.').waitFor(WAIT);
      const row = await e.app.db.db.selectFrom('persons').select('locale').where('full_name', '=', name).executeTakeFirstOrThrow();
      expect(row.locale).toBe('en');
      expect(await page.locator('li.msg-user').count()).toBe(1); // the question only: the button typed nothing
      await page.screenshot({ path: join(OUT, `words-${width}-english.png`) });
      expect(await axeSerious(page)).toEqual([]);
    });
  }
});
