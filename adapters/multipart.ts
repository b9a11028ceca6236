import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/** One file field of a `multipart/form-data` body. */
export interface MultipartFile {
  /** The form field's name (`file`). */
  field: string;
  /** The file name as the receiver will see it (UTF-8). */
  name: string;
  mimeType: string;
  /** Exact size of `stream`, in bytes (the body's length is announced before it is sent). */
  sizeBytes: number;
  stream: Readable;
}

/** A streamed multipart body, its content type (with the boundary) and its exact length in bytes. */
export interface MultipartBody {
  body: Readable;
  contentType: string;
  contentLength: number;
}

/** `"` and line breaks would end the header: escaped as browsers do (the rest stays UTF-8). */
const quoteName = (name: string): string => name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/**
 * A `multipart/form-data` body of text fields and one file, streamed: the file's bytes are never
 * held whole. The length is computed up front, so servers that refuse chunked uploads take it.
 */
export function multipartBody(file: MultipartFile, fields: Readonly<Record<string, string>> = {}): MultipartBody {
  const boundary = `----liaison${randomBytes(12).toString('hex')}`;
  const fieldParts = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoteName(name)}"\r\n\r\n${value}\r\n`, 'utf8'));
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoteName(file.field)}"; filename="${quoteName(file.name)}"\r\n`
    + `Content-Type: ${file.mimeType}\r\n\r\n`, 'utf8');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  const contentLength = fieldParts.reduce((n, b) => n + b.length, 0) + head.length + file.sizeBytes + tail.length;
  async function* parts(): AsyncGenerator<Buffer> {
    for (const part of fieldParts) yield part;
    yield head;
    for await (const chunk of file.stream) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    yield tail;
  }
  return { body: Readable.from(parts(), { objectMode: false }), contentType: `multipart/form-data; boundary=${boundary}`, contentLength };
}
