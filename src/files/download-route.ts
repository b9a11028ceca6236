import type { HttpRequest, HttpResponse, HttpRoute } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { findAttachment } from '../../db/repositories/attachments.js';
import type { Attachment } from '../../db/schema.js';
import { localDate } from '../../flows/copy/format.js';
import { mayFetchFile } from '../../flows/files-access.js';
import type { Logger } from '../logger.js';
import { DOWNLOAD_PATH, type LinkSigner } from './links.js';
import type { FileService } from './service.js';

/** Options of {@link createDownloadRoute}. */
export interface DownloadRouteOptions {
  db: Db;
  files: FileService;
  signer: LinkSigner;
  logger: Logger;
  now: () => Date;
}

const REFUSALS = {
  bad: [403, 'Liên kết tải tệp không hợp lệ.', 'This download link is not valid.'],
  expired: [410, 'Liên kết tải tệp đã hết hạn. Hãy mở lại tin nhắn mới nhất hoặc đăng nhập trang web để tải.', 'This download link has expired. Open the latest message, or sign in to the web page to download.'],
  denied: [403, 'Bạn không còn quyền xem tệp này.', 'You may no longer see this file.'],
  missing: [404, 'Không tìm thấy tệp.', 'File not found.'],
} as const;

function refuse(code: keyof typeof REFUSALS): HttpResponse {
  const [status, vi, en] = REFUSALS[code];
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, body: `${vi}\n${en}\n` };
}

/**
 * The headers of a file download: always an attachment (never shown inline), with its real type,
 * `nosniff`, a sandboxing CSP, never cached by shared caches, the name in RFC 6266/5987 form.
 */
export function downloadHeaders(a: Pick<Attachment, 'name' | 'mime_type' | 'size_bytes'>): Record<string, string> {
  const ascii = a.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]|["\\]/g, '_');
  return {
    'content-type': a.mime_type,
    'content-length': String(a.size_bytes),
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(a.name)}`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, no-store',
    'referrer-policy': 'no-referrer',
  };
}

/**
 * `GET /files/download?f&p&e&s`: a signed link from a message (Telegram, Zalo) to a file its
 * channel could not carry. The signature and expiry are checked, then — on every download — that
 * the person it was made for may still see the file; the bytes are streamed.
 */
export function createDownloadRoute(o: DownloadRouteOptions): HttpRoute {
  return {
    method: 'GET',
    path: DOWNLOAD_PATH,
    async handle(req: HttpRequest): Promise<HttpResponse> {
      const now = o.now();
      const grant = o.signer.verify(req.query, now.getTime());
      if (grant === 'bad' || grant === 'expired') return refuse(grant);
      const file = await findAttachment(o.db, grant.attachmentId);
      if (!file) return refuse('missing');
      if (!(await mayFetchFile(o.db, grant.personId, file, localDate(now)))) {
        o.logger.info({ attachmentId: file.id, personId: grant.personId }, 'files: download refused (no longer allowed)');
        return refuse('denied');
      }
      return { status: 200, headers: downloadHeaders(file), body: await o.files.open(file) };
    },
  };
}
