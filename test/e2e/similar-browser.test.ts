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
