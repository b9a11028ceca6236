import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/main.js';
import { REPO_ROOT } from '../../src/paths.js';
import { systemClock } from '../../src/time/clock.js';
import { checkScreen, launchChromium, signInWorkspace } from '../helpers/browser.js';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';
import type { FakeUser } from '../fakes/telegram-bot-api.js';

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
function scaledOut() {
  const d: { e?: E2E; worker?: App; web2?: App; browser?: Browser } = {};
  beforeAll(async () => {
    d.e = await createE2E({ role: 'web' });
    d.worker = await startApp({ config: d.e.config, logger: d.e.logger, clock: systemClock, role: 'worker' });
    const { telegram: _polledByTheFirst, ...noTelegram } = d.e.config;
    d.web2 = await startApp({ config: noTelegram, logger: d.e.logger, clock: systemClock, role: 'web' });
    d.browser = await launchChromium();
  });
  afterAll(async () => {
    await d.browser?.close();
    await d.web2?.stop();
    await d.worker?.stop();
    await d.e?.close();
  });
  return {
    get e() { return d.e!; },
    get browser() { return d.browser!; },
    base1: () => `http://127.0.0.1:${d.e!.app.httpPort}`,
    base2: () => `http://127.0.0.1:${d.web2!.httpPort}`,
    /** A new browser tab at `width`×`height` signed in on `base`'s slot `slot` with a `/web` code `user` asked for on Telegram. */
    async tab(user: FakeUser, base: string, slot: number, width: number, height: number): Promise<Page> {
      const page = await (await d.browser!.newContext({ viewport: { width, height } })).newPage();
      await signInWorkspace(page, base, slot, codeFrom((await d.e!.say(user, '/web', 'Đăng nhập trang trò chuyện')).text), WAIT);
      return page;
    },
  };
}

const codeFrom = (text: string) => /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(text)![1]!;

describe('the workspace follows a language change made in another process (--role web ×2 + --role worker), in Chromium (issue 14)', { timeout: 300_000 }, () => {
  const x = scaledOut();
  for (const [width, height, slot, invite] of [[1280, 800, 1, 'pv-hue-01'], [360, 720, 2, 'pv-tto-01']] as const) {
    it(`at ${width} px: a tab kept open follows /lang typed on Telegram and the language button pressed in a tab of another process, without a reload`, async () => {
      const tg = tgUser(`Người ${slot}`);
      await x.e.say(tg, `/start ${invite}`, 'Xin chào');
      const first = codeFrom((await x.e.say(tg, '/web', 'Đăng nhập trang trò chuyện')).text);
      const second = codeFrom((await x.e.say(tg, '/web', 'Đăng nhập trang trò chuyện')).text);
      // Tab A on the second web process (no Telegram there); tab B on the first.
      const a = await (await x.browser.newContext({ viewport: { width, height } })).newPage();
      await signInWorkspace(a, x.base2(), slot, first, WAIT);
      const b = await (await x.browser.newContext({ viewport: { width, height } })).newPage();
      await signInWorkspace(b, x.base1(), slot, second, WAIT);
      expect(await pageTexts(a)).toEqual(VIETNAMESE);
      await mark(a);

      // `/lang en` on Telegram: the first process records it; tab A, served by the second, follows.
      await x.e.say(tg, '/lang en', 'Language set to English.');
      await expect.poll(() => pageTexts(a), WAIT).toEqual(ENGLISH);
      expect(await marked(a)).toBe(true);
      await checkScreen(a, OUT, 'live', 'language-followed');

      // Tab B (first process) presses the language button: tab A follows back to Vietnamese.
      await expect.poll(() => pageTexts(b), WAIT).toEqual(ENGLISH);
      await b.locator('#lang-toggle').click();
      await expect.poll(() => pageTexts(a), WAIT).toEqual(VIETNAMESE);
      expect(await marked(a)).toBe(true);
      // The person's one setting changed: the bot speaks Vietnamese on Telegram again.
      await x.e.say(tg, '/help', 'đổi ngôn ngữ');
      await checkScreen(a, OUT, 'live', 'language-back');
      await a.context().close();
      await b.context().close();
    });
  }
});

