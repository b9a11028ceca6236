import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { botMessage, checkScreen, pressAction, signInWorkspace, withBotInChromium } from '../helpers/browser.js';
import { tgUser, type E2E } from '../helpers/e2e-app.js';

const WAIT = { timeout: 30_000 };
const OUT = join(REPO_ROOT, 'test-output');

/**
 * A new reporter (Telegram) asks the health department while its spokesperson, signed in on the
 * web page (a fresh bot: slot 1, the invite), watches the chat: the page shows the notice.
 */
async function askWhileStaffWatches(e: E2E, browser: Browser, question: string) {
  const reporter = tgUser('Phóng viên');
  await e.say(reporter, '/start pv-hue-01', 'Xin chào');
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signInWorkspace(page, `http://127.0.0.1:${e.app.httpPort}`, 1, 'pn-syte-01', WAIT);
  await page.locator('nav.views button', { hasText: 'Trò chuyện với bot' }).click();
  await e.say(reporter, question, 'lĩnh vực nào');
  await e.press(reporter, 'Y tế', 'Xác nhận gửi');
  const code = /Q-\d+/.exec((await e.press(reporter, 'Gửi', 'Đã tiếp nhận câu hỏi')).text)![0];
  await botMessage(page, `Câu hỏi ${code}`).waitFor(WAIT);
  return { reporter, page, code };
}

describe('a spokesperson\'s answer preview is a panel by the web page\'s composer (confirm / edit / cancel); Telegram keeps its buttons (issue 14), in Chromium', () => {
  let e: E2E;
  let browser: Browser;
  withBotInChromium(OUT, (started) => ({ e, browser } = started));

  it('cancel drops it, send sends it once', async () => {
    const { reporter, page, code } = await askWhileStaffWatches(e, browser, 'Bao giờ có lịch tiêm vắc-xin sởi đợt mới?');

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

    // Again, and sent ([Sửa] on the page opens its own edit box: the next test).
    await pressAction(page, /^Trả lời$/);
    await expect.poll(() => page.locator('li.msg-bot', { hasText: `Gõ nội dung trả lời cho câu hỏi ${code}` }).count(), WAIT).toBe(2);
    await write('Đợt tiêm mới bắt đầu từ thứ Hai tuần sau, tại trạm y tế phường.');
    await panel.locator('.preview-item', { hasText: 'tại trạm y tế phường' }).waitFor(WAIT);
    expect(await panel.locator('.preview-item').count()).toBe(1);
    await panel.locator('button', { hasText: 'Gửi câu trả lời' }).click();
    await expect.poll(() => panel.isHidden(), WAIT).toBe(true);
    await botMessage(page, `Đã gửi câu trả lời chính thức cho câu hỏi ${code}`).waitFor(WAIT);
    // The reporter on Telegram gets the confirmed text once, never the draft nor the cancelled one.
    await expect.poll(() => e.sentTo(reporter, `Trả lời câu hỏi ${code}`).length, WAIT).toBe(1);
    expect(e.sentTo(reporter, `Trả lời câu hỏi ${code}`)[0]!.text).toContain('tại trạm y tế phường');
    await checkScreen(page, OUT, 'preview', 'sent');
    await page.setViewportSize({ width: 360, height: 780 });
    await checkScreen(page, OUT, 'preview', 'sent');
  }, 240_000);
});

