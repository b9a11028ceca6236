import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireDeadlineStep } from '../../flows/deadline/fire.js';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';

const reporter = tgUser('Thư');
const health = tgUser('Tuấn');
// "hết ngày 08/12/2026 (thứ Ba), còn 2 ngày làm việc": the day the period ends, its weekday, the time left.
const END_OF_DAY_DUE = /hết ngày \d{2}\/\d{2}\/\d{4} \((thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ nhật)\), còn \d+ (ngày làm việc|giờ|phút)/;

describe('wording and buttons on Telegram (real adapter, fake Bot API)', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await createE2E();
    await e.say(reporter, '/start pv-hue-01', 'Xin chào');
    await e.say(health, '/start pn-syte-01', 'Xin chào');
  });
  afterAll(async () => { await e.close(); });

  const keyboardEdits = (messageId: number) => e.fake.calls.filter((c) => c.method === 'editMessageReplyMarkup' && Number(c.params.message_id) === messageId);

  it('marks the chosen button and drops the others; a second tap changes nothing; the acceptance names the last day', async () => {
    const topics = await e.say(reporter, 'Số ca sốt xuất huyết tại Huế tuần này?', 'lĩnh vực nào');
    const confirm = await e.press(reporter, 'Y tế', 'Xác nhận gửi');
    await e.fake.waitFor(() => keyboardEdits(topics.messageId)[0], { timeoutMs: 10_000, description: 'topic keyboard edited' });
    expect(keyboardEdits(topics.messageId)[0]!.params.reply_markup).toEqual({ inline_keyboard: [[{ text: '✓ Y tế', callback_data: 'done|' }]] });

    const accepted = await e.press(reporter, 'Gửi', 'Đã tiếp nhận');
    expect(accepted.text).toMatch(new RegExp(`Hạn trả lời: ${END_OF_DAY_DUE.source}`));
    expect(accepted.text).not.toMatch(/00:00/);
    await e.fake.waitFor(() => keyboardEdits(confirm.messageId)[0], { timeoutMs: 10_000, description: 'confirm keyboard edited' });
    expect(keyboardEdits(confirm.messageId)[0]!.params.reply_markup).toEqual({ inline_keyboard: [[{ text: '✓ Gửi', callback_data: 'done|' }]] });

    // A double tap lands on the settled button: answered, nothing sent, no confusing prompt.
    const n = e.fake.sent.length;
    const calls = e.fake.calls.length;
    const query = e.fake.userPresses(reporter, confirm.messageId, 'done|');
    await e.fake.waitFor(() => e.fake.calls.slice(calls).find((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === query), { timeoutMs: 10_000, description: 'tap answered' });
    await new Promise((r) => { setTimeout(r, 1500); });
    expect(e.fake.sent.slice(n).filter((s) => s.chatId === reporter.id)).toEqual([]);
  });

  it('a reminder says the due day, its weekday and the time left; the rating buttons do not come back', async () => {
    const code = /Q-\d+/.exec(e.sentTo(reporter, 'Đã tiếp nhận').at(-1)!.text)![0];
    const inquiry = await e.app.db.db.selectFrom('inquiries').select(['id', 'due_at']).where('code', '=', code).executeTakeFirstOrThrow();
    const n = e.fake.sent.length;
    // Half the period gone: fire the 50% reminder as the scheduler would, at a "now" inside the period.
    const halfway = new Date((Date.now() + Date.parse(inquiry.due_at!)) / 2);
    await e.app.db.db.transaction().execute((tx) => fireDeadlineStep(tx, inquiry.id, 'r50-1', halfway, 'vi'));
    const reminder = await e.nextTo(health, n, 'Nhắc hạn');
    expect(reminder.text).toMatch(/— hạn hết ngày \d{2}\/\d{2}\/\d{4} \((thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ nhật)\)/);
    expect(reminder.text).toMatch(/; còn \d+ (ngày|giờ)/);

    const notice = e.sentTo(health, code).find((s) => s.text.includes('sốt xuất huyết'))!;
    const m = e.fake.sent.length;
    await e.answer(health, 'Tuần này có 12 ca.', notice.messageId);
    const answer = await e.nextTo(reporter, m, `Trả lời câu hỏi ${code}`);
    await e.press(reporter, 'Hài lòng', 'Cảm ơn bạn đã đánh giá');
    await e.fake.waitFor(() => keyboardEdits(answer.messageId)[0], { timeoutMs: 10_000, description: 'rating keyboard edited' });
    expect(keyboardEdits(answer.messageId)[0]!.params.reply_markup).toEqual({ inline_keyboard: [[{ text: '✓ Hài lòng', callback_data: 'done|' }]] });
  });
});
