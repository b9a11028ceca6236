import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RateLimitError, type FileKind, type MessageEvent, type OutboundFile } from '../../adapters/types.js';
import { createZaloOaHarness, type ZaloOaHarness } from '../fakes/zalo-oa/harness.js';
import { OA_ERRORS } from '../fakes/zalo-oa/server.js';
import { readAll, sample, sha256, streamOf } from '../helpers/files.js';

const USER = '2468458835296197922';
const OTHER = '3579246801357924680';

/** A stored file as the outbox hands it to an adapter. */
function outbound(bytes: Buffer, name: string, mimeType: string, kind: FileKind, id = 1): OutboundFile & { opened: number } {
  const file = {
    attachmentId: id, name, mimeType, kind, sizeBytes: bytes.length, sha256: sha256(bytes), opened: 0,
    open: async () => { file.opened += 1; return streamOf(bytes); },
  };
  return file;
}

describe('zalo-oa files against the fake OA (upload then send; files fetched by the URL in the event)', () => {
  let h: ZaloOaHarness;
  beforeEach(async () => { h = await createZaloOaHarness(); });
  afterEach(async () => { await h.teardown(); });

  it('an image event carries its photo (and caption); the adapter streams it from the URL byte for byte', async () => {
    const photo = sample.jpeg(180_000);
    const url = h.fake.hostMedia(photo, 'image/jpeg', 'a.jpg');
    const { msgId } = await h.driver.userImage(USER, url, 'Ngập ở đường Lê Lợi');
    const event = await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.messageId === msgId);
    expect(event.text).toBe('Ngập ở đường Lê Lợi');
    expect(event.files).toEqual([{ ref: url, kind: 'image' }]);
    const bytes = await readAll(await h.adapter.fetchFile!(event.files![0]!));
    expect(sha256(bytes)).toBe(sha256(photo));
  });

  it('a file event names the file and its size; a sticker carries nothing', async () => {
    const pdf = sample.pdf(50_000);
    const url = h.fake.hostMedia(pdf, 'application/pdf', 'cv.pdf');
    const file = await h.driver.userFile(USER, { url, name: 'Công văn 12.pdf', size: pdf.length });
    const sticker = await h.driver.userSticker(USER);
    const got = await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.messageId === file.msgId);
    expect(got.files).toEqual([{ ref: url, kind: 'document', name: 'Công văn 12.pdf', sizeBytes: pdf.length }]);
    const s = await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.messageId === sticker.msgId);
    expect(s).toMatchObject({ text: '' });
    expect(s.files).toBeUndefined();
  });

  it('a reply with a photo and a PDF: the text quotes the question, then each file is uploaded and sent by attachment id / token', async () => {
    const photo = sample.jpeg(300_000);
    const pdf = sample.pdf(2_000_000);
    const notified: number[] = [];
    const result = await h.adapter.send(USER, {
      text: 'Trả lời câu hỏi Q-7: Sở đã bố trí 3 máy bơm.', replyTo: 'question-msg-1',
      files: [outbound(photo, 'hien-truong.jpg', 'image/jpeg', 'image'), outbound(pdf, 'Công văn 123-SYT.pdf', 'application/pdf', 'document', 2)],
    }, { onPartSent: (i) => { notified.push(i); } });
    const sent = h.fake.sentTo(USER);
    expect(sent.map((s) => s.messageId)).toEqual(result.messageIds);
    expect(notified).toEqual([0, 1, 2]);
    expect(sent[0]).toMatchObject({ text: 'Trả lời câu hỏi Q-7: Sở đã bố trí 3 máy bơm.', quote: 'question-msg-1' });
    expect(sent[1]?.file).toMatchObject({ type: 'image', name: 'hien-truong.jpg', mimeType: 'image/jpeg', sha256: sha256(photo) });
    expect(sent[2]?.file).toMatchObject({ type: 'file', name: 'Công văn 123-SYT.pdf', mimeType: 'application/pdf', sha256: sha256(pdf) });
    expect(h.fake.uploads.size).toBe(2);
  });

  it('files without text go alone; the same bytes to another user re-use the upload', async () => {
    const pdf = sample.pdf(80_000, 9);
    await h.adapter.send(USER, { text: '', files: [outbound(pdf, 'qd.pdf', 'application/pdf', 'document')] });
    await h.adapter.send(OTHER, { text: ' ', files: [outbound(pdf, 'qd.pdf', 'application/pdf', 'document')] });
    expect(h.fake.sentTo(USER).map((s) => s.file?.sha256)).toEqual([sha256(pdf)]);
    expect(h.fake.sentTo(OTHER).map((s) => s.file?.sha256)).toEqual([sha256(pdf)]);
    expect(h.fake.uploadCalls).toBe(1);
  });

  it('a rate limit on the second file: the retry with skipParts sends only that file, once', async () => {
    const one = sample.png(1);
    const two = sample.png(2);
    const message = { text: 'Ảnh hiện trường', files: [outbound(one, 'a.png', 'image/png', 'image'), outbound(two, 'b.png', 'image/png', 'image', 2)] };
    const delivered: string[] = [];
    // Text and first photo pass; the next send to USER is refused.
    let parts = 0;
    const first = await h.adapter.send(USER, message, {
      onPartSent: (_i, id) => { delivered.push(id); parts += 1; if (parts === 2) h.fake.failNext(USER, { ...OA_ERRORS.rate, retryAfterS: 2 }); },
    }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(RateLimitError);
    expect((first as RateLimitError).retryAfterMs).toBe(2000);
    const retry = await h.adapter.send(USER, message, { skipParts: delivered.length });
    expect(retry.messageIds).toHaveLength(1);
    const sent = h.fake.sentTo(USER);
    expect(sent.map((s) => s.file?.sha256 ?? s.text)).toEqual(['Ảnh hiện trường', sha256(one), sha256(two)]);
  });

  it('an expired access token during an upload refreshes once and the upload goes through', async () => {
    h.fake.expireAccessTokens();
    const pdf = sample.pdf(10_000, 4);
    const file = outbound(pdf, 'x.pdf', 'application/pdf', 'document');
    await h.adapter.send(USER, { text: '', files: [file] });
    expect(h.fake.tokenCalls).toBe(1);
    expect(file.opened).toBe(2);
    expect(h.fake.sentTo(USER).map((s) => s.file?.sha256)).toEqual([sha256(pdf)]);
  });

  it('declares its limits as capability data: JPEG/PNG ≤ 1 MB, PDF/DOCX ≤ 5 MB', () => {
    expect(h.adapter.capabilities.files).toMatchObject({ maxUploadBytes: 5 * 1024 * 1024, maxUploadBytesByKind: { image: 1024 * 1024 }, kinds: ['image', 'document'] });
  });
});
