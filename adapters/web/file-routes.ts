import { PassThrough, type Readable } from 'node:stream';
import type { FileRefusal, HttpRequest, HttpResponse, HttpRoute, InboundFile, StoredFile } from '../types.js';
import { CSRF_HEADER, WEB_SLOTS, isCrossOrigin, json, refuse, slotPaths, tokensMatch, type SlotPaths } from './http.js';
import { clearCookie, currentSession, type WebRouteDeps } from './route-kit.js';
import type { WebSession } from './sessions.js';
import type { TimelineFile } from './store.js';
import type { WebFileStore } from './types.js';

export type { WebFileStore } from './types.js';

/** The id a message names an upload by: `upload:<id>` (what the prepare hook reads). */
export const UPLOAD_REF = /^upload:([1-9][0-9]{0,14})$/;

/** Most files one message of the page may name. */
export const WEB_MAX_FILES_PER_MESSAGE = 10;

/** The header carrying an upload's file name, percent-encoded (UTF-8). */
export const FILE_NAME_HEADER = 'x-file-name';

const REFUSALS: Record<FileRefusal, readonly [number, string, string]> = {
  too_large: [413, 'Tệp quá lớn.', 'The file is too large.'],
  message_too_large: [413, 'Quá nhiều tệp trong một tin nhắn.', 'Too many files in one message.'],
  type_not_allowed: [415, 'Loại tệp này không được nhận: chỉ nhận ảnh, PDF, Word/Excel/PowerPoint, OpenDocument, video MP4 và ghi âm. Nội dung tệp được kiểm tra, không dựa vào tên tệp.', 'This type of file is not accepted: only photos, PDF, Word/Excel/PowerPoint, OpenDocument, MP4 videos and voice notes are. The content is checked, not the name.'],
  infected: [422, 'Phần mềm diệt virus đánh dấu tệp này nguy hiểm; tệp đã được cách ly.', 'The virus scanner flagged this file; it was quarantined.'],
  fetch_failed: [503, 'Không nhận được tệp, vui lòng thử lại.', 'The file could not be received; please try again.'],
  not_yours: [404, 'Không tìm thấy tệp.', 'File not found.'],
};

/** The refusal of an upload, `{error: 'file_refused', reason, message_vi, message_en}`. */
function refuseFile(reason: FileRefusal): HttpResponse {
  const [status, vi, en] = REFUSALS[reason];
  return json(status, { error: 'file_refused', reason, message_vi: vi, message_en: en });
}

/**
 * The web channel's file routes, once per sign-in slot: `POST <api>/files` (the body is the file,
 * streamed; its name in {@link FILE_NAME_HEADER}; same checks as any POST: same origin, session,
 * CSRF token) answers `{ref: 'upload:<id>', file}` for a message to name; `GET <api>/file?id=<n>`
 * (`&inline=1` for a photo shown in the page) downloads a file the session's person may see.
 */
export function createFileRoutes(deps: WebRouteDeps, files: WebFileStore): HttpRoute[] {
  return Array.from({ length: WEB_SLOTS }, (_, slot) => slotPaths(slot)).flatMap((paths): HttpRoute[] => [
    { method: 'POST', path: `${paths.apiPrefix}/files`, streamBody: true, handle: (req) => upload(deps, files, paths, req) },
    { method: 'GET', path: `${paths.apiPrefix}/file`, handle: (req) => download(deps, files, paths, req) },
  ]);
}

async function upload(deps: WebRouteDeps, files: WebFileStore, paths: SlotPaths, req: HttpRequest): Promise<HttpResponse> {
  const body = req.body;
  const session = await checked(deps, paths, req, true);
  if (!body) return refuse('bad_request');
  if ('refusal' in session) {
    await drain(body);
    return session.refusal;
  }
  const name = decodeName(req.headers[FILE_NAME_HEADER]);
  // Through a pass-through: when the store stops reading (too large), it must not tear the request
  // down before the refusal is written.
  const bytes = new PassThrough();
  body.pipe(bytes);
  const outcome = await files.save(session.session.ownerId, { name, bytes });
  body.unpipe(bytes);
  await drain(body);
  if ('refused' in outcome) return refuseFile(outcome.refused);
  return json(200, { ref: `upload:${outcome.attachmentId}`, file: toTimelineFile(outcome) });
}

