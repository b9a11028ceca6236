import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { botMessage, checkScreen, pressAction, signInWorkspace, withBotInChromium } from '../helpers/browser.js';
import { tgUser, type E2E } from '../helpers/e2e-app.js';

const WAIT = { timeout: 30_000 };
const OUT = join(REPO_ROOT, 'test-output');

describe('a spokesperson\'s answer preview is a panel by the web page\'s composer (confirm / edit / cancel); Telegram keeps its buttons (issue 14), in Chromium', () => {
  let e: E2E;
  let browser: Browser;
  withBotInChromium(OUT, (started) => ({ e, browser } = started));

  it('cancel drops it, edit asks again, send sends it once', async () => {
    const reporter = tgUser('Phóng viên');
    await e.say(reporter, '/start pv-hue-01', 'Xin chào');
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signInWorkspace(page, `http://127.0.0.1:${e.app.httpPort}`, 1, 'pn-syte-01', WAIT);
    await page.locator('nav.views button', { hasText: 'Trò chuyện với bot' }).click();
    await e.say(reporter, 'Bao giờ có lịch tiêm vắc-xin sởi đợt mới?', 'lĩnh vực nào');
    await e.press(reporter, 'Y tế', 'Xác nhận gửi');
    const code = /Q-\d+/.exec((await e.press(reporter, 'Gửi', 'Đã tiếp nhận câu hỏi')).text)![0];
    await botMessage(page, `Câu hỏi ${code}`).waitFor(WAIT);

    const panel = page.locator('#answer-preview');
    const write = async (text: string) => {
      await page.locator('#composer-text').fill(text);
      await page.locator('#composer-text').press('Enter');
    };
    // [Trả lời] on the notice, then the text: previewed in the panel, not as a bubble with buttons.
    await pressAction(page, /^Trả lời$/);
    await botMessage(page, `Gõ nội dung trả lời cho câu hỏi ${code}`).waitFor(WAIT);
    await write('Đợt tiêm mới bắt đầu từ thứ Hai tuần sau.');
    await panel.locator('.preview-item', { hasText: 'Đợt tiêm mới bắt đầu' }).waitFor(WAIT);
    expect(await panel.locator('h2').textContent()).toBe('Xem trước câu trả lời (CHƯA GỬI)');
    expect(await panel.locator('button').allTextContents()).toEqual(['Gửi câu trả lời', 'Sửa', 'Hủy']);
    const bubble = botMessage(page, 'CHƯA GỬI');
    expect(await bubble.locator('button.action').count()).toBe(0);
    expect(await bubble.locator('.preview-note').count()).toBe(1);
    await checkScreen(page, OUT, 'preview', 'panel');
    await page.setViewportSize({ width: 360, height: 780 });
    await checkScreen(page, OUT, 'preview', 'panel');
    await page.setViewportSize({ width: 1280, height: 900 });

    // [Hủy]: the panel closes, nothing reaches the reporter.
    await panel.locator('button', { hasText: 'Hủy' }).click();
    await expect.poll(() => panel.isHidden(), WAIT).toBe(true);
    await botMessage(page, 'Đã hủy bản nháp').waitFor(WAIT);
    // The settled preview stays in the conversation with its choice marked.
    expect(await botMessage(page, 'CHƯA GỬI').locator('button.is-chosen', { hasText: 'Hủy' }).count()).toBe(1);

    // Again; [Sửa]: the bot asks for the text again, the message box has the focus; a new preview.
    await pressAction(page, /^Trả lời$/);
    await expect.poll(() => page.locator('li.msg-bot', { hasText: `Gõ nội dung trả lời cho câu hỏi ${code}` }).count(), WAIT).toBe(2);
    await write('Bản đầu.');
    await panel.locator('.preview-item', { hasText: 'Bản đầu.' }).waitFor(WAIT);
    await panel.locator('button', { hasText: 'Sửa' }).click();
    await botMessage(page, `Gõ lại nội dung trả lời cho câu hỏi ${code}`).waitFor(WAIT);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe('composer-text');
    await write('Đợt tiêm mới bắt đầu từ thứ Hai tuần sau, tại trạm y tế phường.');
    await panel.locator('.preview-item', { hasText: 'tại trạm y tế phường' }).waitFor(WAIT);
    expect(await panel.locator('.preview-item').count()).toBe(1);
    await panel.locator('button', { hasText: 'Gửi câu trả lời' }).click();
    await expect.poll(() => panel.isHidden(), WAIT).toBe(true);
    await botMessage(page, `Đã gửi câu trả lời chính thức cho câu hỏi ${code}`).waitFor(WAIT);
    // The reporter on Telegram gets the confirmed text once, never the draft nor the cancelled one.
    await expect.poll(() => e.sentTo(reporter, `Trả lời câu hỏi ${code}`).length, WAIT).toBe(1);
    expect(e.sentTo(reporter, `Trả lời câu hỏi ${code}`)[0]!.text).toContain('tại trạm y tế phường');
    expect(e.sentTo(reporter, 'Bản đầu.')).toEqual([]);
    await checkScreen(page, OUT, 'preview', 'sent');
    await page.setViewportSize({ width: 360, height: 780 });
    await checkScreen(page, OUT, 'preview', 'sent');
  }, 240_000);
});
