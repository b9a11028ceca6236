import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';
import { sample, sha256 } from '../helpers/files.js';

const reporter = tgUser('Thư');
const health = tgUser('Tuấn');

/**
 * Official answers on Telegram (real adapter, fake Bot API, SQLite, Redis, BullMQ): previewed and
 * confirmed before they go out, signed, corrected in place within the window (issue 14).
 */
describe('answers are previewed, confirmed, signed and correctable (Telegram)', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await createE2E();
    for (const [user, code] of [[reporter, 'pv-hue-01'], [health, 'pn-syte-01']] as const) await e.say(user, `/start ${code}`, 'Xin chào');
  });
  afterAll(async () => { await e.close(); });

  async function ask(question: string): Promise<{ code: string; id: number; notice: number }> {
    await e.say(reporter, question, 'lĩnh vực nào');
    await e.press(reporter, 'Y tế', 'Xác nhận gửi');
    const accepted = await e.press(reporter, 'Gửi', 'Đã tiếp nhận');
    const code = /Q-\d+/.exec(accepted.text)![0];
    const notice = await e.nextTo(health, 0, (s) => s.text.includes(code) && s.text.includes(question));
    return { code, id: Number(code.slice(2)), notice: notice.messageId };
  }
  const db = () => e.app.db.db;
  /** Asks `question`, answers it with `text` (previewed, then sent): the reporter's answer message and the inquiry. */
  async function answered(question: string, text: string) {
    const asked = await ask(question);
    await e.say(health, text, 'CHƯA GỬI', asked.notice);
    const n = e.fake.sent.length;
    await e.press(health, 'Gửi câu trả lời', 'Đã gửi câu trả lời chính thức');
    return { ...asked, answer: await e.nextTo(reporter, n, text.slice(0, 12)) };
  }
  const toReporter = (needle: string) => e.sentTo(reporter, needle);

  it('preview → confirm: nothing goes out before the press, then exactly one signed answer', async () => {
    const { code, id, notice } = await ask('Bao giờ có vắc-xin sởi đợt mới?');
    const preview = await e.say(health, 'Đợt mới bắt đầu từ 15/12.', 'CHƯA GỬI', notice);
    expect(preview.text).toContain('— Hoàng Minh Tuấn, Phó Giám đốc Sở Y tế');
    expect(preview.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Gửi câu trả lời', 'Sửa', 'Hủy']);
    expect(toReporter('Đợt mới bắt đầu')).toHaveLength(0);
    expect((await db().selectFrom('inquiries').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('assigned');

    const n = e.fake.sent.length;
    await e.press(health, 'Gửi câu trả lời', 'Đã gửi câu trả lời chính thức');
    const answer = await e.nextTo(reporter, n, `Trả lời câu hỏi ${code}`);
    expect(answer.text).toContain('Đợt mới bắt đầu từ 15/12.');
    expect(answer.text).toContain('— Hoàng Minh Tuấn, Phó Giám đốc Sở Y tế');
    // Pressing the preview's button again sends nothing more.
    await e.press(health, 'Gửi câu trả lời', 'Không còn bản nháp');
    await e.say(health, '/help', 'Mạng lưới phát ngôn');
    expect(toReporter('Đợt mới bắt đầu')).toHaveLength(1);
  });

  it('a new text while a preview waits replaces it: the old preview loses its keyboard, only the new one sends (its word typed marks it as a press would)', async () => {
    const { code, notice } = await ask('Trạm y tế nào mở cửa chủ nhật?');
    const first = await e.say(health, 'Trạm y tế phường Vĩnh Ninh.', 'CHƯA GỬI', notice);
    const second = await e.say(health, 'Trạm y tế phường Vĩnh Ninh và phường Phú Hội.', 'CHƯA GỬI');
    expect(second.messageId).not.toBe(first.messageId);
    const spent = () => e.fake.edits.filter((x) => x.messageId === first.messageId && x.method === 'editMessageReplyMarkup');
    await expect.poll(() => spent().length, { timeout: 20_000 }).toBe(1);
    expect(spent()[0]!.replyMarkup?.inline_keyboard.flat() ?? []).toEqual([]);
    expect(e.fake.edits.filter((x) => x.messageId === second.messageId)).toEqual([]);
    // Sent by typing the button's word: the preview shows the choice as a press would.
    const n = e.fake.sent.length;
    await e.say(health, 'gửi', 'Đã gửi câu trả lời chính thức');
    expect((await e.nextTo(reporter, n, `Trả lời câu hỏi ${code}`)).text).toContain('và phường Phú Hội');
    const marked = () => e.fake.edits.filter((x) => x.messageId === second.messageId && x.method === 'editMessageReplyMarkup');
    await expect.poll(() => marked().length, { timeout: 20_000 }).toBe(1);
    expect(marked()[0]!.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['✓ Gửi câu trả lời']);
  });

  it('cancel: nothing is sent or recorded', async () => {
    const { id, notice } = await ask('Có bao nhiêu điểm tiêm?');
    await e.say(health, 'Có 40 điểm tiêm.', 'CHƯA GỬI', notice);
    await e.press(health, 'Hủy', 'Đã hủy bản nháp');
    await e.say(health, '/help', 'Mạng lưới phát ngôn');
    expect(toReporter('40 điểm tiêm')).toHaveLength(0);
    const row = await db().selectFrom('inquiries').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('assigned');
    expect(await db().selectFrom('inquiry_entries').select('id').where('inquiry_id', '=', id).where('kind', '=', 'answer').execute()).toEqual([]);
  });

  it('correction within the window: the reporter\'s message is edited in place ("đã sửa"), both versions kept', async () => {
    const { code, id, answer } = await answered('Giá dịch vụ tiêm chủng?', 'Giá 150.000 đồng một mũi.');
    await e.press(health, 'Sửa câu trả lời', 'còn 10 phút');
    await e.say(health, 'Giá 120.000 đồng một mũi.', 'Xem trước bản sửa');
    const edits = () => e.fake.calls.filter((c) => c.method === 'editMessageText' && c.status === 200 && Number(c.params.message_id) === answer.messageId);
    expect(edits()).toHaveLength(0);
    await e.press(health, 'Gửi câu trả lời', 'Đã gửi bản sửa');
    const edit = await e.fake.waitFor(() => edits()[0], { timeoutMs: 10_000, description: 'the answer edited' });
    expect(String(edit.params.text)).toContain(`Trả lời câu hỏi ${code} — Sở Y tế (đã sửa)`);
    expect(String(edit.params.text)).toContain('Giá 120.000');
    expect(String(edit.params.text)).toContain('— Hoàng Minh Tuấn');
    // Edited in place, not sent again; the rating buttons stay.
    expect(toReporter('120.000')).toHaveLength(0);
    expect(JSON.stringify(edit.params.reply_markup)).toContain('Hài lòng');
    const entries = await db().selectFrom('inquiry_entries').select(['kind', 'text']).where('inquiry_id', '=', id).where('kind', 'in', ['answer', 'answer_correction']).orderBy('id').execute();
    expect(entries).toEqual([{ kind: 'answer', text: 'Giá 150.000 đồng một mũi.' }, { kind: 'answer_correction', text: 'Giá 120.000 đồng một mũi.' }]);
    await e.say(health, '/help', 'Mạng lưới phát ngôn');
    expect(edits()).toHaveLength(1);
  });

  it('a correction with a letter: the text is edited in place and the letter follows under the answer, once; the record keeps it', async () => {
    const { code, id, answer } = await answered('Quy trình cấp phép quảng cáo thực phẩm?', 'Hồ sơ nộp tại Sở Y tế.');
    await e.press(health, 'Sửa câu trả lời', 'còn 10 phút');
    const letter = sample.pdf(30_000, 11);
    const m = e.fake.sent.length;
    e.fake.userSendsFile(health, { kind: 'document', bytes: letter, name: 'CV 77-SYT.pdf', mimeType: 'application/pdf', caption: 'Hồ sơ nộp trực tuyến theo công văn kèm theo.' });
    await e.nextTo(health, m, 'Xem trước bản sửa');
    await e.press(health, 'Gửi câu trả lời', 'Đã gửi bản sửa');
    const edited = await e.fake.waitFor(
      () => e.fake.calls.find((c) => c.method === 'editMessageText' && c.status === 200 && Number(c.params.message_id) === answer.messageId),
      { timeoutMs: 10_000, description: 'the answer edited' },
    );
    expect(String(edited.params.text)).toContain('(đã sửa)');
    expect(String(edited.params.text)).toContain('Hồ sơ nộp trực tuyến');
    const head = await e.nextTo(reporter, m, `Tệp kèm theo câu trả lời ${code} đã sửa (1 tệp)`);
    expect(head.replyToMessageId).toBe(answer.messageId);
    const doc = await e.nextTo(reporter, m, (s) => s.file?.method === 'sendDocument');
    expect(doc.file).toMatchObject({ name: 'CV 77-SYT.pdf', sha256: sha256(letter) });
    const files = await db().selectFrom('attachments as a').innerJoin('inquiry_entries as en', 'en.id', 'a.entry_id')
      .select(['a.name', 'en.kind']).where('a.inquiry_id', '=', id).execute();
    expect(files).toEqual([{ name: 'CV 77-SYT.pdf', kind: 'answer_correction' }]);
    await e.say(health, '/help', 'Mạng lưới phát ngôn');
    expect(e.fake.sent.filter((s) => s.chatId === reporter.id && s.file?.name === 'CV 77-SYT.pdf')).toHaveLength(1);
  });

  it('correction after the window is refused politely; nothing changes', async () => {
    const { id, notice } = await ask('Lịch nghỉ Tết của bệnh viện?');
    await e.say(health, 'Bệnh viện trực Tết đủ 4 ca.', 'CHƯA GỬI', notice);
    await e.press(health, 'Gửi câu trả lời', 'Đã gửi câu trả lời chính thức');
    // The answer went out 11 minutes ago (the window is 10).
    await db().updateTable('inquiries').set({ answered_at: new Date(Date.now() - 11 * 60_000).toISOString() }).where('id', '=', id).execute();
    const refused = await e.press(health, 'Sửa câu trả lời', 'chỉ sửa được trong 10 phút');
    expect(refused.text).toContain('Rất tiếc');
    const edits = e.fake.calls.filter((c) => c.method === 'editMessageText').length;
    // Replying to the question again is no way around it: the inquiry is answered.
    await e.say(health, 'Bệnh viện trực Tết đủ 5 ca.', 'không còn hiệu lực', notice);
    expect(await db().selectFrom('inquiry_entries').select('id').where('inquiry_id', '=', id).where('kind', '=', 'answer_correction').execute()).toEqual([]);
    expect(e.fake.calls.filter((c) => c.method === 'editMessageText').length).toBe(edits);
  });

  it('the answer to a follow-up is threaded under the follow-up', async () => {
    const { notice } = await ask('Số ca cúm mùa tuần này?');
    await e.say(health, 'Có 30 ca cúm mùa.', 'CHƯA GỬI', notice);
    let n = e.fake.sent.length;
    await e.press(health, 'Gửi câu trả lời', 'Đã gửi câu trả lời chính thức');
    const first = await e.nextTo(reporter, n, 'Có 30 ca cúm mùa.');
    n = e.fake.sent.length;
    await e.say(reporter, 'Có ca nào nặng không?', 'Đã chuyển', first.messageId);
    const followupId = e.lastUserMessage.get(reporter.id)!;
    const toStaff = await e.nextTo(health, n, 'Có ca nào nặng không?');
    await e.say(health, 'Không có ca nặng.', 'CHƯA GỬI', toStaff.messageId);
    n = e.fake.sent.length;
    await e.press(health, 'Gửi câu trả lời', 'Đã gửi câu trả lời chính thức');
    const second = await e.nextTo(reporter, n, 'Không có ca nặng.');
    expect(second.replyToMessageId).toBe(followupId);
  });
});
