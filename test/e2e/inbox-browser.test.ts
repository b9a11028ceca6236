import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { botMessage, checkScreen, pressAction as press, signInWorkspace, withBotInChromium } from '../helpers/browser.js';
import type { E2E } from '../helpers/e2e-app.js';

const WAIT = { timeout: 20_000 };
const OUT = join(REPO_ROOT, 'test-output');

const check = (page: Page, name: string) => checkScreen(page, OUT, 'inbox', name);

describe('the web inbox in Chromium: a reporter\'s and a spokesperson\'s day through inbox → thread → reply, a coordinator screening a likely duplicate, and search', () => {
  let e: E2E;
  let browser: Browser;
  withBotInChromium(OUT, (started) => ({ e, browser } = started));
  const base = () => `http://127.0.0.1:${e.app.httpPort}`;

  it('works at 1280 and 360 px', async () => {
    const reporter = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const staff = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
    await signInWorkspace(reporter, base(), 1, 'pv-hue-01', WAIT);
    await signInWorkspace(staff, base(), 2, 'pn-syte-01', WAIT);
    const coordinator = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signInWorkspace(coordinator, base(), 3, 'dpv-vhtt-01', WAIT);
    // A new reporter starts in the chat with the bot (the inbox is empty), and asks there.
    await botMessage(reporter, 'Xin chào Trần Thị Minh Thư').waitFor(WAIT);
    await reporter.locator('#composer-text').fill('Lịch tiêm vắc-xin sởi cho trẻ thế nào?');
    await reporter.locator('#composer-text').press('Enter');
    await press(reporter, /^Y tế$/);
    await press(reporter, /^Gửi$/);
    const accepted = await botMessage(reporter, 'Đã tiếp nhận câu hỏi Q-').textContent();
    const code = /Q-\d+/.exec(accepted ?? '')![0];

    // Before sending a second, similar question, the existing one is offered.
    await reporter.locator('#composer-text').fill('Tiêm vắc xin sởi cho trẻ em ở đâu?');
    const similar = reporter.locator('.similar-line', { hasText: code });
    await similar.waitFor(WAIT);
    expect(await similar.textContent()).toContain(`Đã có câu hỏi tương tự ${code}`);
    await check(reporter, 'reporter-similar');
    // Sent anyway, unsure of the field: it goes to screening, where the coordinator sees the likely duplicate.
    await reporter.locator('#composer-text').press('Enter');
    // While the bot asks the field (not known yet) the offer stays; once another field is chosen, a
    // question of Y tế is no longer offered (similar questions are of the same topic).
    await expect.poll(() => reporter.locator('li.msg-bot', { hasText: 'lĩnh vực nào' }).count(), WAIT).toBe(2);
    await similar.waitFor(WAIT);
    await press(reporter, 'Khác / chưa rõ');
    await expect.poll(() => reporter.locator('li.msg-bot', { hasText: 'Xác nhận gửi' }).count(), WAIT).toBe(2);
    await expect.poll(() => reporter.locator('.similar-line', { hasText: code }).count(), WAIT).toBe(0);
    await check(reporter, 'reporter-confirm-other-topic');
    await reporter.setViewportSize({ width: 360, height: 780 });
    await check(reporter, 'reporter-confirm-other-topic');
    await reporter.setViewportSize({ width: 1280, height: 900 });
    await press(reporter, /^Gửi$/);
    await expect.poll(async () => reporter.locator('li.msg-bot', { hasText: 'Đã tiếp nhận câu hỏi Q-' }).count(), WAIT).toBe(2);
    await coordinator.reload();
    const screening = coordinator.locator('#inbox-screening + ul .inbox-open', { hasText: 'Tiêm vắc xin sởi cho trẻ em ở đâu?' });
    await screening.waitFor(WAIT);
    await screening.click();
    await coordinator.locator('.thread-actions button.action', { hasText: 'Gộp' }).first().waitFor(WAIT);
    // Likely duplicates are the same topic's (as on the screening notice): the health question is not listed here.
    expect(await coordinator.locator('.thread-dups').isHidden()).toBe(true);
    expect(await coordinator.locator('li.msg-bot', { hasText: 'Có thể trùng' }).count()).toBe(0);
    await check(coordinator, 'coordinator-screening');

    // The spokesperson (phone) opens the page on the inbox: the question is in the agency's queue, unread.
    await staff.reload();
    await staff.locator('.inbox-open', { hasText: code }).waitFor(WAIT);
    const row = staff.locator('.inbox-open', { hasText: code });
    expect(await row.textContent()).toMatch(/còn \d+ (ngày làm việc|giờ|phút)/);
    expect(await row.textContent()).toContain('Sở Y tế');
    expect(await row.textContent()).toContain('chưa đọc');
    expect(await staff.locator('#inbox h3').first().textContent()).toContain('Hàng chờ của cơ quan');
    await check(staff, 'staff-inbox');
    await row.click();
    await staff.locator('#thread-title', { hasText: code }).waitFor(WAIT);
    await staff.locator('.t-item', { hasText: 'Lịch tiêm vắc-xin sởi cho trẻ thế nào?' }).waitFor(WAIT);
    expect(await staff.locator('.t-divider').count()).toBeGreaterThan(0);
    expect(await staff.locator('.thread-actions button.action', { hasText: 'Nhận xử lý' }).count()).toBe(1);
    await check(staff, 'staff-thread');
    // The answer is written in the thread's composer; Enter adds a line, the button sends it to be
    // previewed, and the preview's [Gửi câu trả lời] among the thread's actions sends it out.
    await staff.locator('#thread-text').fill('Lịch tiêm sởi: thứ Bảy hằng tuần tại trạm y tế phường.');
    await staff.locator('.thread-composer button[type="submit"]').click();
    const confirm = staff.locator('.thread-actions button.action', { hasText: 'Gửi câu trả lời' });
    await confirm.waitFor(WAIT);
    expect(await staff.locator('.t-kind-answer', { hasText: 'thứ Bảy hằng tuần' }).count()).toBe(0);
    await confirm.click();
    await staff.locator('.t-kind-answer', { hasText: 'thứ Bảy hằng tuần' }).waitFor(WAIT);
    // The sent preview's buttons are not offered again.
    await expect.poll(async () => confirm.count(), WAIT).toBe(0);

    // The reporter's inbox shows the answer as unread; the thread marks where the new part starts.
    await reporter.locator('nav.views button', { hasText: 'Hộp thư' }).click();
    const mine = reporter.locator('.inbox-open', { hasText: code });
    await expect.poll(async () => mine.textContent(), WAIT).toContain('đã trả lời');
    await expect.poll(async () => mine.textContent(), WAIT).toContain('chưa đọc');
    await check(reporter, 'reporter-inbox');
    await mine.click();
    await reporter.locator('.t-kind-answer', { hasText: 'thứ Bảy hằng tuần' }).waitFor(WAIT);
    expect(await reporter.locator('#t-unread-marker').count()).toBe(1);
    await check(reporter, 'reporter-thread');
    await reporter.locator('#thread-text').fill('Có cần đặt lịch trước không?');
    await reporter.locator('.thread-composer button[type="submit"]').click();
    await reporter.locator('.t-kind-followup', { hasText: 'Có cần đặt lịch trước không?' }).waitFor(WAIT);
    await expect.poll(async () => (await reporter.locator('.inbox-open', { hasText: code }).textContent()) ?? '', WAIT).not.toContain('chưa đọc');

    // Search without diacritics finds the question, and opens its thread.
    await reporter.locator('#inbox-search').fill('tiem vac xin');
    await reporter.locator('.inbox-search button[type="submit"]').click();
    await reporter.locator('#inbox-results', { hasText: 'Kết quả tìm kiếm (2)' }).waitFor(WAIT);
    await check(reporter, 'reporter-search');
    await reporter.locator('.inbox-open', { hasText: `${code}L` }).click();
    await reporter.locator('#thread-title', { hasText: code }).waitFor(WAIT);

    // The same screens on a phone, and in English.
    await reporter.setViewportSize({ width: 360, height: 780 });
    await check(reporter, 'reporter-thread');
    await reporter.locator('.back-button').click();
    await check(reporter, 'reporter-search');
    await reporter.locator('#lang-toggle').click();
    await reporter.locator('#inbox-title', { hasText: 'Inbox' }).waitFor(WAIT);
    // The follow-up reopened it: in progress again, with a new due time, worded in English.
    expect(await reporter.locator('.inbox-open', { hasText: code }).textContent()).toMatch(/in progress.*(working days?|hours?|min) left/);
    await staff.setViewportSize({ width: 1280, height: 900 });
    await staff.locator('.t-kind-followup', { hasText: 'Có cần đặt lịch trước không?' }).waitFor(WAIT);
    await check(staff, 'staff-thread');

    // The bot conversation stays one click away.
    await reporter.locator('nav.views button', { hasText: 'Chat with the bot' }).click();
    await botMessage(reporter, 'Đã tiếp nhận câu hỏi').waitFor(WAIT);
  }, 240_000);
});
