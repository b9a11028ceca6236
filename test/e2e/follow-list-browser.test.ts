import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { botMessage, checkScreen, pressAction as press, signInWorkspace, withBotInChromium } from '../helpers/browser.js';
import type { E2E } from '../helpers/e2e-app.js';

const WAIT = { timeout: 20_000 };
const OUT = join(REPO_ROOT, 'test-output');

const check = (page: Page, name: string) => checkScreen(page, OUT, 'following', name);

describe('a reporter\'s followed questions in the workspace, in Chromium', () => {
  let e: E2E;
  let browser: Browser;
  withBotInChromium(OUT, (started) => ({ e, browser } = started));
  const base = () => `http://127.0.0.1:${e.app.httpPort}`;

  it('lists a followed question live, opens the follower\'s view (public part only), shows its answer signed, and stops following', async () => {
    const asker = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const follower = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const staff = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await e.app.db.db.updateTable('persons').set({ title: 'Phó Giám đốc', title_en: 'Deputy Director' }).where('full_name', '=', 'Hoàng Minh Tuấn').execute();
    await signInWorkspace(asker, base(), 1, 'pv-hue-01', WAIT);
    await signInWorkspace(follower, base(), 2, 'pv-tto-01', WAIT);
    await signInWorkspace(staff, base(), 3, 'pn-syte-01', WAIT);
    await botMessage(asker, 'Xin chào').waitFor(WAIT);
    await asker.locator('#composer-text').fill('Lịch tiêm vắc-xin sởi cho trẻ năm nay thế nào?');
    await asker.locator('#composer-text').press('Enter');
    await press(asker, /^Y tế$/);
    await press(asker, /^Gửi$/);
    const code = /Q-\d+/.exec((await botMessage(asker, 'Đã tiếp nhận câu hỏi Q-').textContent()) ?? '')![0];
    await asker.locator('nav.views button', { hasText: 'Hộp thư' }).click();

    // The follower's list is there from the start, empty; following (typed in the chat) fills it
    // without a reload, beside the chat on a wide screen.
    await follower.locator('nav.views button', { hasText: 'Hộp thư' }).click();
    await follower.locator('#inbox-following', { hasText: 'Đang theo dõi (0)' }).waitFor(WAIT);
    await follower.locator('#composer-text').fill(`/follow ${code}`);
    await follower.locator('#composer-text').press('Enter');
    await botMessage(follower, `Bạn đang theo dõi câu hỏi ${code}`).waitFor(WAIT);
    const row = follower.locator('#inbox-following + ul .inbox-open', { hasText: code });
    await row.waitFor(WAIT);
    expect(await row.textContent()).toContain('Lịch tiêm vắc-xin sởi');
    expect(await row.textContent()).toMatch(/Sở Y tế/);
    expect(await row.textContent()).toMatch(/còn \d+ (ngày làm việc|giờ)/);
    expect(await follower.locator('#inbox-mine', { hasText: 'Câu hỏi của tôi (0)' }).count()).toBe(1);
    await check(follower, 'list');

    // Opening it: the follower's view, read-only, never naming who asked.
    await row.click();
    await follower.locator('#thread-title', { hasText: code }).waitFor(WAIT);
    await follower.locator('.thread-items .t-kind-question', { hasText: 'Lịch tiêm vắc-xin sởi' }).waitFor(WAIT);
    expect(await follower.locator('#thread').textContent()).not.toContain('Trần Thị Minh Thư');
    expect(await follower.locator('.thread-composer').isHidden()).toBe(true);
    const unfollow = follower.locator('.follower-bar button', { hasText: 'Thôi theo dõi' });
    expect(await unfollow.count()).toBe(1);
    await check(follower, 'view');

    // The spokesperson's thread shows each action in its own style: [Từ chối] is not [Nhận xử lý].
    await staff.reload();
    await staff.locator('.inbox-open', { hasText: code }).click();
    await staff.locator('#thread .thread-actions button.action-danger', { hasText: 'Từ chối' }).waitFor(WAIT);
    expect(await staff.locator('#thread .thread-actions button.action-primary', { hasText: 'Nhận xử lý' }).count()).toBe(1);
    const colour = (label: string) => staff.locator('#thread .thread-actions button', { hasText: label }).evaluate((b) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(b).backgroundColor);
    expect(await colour('Từ chối')).not.toBe(await colour('Nhận xử lý'));
    await check(staff, 'staff-actions');

    // The answer arrives in the follower's open view by itself, signed with name and position.
    await staff.locator('#thread-text').fill('Lịch tiêm sởi: thứ Bảy hằng tuần tại trạm y tế phường.');
    await staff.locator('.thread-composer button[type="submit"]').click();
    await staff.locator('#thread .thread-preview button', { hasText: 'Gửi câu trả lời' }).click(WAIT);
    const answer = follower.locator('.thread-items .t-kind-answer', { hasText: 'thứ Bảy hằng tuần' });
    await answer.waitFor(WAIT);
    expect(await answer.locator('.t-by').textContent()).toBe('bởi Hoàng Minh Tuấn, Phó Giám đốc');
    await expect.poll(async () => follower.locator('.thread-meta').textContent(), WAIT).toContain('đã trả lời');
    await check(follower, 'answered');
    await follower.setViewportSize({ width: 360, height: 780 });
    await check(follower, 'answered');
    await follower.locator('.back-button').click();
    await follower.locator('#inbox-following + ul .inbox-open', { hasText: code }).waitFor(WAIT);
    await check(follower, 'list');

    // Stop following, from the view: back to the lists, which no longer hold it.
    await follower.locator('#inbox-following + ul .inbox-open', { hasText: code }).click();
    await unfollow.click(WAIT);
    await follower.locator('#inbox-following', { hasText: 'Đang theo dõi (0)' }).waitFor(WAIT);
    // The server, not the page, keeps it closed now.
    const id = (await e.app.db.db.selectFrom('inquiries').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    expect((await follower.request.get(`${base()}/web/u/2/api/inbox/followed?id=${id}`)).status()).toBe(403);
  }, 240_000);
});
