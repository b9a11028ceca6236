import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_SECRETS_KEY, testBox } from '../helpers/secrets.js';
import { ZaloApiError } from 'zca-js';
import { fileFits, RateLimitError, type FileKind, type MessageEvent, type OutboundFile } from '../../adapters/types.js';
import { writeCredentials } from '../../adapters/zalo-personal/credentials.js';
import { imageSize } from '../../adapters/zalo-personal/image-size.js';
import { FakeZalo, type FakeSend } from '../fakes/zalo-personal/fake-zca.js';
import { createZaloPersonalHarness, waitUntil, type ZaloPersonalHarness } from '../fakes/zalo-personal/harness.js';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';
import { readAll, sample, sha256, streamOf } from '../helpers/files.js';

const USER = '4000000000000000777';

function outbound(bytes: Buffer, name: string, mimeType: string, kind: FileKind, id = 1): OutboundFile {
  return { attachmentId: id, name, mimeType, kind, sizeBytes: bytes.length, sha256: sha256(bytes), open: async () => streamOf(bytes) };
}

describe('personal Zalo files through the zca-js seam (in-memory fake of the library\'s shapes)', () => {
  let h: ZaloPersonalHarness;
  beforeEach(async () => { h = await createZaloPersonalHarness(); });
  afterEach(async () => { await h.teardown(); });

  it('a photo (chat.photo) arrives with its caption and its href; the adapter streams the bytes through the seam', async () => {
    const photo = sample.jpeg(90_000);
    const m = h.fake.userSendsFile(USER, { kind: 'photo', bytes: photo, caption: 'Cây đổ trên đường Hùng Vương' });
    const event = await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.messageId === m.data.msgId);
    expect(event.text).toBe('Cây đổ trên đường Hùng Vương');
    expect(event.files).toEqual([{ ref: (m.data.content as { href: string }).href, kind: 'image', sizeBytes: photo.length }]);
    expect(sha256(await readAll(await h.adapter.fetchFile!(event.files![0]!)))).toBe(sha256(photo));
  });

  it('a shared file (share.file) carries its name and size and no text; a sticker carries nothing', async () => {
    const pdf = sample.pdf(30_000);
    const file = h.fake.userSendsFile(USER, { kind: 'file', bytes: pdf, name: 'Tờ trình 5.pdf' });
    const sticker = h.fake.userSendsFile(USER, { kind: 'sticker' });
    const got = await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.messageId === file.data.msgId);
    expect(got).toMatchObject({ text: '', files: [{ kind: 'document', name: 'Tờ trình 5.pdf', sizeBytes: pdf.length }] });
    const s = await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.messageId === sticker.data.msgId);
    expect(s.text).toBe('');
    expect(s.files).toBeUndefined();
  });

  it('a reply with a photo and a PDF: the text quotes the question, each file goes as its own message (photo with its pixel size)', async () => {
    const question = h.fake.userSends(USER, 'Khi nào sửa xong cầu?');
    await h.waitForEvent((e) => e.kind === 'message' && e.messageId === question.data.msgId);
    const photo = sample.png(5);
    const pdf = sample.pdf(400_000, 5);
    const result = await h.adapter.send(USER, {
      text: 'Dự kiến tuần sau.', replyTo: question.data.msgId,
      files: [outbound(photo, 'cau.png', 'image/png', 'image'), outbound(pdf, 'Kế hoạch.pdf', 'application/pdf', 'document', 2)],
    });
    const sent = h.fake.sends.filter((s) => s.threadId === USER);
    expect(sent.map((s) => s.msgId)).toEqual(result.messageIds);
    expect(sent[0]).toMatchObject({ text: 'Dự kiến tuần sau.', quote: { msgId: question.data.msgId } });
    expect(sent[1]?.file).toMatchObject({ name: 'cau.png', sha256: sha256(photo), width: 1, height: 1 });
    expect(sent[1]?.quote).toBeUndefined();
    expect(sent[2]?.file).toMatchObject({ name: 'Kế hoạch.pdf', sha256: sha256(pdf), sizeBytes: pdf.length });
  });

  it('a refusal on the file part maps like a text send, and skipParts resumes at the file', async () => {
    const pdf = sample.pdf(10_000, 8);
    const message = { text: 'Văn bản kèm theo.', files: [outbound(pdf, 'vb.pdf', 'application/pdf', 'document')] };
    let parts = 0;
    const first = await h.adapter.send(USER, message, {
      onPartSent: () => { parts += 1; h.fake.failNextSend(USER, new ZaloApiError('Vượt quá số request cho phép', 221)); },
    }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(RateLimitError);
    await h.adapter.send(USER, message, { skipParts: parts });
    expect(h.fake.sends.filter((s) => s.threadId === USER).map((s) => s.file?.sha256 ?? s.text)).toEqual(['Văn bản kèm theo.', sha256(pdf)]);
  });

  it('declares its limits as data: photos JPEG/PNG/WebP, MP4, documents, up to 25 MB; GIFs and voice notes go as links', () => {
    const caps = h.adapter.capabilities.files;
    expect(fileFits(caps, { kind: 'document', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', sizeBytes: 25 * 1024 * 1024 })).toBe(true);
    expect(fileFits(caps, { kind: 'document', mimeType: 'application/pdf', sizeBytes: 25 * 1024 * 1024 + 1 })).toBe(false);
    expect(fileFits(caps, { kind: 'image', mimeType: 'image/gif', sizeBytes: 1000 })).toBe(false);
    expect(fileFits(caps, { kind: 'audio', mimeType: 'audio/ogg', sizeBytes: 1000 })).toBe(false);
  });
});

describe('image sizes for zca-js', () => {
  it('reads PNG and JPEG headers; says nothing for other bytes', () => {
    expect(imageSize(sample.png(1))).toEqual({ width: 1, height: 1 });
    const sof = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x02, 0x58, 0x03, 0x20, 0x03, 0x01, 0x22, 0x00]);
    expect(imageSize(Buffer.concat([sof, Buffer.alloc(40)]))).toEqual({ width: 800, height: 600 });
    expect(imageSize(sample.pdf(100))).toBeUndefined();
    expect(imageSize(sample.jpeg(200))).toBeUndefined();
  });
});

