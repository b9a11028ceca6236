import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/main.js';
import { REPO_ROOT } from '../../src/paths.js';
import { systemClock } from '../../src/time/clock.js';
import { checkScreen, launchChromium, signInWorkspace } from '../helpers/browser.js';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';

const WAIT = { timeout: 30_000 };
const OUT = join(REPO_ROOT, 'test-output');

/** What the page shows itself in: its language, its language button, its chrome and its inbox's labels. */
const pageTexts = (page: Page) => page.evaluate(() => {
  const d = (globalThis as unknown as { document: { documentElement: { lang: string }; querySelector(s: string): { textContent: string } | null } }).document;
  const text = (s: string) => d.querySelector(s)?.textContent ?? '';
  return { lang: d.documentElement.lang, button: text('#lang-toggle'), signOut: text('#sign-out'), inboxTab: text('nav.views button'), inboxTitle: text('#inbox-title') };
});
const ENGLISH = { lang: 'en', button: 'Tiếng Việt', signOut: 'Sign out', inboxTab: 'Inbox', inboxTitle: 'Inbox' };
const VIETNAMESE = { lang: 'vi', button: 'English', signOut: 'Đăng xuất', inboxTab: 'Hộp thư', inboxTitle: 'Hộp thư' };

/** A mark set in the page's window: still there later means the page was never reloaded. */
const mark = (page: Page) => page.evaluate(() => { (globalThis as unknown as { keptMark: number }).keptMark = 1; });
const marked = (page: Page) => page.evaluate(() => (globalThis as unknown as { keptMark?: number }).keptMark === 1);

/**
 * A scaled-out deployment in one test process: the web process of the E2E helper (with Telegram
 * polling), a worker (delivers the outbox), and a second web process on its own port without
 * Telegram. Each is a separate `startApp` sharing only the database and Redis, as separate
 * processes do; a page on one web process must follow what another process committed.
 */
describe('the workspace\'s live stream across processes (--role web ×2 + --role worker), in Chromium (issue 14)', { timeout: 300_000 }, () => {
  let e: E2E;
  let worker: App | undefined;
  let web2: App | undefined;
  let browser: Browser;
  beforeAll(async () => {
    e = await createE2E({ role: 'web' });
    worker = await startApp({ config: e.config, logger: e.logger, clock: systemClock, role: 'worker' });
    const { telegram: _polledByTheFirst, ...noTelegram } = e.config;
    web2 = await startApp({ config: noTelegram, logger: e.logger, clock: systemClock, role: 'web' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web2?.stop();
    await worker?.stop();
    await e?.close();
  });
  const base1 = () => `http://127.0.0.1:${e.app.httpPort}`;
  const base2 = () => `http://127.0.0.1:${web2!.httpPort}`;
  const codeFrom = (text: string) => /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(text)![1]!;

  for (const [width, height, slot, invite] of [[1280, 800, 1, 'pv-hue-01'], [360, 720, 2, 'pv-tto-01']] as const) {
    it(`at ${width} px: a tab kept open follows /lang typed on Telegram and the language button pressed in a tab of another process, without a reload`, async () => {
      const tg = tgUser(`Người ${slot}`);
      await e.say(tg, `/start ${invite}`, 'Xin chào');
      const first = codeFrom((await e.say(tg, '/web', 'Đăng nhập trang trò chuyện')).text);
      const second = codeFrom((await e.say(tg, '/web', 'Đăng nhập trang trò chuyện')).text);
      // Tab A on the second web process (no Telegram there); tab B on the first.
      const a = await (await browser.newContext({ viewport: { width, height } })).newPage();
      await signInWorkspace(a, base2(), slot, first, WAIT);
      const b = await (await browser.newContext({ viewport: { width, height } })).newPage();
      await signInWorkspace(b, base1(), slot, second, WAIT);
      expect(await pageTexts(a)).toEqual(VIETNAMESE);
      await mark(a);

      // `/lang en` on Telegram: the first process records it; tab A, served by the second, follows.
      await e.say(tg, '/lang en', 'Language set to English.');
      await expect.poll(() => pageTexts(a), WAIT).toEqual(ENGLISH);
      expect(await marked(a)).toBe(true);
      await checkScreen(a, OUT, 'live', 'language-followed');

      // Tab B (first process) presses the language button: tab A follows back to Vietnamese.
      await expect.poll(() => pageTexts(b), WAIT).toEqual(ENGLISH);
      await b.locator('#lang-toggle').click();
      await expect.poll(() => pageTexts(a), WAIT).toEqual(VIETNAMESE);
      expect(await marked(a)).toBe(true);
      // The person's one setting changed: the bot speaks Vietnamese on Telegram again.
      await e.say(tg, '/help', 'đổi ngôn ngữ');
      await checkScreen(a, OUT, 'live', 'language-back');
      await a.context().close();
      await b.context().close();
    });
  }
});
