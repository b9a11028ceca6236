import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';
import { describe, expect, it } from 'vitest';
import { multipartBody } from '../../adapters/multipart.js';
import { fileFits, type MessageEvent } from '../../adapters/types.js';
import { createOaUploads, fetchOaMedia, ZALO_OA_FILE_CAPABILITIES } from '../../adapters/zalo-oa/media.js';
import { parseZaloEvent } from '../../adapters/zalo-oa/parse.js';
import { createCapturedLogger } from '../fakes/telegram/harness.js';
import { readAll, sample, sha256, streamOf } from '../helpers/files.js';

const AT = new Date('2026-12-04T03:00:00.000Z');
const USER = '2468458835296197922';

/** A webhook body of Zalo's shape for `eventName`, with `message` fields. */
const event = (eventName: string, message: Record<string, unknown>) => ({
  app_id: '1', event_name: eventName, timestamp: String(AT.getTime()), sender: { id: USER }, recipient: { id: '9' }, message: { msg_id: 'm1', ...message },
});

const asMessage = (body: unknown): MessageEvent => {
  const parsed = parseZaloEvent(body, AT);
  if (parsed.kind !== 'event' || parsed.event.kind !== 'message') throw new Error(`not a message: ${JSON.stringify(parsed)}`);
  return parsed.event;
};

describe('zalo-oa media events', () => {
  it('an image with a caption is a message with its photo and the caption as text', () => {
    const e = asMessage(event('user_send_image', { text: 'Ngập ở Lê Lợi', attachments: [{ type: 'image', payload: { url: 'https://photo-stal-1.zdn.vn/a.jpg', thumbnail: 'https://photo-stal-1.zdn.vn/t.jpg' } }] }));
    expect(e.text).toBe('Ngập ở Lê Lợi');
    expect(e.files).toEqual([{ ref: 'https://photo-stal-1.zdn.vn/a.jpg', kind: 'image' }]);
  });

  it('a file carries its name and its size (Zalo writes it as a string); voice and video notes are files too', () => {
    const e = asMessage(event('user_send_file', { attachments: [{ type: 'file', payload: { url: 'https://f1.zdn.vn/x', name: 'Công văn.pdf', size: '40960', checksum: 'abc', type: 'pdf' } }] }));
    expect(e.files).toEqual([{ ref: 'https://f1.zdn.vn/x', kind: 'document', name: 'Công văn.pdf', sizeBytes: 40960 }]);
    expect(e.text).toBe('');
    expect(asMessage(event('user_send_audio', { attachments: [{ type: 'audio', payload: { url: 'https://a.zdn.vn/v.aac' } }] })).files?.[0]?.kind).toBe('audio');
    expect(asMessage(event('user_send_video', { attachments: [{ type: 'video', payload: { url: 'https://a.zdn.vn/v.mp4', thumbnail: 'x' } }] })).files?.[0]?.kind).toBe('video');
  });

  it('stickers, locations and attachments without a URL carry no file and no text', () => {
    const sticker = asMessage(event('user_send_sticker', { attachments: [{ type: 'sticker', payload: { id: '1', url: 'https://zalo-api.zadn.vn/s' } }] }));
    expect(sticker.files).toBeUndefined();
    expect(sticker.text).toBe('');
    expect(asMessage(event('user_send_location', { attachments: [{ type: 'location', payload: { coordinates: { latitude: 16.4, longitude: 107.6 } } }] })).files).toBeUndefined();
    expect(asMessage(event('user_send_file', { attachments: [{ type: 'file', payload: { name: 'x.pdf' } }] })).files).toBeUndefined();
    // A sticker's text is never read as a caption, even when Zalo puts one there.
    expect(asMessage(event('user_send_sticker', { text: 'lạ', attachments: [] })).text).toBe('');
  });
});

