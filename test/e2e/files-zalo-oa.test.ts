import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tgUser } from '../helpers/e2e-app.js';
import { sample, sha256 } from '../helpers/files.js';
import { createZaloE2E, type ZaloE2E } from '../helpers/zalo-oa-e2e.js';

const ZALO_REPORTER = '5720398470283746512';
const health = tgUser('Tuấn');

describe('photos and documents between a reporter on Zalo OA and a spokesperson on Telegram (whole bot, fakes)', () => {
  let z: ZaloE2E;
  beforeAll(async () => {
    z = await createZaloE2E({ PUBLIC_URL: 'http://127.0.0.1:1', FILES_MAX_MB: '8' });
    await z.say(ZALO_REPORTER, '/start pv-tto-01', 'Xin chào');
    await z.e.say(health, '/start pn-syte-01', 'Xin chào');
  });
  afterAll(async () => { await z.close(); });

  /** The reporter sends a photo with a caption, then picks the topic and confirms by numbered replies. */
  async function askWithPhoto(caption: string, photo: Buffer): Promise<{ code: string; questionMsgId: string }> {
    const n = z.fake.sent.length;
    const { msgId } = await z.driver.userImage(ZALO_REPORTER, z.fake.hostMedia(photo, 'image/jpeg'), caption);
    const menu = await z.nextTo(ZALO_REPORTER, n, 'lĩnh vực nào');
    const confirm = await z.choose(ZALO_REPORTER, menu, 'Y tế', 'Xác nhận gửi');
    const accepted = await z.choose(ZALO_REPORTER, confirm, 'Gửi', 'Đã tiếp nhận');
    return { code: /Q-\d+/.exec(accepted.text)![0], questionMsgId: msgId };
  }

  it('a photo with a caption from Zalo is a question with its photo; a PDF answer from Telegram reaches Zalo as text, then the file (uploaded, byte for byte)', async () => {
    const photo = sample.jpeg(120_000);
    const { code, questionMsgId } = await askWithPhoto('Nước ngập ở chợ Đông Ba, Sở có phương án gì?', photo);
    const notice = await z.e.nextTo(health, 0, (s) => s.text.includes(code) && s.text.includes('Đông Ba'));
    const photoToStaff = await z.e.nextTo(health, 0, (s) => s.file?.sha256 === sha256(photo));
    expect(photoToStaff.file?.method).toBe('sendPhoto');

    const letter = sample.pdf(900_000, 11);
    const n = z.fake.sent.length;
    z.e.fake.userSendsFile(health, { kind: 'document', bytes: letter, name: 'Công văn 45-SYT.pdf', mimeType: 'application/pdf', caption: 'Sở đã điều 2 xe bơm.', replyTo: notice.messageId });
    await z.e.nextTo(health, 0, (s) => s.text.includes('CHƯA GỬI') && s.text.includes('Sở đã điều 2 xe bơm.'));
    await z.e.press(health, 'Gửi câu trả lời', 'Đã gửi câu trả lời chính thức');
    const answer = await z.nextTo(ZALO_REPORTER, n, `Trả lời câu hỏi ${code}`);
    expect(answer.text).toContain('2 xe bơm');
    expect(answer.quote).toBe(questionMsgId);
    const file = await z.nextTo(ZALO_REPORTER, n, (s) => s.file !== undefined);
    expect(file.file).toMatchObject({ type: 'file', name: 'Công văn 45-SYT.pdf', mimeType: 'application/pdf', sha256: sha256(letter) });
    // Text first (it carries the numbered rating choices), then the letter.
    expect(z.fake.sent.slice(n).filter((s) => s.userId === ZALO_REPORTER).map((s) => (s.file ? 'file' : 'text'))).toEqual(['text', 'file']);
    const stored = await z.e.app.db.db.selectFrom('attachments').select(['name', 'sha256']).where('inquiry_id', '=', Number(code.slice(2))).orderBy('id').execute();
    expect(stored.map((a) => a.sha256)).toEqual([sha256(photo), sha256(letter)]);
  });

  it('a file Zalo cannot take (a 6 MB PDF) reaches the Zalo reporter as an expiring link, and the spokesperson is told', async () => {
    const { code } = await askWithPhoto('Báo cáo thiệt hại sau bão?', sample.jpeg(30_000));
    const notice = await z.e.nextTo(health, 0, (s) => s.text.includes(code) && s.text.includes('thiệt hại'));
    const big = sample.pdf(6 * 1024 * 1024, 12);
    const n = z.fake.sent.length;
    const m = z.e.fake.sent.length;
    z.e.fake.userSendsFile(health, { kind: 'document', bytes: big, name: 'bao-cao.pdf', mimeType: 'application/pdf', caption: 'Báo cáo đầy đủ kèm theo.', replyTo: notice.messageId });
    await z.e.nextTo(health, 0, (s) => s.text.includes('CHƯA GỬI') && s.text.includes('Báo cáo đầy đủ kèm theo.'));
    await z.e.press(health, 'Gửi câu trả lời', 'Đã gửi câu trả lời chính thức');
    const answer = await z.nextTo(ZALO_REPORTER, n, `Trả lời câu hỏi ${code}`);
    const link = /http:\/\/127\.0\.0\.1:1\/files\/download\?\S+/.exec(answer.text)?.[0];
    expect(answer.text).toContain('bao-cao.pdf');
    expect(link).toBeDefined();
    await z.e.nextTo(health, m, (s) => s.text.includes('bao-cao.pdf') && s.text.includes('liên kết'));
    expect(z.fake.sent.slice(n).some((s) => s.userId === ZALO_REPORTER && s.file)).toBe(false);
    // The link works (on the bot's real port) for the reporter, byte for byte.
    const local = link!.replace('http://127.0.0.1:1', `http://127.0.0.1:${z.e.app.httpPort}`);
    const res = await fetch(local);
    expect(res.status).toBe(200);
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(big));
  });

  it('too large, a renamed executable and a sticker from Zalo get clear answers in Vietnamese, without Telegram\'s limits', async () => {
    const n = z.fake.sent.length;
    await z.driver.userFile(ZALO_REPORTER, { url: z.fake.hostMedia(sample.pdf(9 * 1024 * 1024)), name: 'lon.pdf', size: 9 * 1024 * 1024 });
    const tooBig = await z.nextTo(ZALO_REPORTER, n, 'quá lớn');
    expect(tooBig.text).toContain('lon.pdf');
    expect(tooBig.text).not.toContain('Telegram');
    // The size Zalo claims is a hint: a file that claims to be small is still counted while read.
    await z.driver.userFile(ZALO_REPORTER, { url: z.fake.hostMedia(sample.pdf(9 * 1024 * 1024, 2)), name: 'nho.pdf', size: 1000 });
    await z.nextTo(ZALO_REPORTER, n, (s) => s.text.includes('nho.pdf') && s.text.includes('quá lớn'));
    await z.driver.userFile(ZALO_REPORTER, { url: z.fake.hostMedia(sample.exe()), name: 'so-lieu.pdf', size: 1024 });
    const exe = await z.nextTo(ZALO_REPORTER, n, (s) => s.text.includes('so-lieu.pdf') && s.text.includes('không được nhận'));
    expect(exe.text).toContain('Nội dung tệp được kiểm tra');
    await z.driver.userSticker(ZALO_REPORTER);
    await z.nextTo(ZALO_REPORTER, n, 'không đọc nhãn dán');
    const kept = await z.e.app.db.db.selectFrom('attachments').select('name').where('name', 'in', ['lon.pdf', 'nho.pdf', 'so-lieu.pdf']).execute();
    expect(kept).toEqual([]);
  });
});
