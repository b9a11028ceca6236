import { Readable } from 'node:stream';
import { parseJsonLossless } from './json.js';
import { networkError } from './errors.js';

/** One HTTP answer from a Zalo endpoint, body parsed with ids kept as strings. */
export interface ZaloHttpResponse {
  httpStatus: number;
  /** The parsed JSON body, or `undefined` when it was not JSON. */
  body: unknown;
  /** From `Retry-After` (seconds), in ms. */
  retryAfterMs?: number;
}

/** Default timeout of one request to Zalo, in ms. */
export const ZALO_REQUEST_TIMEOUT_MS = 15_000;

/**
 * POSTs to a Zalo endpoint. Throws only {@link TransientError} (network failure, timeout); HTTP
 * error statuses are returned for the caller's error table. Never puts headers in error text.
 */
export async function zaloPost(
  url: string, init: { headers: Record<string, string>; body: string }, what: string, timeoutMs = ZALO_REQUEST_TIMEOUT_MS,
): Promise<ZaloHttpResponse> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (err) {
    throw networkError(what, err);
  }
  return toResponse(response, text);
}

/** Timeout of one upload to Zalo (a 5 MB file on a slow link), in ms. */
export const ZALO_UPLOAD_TIMEOUT_MS = 120_000;

/**
 * POSTs a streamed body of a known length (a multipart upload) to a Zalo endpoint, with the same
 * contract as {@link zaloPost}: throws only {@link TransientError}, returns HTTP error statuses.
 */
export async function zaloPostStream(
  url: string, init: { headers: Record<string, string>; body: Readable; contentLength: number }, what: string, timeoutMs = ZALO_UPLOAD_TIMEOUT_MS,
): Promise<ZaloHttpResponse> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST', headers: { ...init.headers, 'content-length': String(init.contentLength) },
      body: Readable.toWeb(init.body) as ReadableStream<Uint8Array>, duplex: 'half', signal: AbortSignal.timeout(timeoutMs),
    } as RequestInit);
    text = await response.text();
  } catch (err) {
    init.body.destroy();
    throw networkError(what, err);
  }
  return toResponse(response, text);
}

function toResponse(response: Response, text: string): ZaloHttpResponse {
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    httpStatus: response.status,
    body: tryParse(text),
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
  };
}

function tryParse(text: string): unknown {
  try {
    return parseJsonLossless(text);
  } catch {
    return undefined;
  }
}

/** `{error, message}` of a Zalo body: `error` 0 (or absent) is success. */
export function zaloErrorOf(body: unknown): { code: number; message: string } {
  const obj = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof obj.error === 'number' ? obj.error : Number(obj.error ?? 0);
  const message = typeof obj.message === 'string' ? obj.message : typeof obj.error_description === 'string' ? obj.error_description : '';
  return { code: Number.isFinite(code) ? code : 0, message };
}