describe('the workspace\'s inbox follows changes other people make in other processes, with no bot message (issue 14), in Chromium', { timeout: 300_000 }, () => {
  const x = scaledOut();

  it('the inbox follows changes other people make, in another process, with no bot message to this person: a reporter\'s question to the agency, a coordinator routing one', async () => {
    const spokes = tgUser('Người phát ngôn');
    const coord = tgUser('Đầu mối');
    const reporter = tgUser('Phóng viên');
    await x.e.say(spokes, '/start pn-syte-01', 'Xin chào');
    await x.e.say(coord, '/start dpv-vhtt-01', 'Xin chào');
    await x.e.say(reporter, '/start pv-hue-01', 'Xin chào');
    // Both staff keep their notifications on Telegram (`/prefer` there after signing in on the web): no bot message reaches the pages.
    const s = await x.tab(spokes, x.base2(), 3, 1280, 900);
    const c = await x.tab(coord, x.base1(), 4, 360, 780);
    await x.e.say(spokes, '/prefer', 'Từ nay thông báo sẽ được gửi về Telegram');
    await x.e.say(coord, '/prefer', 'Từ nay thông báo sẽ được gửi về Telegram');
    for (const page of [s, c]) {
      await page.locator('nav.views button', { hasText: 'Hộp thư' }).click();
      await page.locator('#inbox-title').waitFor(WAIT);
      await mark(page);
    }
    const queue = s.locator('#inbox-queue + ul .inbox-open');
    expect(await queue.count()).toBe(0);

    // A reporter asks the health department on Telegram (the web process with Telegram runs the flow).
    await x.e.say(reporter, 'Bao giờ có lịch tiêm vắc-xin sởi đợt mới?', 'lĩnh vực nào');
    await x.e.press(reporter, 'Y tế', 'Xác nhận gửi');
    const first = /Q-\d+/.exec((await x.e.press(reporter, 'Gửi', 'Đã tiếp nhận câu hỏi')).text)![0];
    // The spokesperson's page, served by the other web process, shows it in the queue.
    await queue.filter({ hasText: first }).waitFor(WAIT);
    expect(await queue.filter({ hasText: first }).textContent()).toContain('chờ nhận xử lý');
    await checkScreen(s, OUT, 'live', 'inbox-new-question');

    // A question of an unclear field goes to screening: the coordinator's page lists it.
    await x.e.say(reporter, 'Đường Lê Lợi bao giờ thông xe trở lại?', 'lĩnh vực nào');
    await x.e.press(reporter, 'Khác / chưa rõ', 'Xác nhận gửi');
    const second = /Q-\d+/.exec((await x.e.press(reporter, 'Gửi', 'Đã tiếp nhận câu hỏi')).text)![0];
    const screening = c.locator('#inbox-screening + ul .inbox-open', { hasText: second });
    await screening.waitFor(WAIT);
    await checkScreen(c, OUT, 'live', 'inbox-screening');
    // The coordinator routes it to the health department on Telegram: it leaves her screening list
    // and reaches the spokesperson's queue, each page told by the stream.
    await expect.poll(() => x.e.sentTo(coord, second).some((m) => m.replyMarkup !== undefined), WAIT).toBe(true);
    await x.e.press(coord, 'Chọn cơ quan khác', (m) => m.replyMarkup?.inline_keyboard.flat().some((b) => b.text === 'Sở Y tế') ?? false);
    await x.e.press(coord, 'Sở Y tế', `Câu hỏi ${second}`);
    await expect.poll(() => screening.count(), WAIT).toBe(0);
    await queue.filter({ hasText: second }).waitFor(WAIT);

    // A status change by the spokesperson on Telegram: the row's status follows.
    const notice = x.e.sentTo(spokes, first).find((m) => m.replyMarkup?.inline_keyboard.flat().some((b) => b.text === 'Nhận xử lý'))!;
    x.e.fake.userPresses(spokes, notice.messageId, notice.replyMarkup!.inline_keyboard.flat().find((b) => b.text === 'Nhận xử lý')!.callback_data!);
    await expect.poll(async () => (await queue.filter({ hasText: first }).textContent()) ?? '', WAIT).toContain('đang xử lý');
    await checkScreen(s, OUT, 'live', 'inbox-updated');
    await s.setViewportSize({ width: 360, height: 780 });
    await checkScreen(s, OUT, 'live', 'inbox-updated');
    await c.setViewportSize({ width: 1280, height: 900 });
    await checkScreen(c, OUT, 'live', 'inbox-screening');

    // No bot message about these questions reached either page, and neither was reloaded: the
    // stream's inbox event did it. (By content, not by count: the sign-in greeting may land late.)
    const about = (page: typeof s) => page.locator('li.msg-bot').filter({ hasText: new RegExp(`${first}|${second}`) }).allTextContents();
    expect({ s: await about(s), c: await about(c) }).toEqual({ s: [], c: [] });
    expect(await marked(s) && await marked(c)).toBe(true);
    await s.context().close();
    await c.context().close();
  });
});


