import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { actionCount, botMessage, checkScreen, pressAction as press, pressNewAction, signInWorkspace, withBotInChromium } from '../helpers/browser.js';
import type { E2E } from '../helpers/e2e-app.js';

const WAIT = { timeout: 20_000 };
const OUT = join(REPO_ROOT, 'test-output');

const check = (page: Page, name: string) => checkScreen(page, OUT, 'follow', name);

describe('following a similar question and merging a duplicate, in Chromium', () => {
  let e: E2E;
  let browser: Browser;
  withBotInChromium(OUT, (started) => ({ e, browser } = started));
  const base = () => `http://127.0.0.1:${e.app.httpPort}`;

  it('another reporter follows the question and receives its answer; the coordinator merges the duplicate in one click', async () => {
    const asker = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const other = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
    const coordinator = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const staff = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signInWorkspace(asker, base(), 1, 'pv-hue-01', WAIT);
    await signInWorkspace(other, base(), 2, 'pv-tto-01', WAIT);
    await signInWorkspace(coordinator, base(), 3, 'dpv-vhtt-01', WAIT);
    await signInWorkspace(staff, base(), 4, 'pn-syte-01', WAIT);
    await botMessage(asker, 'Xin chào').waitFor(WAIT);
    await asker.locator('#composer-text').fill('Lịch tiêm vắc-xin sởi cho trẻ thế nào?');
    await asker.locator('#composer-text').press('Enter');
    await press(asker, /^Y tế$/);
    await press(asker, /^Gửi$/);
    const code = /Q-\d+/.exec((await botMessage(asker, 'Đã tiếp nhận câu hỏi Q-').textContent()) ?? '')![0];

    // Another reporter (on a phone) types a similar question: offered to follow it, never told whose it is.
    await other.locator('nav.views button', { hasText: 'Trò chuyện với bot' }).click();
    await other.locator('#composer-text').fill('Tiêm vắc xin sởi cho trẻ em ở đâu?');
    const line = other.locator('.similar-line', { hasText: code });
    await line.waitFor(WAIT);
    expect(await line.textContent()).toContain(`Đã có câu hỏi tương tự ${code}`);
    expect(await line.textContent()).not.toContain('Trần Thị Minh Thư');
    await check(other, 'offer');
    // The bot's answer shows under the offer too, in a live region there before it arrives.
    const followResult = other.locator('#composer .action-result[role="status"]');
    expect(await followResult.count()).toBe(1);
    await line.locator('button', { hasText: 'Theo dõi câu hỏi này' }).click();
    await expect.poll(() => followResult.textContent(), WAIT).toContain(`Bạn đang theo dõi câu hỏi ${code}`);
    await other.locator('.similar-line', { hasText: `Đang theo dõi ${code}` }).waitFor(WAIT);
    expect(await line.locator('button[aria-pressed="true"]', { hasText: 'Thôi theo dõi' }).count()).toBe(1);
    await check(other, 'following');
    await other.setViewportSize({ width: 1280, height: 900 });
    await check(other, 'following');
    await botMessage(other, `Bạn đang theo dõi câu hỏi ${code}`).waitFor(WAIT);
    // Through the workspace's action API: nothing was typed into the conversation for her.
    expect(await other.locator('li.msg-user').count()).toBe(0);
    await other.locator('#composer-text').fill('');

    // From now on health questions are screened (the directory says so), so a duplicate in the same
    // topic reaches the coordinator, whose thread lists it as the screening notice does.
    await e.app.db.db.updateTable('topics').set({ screening: 1 }).where('code', '=', 'YTE').execute();
    // The asker sends a duplicate anyway; the coordinator merges it in one click.
    await asker.locator('#composer-text').fill('Tiêm vắc xin sởi cho trẻ em ở đâu?');
    await asker.locator('.similar-line', { hasText: code }).waitFor(WAIT);
    const [topics, sends] = [await actionCount(asker, /^Y tế$/), await actionCount(asker, /^Gửi$/)];
    await asker.locator('#composer-text').press('Enter');
    await pressNewAction(asker, /^Y tế$/, topics);
    await pressNewAction(asker, /^Gửi$/, sends);
    await expect.poll(async () => asker.locator('li.msg-bot', { hasText: 'Đã tiếp nhận câu hỏi Q-' }).count(), WAIT).toBe(2);
    await coordinator.reload();
    await coordinator.locator('#inbox-screening + ul .inbox-open', { hasText: 'Tiêm vắc xin sởi cho trẻ em ở đâu?' }).click();
    const merge = coordinator.locator('.thread-dups button', { hasText: `Gộp vào ${code}` });
    await merge.waitFor(WAIT);
    await check(coordinator, 'duplicates');
    const mergeResult = coordinator.locator('#thread .action-result[role="status"]');
    await merge.click();
    await expect.poll(() => mergeResult.textContent(), WAIT).toMatch(new RegExp(`Câu hỏi Q-\\d+: đã gộp vào ${code}`));
    await expect.poll(async () => coordinator.locator('.thread-meta').textContent(), WAIT).toContain('đã gộp');
    await check(coordinator, 'merged');
    // The coordinator's own screening notice of the duplicate (which names the same likely duplicate,
    // with its own one-press merge) shows what was done, as a press would: that merge chosen, the
    // other screening buttons disabled (nothing left to press by mistake).
    const dup = /Câu hỏi (Q-\d+): đã gộp/.exec((await mergeResult.textContent()) ?? '')![1]!;
    await coordinator.locator('nav.views button', { hasText: 'Trò chuyện với bot' }).click();
    const notice = coordinator.locator('li.msg-bot', { hasText: dup }).filter({ has: coordinator.locator('button.action', { hasText: 'Gộp vào câu hỏi khác' }) });
    expect(await notice.textContent()).toContain(`Có thể trùng: ${code}`);
    await notice.locator('button.action.is-chosen[aria-pressed="true"]', { hasText: `Gộp vào ${code}` }).waitFor(WAIT);
    const screeningButtons = notice.locator('button.action');
    expect(await screeningButtons.count()).toBe(5);
    expect(await notice.locator('button.action.is-disabled[disabled]').count()).toBe(4);
    expect(await notice.locator('button.action:not([disabled])').count()).toBe(0);
    await notice.scrollIntoViewIfNeeded();
    await check(coordinator, 'merged-notice');
    await coordinator.setViewportSize({ width: 360, height: 780 });
    await notice.locator('button.action.is-chosen').scrollIntoViewIfNeeded();
    await check(coordinator, 'merged-notice');
    // Nor does the duplicate's thread offer the screening buttons any more (a settled message has none to press).
    const dupId = (await e.app.db.db.selectFrom('inquiries').select('id').where('code', '=', dup).executeTakeFirstOrThrow()).id;
    const thread = await (await coordinator.request.get(`${base()}/web/u/3/api/inbox/thread?id=${dupId}`)).json() as { buttons: Array<{ buttons: Array<{ label: string }> }> };
    expect(thread.buttons.flatMap((g) => g.buttons.map((b) => b.label))).not.toContain('Gộp vào câu hỏi khác');
    await coordinator.setViewportSize({ width: 1280, height: 900 });
    await coordinator.locator('nav.views button', { hasText: 'Hộp thư' }).click();
    await botMessage(asker, `trùng nội dung với câu hỏi ${code}`).waitFor(WAIT);
    expect(await coordinator.locator('li.msg-user', { hasText: '/merge' }).count()).toBe(0);

    // The action API checks the role on the server: a reporter posting a merge of her own (CSRF token
    // and all) is refused by the merge handler, and nothing changes.
    const api = `${base()}/web/u/2/api`;
    const { csrfToken } = await (await other.request.get(`${api}/session`)).json() as { csrfToken: string };
    const forged = await other.request.post(`${api}/inquiry-action`, {
      headers: { 'x-csrf-token': csrfToken, origin: base(), 'content-type': 'application/json' },
      data: { action: 'merge', code, into: 'Q-999', clientId: 'forged-merge-1' },
    });
    expect(forged.status()).toBe(200);
    await botMessage(other, 'không có quyền').waitFor(WAIT);
    expect((await e.app.db.db.selectFrom('inquiries').select('status').where('code', '=', code).executeTakeFirstOrThrow()).status).not.toBe('merged');
    const noCsrf = await other.request.post(`${api}/inquiry-action`, { headers: { origin: base(), 'content-type': 'application/json' }, data: { action: 'unfollow', code, clientId: 'no-csrf-1' } });
    expect(noCsrf.status()).toBe(403);

    // The spokesperson answers: the follower receives it once, in their own chat.
    await staff.reload();
    await staff.locator('.inbox-open', { hasText: code }).click();
    await staff.locator('#thread-text').fill('Lịch tiêm sởi: thứ Bảy hằng tuần tại trạm y tế phường.');
    await staff.locator('.thread-composer button[type="submit"]').click();
    // The answer is previewed first, and goes out once confirmed.
    await staff.locator('nav.views button', { hasText: 'Trò chuyện với bot' }).click();
    await staff.locator('#chat button.action', { hasText: 'Gửi câu trả lời' }).last().click(WAIT);
    await botMessage(other, `Câu hỏi ${code} bạn đang theo dõi đã có trả lời`).waitFor(WAIT);
    expect(await other.locator('li.msg-bot', { hasText: 'thứ Bảy hằng tuần' }).count()).toBe(1);
    await check(other, 'answered');

    // A merge the server refuses (into a question already answered, so closed) says why, beside the button.
    await asker.locator('#composer-text').fill('Cho hỏi lịch tiêm vắc xin sởi cho trẻ em tuần này?');
    await asker.locator('#composer-text').press('Enter');
    await botMessage(asker, '«Cho hỏi lịch tiêm vắc xin sởi cho trẻ em tuần này?»').waitFor(WAIT);
    await press(asker, /^Y tế$/);
    await press(asker, /^Gửi$/);
    await expect.poll(async () => asker.locator('li.msg-bot', { hasText: 'Đã tiếp nhận câu hỏi Q-' }).count(), WAIT).toBe(3);
    await coordinator.setViewportSize({ width: 360, height: 780 });
    await coordinator.locator('nav.views button', { hasText: 'Hộp thư' }).click();
    await coordinator.locator('#inbox-screening + ul .inbox-open', { hasText: 'tuần này' }).click(WAIT);
    await coordinator.locator('.thread-dups button', { hasText: `Gộp vào ${code}` }).click(WAIT);
    await expect.poll(() => mergeResult.textContent(), WAIT).toContain(`Không thể gộp vào ${code}`);
    // Beside a button nothing is typed: the refusal asks for no code or /cancel.
    expect(await mergeResult.textContent()).not.toMatch(/Gõ mã khác|\/cancel/);
    expect(await coordinator.locator('.thread-meta').textContent()).toContain('chờ sàng lọc');
    await check(coordinator, 'merge-refused');
  }, 240_000);
});
