import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { launchChromium } from '../helpers/browser.js';
import { createE2E, type E2E } from '../helpers/e2e-app.js';

const WAIT = { timeout: 15_000 };

/** The bot's message (list item) whose text contains `text`. */
const botMessage = (page: Page, text: string) => page.locator('li.msg-bot', { hasText: text }).last();

async function send(page: Page, text: string): Promise<void> {
  await page.locator('#composer-text').fill(text);
  await page.locator('#composer-text').press('Enter');
}

describe('the web channel in a real browser (Debian Chromium, full bot, SQLite, Redis)', () => {
  let e: E2E;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    e = await createE2E();
    base = `http://127.0.0.1:${e.app.httpPort}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await e?.close();
  });

  it('reporter and spokesperson walk the journey: ask, answer by replying, the answer under the question, follow-up, rating', async () => {
    const reporter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const staff = await (await browser.newContext()).newPage();

    await staff.goto(`${base}/web?code=pn-syte-01`);
    await botMessage(staff, 'Xin chào').waitFor(WAIT);
    await reporter.goto(`${base}/web?code=pv-hue-01`);
    await botMessage(reporter, 'Xin chào Trần Thị Minh Thư').waitFor(WAIT);
    expect(reporter.url()).not.toContain('pv-hue-01');
    await send(reporter, 'Số ca sốt xuất huyết tuần này?');
    await reporter.locator('button.action', { hasText: 'Y tế' }).last().click();
    await reporter.locator('button.action', { hasText: /^Gửi$/ }).last().click();
    await botMessage(reporter, 'Đã tiếp nhận câu hỏi Q-').waitFor(WAIT);

    const notice = botMessage(staff, 'Số ca sốt xuất huyết tuần này?');
    await notice.waitFor(WAIT);
    await notice.locator('button.reply-button').click();
    await send(staff, 'Tuần này ghi nhận 12 ca, giảm 30%.');
    await botMessage(staff, 'Đã gửi câu trả lời').waitFor(WAIT);

    const answer = botMessage(reporter, 'giảm 30%');
    await answer.waitFor(WAIT);
    await expect.poll(() => answer.getAttribute('class')).toContain('is-reply');
    expect(await answer.locator('.quote').textContent()).toContain('Số ca sốt xuất huyết');

    await answer.locator('button.reply-button').click();
    await send(reporter, 'Có bao nhiêu ca nặng?');
    await botMessage(reporter, 'Đã chuyển').waitFor(WAIT);
    const followup = botMessage(staff, 'Có bao nhiêu ca nặng?');
    await followup.waitFor(WAIT);
    await followup.locator('button.reply-button').click();
    await send(staff, 'Có 2 ca nặng, đã ổn định.');
    await botMessage(reporter, 'Có 2 ca nặng').waitFor(WAIT);

    await reporter.locator('button.action', { hasText: /^Hài lòng$/ }).last().click();
    await botMessage(reporter, 'Cảm ơn bạn đã đánh giá').waitFor(WAIT);
    const row = await e.app.db.db.selectFrom('inquiries').select(['status', 'rating']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'answered', rating: 'satisfied' });

    mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true });
    await reporter.screenshot({ path: join(REPO_ROOT, 'test-output', 'web-journey.png'), fullPage: true });
  });

  it('refuses a reused invite, a stale session and a forged CSRF token', async () => {
    const again = await (await browser.newContext()).newPage();
    await again.goto(`${base}/web?code=pv-hue-01`);
    await botMessage(again, 'đã được sử dụng').waitFor(WAIT);

    const stale = await browser.newContext({ extraHTTPHeaders: { cookie: 'liaison_session=stale-session-id' } });
    expect((await stale.request.get(`${base}/web/api/session`)).status()).toBe(401);

    const forged = await again.request.post(`${base}/web/api/messages`, { headers: { 'x-csrf-token': 'forged-token', 'content-type': 'application/json' }, data: { text: 'hi', clientId: 'c1' } });
    expect(forged.status()).toBe(403);
  });
});