/** Makes the page believe its tab is in the background (or shown again): the title counts what arrives meanwhile. */
const setVisible = (page: Page, visible: boolean) => page.evaluate((v) => {
  const d = (globalThis as unknown as { document: { dispatchEvent(e: unknown): void } }).document;
  Object.defineProperty(d, 'visibilityState', { value: v ? 'visible' : 'hidden', configurable: true });
  d.dispatchEvent(new (globalThis as unknown as { Event: new (t: string) => unknown }).Event('visibilitychange'));
}, visible);

describe('reading a thread in one tab updates the person\'s other tabs: unread counts, title and favicon (--role web ×2 + --role worker), in Chromium (issue 14)', { timeout: 300_000 }, () => {
  const x = scaledOut();

  it('a spokesperson with two tabs on two processes: the question arrives unread in both; opened in one, the other\'s row, title and favicon drop without a reload', async () => {
    const spokes = tgUser('Người phát ngôn');
    const reporter = tgUser('Phóng viên');
    await x.e.say(spokes, '/start pn-syte-01', 'Xin chào');
    await x.e.say(reporter, '/start pv-hue-01', 'Xin chào');
    // Tab A on the second web process, tab B (1280 px) on the first; one person, one web chat.
    const a = await x.tab(spokes, x.base2(), 1, 1280, 900);
    const b = await x.tab(spokes, x.base1(), 1, 1280, 900);
    for (const page of [a, b]) {
      await page.locator('nav.views button', { hasText: 'Hộp thư' }).click();
      await page.locator('#inbox-title').waitFor(WAIT);
    }
    // Each sign-in is greeted in the person's one web chat by the bot's flow, a moment later: both
    // greetings in before tab B goes to the background, or a late one counts as unread there.
    await expect.poll(() => b.locator('li.msg-bot', { hasText: 'Bạn đã đăng ký' }).count(), WAIT).toBe(2);
    await mark(b);
    await setVisible(b, false);

    await x.e.say(reporter, 'Trường mầm non nào có ca tay chân miệng tháng này?', 'lĩnh vực nào');
    await x.e.press(reporter, 'Y tế', 'Xác nhận gửi');
    const code = /Q-\d+/.exec((await x.e.press(reporter, 'Gửi', 'Đã tiếp nhận câu hỏi')).text)![0];
    const rowIn = (page: Page) => page.locator('#inbox-queue + ul .inbox-open', { hasText: code });
    // Unread in both tabs; tab B, in the background, counts the bot's notice in its title and favicon.
    for (const page of [a, b]) await expect.poll(async () => (await rowIn(page).textContent()) ?? '', WAIT).toContain('1 chưa đọc');
    await expect.poll(() => b.title(), WAIT).toMatch(/^\(1\) /);
    expect(await b.locator('link[rel="icon"]').getAttribute('data-unread')).toBe('1');

    // Read in tab A: tab B's row, title and favicon follow, told by the stream (no reload).
    await rowIn(a).click();
    await a.locator('#thread-title', { hasText: code }).waitFor(WAIT);
    await expect.poll(async () => (await rowIn(b).textContent()) ?? '', WAIT).not.toContain('chưa đọc');
    await expect.poll(() => b.title(), WAIT).not.toMatch(/^\(\d/);
    expect(await b.locator('link[rel="icon"]').getAttribute('data-unread')).toBe('0');
    expect(await rowIn(b).locator('.row-unread').count()).toBe(0);
    expect(await marked(b)).toBe(true);
    await setVisible(b, true);
    await checkScreen(b, OUT, 'live', 'read-elsewhere');
    await b.setViewportSize({ width: 360, height: 780 });
    await checkScreen(b, OUT, 'live', 'read-elsewhere');
    await a.context().close();
    await b.context().close();
  });
});
