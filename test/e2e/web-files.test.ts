import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageEvent } from '../../adapters/types.js';
import { createWebHarness, type WebHarness } from '../fakes/web/harness.js';
import { sample, sha256 } from '../helpers/files.js';

const A = '1001';
const B = '1002';

describe('web file routes (upload streamed, checked by its bytes; download only for those who may see it)', () => {
  let h: WebHarness;
  beforeEach(async () => { h = await createWebHarness(); });
  afterEach(async () => { await h.teardown(); });

  it('an upload is stored once, named by its ref, and downloads byte for byte as an attachment (a photo inline on request)', async () => {
    const pdf = sample.pdf(300_000, 61);
    const up = await h.upload(A, pdf, 'Công văn "61".pdf', 'application/pdf');
    expect(up.status).toBe(200);
    expect(up.body.ref).toMatch(/^upload:\d+$/);
    expect(up.body.file).toMatchObject({ name: 'Công văn _61_.pdf', mimeType: 'application/pdf', sizeBytes: pdf.length, kind: 'document' });
    const a = await h.clientOf(A);
    const id = String(up.body.ref).slice('upload:'.length);
    const res = await fetch(`${h.base}/web/api/file?id=${id}`, { headers: { cookie: a.cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="Cong van _61_.pdf"; filename\*=UTF-8''/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(pdf));
    // inline=1 is only for photos: a PDF stays an attachment.
    const pdfInline = await fetch(`${h.base}/web/api/file?id=${id}&inline=1`, { headers: { cookie: a.cookie! } });
    expect(pdfInline.headers.get('content-disposition')).toMatch(/^attachment/);
    await pdfInline.arrayBuffer();
    const png = sample.png(61);
    const photo = await h.upload(A, png, 'anh.png', 'image/png');
    const inline = await fetch(`${h.base}/web/api/file?id=${String(photo.body.ref).slice(7)}&inline=1`, { headers: { cookie: a.cookie! } });
    expect(inline.headers.get('content-disposition')).toMatch(/^inline/);
    expect(inline.headers.get('content-type')).toBe('image/png');
    expect(sha256(Buffer.from(await inline.arrayBuffer()))).toBe(sha256(png));
  });

  it('another person can neither download an upload nor send it in a message: it is not theirs', async () => {
    const up = await h.upload(A, sample.pdf(10_000, 62), 'rieng.pdf', 'application/pdf');
    const b = await h.clientOf(B);
    const res = await fetch(`${h.base}/web/api/file?id=${String(up.body.ref).slice(7)}`, { headers: { cookie: b.cookie! } });
    expect(res.status).toBe(404);
    const sent = await b.post('/web/api/messages', { text: 'xem tệp này', clientId: b.newClientId(), files: [up.body.ref] });
    expect(sent.status).toBe(200);
    const event = await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.text === 'xem tệp này');
    // The ref travels to the bot, which refuses it (the prepare hook checks the uploader); the timeline shows nothing of it.
    expect(event.files).toEqual([{ ref: up.body.ref, kind: 'document' }]);
    const entry = (await h.adapter.timeline(B)).find((m) => m.text === 'xem tệp này');
    expect(entry?.files).toBeUndefined();
  });

  it('refuses a renamed executable and a file of a type not allowed, by their bytes, with a reason in both languages; stores nothing', async () => {
    const exe = await h.upload(A, sample.exe(), 'bao-cao.pdf', 'application/pdf');
    expect(exe.status).toBe(415);
    expect(exe.body).toMatchObject({ error: 'file_refused', reason: 'type_not_allowed' });
    expect(String(exe.body.message_vi)).toContain('Nội dung tệp được kiểm tra');
    expect(String(exe.body.message_en)).toContain('content is checked');
    const text = await h.upload(A, Buffer.from('chỉ là chữ'), 'ghi-chu.docx', 'application/octet-stream');
    expect(text.status).toBe(415);
    expect(await h.db.db.selectFrom('attachments').select('id').execute()).toEqual([]);
  });

  it('refuses a file over the limit while reading it, and uploads without the CSRF token or from another site', async () => {
    const big = await h.upload(A, sample.pdf(21 * 1024 * 1024, 63), 'lon.pdf', 'application/pdf');
    expect(big.status).toBe(413);
    expect(big.body.reason).toBe('too_large');
    const a = await h.clientOf(A);
    const noCsrf = await a.post('/web/api/files', undefined, { raw: sample.png(2), contentType: 'image/png', csrf: undefined });
    expect(noCsrf.status).toBe(403);
    const foreign = await a.post('/web/api/files', undefined, { raw: sample.png(3), contentType: 'image/png', headers: { origin: 'https://evil.example' } });
    expect(foreign.body.error).toBe('cross_origin');
    expect(await h.db.db.selectFrom('attachments').select('id').execute()).toEqual([]);
  });

  it('a message may carry uploads without text; a malformed files field is refused', async () => {
    const up = await h.upload(A, sample.png(64), 'anh.png', 'image/png');
    const a = await h.clientOf(A);
    expect((await a.post('/web/api/messages', { text: '', clientId: a.newClientId(), files: [up.body.ref] })).status).toBe(200);
    const event = await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && (e.files?.length ?? 0) > 0);
    expect(event.files).toEqual([expect.objectContaining({ ref: up.body.ref, kind: 'image', name: 'anh.png' })]);
    const entry = (await h.adapter.timeline(A)).find((m) => m.from === 'user' && m.files);
    expect(entry?.files).toEqual([expect.objectContaining({ name: 'anh.png', kind: 'image' })]);
    expect((await a.post('/web/api/messages', { text: '', clientId: a.newClientId() })).status).toBe(400);
    expect((await a.post('/web/api/messages', { text: 'x', clientId: a.newClientId(), files: ['/etc/passwd'] })).status).toBe(400);
    expect((await a.post('/web/api/messages', { text: 'x', clientId: a.newClientId(), files: Array(11).fill(up.body.ref) })).status).toBe(400);
  });
});