async function download(deps: WebRouteDeps, files: WebFileStore, paths: SlotPaths, req: HttpRequest): Promise<HttpResponse> {
  const session = await checked(deps, paths, req, false);
  if ('refusal' in session) return session.refusal;
  const id = Number(req.query.id ?? '');
  if (!Number.isSafeInteger(id) || id <= 0) return refuse('bad_request');
  return (await files.download(session.session.ownerId, id, req.query.inline === '1')) ?? refuseFile('not_yours');
}

/** The session of a request (and, for a POST, its origin and CSRF token), or the refusal. */
async function checked(deps: WebRouteDeps, paths: SlotPaths, req: HttpRequest, post: boolean): Promise<{ session: WebSession } | { refusal: HttpResponse }> {
  if (post && isCrossOrigin(req, deps.allowedOrigins, deps.allowedHost)) return { refusal: refuse('cross_origin') };
  const session = await currentSession({ deps, paths }, req);
  if (!session) return { refusal: refuse('no_session', {}, clearCookie({ deps, paths })) };
  if (post && !tokensMatch(req.headers[CSRF_HEADER], session.csrfToken)) return { refusal: refuse('csrf') };
  return { session };
}

/** Most bytes of an upload read and dropped after a refusal, so the client gets the answer; past it the connection is cut. */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;

/** Reads the rest of a request and drops it (up to {@link DRAIN_MAX_BYTES}). */
function drain(body: Readable): Promise<void> {
  if (body.readableEnded || body.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let dropped = 0;
    const done = () => { body.off('data', count); resolve(); };
    const count = (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > DRAIN_MAX_BYTES) { body.destroy(); done(); }
    };
    body.on('data', count);
    body.once('end', done);
    body.once('close', done);
    body.resume();
  });
}

function decodeName(header: string | undefined): string {
  try {
    return decodeURIComponent(header ?? '').slice(0, 255);
  } catch {
    return '';
  }
}

/** A stored file as a timeline entry shows it. */
export function toTimelineFile(f: StoredFile): TimelineFile {
  return { id: String(f.attachmentId), name: f.name, mimeType: f.mimeType, sizeBytes: f.sizeBytes, kind: f.kind };
}

/**
 * The files a message of the page names (`files: ['upload:12', …]`): their ids, or undefined when
 * the field is malformed (not a list of upload refs, or too many). Absent: none.
 */
export function parseMessageFiles(value: unknown): number[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > WEB_MAX_FILES_PER_MESSAGE) return undefined;
  const ids = value.map((v) => (typeof v === 'string' ? UPLOAD_REF.exec(v)?.[1] : undefined));
  return ids.every((id) => id !== undefined) ? [...new Set(ids.map(Number))] : undefined;
}

/**
 * The files of a page's message as the inbound event carries them: each upload by its ref (the
 * prepare hook checks it is the sender's), with what the uploader's own listing says of it.
 */
export function messageFiles(ids: readonly number[], shown: readonly TimelineFile[]): { files?: InboundFile[] } {
  if (ids.length === 0) return {};
  return {
    files: ids.map((id): InboundFile => {
      const known = shown.find((f) => f.id === String(id));
      const kind = (['image', 'document', 'video', 'audio'] as const).find((k) => k === known?.kind) ?? 'document';
      return { ref: `upload:${id}`, kind, ...(known ? { name: known.name, mimeType: known.mimeType, sizeBytes: known.sizeBytes } : {}) };
    }),
  };
}