describe('the answer preview\'s edit box on the web page (issue 14), in Chromium', () => {
  let e: E2E;
  let browser: Browser;
  withBotInChromium(OUT, (started) => ({ e, browser } = started));

  it('[Sửa] opens an edit box holding the draft; Enter is a new line, [Hủy sửa] keeps the draft, [Lưu bản nháp] shows the new preview; only [Gửi câu trả lời] sends the edited text; a correction is edited the same way', async () => {
    const { reporter, page, code } = await askWhileStaffWatches(e, browser, 'Trường mầm non nào có ca tay chân miệng tháng này?');
    const panel = page.locator('#answer-preview');
    const box = page.getByLabel('Sửa nội dung câu trả lời', { exact: true });
    await pressAction(page, /^Trả lời$/);
    await botMessage(page, `Gõ nội dung trả lời cho câu hỏi ${code}`).waitFor(WAIT);
    await page.locator('#composer-text').fill('Bản nháp đầu.');
    await page.locator('#composer-text').press('Enter');
    await panel.locator('.preview-item', { hasText: 'Bản nháp đầu.' }).waitFor(WAIT);

    // [Sửa]: the draft's own text (not the preview's heading or signature) in a labelled box.
    await panel.locator('button', { hasText: /^Sửa$/ }).click();
    await box.waitFor(WAIT);
    expect(await box.inputValue()).toBe('Bản nháp đầu.');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe('preview-edit-text');
    expect(await panel.locator('button').allTextContents()).toEqual(['Lưu bản nháp', 'Hủy sửa']);
    // Enter is a new line in the box, never a send.
    await box.press('End');
    await box.press('Enter');
    await box.pressSequentially('Dòng hai.');
    expect(await box.inputValue()).toBe('Bản nháp đầu.\nDòng hai.');
    expect(await box.isVisible()).toBe(true);
    // [Hủy sửa]: the preview as it was, with its buttons.
    await panel.locator('button', { hasText: 'Hủy sửa' }).click();
    await panel.locator('.preview-item', { hasText: 'Bản nháp đầu.' }).waitFor(WAIT);
    expect(await panel.locator('button').allTextContents()).toEqual(['Gửi câu trả lời', 'Sửa', 'Hủy']);

    await panel.locator('button', { hasText: /^Sửa$/ }).click();
    await box.fill('Có 3 trường mầm non ghi nhận ca bệnh; đã khử khuẩn toàn bộ lớp học.\nPhụ huynh theo dõi trẻ và báo trạm y tế phường khi trẻ sốt.');
    await checkScreen(page, OUT, 'preview', 'edit');
    await page.setViewportSize({ width: 360, height: 780 });
    await checkScreen(page, OUT, 'preview', 'edit');
    await page.setViewportSize({ width: 1280, height: 900 });
    await panel.locator('button', { hasText: 'Lưu bản nháp' }).click();
    // The new text is previewed (one preview for the inquiry), not sent; the bot asked for nothing again.
    await panel.locator('.preview-item', { hasText: 'báo trạm y tế phường khi trẻ sốt' }).waitFor(WAIT);
    expect(await panel.locator('.preview-item').count()).toBe(1);
    expect(await panel.locator('button').allTextContents()).toEqual(['Gửi câu trả lời', 'Sửa', 'Hủy']);
    expect(await botMessage(page, 'Bản nháp đầu.').locator('button.is-chosen', { hasText: 'Sửa' }).count()).toBe(1);
    expect(await page.locator('li.msg-bot', { hasText: `Gõ lại nội dung trả lời cho câu hỏi ${code}` }).count()).toBe(0);
    expect(e.sentTo(reporter, 'khử khuẩn')).toEqual([]);
    await checkScreen(page, OUT, 'preview', 'edit-saved');

    await panel.locator('button', { hasText: 'Gửi câu trả lời' }).click();
    await botMessage(page, `Đã gửi câu trả lời chính thức cho câu hỏi ${code}`).waitFor(WAIT);
    await expect.poll(() => e.sentTo(reporter, `Trả lời câu hỏi ${code}`).length, WAIT).toBe(1);
    const sent = e.sentTo(reporter, `Trả lời câu hỏi ${code}`)[0]!.text;
    expect(sent).toContain('Có 3 trường mầm non ghi nhận ca bệnh; đã khử khuẩn toàn bộ lớp học.\nPhụ huynh theo dõi trẻ');
    expect(e.sentTo(reporter, 'Bản nháp đầu')).toEqual([]);
    const id = Number(code.slice(2));
    const entries = () => e.app.db.db.selectFrom('inquiry_entries').select(['kind', 'text']).where('inquiry_id', '=', id).where('kind', 'in', ['answer', 'answer_correction']).orderBy('id').execute();
    expect(await entries()).toEqual([{ kind: 'answer', text: expect.stringContaining('đã khử khuẩn toàn bộ lớp học') }]);

    // A correction within the window: previewed in the panel, edited in the box the same way.
    await pressAction(page, 'Sửa câu trả lời');
    await botMessage(page, `Gõ nội dung đã sửa của câu trả lời ${code}`).waitFor(WAIT);
    await page.locator('#composer-text').fill('Có 4 trường mầm non ghi nhận ca bệnh.');
    await page.locator('#composer-text').press('Enter');
    await panel.locator('.preview-item', { hasText: 'Có 4 trường' }).waitFor(WAIT);
    await panel.locator('button', { hasText: /^Sửa$/ }).click();
    const correction = page.getByLabel('Sửa nội dung bản sửa câu trả lời', { exact: true });
    await correction.waitFor(WAIT);
    expect(await correction.inputValue()).toBe('Có 4 trường mầm non ghi nhận ca bệnh.');
    await correction.fill('Có 4 trường mầm non ghi nhận ca bệnh; đã khử khuẩn toàn bộ lớp học.');
    await panel.locator('button', { hasText: 'Lưu bản nháp' }).click();
    await panel.locator('.preview-item', { hasText: 'Có 4 trường mầm non ghi nhận ca bệnh; đã khử khuẩn' }).waitFor(WAIT);
    expect(await panel.locator('.preview-item').textContent()).toContain('Xem trước bản sửa câu trả lời');
    await panel.locator('button', { hasText: 'Gửi câu trả lời' }).click();
    await botMessage(page, `Đã gửi bản sửa câu trả lời ${code}`).waitFor(WAIT);
    await expect.poll(async () => (await entries()).length, WAIT).toBe(2);
    expect((await entries())[1]).toEqual({ kind: 'answer_correction', text: 'Có 4 trường mầm non ghi nhận ca bệnh; đã khử khuẩn toàn bộ lớp học.' });
    // The reporter's answer is edited in place ("đã sửa") with the edited correction, never the first one.
    const edited = () => e.fake.edits.filter((x) => x.chatId === reporter.id).map((x) => x.text ?? '');
    await expect.poll(() => edited().some((text) => text.includes('(đã sửa)') && text.includes('Có 4 trường mầm non ghi nhận ca bệnh; đã khử khuẩn')), WAIT).toBe(true);
    expect([...edited(), ...e.sentTo(reporter, 'Có 4').map((m) => m.text)].filter((text) => text.includes('Có 4 trường mầm non ghi nhận ca bệnh.'))).toEqual([]);
  }, 240_000);
});