const reporter = tgUser('Thư');
const HEALTH = '4000000000000000124';

describe('personal Zalo files in the whole bot (fake seam, fake Bot API, SQLite, Redis)', () => {
  let e: E2E;
  let fake: FakeZalo;
  let dir: string;
  const zaloTo = async (since: number, pred: (s: FakeSend) => boolean): Promise<FakeSend> => {
    let found: FakeSend | undefined;
    await waitUntil(() => (found = fake.sends.slice(since).find((s) => s.threadId === HEALTH && pred(s))) !== undefined, 'a zalo message', 10_000);
    return found!;
  };

  beforeAll(async () => {
    fake = new FakeZalo();
    dir = mkdtempSync(join(tmpdir(), 'zalo-files-e2e-'));
    const credentials = join(dir, 'credentials.json');
    await writeCredentials(credentials, { cookie: fake.cookies, imei: 'fake-imei-0001', userAgent: 'Mozilla/5.0 (fake)' }, testBox);
    e = await createE2E({
      zcaClient: fake,
      env: { ZALO_PERSONAL_ENABLED: 'true', ZALO_PERSONAL_CREDENTIALS_FILE: credentials, SECRETS_KEY: TEST_SECRETS_KEY, ZALO_PERSONAL_SEND_INTERVAL_MS: '0', ZALO_PERSONAL_SEND_JITTER_MS: '0', PUBLIC_URL: 'http://127.0.0.1:1' },
    });
    await waitUntil(() => fake.connected, 'the Zalo socket');
    await e.say(reporter, '/start pv-hue-01', 'Xin chào');
    fake.userSends(HEALTH, '/start pn-syte-01');
    await zaloTo(0, (s) => s.text.includes('Xin chào'));
  });
  afterAll(async () => {
    await e.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a photo question from Telegram reaches the spokesperson on Zalo as a file; the spokesperson\'s PDF answer (after /answer Q-n) reaches the reporter under the question', async () => {
    const photo = sample.jpeg(70_000);
    const since = fake.sends.length;
    const n = e.fake.sent.length;
    const m = e.fake.userSendsFile(reporter, { kind: 'photo', bytes: photo, caption: 'Sạt lở đèo Hải Vân, khi nào thông đường?' });
    await e.nextTo(reporter, n, 'lĩnh vực nào');
    await e.press(reporter, 'Y tế', 'Xác nhận gửi');
    const code = /Q-\d+/.exec((await e.press(reporter, 'Gửi', 'Đã tiếp nhận')).text)![0];
    const notice = await zaloTo(since, (s) => s.text.includes(code));
    const photoOnZalo = await zaloTo(since, (s) => s.file?.sha256 === sha256(photo));
    expect(photoOnZalo.file?.name).toMatch(/^anh-\d{8}-1\.jpg$/);

    const letter = sample.pdf(250_000, 21);
    const k = e.fake.sent.length;
    // The spokesperson types /answer, then sends the letter (the step a file alone goes with).
    fake.userSends(HEALTH, `/answer ${code}`);
    await zaloTo(since, (s) => s.text.includes(`Gõ nội dung trả lời cho câu hỏi ${code}`));
    fake.userSendsFile(HEALTH, { kind: 'file', bytes: letter, name: 'Công văn 88.pdf' });
    // A file alone is previewed too ("see the attached file"); confirmed by its number.
    const preview = await zaloTo(since, (s) => s.text.includes('CHƯA GỬI'));
    fake.userSends(HEALTH, '1', { quoteMsgId: preview.msgId });
    const text = await e.nextTo(reporter, k, `Trả lời câu hỏi ${code}`);
    expect(text.replyToMessageId).toBe(m.message_id);
    const doc = await e.nextTo(reporter, k, (s) => s.file?.sha256 === sha256(letter));
    expect(doc.file).toMatchObject({ name: 'Công văn 88.pdf', method: 'sendDocument' });
    expect(notice.text).toContain('1. Nhận xử lý');
    expect(fake.mediaRequests).toHaveLength(1);
  });
});
