import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import { badRequest } from './refusal.js';

/** A file the fake Bot API holds, as Telegram's file storage would. */
export interface FakeFile {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  bytes: Buffer;
  sha256: string;
  name?: string;
  mimeType?: string;
}

/** Bots may download files up to 20 MB (getFile refuses bigger ones). */
export const BOT_DOWNLOAD_LIMIT = 20 * 1024 * 1024;
/** Bots may upload files up to 50 MB. */
export const BOT_UPLOAD_LIMIT = 50 * 1024 * 1024;

/** The fake's file storage: `file_id`s, `getFile` paths and downloads. */
export class FileStore {
  private readonly byId = new Map<string, FakeFile>();
  private readonly byPath = new Map<string, FakeFile>();
  private seq = 0;

  /** Stores bytes and gives them a new `file_id` (every upload does, as on Telegram). */
  add(bytes: Buffer, meta: { name?: string; mimeType?: string; folder: string; ext: string }): FakeFile {
    this.seq += 1;
    const file: FakeFile = {
      fileId: `F${this.seq}${randomBytes(12).toString('base64url')}`, fileUniqueId: `U${this.seq}`,
      filePath: `${meta.folder}/file_${this.seq}.${meta.ext}`, bytes, sha256: createHash('sha256').update(bytes).digest('hex'),
      ...(meta.name ? { name: meta.name } : {}), ...(meta.mimeType ? { mimeType: meta.mimeType } : {}),
    };
    this.byId.set(file.fileId, file);
    this.byPath.set(file.filePath, file);
    return file;
  }

  get(fileId: string): FakeFile | undefined {
    return this.byId.get(fileId);
  }

  /** `getFile`: the path to download from, refused over the bots' 20 MB download limit. */
  getFile(fileId: unknown): Record<string, unknown> {
    const file = typeof fileId === 'string' ? this.byId.get(fileId) : undefined;
    if (!file) throw badRequest('invalid file_id');
    if (file.bytes.length > BOT_DOWNLOAD_LIMIT) throw badRequest('file is too big');
    return { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.bytes.length, file_path: file.filePath };
  }

  /** Serves `GET /file/bot<token>/<path>` in chunks; false when the path is unknown. */
  serveDownload(res: ServerResponse, filePath: string): boolean {
    const file = this.byPath.get(filePath);
    if (!file) return false;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.bytes.length) });
    const CHUNK = 256 * 1024;
    let offset = 0;
    const pump = (): void => {
      while (offset < file.bytes.length) {
        const more = res.write(file.bytes.subarray(offset, offset + CHUNK));
        offset += CHUNK;
        if (!more) { res.once('drain', pump); return; }
      }
      res.end();
    };
    pump();
    return true;
  }
}

/** A file part of a multipart request. */
export interface UploadedPart {
  field: string;
  fileName: string;
  mimeType: string;
  bytes: Buffer;
}

/**
 * Reads a `multipart/form-data` Bot API request (sendDocument with an upload): the text fields as
 * params (JSON fields decoded by the caller) and the file parts. Refuses uploads over 50 MB.
 */
export function readMultipart(req: IncomingMessage): Promise<{ fields: Record<string, string>; files: UploadedPart[] }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: UploadedPart[] = [];
    let tooBig = false;
    const parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fileSize: BOT_UPLOAD_LIMIT } });
    parser.on('field', (name, value) => { fields[name] = value; });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => { tooBig = true; });
      stream.on('end', () => files.push({ field, fileName: info.filename, mimeType: info.mimeType, bytes: Buffer.concat(chunks) }));
    });
    parser.on('error', reject);
    parser.on('close', () => (tooBig ? reject(new Error('Request Entity Too Large')) : resolve({ fields, files })));
    req.pipe(parser);
  });
}
