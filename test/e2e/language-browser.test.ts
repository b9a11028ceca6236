import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { axeSerious, withBotInChromium } from '../helpers/browser.js';
import { tgUser, type E2E } from '../helpers/e2e-app.js';

const WAIT = { timeout: 30_000 };
const OUT = join(REPO_ROOT, 'test-output');

/** What the page shows itself in: the document's language and the language button's label. */
const pageLanguage = async (page: Page) => ({
  lang: await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang),
  button: await page.locator('#lang-toggle').textContent(),
});

describe('one language setting: the web page loads in the person\'s language and changing it there changes it for the bot (issue 14), in Chromium', () => {
  let e: E2E;
  let browser: Browser;
  withBotInChromium(OUT, (started) => ({ e, browser } = started));

  for (const [width, height, slot, invite, code] of [[1280, 800, 1, 'pv-hue-01', 'PV-HUE-01'], [360, 640, 2, 'pv-tto-01', 'PV-TTO-01']] as const) {
    it(`at ${width} px: English chosen on Telegram → the page signs in in English; its button → Vietnamese for the bot too; a reload follows the person, not the browser`, async () => {
      const tg = tgUser(`Người ${slot}`);
      await e.say(tg, `/start ${invite}`, 'Xin chào');
      await e.say(tg, '/lang en', 'Language set to English.');
      const codeMsg = await e.say(tg, '/web', 'Sign in to the web chat page');
      const signInCode = /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(codeMsg.text)![1]!;

      // A fresh browser: nothing remembered, so the sign-in form is Vietnamese.
      const page = await (await browser.newContext({ viewport: { width, height } })).newPage();
      await page.goto(`http://127.0.0.1:${e.app.httpPort}/web/u/${slot}/?code=${signInCode}`);
      expect(await pageLanguage(page)).toEqual({ lang: 'vi', button: 'English' });
      await page.locator('#sign-in button[type="submit"]').click();
      await page.locator('nav.views').waitFor(WAIT);
      // Signed in: the person's language, before any button was pressed.
      await expect.poll(() => pageLanguage(page), WAIT).toEqual({ lang: 'en', button: 'Tiếng Việt' });
      expect(await page.locator('#sign-out').textContent()).toBe('Sign out');
      // The bot's greeting is in English as well (page and chat agree).
      await page.locator('li.msg-bot').first().waitFor(WAIT);
      expect(await page.locator('li.msg-bot').first().textContent()).not.toContain('Xin chào');
      await page.screenshot({ path: join(OUT, `language-${width}-english.png`) });
      expect(await axeSerious(page)).toEqual([]);

      // The page's button stores the choice for the person: the bot speaks Vietnamese on Telegram too.
      await page.locator('#lang-toggle').click();
      expect(await pageLanguage(page)).toEqual({ lang: 'vi', button: 'English' });
      await expect.poll(async () => (await e.app.db.db.selectFrom('persons').select('locale').where('code', '=', code).executeTakeFirstOrThrow()).locale, WAIT).toBe('vi');
      await e.say(tg, '/help', 'đổi ngôn ngữ');

      // Changed on Telegram again while this browser last chose Vietnamese: a reload shows English.
      await e.say(tg, '/lang en', 'Language set to English.');
      await page.reload();
      await page.locator('nav.views').waitFor(WAIT);
      await expect.poll(() => pageLanguage(page), WAIT).toEqual({ lang: 'en', button: 'Tiếng Việt' });
      await page.screenshot({ path: join(OUT, `language-${width}-reloaded.png`) });
      expect(await axeSerious(page)).toEqual([]);

      // `/lang vi` typed in the page's own chat: the page follows the bot's new language at once.
      await page.locator('#composer-text').fill('/lang vi');
      await page.locator('#composer-text').press('Enter');
      await page.locator('li.msg-bot', { hasText: 'Đã chuyển sang tiếng Việt.' }).last().waitFor(WAIT);
      await expect.poll(() => pageLanguage(page), WAIT).toEqual({ lang: 'vi', button: 'English' });

      // Signed out: the sign-in form is in this browser's own last choice again.
      await page.locator('#sign-out').click();
      await page.locator('#sign-in').waitFor(WAIT);
      expect(await pageLanguage(page)).toEqual({ lang: 'vi', button: 'English' });
      await page.context().close();
    });
  }
});
