import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';
import { sample, sha256 } from '../helpers/files.js';

const reporter = tgUser('Thư');
const health = tgUser('Tuấn');
const outsider = tgUser('Hải');

describe('photos and documents on Telegram (real adapter, fake Bot API with getFile and multipart uploads)', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await createE2E({ env: { PUBLIC_URL: 'http://127.0.0.1:1' } });
    for (const [user, code] of [[reporter, 'pv-hue-01'], [health, 'pn-syte-01'], [outsider, 'pv-tto-01']] as const) {
      await e.say(user, `/start ${code}`, 'Xin chào');
    }
  });
  afterAll(async () => { await e.close(); });

  /** Forgets whatever the reporter was in the middle of (an earlier test's question). */
  async function clearDialog(): Promise<void> {
    await e.say(reporter, '/cancel', (s) => /Đã hủy|Không có thao tác/.test(s.text));
  }

  /** A photo with a caption, then the topic and confirmation: returns the inquiry code. */
  async function askWithPhoto(caption: string, photo: Buffer): Promise<{ code: string; questionId: number }> {
    await clearDialog();
    const n = e.fake.sent.length;
    const m = e.fake.userSendsFile(reporter, { kind: 'photo', bytes: photo, caption });
    await e.nextTo(reporter, n, 'lĩnh vực nào');
    await e.press(reporter, 'Y tế', 'Xác nhận gửi');
    const accepted = await e.press(reporter, 'Gửi', 'Đã tiếp nhận');
    return { code: /Q-\d+/.exec(accepted.text)![0], questionId: m.message_id };
  }

  it('a photo with a caption is a question with its photo; the spokesperson gets both; a PDF answer reaches the reporter byte for byte, under the question', async () => {
    const photo = sample.jpeg(150_000);
    const { code, questionId } = await askWithPhoto('Ngập ở đường Lê Lợi sáng nay, Sở có phương án gì?', photo);
    const notice = await e.nextTo(health, 0, (s) => s.text.includes(code) && s.text.includes('Lê Lợi'));
    const photoToStaff = await e.nextTo(health, 0, (s) => s.file?.method === 'sendPhoto');
    expect(photoToStaff.file).toMatchObject({ uploaded: true, sha256: sha256(photo) });

    const letter = sample.pdf(400_000, 7);
    const n = e.fake.sent.length;
    e.fake.userSendsFile(health, { kind: 'document', bytes: letter, name: 'Công văn 123-SYT.pdf', mimeType: 'application/pdf', caption: 'Sở đã bố trí 3 máy bơm.', replyTo: notice.messageId });
    await e.nextTo(health, n, 'CHƯA GỬI');
    await e.press(health, 'Gửi câu trả lời', 'Đã gửi câu trả lời chính thức');
    const answer = await e.nextTo(reporter, n, `Trả lời câu hỏi ${code}`);
    expect(answer.text).toContain('3 máy bơm');
    expect(answer.replyToMessageId).toBe(questionId);
    const doc = await e.nextTo(reporter, n, (s) => s.file?.method === 'sendDocument');
    expect(doc.file).toMatchObject({ name: 'Công văn 123-SYT.pdf', mimeType: 'application/pdf', sha256: sha256(letter), uploaded: true });
    expect(doc.replyToMessageId).toBe(questionId);
    // The rating buttons ride on the last part (the letter).
    expect(doc.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toContain('Hài lòng');

    const record = await e.say(reporter, `/files ${code}`, 'Tệp của câu hỏi');
    expect(record.text).toContain('Công văn 123-SYT.pdf — application/pdf');
    expect(record.text).toContain(`SHA-256 ${sha256(letter)}`);
    expect(record.text).toContain(`SHA-256 ${sha256(photo)}`);
    expect(record.text).toContain('trả lời');
    const my = await e.say(reporter, '/my', 'Các câu hỏi của bạn');
    expect(my.text).toContain('📎 trả lời có tệp đính kèm');
    await e.say(outsider, `/files ${code}`, 'không có quyền');
  });

  it('the same bytes are uploaded to the bot once: later sends reuse the file_id', async () => {
    const photo = sample.jpeg(50_000);
    const first = await askWithPhoto('Ảnh hiện trường 1', photo);
    await e.nextTo(health, 0, (s) => s.text.includes(first.code));
    await e.nextTo(health, 0, (s) => s.file?.sha256 === sha256(photo));
    const before = e.fake.sent.filter((s) => s.chatId === health.id && s.file?.sha256 === sha256(photo));
    const n = e.fake.sent.length;
    const second = await askWithPhoto('Ảnh hiện trường 2', photo);
    await e.nextTo(health, n, (s) => s.text.includes(second.code));
    const again = await e.nextTo(health, n, (s) => s.file?.sha256 === sha256(photo));
    expect(before[0]?.file?.uploaded).toBe(true);
    expect(again.file).toMatchObject({ uploaded: false, fileId: before[0]?.file?.fileId });
  });

  it('a photo without a caption waits for the question text; the album item after it joins the same question', async () => {
    const n = e.fake.sent.length;
    e.fake.userSendsFile(reporter, { kind: 'photo', bytes: sample.jpeg(20_000), groupId: 'album-1' });
    await e.nextTo(reporter, n, 'Vui lòng gửi nội dung câu hỏi');
    await e.say(reporter, 'Cầu Trường Tiền có bị ảnh hưởng không?', 'lĩnh vực nào');
    e.fake.userSendsFile(reporter, { kind: 'photo', bytes: sample.jpeg(21_000), groupId: 'album-2' });
    await e.nextTo(reporter, n, 'Đã thêm 1 tệp');
    await e.press(reporter, 'Y tế', 'Xác nhận gửi');
    const accepted = await e.press(reporter, 'Gửi', 'Đã tiếp nhận');
    const code = /Q-\d+/.exec(accepted.text)![0];
    const id = Number(code.slice(2));
    const files = await e.app.db.db.selectFrom('attachments').select(['kind', 'sender_person_id']).where('inquiry_id', '=', id).execute();
    expect(files).toHaveLength(2);
  });

  it('oversize, wrong type and a renamed executable are refused with a clear message in the person\'s language', async () => {
    const n = e.fake.sent.length;
    e.fake.userSendsFile(reporter, { kind: 'document', bytes: sample.pdf(21 * 1024 * 1024), name: 'lon.pdf', mimeType: 'application/pdf', caption: 'Tài liệu lớn' });
    await e.nextTo(reporter, n, 'quá lớn');
    e.fake.userSendsFile(reporter, { kind: 'document', bytes: sample.exe(), name: 'bao-cao.pdf', mimeType: 'application/pdf' });
    const refused = await e.nextTo(reporter, n, (s) => s.text.includes('bao-cao.pdf') && s.text.includes('không được nhận'));
    expect(refused.text).toContain('Nội dung tệp được kiểm tra');
    await e.say(outsider, '/lang en', (s) => s.text.length > 0);
    const m = e.fake.sent.length;
    e.fake.userSendsFile(outsider, { kind: 'document', bytes: Buffer.from('just text'), name: 'notes.docx' });
    await e.nextTo(outsider, m, 'was not accepted');
    const stored = await e.app.db.db.selectFrom('attachments').select('name').where('name', 'like', '%bao-cao%').execute();
    expect(stored).toEqual([]);
  });

  it('a 429 in the middle of a message with several files (text, photo 1, photo 2): nothing sent twice, nothing lost', async () => {
    const one = sample.jpeg(30_001);
    const two = sample.jpeg(30_002);
    await clearDialog();
    const n = e.fake.sent.length;
    e.fake.userSendsFile(reporter, { kind: 'photo', bytes: one, caption: 'Sạt lở ở Hương Trà, có người bị thương không?', groupId: 'album-429' });
    await e.nextTo(reporter, n, 'lĩnh vực nào');
    e.fake.userSendsFile(reporter, { kind: 'photo', bytes: two, groupId: 'album-429' });
    await e.nextTo(reporter, n, 'Đã thêm 1 tệp');
    // The second photo to the spokesperson is refused once with 429: the retry must start there.
    let photosToStaff = 0;
    let refused = 0;
    e.fake.addInterceptor((call) => {
      if (call.method !== 'sendPhoto' || call.chatId !== health.id || refused > 0) return undefined;
      photosToStaff += 1;
      if (photosToStaff < 2) return undefined;
      refused += 1;
      return { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 };
    });
    await e.press(reporter, 'Y tế', 'Xác nhận gửi');
    const accepted = await e.press(reporter, 'Gửi', 'Đã tiếp nhận');
    const code = /Q-\d+/.exec(accepted.text)![0];
    await e.nextTo(health, n, (s) => s.file?.sha256 === sha256(two));
    const toStaff = e.fake.sent.slice(n).filter((s) => s.chatId === health.id);
    expect(refused).toBe(1);
    expect(toStaff.filter((s) => s.text.includes(code))).toHaveLength(1);
    expect(toStaff.filter((s) => s.file?.sha256 === sha256(one))).toHaveLength(1);
    expect(toStaff.filter((s) => s.file?.sha256 === sha256(two))).toHaveLength(1);
    // The fake records a send before the bot records it: wait for the row to be marked sent.
    await vi.waitFor(async () => {
      const row = await e.app.db.db.selectFrom('outbox').select(['status', 'parts_sent']).where('platform', '=', 'telegram')
        .where('chat_id', '=', String(health.id)).where('attachments', 'is not', null).orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'sent', parts_sent: 3 });
    }, { timeout: 10_000, interval: 50 });
  });

  it('a restart in the middle of a message with files resumes after the parts already sent', async () => {
    const letter = sample.pdf(60_000, 42);
    const { code, questionId } = await askWithPhoto('Trường học nào phải nghỉ vì lũ?', sample.jpeg(12_345));
    const notice = await e.nextTo(health, 0, (s) => s.text.includes(code) && s.text.includes('Trường học'));
    // The letter's upload fails with 5xx until the bot is restarted: the text part is sent, the file is not.
    let failing = true;
    e.fake.addInterceptor((call) => (failing && call.method === 'sendDocument' && call.chatId === reporter.id ? { error_code: 502, description: 'Bad Gateway' } : undefined));
    const n = e.fake.sent.length;
    e.fake.userSendsFile(health, { kind: 'document', bytes: letter, name: 'danh-sach.pdf', mimeType: 'application/pdf', caption: 'Danh sách 12 trường kèm theo.', replyTo: notice.messageId });
    await e.nextTo(health, n, 'CHƯA GỬI');
    await e.press(health, 'Gửi câu trả lời', 'Đã gửi câu trả lời chính thức');
    await e.nextTo(reporter, n, `Trả lời câu hỏi ${code}`);
    await e.fake.waitFor(() => e.fake.calls.filter((c) => c.method === 'sendDocument' && c.status === 502).length >= 1, { timeoutMs: 10_000 });
    await e.restartBot();
    failing = false;
    const doc = await e.nextTo(reporter, n, (s) => s.file?.sha256 === sha256(letter));
    expect(doc.replyToMessageId).toBe(questionId);
    expect(e.fake.sent.slice(n).filter((s) => s.chatId === reporter.id && s.text.includes(`Trả lời câu hỏi ${code}`))).toHaveLength(1);
    expect(e.fake.sent.slice(n).filter((s) => s.chatId === reporter.id && s.file?.sha256 === sha256(letter))).toHaveLength(1);
  });
});
