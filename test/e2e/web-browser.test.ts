import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { startApp, type App } from '../../src/main.js';
import { systemClock } from '../../src/time/clock.js';
import { botMessage, launchChromium } from '../helpers/browser.js';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';

// A loaded CI machine can take tens of seconds for a page: these bound a hang, not the speed.
const WAIT = { timeout: 90_000 };

/** The bot's message (list item) whose text contains `text`. */

async function send(page: Page, text: string): Promise<void> {
  await page.locator('#composer-text').fill(text);
  await page.locator('#composer-text').press('Enter');
}

/** Presses the newest button labelled exactly `label` in the tab. */
async function press(page: Page, label: string | RegExp): Promise<void> {
  await page.locator('button.action', { hasText: label }).last().click();
}

const baseOf = (e: E2E) => `http://127.0.0.1:${e.app.httpPort}`;

/** Opens a sign-in link: the page puts its code in the sign-in box and waits for the person to press Sign in. */
async function openSignInLink(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('#sign-in button[type="submit"]').click();
}

describe('the web channel in a real browser (Debian Chromium, full bot, SQLite, Redis)', { timeout: 300_000 }, () => {
  let e: E2E;
  let browser: Browser;
  beforeAll(async () => {
    e = await createE2E();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await e?.close();
  });

  it('reporter, coordinator and spokesperson in three tabs of one browser: ask, screen, answer by replying, the answer under the question, follow-up, rating', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const tab = async (slot: number, code: string, greeting: string) => {
      const page = await context.newPage();
      await openSignInLink(page, `${baseOf(e)}/web/u/${slot}/?code=${code}`);
      await botMessage(page, greeting).waitFor(WAIT);
      expect(page.url()).not.toContain(code);
      return page;
    };
    // The links `npm start` prints: one sign-in slot per person, all in one browser.
    const reporter = await tab(1, 'pv-hue-01', 'Xin chào Trần Thị Minh Thư');
    const staff = await tab(2, 'pn-syte-01', 'Xin chào Hoàng Minh Tuấn');
    const coordinator = await tab(3, 'dpv-vhtt-01', 'Xin chào Nguyễn Thị Ngọc Diệp');
    // Each tab is still its own person after the others signed in.
    await reporter.reload();
    await botMessage(reporter, 'Xin chào Trần Thị Minh Thư').waitFor(WAIT);
    expect(await reporter.locator('li.msg-bot', { hasText: 'Hoàng Minh Tuấn' }).count()).toBe(0);

    await send(reporter, 'Người dân hỏi về lịch tiêm vắc-xin sởi cho trẻ?');
    await press(reporter, 'Khác / chưa rõ');
    await press(reporter, /^Gửi$/);
    await botMessage(reporter, 'Đã tiếp nhận câu hỏi Q-').waitFor(WAIT);

    const screening = botMessage(coordinator, 'Câu hỏi cần sàng lọc');
    await screening.waitFor(WAIT);
    expect(await screening.textContent()).toContain('vắc-xin sởi');
    await press(coordinator, 'Chọn cơ quan khác');
    await botMessage(coordinator, 'Chọn cơ quan nhận câu hỏi').waitFor(WAIT);
    await press(coordinator, 'Sở Y tế');
    await botMessage(coordinator, 'đã chuyển tới Sở Y tế').waitFor(WAIT);

    const notice = botMessage(staff, 'vắc-xin sởi');
    await notice.waitFor(WAIT);
    await notice.locator('button.reply-button').click();
    await send(staff, 'Lịch tiêm sởi: thứ Bảy hằng tuần tại trạm y tế phường.');
    // Enter shows a preview, signed; the official answer goes only with [Gửi câu trả lời].
    const preview = botMessage(staff, 'CHƯA GỬI');
    await preview.waitFor(WAIT);
    expect(await preview.textContent()).toContain('— Hoàng Minh Tuấn, Phó Giám đốc Sở Y tế');
    mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true });
    await staff.screenshot({ path: join(REPO_ROOT, 'test-output', 'web-answer-preview.png'), fullPage: false });
    expect(await reporter.locator('li.msg-bot', { hasText: 'thứ Bảy hằng tuần' }).count()).toBe(0);
    await press(staff, 'Gửi câu trả lời');
    await botMessage(staff, 'Đã gửi câu trả lời chính thức').waitFor(WAIT);

    const answer = botMessage(reporter, 'thứ Bảy hằng tuần');
    await answer.waitFor(WAIT);
    await expect.poll(() => answer.getAttribute('class')).toContain('is-reply');
    expect(await answer.locator('.quote').textContent()).toContain('vắc-xin sởi');

    await answer.locator('button.reply-button').click();
    await send(reporter, 'Có cần đặt lịch trước không?');
    await botMessage(reporter, 'Đã chuyển').waitFor(WAIT);
    const followup = botMessage(staff, 'Có cần đặt lịch trước không?');
    await followup.waitFor(WAIT);
    await followup.locator('button.reply-button').click();
    await send(staff, 'Không cần đặt lịch trước.');
    await botMessage(staff, 'Không cần đặt lịch trước.').waitFor(WAIT);
    await press(staff, 'Gửi câu trả lời');
    await botMessage(reporter, 'Không cần đặt lịch').waitFor(WAIT);

    await press(reporter, /^Hài lòng$/);
    await botMessage(reporter, 'Cảm ơn bạn đã đánh giá').waitFor(WAIT);

    // Corrected within the window: the reporter's bubble of that answer changes in place, marked "(đã sửa)".
    await press(staff, 'Sửa câu trả lời');
    await botMessage(staff, 'Gõ nội dung đã sửa').waitFor(WAIT);
    await send(staff, 'Không cần đặt lịch trước; mang theo sổ tiêm chủng.');
    await botMessage(staff, 'Xem trước bản sửa').waitFor(WAIT);
    await press(staff, 'Gửi câu trả lời');
    const edited = botMessage(reporter, 'mang theo sổ tiêm chủng');
    await edited.waitFor(WAIT);
    expect(await edited.textContent()).toContain('(đã sửa)');
    await expect.poll(() => reporter.locator('li.msg-bot', { hasText: 'Không cần đặt lịch trước.' }).count()).toBe(0);
    expect(await reporter.locator('li.msg-bot', { hasText: 'mang theo sổ tiêm chủng' }).count()).toBe(1);
    const row = await e.app.db.db.selectFrom('inquiries').select(['status', 'rating']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'answered', rating: 'satisfied' });

    mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true });
    await reporter.screenshot({ path: join(REPO_ROOT, 'test-output', 'web-journey.png'), fullPage: true });
    await edited.screenshot({ path: join(REPO_ROOT, 'test-output', 'web-answer-corrected.png') });
    await context.close();
  }, 90_000);

  it('refuses a reused invite, a stale session, a forged CSRF token and a cross-site POST', async () => {
    const context = await browser.newContext();
    const again = await context.newPage();
    await openSignInLink(again, `${baseOf(e)}/web?code=pv-hue-01`);
    await expect.poll(() => again.locator('#error').textContent(), WAIT).toContain('đã được dùng');
    expect(await again.locator('#chat').isVisible()).toBe(false);
    await again.locator('#invite-code').fill('pn-gddt-01');
    await again.locator('#sign-in button[type="submit"]').click();
    await botMessage(again, 'Xin chào').waitFor(WAIT);

    const stale = await browser.newContext({ extraHTTPHeaders: { cookie: 'liaison_session=stale-session-id' } });
    expect((await stale.request.get(`${baseOf(e)}/web/api/session`)).status()).toBe(401);
    await stale.close();

    const forged = await again.request.post(`${baseOf(e)}/web/api/messages`, { headers: { 'x-csrf-token': 'forged-token', 'content-type': 'application/json' }, data: { text: 'hi', clientId: 'c1' } });
    expect(forged.status()).toBe(403);
    const { csrfToken } = await (await again.request.get(`${baseOf(e)}/web/api/session`)).json() as { csrfToken: string };
    const crossSite = await again.request.post(`${baseOf(e)}/web/api/messages`, {
      headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json', origin: 'https://evil.example' }, data: { text: 'hi', clientId: 'c2' },
    });
    expect(crossSite.status()).toBe(403);
    expect((await crossSite.json() as { error: string }).error).toBe('cross_origin');
    await context.close();
  });

  it('signs in with a one-time code that /web sent to the person\'s Telegram chat; the used code is refused; an edited message changes in place', async () => {
    const nam = tgUser('Nam');
    await e.say(nam, '/start pv-tto-01', 'Xin chào Lê Hoàng Nam');
    const reply = await e.say(nam, '/web', 'Đăng nhập trang trò chuyện');
    const link = /(http:\/\/\S+\/web\?code=[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(reply.text)?.[1];
    expect(link, reply.text).toBeDefined();
    expect(reply.text).toContain('10 phút');

    const context = await browser.newContext();
    const page = await context.newPage();
    await openSignInLink(page, link!);
    await botMessage(page, 'Bạn đã đăng ký với tên Lê Hoàng Nam').waitFor(WAIT);
    expect(page.url()).not.toContain('code=');
    await send(page, '/my');
    await botMessage(page, 'chưa').waitFor(WAIT);
    // The bot changes a sent message in place (as notice progress counts will): the open page follows.
    const { userId } = await (await page.request.get(`${baseOf(e)}/web/api/session`)).json() as { userId: string };
    const last = await e.app.db.db.selectFrom('web_messages').select(['chat_id', 'seq']).where('chat_id', '=', userId).where('sender', '=', 'bot')
      .orderBy('rev', 'desc').executeTakeFirstOrThrow();
    await e.app.adapters.get('web')!.edit!(last.chat_id, String(last.seq), { text: 'Đã gửi 12/12 xã, phường.' });
    const edited = page.locator(`#m-${last.seq}`);
    await edited.locator('.text', { hasText: 'Đã gửi 12/12' }).waitFor(WAIT);
    expect(await edited.locator('.edited').textContent()).toBe('(đã sửa)');
    expect(await page.locator('li.msg', { hasText: 'Đã gửi 12/12' }).count()).toBe(1);

    const other = await (await browser.newContext()).newPage();
    await openSignInLink(other, link!);
    await other.locator('#error', { hasText: 'Mã đăng nhập này đã được dùng' }).waitFor(WAIT);
    await expect.poll(() => other.locator('#sign-in').isVisible()).toBe(true);
    await context.close();
    await other.context().close();
  });

  it('"send me a code" on the sign-in page sends a code to the person\'s Telegram chat, and it signs them in', async () => {
    const huong = tgUser('Hương');
    await e.say(huong, '/start pn-vhtt-01', 'Xin chào Phan Thị Thanh Hương');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseOf(e)}/web/u/6/`);
    const n = e.fake.sent.length;
    await page.locator('#send-code-who').fill('pn-vhtt-01');
    await page.locator('#send-code button[type="submit"]').click();
    await page.locator('#status', { hasText: 'mã đăng nhập vừa được gửi' }).waitFor(WAIT);
    const sent = await e.nextTo(huong, n, 'Đăng nhập trang trò chuyện');
    const code = /\b([A-Z2-9]{4}-[A-Z2-9]{4})\b/.exec(sent.text)?.[1];
    expect(code, sent.text).toBeDefined();
    await page.locator('#invite-code').fill(code!);
    await page.locator('#sign-in button[type="submit"]').click();
    await botMessage(page, 'Bạn đã đăng ký với tên Phan Thị Thanh Hương').waitFor(WAIT);
    expect(await page.locator('#send-code').isVisible()).toBe(false);
    await context.close();
  });

  it('a signed-in tab stays signed in, with its history, across a restart of the bot', async () => {
    const context: BrowserContext = await browser.newContext();
    const before = await context.newPage();
    await openSignInLink(before, `${baseOf(e)}/web/u/4/?code=pn-tc-01`);
    await botMessage(before, 'Xin chào').waitFor(WAIT);
    await e.restartBot();

    // The port changed (HTTP_PORT=0); cookies are per host, not per port.
    const after = await context.newPage();
    await after.goto(`${baseOf(e)}/web/u/4/`);
    await botMessage(after, 'Xin chào').waitFor(WAIT);
    await expect.poll(() => after.locator('#chat').isVisible()).toBe(true);
    await send(after, '/help');
    await botMessage(after, '/lang').waitFor(WAIT);
    await context.close();
  });
});

// Its own bot: sign-in attempts are limited per client address (10 a minute), and every test here signs in from 127.0.0.1.
describe('login CSRF in a real browser (issue #10)', { timeout: 300_000 }, () => {
  let e: E2E;
  let browser: Browser;
  beforeAll(async () => {
    e = await createE2E();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await e?.close();
  });

  it('login CSRF: a link with ?code= never signs in by itself, and never replaces a session without asking', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // A link from anywhere: the code lands in the sign-in box, nothing is sent until the person presses Sign in.
    await page.goto(`${baseOf(e)}/web/u/5/?code=pn-xd-01`);
    await expect.poll(() => page.locator('#status').textContent(), WAIT).toContain('Bấm “Đăng nhập”');
    expect(await page.locator('#invite-code').inputValue()).toBe('pn-xd-01');
    expect(page.url()).not.toContain('code=');
    expect((await page.request.get(`${baseOf(e)}/web/u/5/api/session`)).status()).toBe(401);
    await page.locator('#sign-in button[type="submit"]').click();
    await botMessage(page, 'Xin chào').waitFor(WAIT);

    // Signed in: another link (an attacker's made-up or real code) only asks; "keep" keeps the person.
    await page.goto(`${baseOf(e)}/web/u/5/?code=pn-ubnd-01`);
    await page.locator('#switch').waitFor({ state: 'visible', ...WAIT });
    const me = await (await page.request.get(`${baseOf(e)}/web/u/5/api/session`)).json() as { userId: string };
    await page.locator('#switch-cancel').click();
    expect(await page.locator('#switch').isVisible()).toBe(false);
    expect((await (await page.request.get(`${baseOf(e)}/web/u/5/api/session`)).json() as { userId: string }).userId).toBe(me.userId);
    // A made-up code, even confirmed, signs nobody out.
    await page.goto(`${baseOf(e)}/web/u/5/?code=made-up-code`);
    await page.locator('#switch-confirm').click();
    await expect.poll(() => page.locator('#error').textContent(), WAIT).toContain('không đúng');
    expect((await (await page.request.get(`${baseOf(e)}/web/u/5/api/session`)).json() as { userId: string }).userId).toBe(me.userId);
    // Confirmed with a real code: the tab becomes the other person.
    await page.goto(`${baseOf(e)}/web/u/5/?code=pn-ubnd-01`);
    await page.locator('#switch-confirm').click();
    await expect.poll(async () => (await (await page.request.get(`${baseOf(e)}/web/u/5/api/session`)).json() as { userId: string }).userId, WAIT).not.toBe(me.userId);
    await context.close();
  });

});

describe('web process and worker process (liaison start --role web / --role worker)', { timeout: 300_000 }, () => {
  let e: E2E;
  let worker: App | undefined;
  let browser: Browser;
  beforeAll(async () => {
    e = await createE2E({ role: 'web' });
    worker = await startApp({ config: e.config, logger: e.logger, clock: systemClock, role: 'worker' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await e?.close();
  });

  it('messages the worker delivers reach the page the web process serves', async () => {
    const page = await (await browser.newContext()).newPage();
    await openSignInLink(page, `${baseOf(e)}/web/u/1/?code=pv-hue-01`);
    // The web process ran the flow; only the worker delivers (the web process has no outbox worker).
    await botMessage(page, 'Xin chào Trần Thị Minh Thư').waitFor(WAIT);
    await send(page, 'Bao giờ thông xe cầu Trường Tiền?');
    await botMessage(page, 'lĩnh vực nào').waitFor(WAIT);
    const sent = await e.app.db.db.selectFrom('outbox').select(['status']).where('platform', '=', 'web').execute();
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent.every((r) => r.status === 'sent')).toBe(true);
  });
});
