import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';

const reporter = tgUser('Thư');
const health = tgUser('Tuấn');
const finance = tgUser('Bảo');
const police = tgUser('Sơn');
const coord = tgUser('Diệp');
const coord2 = tgUser('Khoa');

/** Asks a question on a topic; returns the reporter's question message id and the inquiry code. */
async function ask(e: E2E, question: string, topic: string): Promise<{ questionId: number; code: string }> {
  await e.say(reporter, question, 'lĩnh vực nào');
  const questionId = e.lastUserMessage.get(reporter.id)!;
  await e.press(reporter, topic, 'Xác nhận gửi');
  const accepted = await e.press(reporter, 'Gửi', 'Đã tiếp nhận');
  return { questionId, code: /Q-\d+/.exec(accepted.text)![0] };
}

/** The spokesperson replies to `replyTo` with an answer, sees the preview, and confirms it. */
async function answer(e: E2E, text: string, replyTo: number): Promise<void> {
  await e.say(health, text, 'CHƯA GỬI', replyTo);
  await e.press(health, 'Gửi câu trả lời', 'Đã gửi câu trả lời chính thức');
}

describe('the inquiry journey on Telegram (real adapter, fake Bot API, SQLite, Redis)', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await createE2E();
    for (const [user, code] of [[reporter, 'pv-hue-01'], [health, 'pn-syte-01'], [finance, 'pn-tc-01'], [police, 'pn-ca-01'], [coord, 'dpv-vhtt-01'], [coord2, 'dpv-vhtt-02']] as const) {
      // Khoa chose English in the directory: the person's language wins over the chat's.
      await e.say(user, `/start ${code}`, user === coord2 ? 'Hello' : 'Xin chào');
    }
  });
  afterAll(async () => { await e.close(); });

  it('loaded the sample network on first start', () => {
    expect(e.app.sampleLoaded).toBe(true);
  });

  it('registration → coordinator approves with a button → the reporter may ask', async () => {
    const newcomer = tgUser('Mới');
    await e.say(newcomer, '/start', 'chọn ngôn ngữ');
    await e.press(newcomer, 'Tiếng Việt', 'họ và tên');
    await e.say(newcomer, 'Nguyễn Văn Mới', 'cơ quan báo chí nào');
    await e.press(newcomer, 'Báo Tuổi Trẻ', 'thẻ nhà báo');
    const n = e.fake.sent.length;
    await e.say(newcomer, 'TTO-2026-77', 'gửi tới đầu mối sàng lọc');
    await e.nextTo(coord, n, 'TTO-2026-77');
    await e.say(newcomer, 'Cho hỏi về dịch bệnh?', 'đang chờ đầu mối sàng lọc xác minh');
    await e.press(coord, 'Duyệt', 'Đã duyệt phóng viên Nguyễn Văn Mới');
    await e.nextTo(newcomer, n, 'đã được xác minh');
    await e.say(newcomer, 'Cho hỏi về dịch bệnh?', 'lĩnh vực nào');
  });

  it('question → agency → answer by replying → arrives as a reply to the original → follow-up → rating', async () => {
    const { questionId, code } = await ask(e, 'Số ca sốt xuất huyết tại Huế tuần này?', 'Y tế');
    const notice = await e.nextTo(health, 0, (s) => s.text.includes(code) && s.text.includes('sốt xuất huyết'));
    expect(notice.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Nhận xử lý', 'Trả lời', 'Hỏi lại phóng viên', 'Chuyển đơn vị', 'Xin gia hạn', 'Từ chối']);

    const n = e.fake.sent.length;
    await answer(e, 'Tuần này có 12 ca, giảm 30%.', notice.messageId);
    const answered = await e.nextTo(reporter, n, `Trả lời câu hỏi ${code}`);
    expect(answered.replyToMessageId).toBe(questionId);
    expect(answered.text).toContain('Sở Y tế');
    expect(answered.text).toContain('giảm 30%');
    expect(answered.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Hài lòng', 'Chấp nhận được', 'Không hài lòng']);

    const followup = await e.say(reporter, 'Bao nhiêu ca nặng?', 'Đã chuyển', answered.messageId);
    const followupId = e.lastUserMessage.get(reporter.id)!;
    expect(followup.text).toContain(code);
    const toStaff = await e.nextTo(health, n, 'Bao nhiêu ca nặng?');
    const m = e.fake.sent.length;
    await answer(e, 'Có 2 ca nặng.', toStaff.messageId);
    const second = await e.nextTo(reporter, m, 'Có 2 ca nặng.');
    // The answer to the follow-up is threaded under the follow-up.
    expect(second.replyToMessageId).toBe(followupId);
    await e.press(reporter, 'Hài lòng', 'Cảm ơn bạn đã đánh giá');
    const row = await e.app.db.db.selectFrom('inquiries').select(['status', 'rating']).where('code', '=', code).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'answered', rating: 'satisfied' });
    expect(e.sentTo(reporter, `Trả lời câu hỏi ${code}`)).toHaveLength(2);
  });

  it('screening: both coordinators see it; the first routes, the second is told it is no longer pending', async () => {
    const n = e.fake.sent.length;
    const { code } = await ask(e, 'Vụ việc an ninh tại phường Phú Xuân?', 'An ninh');
    await e.nextTo(coord, n, (s) => s.text.includes(code) && s.text.includes('Câu hỏi cần sàng lọc'));
    // The second coordinator chose English in the directory: the same notice, in English.
    await e.nextTo(coord2, n, (s) => s.text.includes(code) && s.text.includes('Inquiry to screen'));
    await e.press(coord, 'Chuyển:', `đã chuyển tới Công an`);
    await e.nextTo(police, n, (s) => s.text.includes(code));
    await e.press(coord2, 'Route:', 'no longer applies');
  });

  it('decline requires a statutory ground and a reason; the reporter sees both under the question', async () => {
    const { questionId, code } = await ask(e, 'Xin danh sách người bệnh?', 'Y tế');
    await e.nextTo(health, 0, (s) => s.text.includes(code));
    await e.press(health, 'Từ chối', 'Chọn căn cứ');
    await e.press(health, 'bí mật', 'gõ lý do cụ thể');
    const n = e.fake.sent.length;
    await e.say(health, 'Thông tin người bệnh là bí mật đời tư.', 'Đã gửi thông báo từ chối');
    const declined = await e.nextTo(reporter, n, 'từ chối cung cấp thông tin');
    expect(declined.replyToMessageId).toBe(questionId);
    expect(declined.text).toContain('Căn cứ: Thuộc bí mật nhà nước, bí mật đời tư');
    expect(declined.text).toContain('Lý do: Thông tin người bệnh là bí mật đời tư.');
    expect(declined.text).toMatch(/\((điểm a khoản 2 Điều 38 Luật Báo chí 2016|khoản 2 Điều 31 Luật Báo chí 2025)/);
    expect(declined.text).toContain('— Hoàng Minh Tuấn');
  });

  it('clarification round trip, then transfer to another agency', async () => {
    const { questionId, code } = await ask(e, 'Kinh phí chống dịch năm 2027?', 'Y tế');
    await e.nextTo(health, 0, (s) => s.text.includes(code));
    await e.press(health, 'Hỏi lại', 'làm rõ');
    const n = e.fake.sent.length;
    await e.say(health, 'Bạn hỏi kinh phí tỉnh hay trung ương?', 'Đã gửi câu hỏi làm rõ');
    const clarify = await e.nextTo(reporter, n, 'tỉnh hay trung ương');
    expect(clarify.replyToMessageId).toBe(questionId);
    await e.say(reporter, 'Kinh phí của tỉnh.', 'Đã chuyển', clarify.messageId);
    await e.nextTo(health, n, 'Kinh phí của tỉnh.');
    const m = e.fake.sent.length;
    await e.press(health, 'Chuyển đơn vị', 'tới cơ quan nào');
    await e.press(health, 'Sở Tài chính', 'Đã chuyển câu hỏi');
    await e.nextTo(finance, m, (s) => s.text.includes(code) && s.text.includes('Kinh phí chống dịch'));
    const moved = await e.nextTo(reporter, m, 'Sở Tài chính');
    expect(moved.replyToMessageId).toBe(questionId);
  });

  it('a user without the role pressing a spokesperson button is refused, and nothing changes', async () => {
    const { code } = await ask(e, 'Lịch tiêm chủng tháng 12?', 'Y tế');
    const id = Number(code.slice(2));
    const anyMessage = e.fake.sent.filter((s) => s.chatId === reporter.id).at(-1)!;
    const n = e.fake.sent.length;
    e.fake.userPresses(reporter, anyMessage.messageId, `ack|${id}`);
    await e.nextTo(reporter, n, 'không có quyền');
    e.fake.userPresses(finance, e.fake.sent.filter((s) => s.chatId === finance.id).at(-1)!.messageId, `ans|${id}`);
    await e.nextTo(finance, n, 'không có quyền');
    const row = await e.app.db.db.selectFrom('inquiries').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('assigned');
    expect(e.fake.callbackAnswers.length).toBeGreaterThan(0);
  });

  it('a replayed update is processed once', async () => {
    const n = e.fake.sent.length;
    await e.say(reporter, '/my', 'Các câu hỏi của bạn');
    const updateId = (e.fake.updates.at(-1) as { update_id: number }).update_id;
    e.fake.replayUpdate(updateId);
    await e.say(reporter, '/help', 'Mạng lưới phát ngôn');
    expect(e.fake.sent.slice(n).filter((s) => s.chatId === reporter.id && s.text.includes('Các câu hỏi của bạn'))).toHaveLength(1);
    const rows = await e.app.db.db.selectFrom('inbound_events').select('event_id').where('event_id', '=', String(updateId)).execute();
    expect(rows).toHaveLength(1);
  });

  it('malformed updates are skipped without a crash', async () => {
    // Ids come from the fake's sequence: a forged higher id would, as on Telegram, confirm away later updates.
    e.fake.injectUpdate({ message: 'not an object' }, { assignUpdateId: true });
    e.fake.injectUpdate({ nothing: true }, { assignUpdateId: true });
    e.fake.injectUpdate({ message: { message_id: 1, chat: { id: reporter.id, type: 'private' }, date: 'yesterday', text: 'hi' } }, { assignUpdateId: true });
    e.fake.injectUpdate({ callback_query: { id: 'x', from: { id: reporter.id }, data: 'ack|1' } }, { assignUpdateId: true });
    await e.say(reporter, '/help', 'Mạng lưới phát ngôn');
  });
});
