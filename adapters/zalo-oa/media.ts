import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { fetchMediaUrl, isHttpsOnHosts, ZALO_MEDIA_HOSTS } from '../media-fetch.js';
import { multipartBody } from '../multipart.js';
import {
  BadRequestError, type FileCapabilities, type InboundFile, type OutboundFile,
} from '../types.js';

export { ZALO_MEDIA_HOSTS } from '../media-fetch.js';
import { failureOf, postCsMessage, withAccessToken, type OaCallDeps } from './call.js';
import { UnlistedOaError } from './errors.js';
import { zaloErrorOf, zaloPostStream } from './http.js';

const MB = 1024 * 1024;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * What the OA takes from and gives to the bot. Sends: JPEG and PNG up to 1 MB through
 * `/v2.0/oa/upload/image`, PDF and Word up to 5 MB through `/v2.0/oa/upload/file` (Zalo's limits
 * as integrators quote its documentation); anything else (GIF, spreadsheets, video, audio, larger
 * files) goes as a download link. Receives: whatever a user sends, fetched from Zalo's CDN; no
 * platform limit is known, so the bot's own `FILES_MAX_MB` applies.
 */
export const ZALO_OA_FILE_CAPABILITIES: FileCapabilities = Object.freeze({
  maxUploadBytes: 5 * MB,
  maxUploadBytesByKind: Object.freeze({ image: 1 * MB }),
  maxDownloadBytes: 2048 * MB,
  kinds: Object.freeze(['image', 'document'] as const),
  mimeTypes: Object.freeze({ image: Object.freeze(['image/jpeg', 'image/png']), document: Object.freeze(['application/pdf', DOCX]) }),
});


/** What an upload gave: an image's `attachment_id` or a file's `token`. */
export type OaUploaded = { type: 'image'; attachmentId: string } | { type: 'file'; token: string };

/** Uploads of this process, by the bytes' SHA-256, re-used for a while (a notice's decree to many communes). */
export interface OaUploads {
  get(sha256: string): OaUploaded | undefined;
  put(sha256: string, uploaded: OaUploaded): void;
  forget(sha256: string): void;
}

/**
 * An in-memory {@link OaUploads}: entries live `ttlMs` (default 30 min; how long Zalo keeps an
 * attachment id or token usable is not documented, and a refused one is uploaded again anyway),
 * at most `max` of them.
 */
export function createOaUploads(now: () => number, ttlMs = 30 * 60_000, max = 500): OaUploads {
  const entries = new Map<string, { uploaded: OaUploaded; at: number }>();
  return {
    get(sha256) {
      const e = entries.get(sha256);
      if (e && now() - e.at <= ttlMs) return e.uploaded;
      entries.delete(sha256);
      return undefined;
    },
    put(sha256, uploaded) {
      entries.delete(sha256);
      entries.set(sha256, { uploaded, at: now() });
      if (entries.size > max) entries.delete(entries.keys().next().value as string);
    },
    forget: (sha256) => { entries.delete(sha256); },
  };
}

/**
 * One file as a consultation message: uploaded (streamed multipart), then sent by its attachment
 * id (images, a `media` template) or token (documents). An upload re-used from the cache that Zalo
 * no longer takes is uploaded again once.
 */
export async function sendOaFile(deps: OaCallDeps, uploads: OaUploads, userId: string, file: OutboundFile): Promise<string> {
  const cached = uploads.get(file.sha256);
  if (cached) {
    try {
      return await postAttachment(deps, userId, cached);
    } catch (err) {
      if (!(err instanceof BadRequestError || err instanceof UnlistedOaError)) throw err;
      uploads.forget(file.sha256);
      deps.logger.warn({ error: err.message }, 'zalo-oa: Zalo refused a re-used upload; uploading the file again');
    }
  }
  const uploaded = await uploadOaFile(deps, file);
  uploads.put(file.sha256, uploaded);
  return postAttachment(deps, userId, uploaded);
}

function postAttachment(deps: OaCallDeps, userId: string, u: OaUploaded): Promise<string> {
  const attachment = u.type === 'image'
    ? { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', attachment_id: u.attachmentId }] } }
    : { type: 'file', payload: { token: u.token } };
  return postCsMessage(deps, userId, { attachment }, `send ${u.type}`);
}

/** `POST /v2.0/oa/upload/image|file` (field `file`), a fresh stream of the bytes per attempt. */
export function uploadOaFile(deps: OaCallDeps, file: OutboundFile): Promise<OaUploaded> {
  const type = file.kind === 'image' ? 'image' : 'file';
  const what = `upload ${type}`;
  return withAccessToken(deps, async (token) => {
    const stream = await file.open();
    const body = multipartBody({ field: 'file', name: file.name, mimeType: file.mimeType, sizeBytes: file.sizeBytes, stream });
    let res;
    try {
      res = await zaloPostStream(`${deps.openapiUrl}/v2.0/oa/upload/${type}`, {
        headers: { 'content-type': body.contentType, access_token: token }, body: body.body, contentLength: body.contentLength,
      }, what);
    } finally {
      stream.destroy();
    }
    const data = (res.body as { data?: Record<string, unknown> } | undefined)?.data;
    const id = idOf(type === 'image' ? data?.attachment_id : data?.token);
    if (res.httpStatus !== 200 || zaloErrorOf(res.body).code !== 0 || id === undefined) throw failureOf(deps, res, what);
    return type === 'image' ? { type, attachmentId: id } : { type, token: id };
  });
}

const idOf = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);

/** What {@link fetchOaMedia} needs. */
export interface OaMediaDeps {
  /** The OpenAPI origin: its own host is trusted too (a local fake serves the files there). */
  openapiUrl: string;
  logger: Logger;
  /** Default {@link ZALO_MEDIA_HOSTS}. */
  mediaHosts?: readonly string[];
}

/**
 * Streams a user's file from the URL in its webhook event (`InboundFile.ref`). Only HTTPS URLs on
 * Zalo's hosts (or the configured OpenAPI origin) are fetched, redirects included.
 */
export function fetchOaMedia(deps: OaMediaDeps, file: InboundFile): Promise<Readable> {
  const own = new URL(deps.openapiUrl).origin;
  return fetchMediaUrl(file.ref, {
    logger: deps.logger, what: 'zalo-oa media',
    allowed: (url) => url.origin === own || isHttpsOnHosts(url, deps.mediaHosts ?? ZALO_MEDIA_HOSTS),
  });
}
