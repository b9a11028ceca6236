import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { botMessage, checkScreen, pressAction as press, signInWorkspace, withBotInChromium } from '../helpers/browser.js';
import type { E2E } from '../helpers/e2e-app.js';

const WAIT = { timeout: 20_000 };
const OUT = join(REPO_ROOT, 'test-output');

const check = (page: Page, name: string) => checkScreen(page, OUT, 'similar', name);

describe('similar questions in the bot\'s confirmation on the web page, in Chromium', () => {
  let e: E2E;
  let browser: Browser;
  withBotInChromium(OUT, (started) => ({ e, browser } = started));
  const base = () => `http://127.0.0.1:${e.app.httpPort}`;

  it('the confirmation names the same topic\'s question with [Theo dõi Q-n]; pressing it follows it and sends nothing', async () => {
    const asker = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const other = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
    await signInWorkspace(asker, base(), 1, 'pv-hue-01', WAIT);
    await signInWorkspace(other, base(), 2, 'pv-tto-01', WAIT);
    await botMessage(asker, 'Xin chào').waitFor(WAIT);
    await asker.locator('#composer-text').fill('Lịch tiêm vắc-xin sởi cho trẻ dưới 5 tuổi thế nào?');
    await asker.locator('#composer-text').press('Enter');
    await press(asker, /^Y tế$/);
    await press(asker, /^Gửi$/);
    const code = /Q-\d+/.exec((await botMessage(asker, 'Đã tiếp nhận câu hỏi Q-').textContent()) ?? '')![0];

    await other.locator('nav.views button', { hasText: 'Trò chuyện với bot' }).click();
    await other.locator('#composer-text').fill('Tiêm vắc xin sởi cho trẻ dưới 5 tuổi ở đâu?');
    await other.locator('#composer-text').press('Enter');
    await press(other, /^Y tế$/);
    const confirm = botMessage(other, `Đã có câu hỏi tương tự ${code}, đang chờ trả lời`);
    await confirm.waitFor(WAIT);
    expect(await confirm.textContent()).not.toContain('Trần Thị Minh Thư');
    // One offer, in the conversation: the panel above the composer steps aside once the topic is chosen.
    await expect.poll(() => other.locator('.similar-line', { hasText: code }).count(), WAIT).toBe(0);
    const follow = confirm.locator('button.action', { hasText: `Theo dõi ${code}` });
    expect(await follow.count()).toBe(1);
    await follow.scrollIntoViewIfNeeded();
    await check(other, 'confirm');
    await other.setViewportSize({ width: 1280, height: 900 });
    await check(other, 'confirm');
    await follow.click();
    await botMessage(other, 'câu hỏi của bạn không được gửi').waitFor(WAIT);
    expect(await other.locator('li.msg-bot', { hasText: 'Đã tiếp nhận câu hỏi' }).count()).toBe(0);
    await check(other, 'followed');
  });
});

describe('the similar questions panel while the bot asks a question\'s topic, in Chromium', () => {
  let e: E2E;
  let browser: Browser;
  withBotInChromium(OUT, (started) => ({ e, browser } = started));
  const base = () => `http://127.0.0.1:${e.app.httpPort}`;

  it('while the bot asks the topic of a question, the panel names each similar question\'s topic; following one there follows it instead: the question is not sent, and the reporter is told so', async () => {
    const asker = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const other = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signInWorkspace(asker, base(), 1, 'pv-hue-01', WAIT);
    await signInWorkspace(other, base(), 2, 'pv-tto-01', WAIT);
    await asker.locator('nav.views button', { hasText: 'Trò chuyện với bot' }).click();
    await asker.locator('#composer-text').fill('Khi nào sửa xong cầu Trường Tiền sau đợt lũ vừa rồi?');
    await asker.locator('#composer-text').press('Enter');
    await press(asker, /^Xây dựng, giao thông$/);
    await press(asker, /^Gửi$/);
    const code = /Q-\d+/.exec((await botMessage(asker, 'Đã tiếp nhận câu hỏi Q-').textContent()) ?? '')![0];

    await other.locator('nav.views button', { hasText: 'Trò chuyện với bot' }).click();
    await other.locator('#composer-text').fill('Cầu Trường Tiền bị hư hại sau lũ khi nào sửa xong?');
    await other.locator('#composer-text').press('Enter');
    await botMessage(other, 'lĩnh vực nào').waitFor(WAIT);
    const line = other.locator('.similar-line', { hasText: code });
    await line.waitFor(WAIT);
    expect(await line.textContent()).toContain(`Đã có câu hỏi tương tự ${code} (lĩnh vực Xây dựng, giao thông)`);
    expect(await line.textContent()).toContain('theo dõi câu hỏi đó thay vì gửi câu hỏi của bạn?');
    await check(other, 'waiting-topic');
    await other.setViewportSize({ width: 360, height: 780 });
    await check(other, 'waiting-topic');
    await line.locator('button', { hasText: 'Theo dõi câu hỏi này' }).click();
    await other.locator('.action-result', { hasText: 'câu hỏi của bạn không được gửi' }).waitFor(WAIT);
    await botMessage(other, `Bạn đang theo dõi câu hỏi ${code}; câu hỏi của bạn không được gửi`).waitFor(WAIT);
    // The dialog ended: the offer goes, and the bot's question about the topic has its buttons spent.
    await expect.poll(() => other.locator('.similar-line').count(), WAIT).toBe(0);
    const topics = botMessage(other, 'lĩnh vực nào');
    await expect.poll(() => topics.locator('button.action:not([disabled])').count(), WAIT).toBe(0);
    expect(await topics.locator('button.action.is-disabled', { hasText: 'Xây dựng, giao thông' }).count()).toBe(1);
    await check(other, 'followed-instead');
    await other.setViewportSize({ width: 1280, height: 900 });
    await check(other, 'followed-instead');
    expect(await other.locator('li.msg-bot', { hasText: 'Đã tiếp nhận câu hỏi' }).count()).toBe(0);
    expect(await e.app.db.db.selectFrom('inquiries').select('id').execute()).toHaveLength(1);
  });
});