describe('zalo-oa file capabilities (limits as data)', () => {
  it('JPEG/PNG up to 1 MB and PDF/DOCX up to 5 MB go as files; the rest as links', () => {
    const fits = (kind: 'image' | 'document' | 'video', mimeType: string, sizeBytes: number) => fileFits(ZALO_OA_FILE_CAPABILITIES, { kind, mimeType, sizeBytes });
    expect(fits('image', 'image/jpeg', 1024 * 1024)).toBe(true);
    expect(fits('image', 'image/jpeg', 1024 * 1024 + 1)).toBe(false);
    expect(fits('image', 'image/webp', 1000)).toBe(false);
    expect(fits('document', 'application/pdf', 5 * 1024 * 1024)).toBe(true);
    expect(fits('document', 'application/pdf', 5 * 1024 * 1024 + 1)).toBe(false);
    expect(fits('document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 1000)).toBe(false);
    expect(fits('video', 'video/mp4', 1000)).toBe(false);
  });
});

describe('zalo-oa media download', () => {
  async function serve(handler: Parameters<typeof createServer>[1]) {
    const server = createServer(handler);
    await new Promise<void>((r) => { server.listen(0, '127.0.0.1', r); });
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { origin, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
  }

  it('fetches from the OpenAPI origin, and refuses any other host without a request', async () => {
    const pdf = sample.pdf(300_000);
    let requests = 0;
    const s = await serve((_req, res) => { requests += 1; res.end(pdf); });
    const { logger, lines } = createCapturedLogger();
    try {
      const bytes = await readAll(await fetchOaMedia({ openapiUrl: s.origin, logger }, { ref: `${s.origin}/media/1`, kind: 'document' }));
      expect(sha256(bytes)).toBe(sha256(pdf));
      for (const ref of ['http://169.254.169.254/latest/meta-data', 'http://photo.zdn.vn/a.jpg', 'https://zdn.vn.evil.example/a.jpg', 'file:///etc/passwd', 'not a url']) {
        await expect(fetchOaMedia({ openapiUrl: s.origin, logger }, { ref, kind: 'image' })).rejects.toMatchObject({ code: 'bad_request' });
      }
      expect(requests).toBe(1);
      expect(lines.join('\n')).toContain('169.254.169.254');
      expect(lines.join('\n')).not.toContain('meta-data');
    } finally {
      await s.close();
    }
  });

  it('a redirect to a host that is not Zalo\'s is not followed; a 5xx is transient, a 404 is not', async () => {
    const s = await serve((req, res) => {
      if (req.url === '/away') res.writeHead(302, { location: 'http://127.0.0.2:9/secret' }).end();
      else if (req.url === '/busy') res.writeHead(503).end();
      else res.writeHead(404).end();
    });
    const { logger } = createCapturedLogger();
    try {
      await expect(fetchOaMedia({ openapiUrl: s.origin, logger }, { ref: `${s.origin}/away`, kind: 'image' })).rejects.toMatchObject({ code: 'bad_request' });
      await expect(fetchOaMedia({ openapiUrl: s.origin, logger }, { ref: `${s.origin}/busy`, kind: 'image' })).rejects.toMatchObject({ code: 'transient' });
      await expect(fetchOaMedia({ openapiUrl: s.origin, logger }, { ref: `${s.origin}/gone`, kind: 'image' })).rejects.toMatchObject({ code: 'bad_request' });
    } finally {
      await s.close();
    }
  });
});

describe('streamed multipart body', () => {
  it('a parser reads back the fields and the file byte for byte (a UTF-8 name with a quote), at the announced length', async () => {
    const pdf = sample.pdf(200_001, 3);
    const body = multipartBody({ field: 'file', name: 'Công văn "số 1".pdf', mimeType: 'application/pdf', sizeBytes: pdf.length, stream: streamOf(pdf, 7_000) }, { note: 'xin chào' });
    const raw = await readAll(body.body);
    expect(raw.length).toBe(body.contentLength);
    const got = await new Promise<{ fields: Record<string, string>; name: string; bytes: Buffer }>((resolve, reject) => {
      const fields: Record<string, string> = {};
      let name = '';
      const chunks: Buffer[] = [];
      const parser = busboy({ headers: { 'content-type': body.contentType }, defParamCharset: 'utf8' });
      parser.on('field', (k, v) => { fields[k] = v; });
      parser.on('file', (_f, stream, info) => { name = info.filename; stream.on('data', (c: Buffer) => chunks.push(c)); });
      parser.on('error', reject);
      parser.on('close', () => resolve({ fields, name, bytes: Buffer.concat(chunks) }));
      parser.end(raw);
    });
    expect(got.fields).toEqual({ note: 'xin chào' });
    expect(got.name).toBe('Công văn %22số 1%22.pdf');
    expect(sha256(got.bytes)).toBe(sha256(pdf));
  });
});

describe('re-used uploads', () => {
  it('live for their TTL, then are forgotten', () => {
    let now = 0;
    const uploads = createOaUploads(() => now, 1000, 2);
    uploads.put('a', { type: 'file', token: 't1' });
    now = 1000;
    expect(uploads.get('a')).toEqual({ type: 'file', token: 't1' });
    now = 1001;
    expect(uploads.get('a')).toBeUndefined();
    uploads.put('b', { type: 'image', attachmentId: 'i1' });
    uploads.put('c', { type: 'image', attachmentId: 'i2' });
    uploads.put('d', { type: 'image', attachmentId: 'i3' });
    expect(uploads.get('b')).toBeUndefined();
    expect(uploads.get('d')).toEqual({ type: 'image', attachmentId: 'i3' });
  });
});