describe('an answer preview in the inquiry\'s thread (issue 14), in Chromium', () => {
  let e: E2E;
  let browser: Browser;
  withBotInChromium(OUT, (started) => ({ e, browser } = started));

  it('shows the preview\'s text with its buttons; a new text supersedes it (its buttons spent, in the chat too); [Sửa] edits it in place, [Gửi câu trả lời] sends the edited text', async () => {
    const { reporter, page, code } = await askWhileStaffWatches(e, browser, 'Bệnh viện nào nhận khám sốt xuất huyết vào cuối tuần?');
    await page.locator('nav.views button', { hasText: 'Hộp thư' }).click();
    await page.locator('.inbox-open', { hasText: code }).click();
    await page.locator('#thread-title', { hasText: code }).waitFor(WAIT);
    const preview = page.locator('.thread-preview');
    const answer = async (text: string) => {
      await page.locator('#thread-text').fill(text);
      await page.locator('.thread-composer button[type="submit"]').click();
    };

    // The answer written in the thread is previewed there: its text, not sent, with its three buttons.
    await answer('Bệnh viện Trung ương Huế nhận khám cả thứ Bảy.');
    await preview.locator('.preview-item', { hasText: 'nhận khám cả thứ Bảy' }).waitFor(WAIT);
    expect(await preview.locator('h4').textContent()).toBe('Xem trước câu trả lời (CHƯA GỬI)');
    expect(await preview.locator('button').allTextContents()).toEqual(['Gửi câu trả lời', 'Sửa', 'Hủy']);

    // A new text while it waits replaces the draft: the old preview's buttons are spent, here and in the chat.
    await answer('Bệnh viện Trung ương Huế và Bệnh viện Đại học Y Dược nhận khám cả thứ Bảy.');
    await preview.locator('.preview-item', { hasText: 'Đại học Y Dược' }).waitFor(WAIT);
    await expect.poll(() => preview.locator('.preview-item').count(), WAIT).toBe(1);
    const old = page.locator('li.msg-bot', { hasText: 'Bệnh viện Trung ương Huế nhận khám cả thứ Bảy.' });
    await expect.poll(() => old.locator('button.action.is-disabled[disabled]').count(), WAIT).toBe(3);
    expect(await old.locator('button.is-chosen').count()).toBe(0);
    expect(await page.locator('#answer-preview .preview-item').count()).toBe(1);
    // In the chat: the superseded preview is an ordinary message with its buttons off, the panel holds the new one.
    await page.locator('nav.views button', { hasText: 'Trò chuyện với bot' }).click();
    await old.scrollIntoViewIfNeeded();
    await checkScreen(page, OUT, 'preview', 'superseded');
    await page.setViewportSize({ width: 360, height: 780 });
    await checkScreen(page, OUT, 'preview', 'superseded');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('nav.views button', { hasText: 'Hộp thư' }).click();
    await page.locator('.inbox-open', { hasText: code }).click();
    await preview.locator('.preview-item', { hasText: 'Đại học Y Dược' }).waitFor(WAIT);
    await checkScreen(page, OUT, 'preview', 'thread');
    await page.setViewportSize({ width: 360, height: 780 });
    await checkScreen(page, OUT, 'preview', 'thread');
    await page.setViewportSize({ width: 1280, height: 900 });

    // [Sửa] in the thread: the draft's own text in the thread's edit box (the bot asks nothing again).
    await preview.locator('button', { hasText: /^Sửa$/ }).click();
    const box = page.getByLabel('Sửa nội dung câu trả lời', { exact: true });
    await box.waitFor(WAIT);
    expect(await box.getAttribute('id')).toBe('thread-edit-text');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe('thread-edit-text');
    // [Hủy sửa]: the preview as it was, the keyboard back on its [Sửa]; then [Sửa] again.
    await preview.locator('button', { hasText: 'Hủy sửa' }).click();
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent), WAIT).toBe('Sửa');
    await preview.locator('button', { hasText: /^Sửa$/ }).click();
    await box.waitFor(WAIT);
    expect(await box.inputValue()).toBe('Bệnh viện Trung ương Huế và Bệnh viện Đại học Y Dược nhận khám cả thứ Bảy.');
    expect(await preview.locator('button').allTextContents()).toEqual(['Lưu bản nháp', 'Hủy sửa']);
    await box.press('End');
    await box.press('Enter');
    await box.pressSequentially('Chủ nhật: cấp cứu.');
    expect(await box.inputValue()).toContain('thứ Bảy.\nChủ nhật: cấp cứu.');
    await checkScreen(page, OUT, 'preview', 'thread-edit');
    await page.setViewportSize({ width: 360, height: 780 });
    await checkScreen(page, OUT, 'preview', 'thread-edit');
    await page.setViewportSize({ width: 1280, height: 900 });
    await preview.locator('button', { hasText: 'Lưu bản nháp' }).click();
    await preview.locator('.preview-item', { hasText: 'Chủ nhật: cấp cứu.' }).waitFor(WAIT);
    expect(await preview.locator('button').allTextContents()).toEqual(['Gửi câu trả lời', 'Sửa', 'Hủy']);
    expect(await page.locator('li.msg-bot', { hasText: `Gõ lại nội dung trả lời cho câu hỏi ${code}` }).count()).toBe(0);
    expect(e.sentTo(reporter, 'Chủ nhật')).toEqual([]);

    await preview.locator('button', { hasText: 'Gửi câu trả lời' }).click();
    await page.locator('.t-kind-answer', { hasText: 'Chủ nhật: cấp cứu.' }).waitFor(WAIT);
    await expect.poll(() => preview.count(), WAIT).toBe(0);
    await expect.poll(() => e.sentTo(reporter, `Trả lời câu hỏi ${code}`).length, WAIT).toBe(1);
    expect(e.sentTo(reporter, `Trả lời câu hỏi ${code}`)[0]!.text).toContain('Đại học Y Dược nhận khám cả thứ Bảy.\nChủ nhật: cấp cứu.');
  }, 240_000);
});
