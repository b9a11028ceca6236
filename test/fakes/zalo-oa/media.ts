import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readMultipart } from '../telegram/files.js';

/** A file the OA accepted by upload, as the fake keeps it. */
export interface OaUpload {
  /** `image` (`/v2.0/oa/upload/image` → `attachment_id`) or `file` (`/upload/file` → `token`). */
  type: 'image' | 'file';
  id: string;
  name: string;
  mimeType: string;
  bytes: Buffer;
  sha256: string;
}

/** The upload endpoints' limits and types, as integrators quote Zalo's documentation. */
export const OA_UPLOAD_RULES = {
  image: { maxBytes: 1024 * 1024, types: ['image/jpeg', 'image/png'] },
  file: { maxBytes: 5 * 1024 * 1024, types: ['application/pdf', 'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'] },
} as const;

/** Zalo-shaped refusals of the upload endpoints (texts ours; codes from Zalo's table). */
export const OA_UPLOAD_ERRORS = {
  tooLarge: { code: -210, message: 'File size exceeds the allowed limit' },
  badType: { code: -201, message: 'File type is not supported' },
  noFile: { code: -201, message: 'File is required' },
} as const;

type Answer = { status: number; body?: unknown };

/**
 * The fake's file side: the upload endpoints (multipart, field `file`), the attachment ids and
 * tokens they give, and users' files served over HTTP the way Zalo's CDN serves them (a plain GET
 * of the URL in the webhook event, no token).
 */
export function createOaMedia() {
  const uploads = new Map<string, OaUpload>();
  const hosted = new Map<string, { bytes: Buffer; mimeType: string }>();
  const state = { origin: '', uploadCalls: 0 };

  const upload = async (req: IncomingMessage, type: 'image' | 'file', tokenValid: boolean): Promise<Answer> => {
    state.uploadCalls += 1;
    let parsed;
    try {
      parsed = await readMultipart(req);
    } catch {
      return refusal(OA_UPLOAD_ERRORS.tooLarge);
    }
    if (!tokenValid) return refusal({ code: -216, message: 'Access token is invalid' });
    const part = parsed.files.find((f) => f.field === 'file');
    if (!part) return refusal(OA_UPLOAD_ERRORS.noFile);
    const rule = OA_UPLOAD_RULES[type];
    if (!(rule.types as readonly string[]).includes(part.mimeType)) return refusal(OA_UPLOAD_ERRORS.badType);
    if (part.bytes.length > rule.maxBytes) return refusal(OA_UPLOAD_ERRORS.tooLarge);
    const id = randomBytes(16).toString('hex');
    uploads.set(id, { type, id, name: part.fileName, mimeType: part.mimeType, bytes: part.bytes, sha256: sha256(part.bytes) });
    return { status: 200, body: { error: 0, message: 'Success', data: type === 'image' ? { attachment_id: id } : { token: id } } };
  };

  return {
    state,
    uploads: uploads as ReadonlyMap<string, OaUpload>,
    upload,
    /** Puts `bytes` at a URL of the fake, as Zalo's CDN holds a user's file; returns the URL. */
    host(bytes: Buffer, mimeType = 'application/octet-stream', name = 'file'): string {
      const id = randomBytes(8).toString('hex');
      hosted.set(id, { bytes, mimeType });
      return `${state.origin}/media/${id}/${encodeURIComponent(name)}`;
    },
    /** `GET /media/<id>/<name>`: the bytes in chunks; false when unknown. */
    serve(res: ServerResponse, path: string): boolean {
      const file = hosted.get(/^\/media\/([0-9a-f]+)\//.exec(path)?.[1] ?? '');
      if (!file) return false;
      res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.bytes.length) });
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
    },
    /** The upload an attachment message names (`attachment_id` of an image template, `token` of a file), if valid. */
    attachmentOf(message: Record<string, unknown>): OaUpload | 'invalid' | undefined {
      const attachment = message.attachment as { type?: unknown; payload?: Record<string, unknown> } | undefined;
      if (attachment === undefined) return undefined;
      const payload = attachment.payload ?? {};
      if (attachment.type === 'file') return uploads.get(String(payload.token)) ?? 'invalid';
      const element = (payload.elements as Array<Record<string, unknown>> | undefined)?.[0];
      if (attachment.type === 'template' && payload.template_type === 'media' && element?.media_type === 'image') {
        const u = uploads.get(String(element.attachment_id));
        return u?.type === 'image' ? u : 'invalid';
      }
      return 'invalid';
    },
  };
}

export type FakeOaMedia = ReturnType<typeof createOaMedia>;

function refusal(e: { code: number; message: string }): Answer {
  return { status: 200, body: { error: e.code, message: e.message } };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
