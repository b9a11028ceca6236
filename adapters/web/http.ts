import type { HttpBodyResponse, HttpRequest } from '../types.js';

/** Largest request body the web API accepts, in bytes (16 KiB). */
export const WEB_BODY_LIMIT_BYTES = 16 * 1024;

/** The session cookie's name. */
export const SESSION_COOKIE = 'liaison_session';

/** The header carrying the double-submit CSRF token on every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';

/** Every refusal the web API gives, with its status and the sentence shown to people. */
const ERRORS = {
  bad_json: [400, 'Yêu cầu không hợp lệ (JSON sai).', 'Malformed request (invalid JSON).'],
  bad_request: [400, 'Yêu cầu thiếu hoặc sai thông tin.', 'The request is missing or has invalid fields.'],
  unknown_button: [400, 'Nút này không còn dùng được.', 'This button is no longer available.'],
  no_session: [401, 'Phiên đăng nhập đã hết hạn hoặc không tồn tại. Vui lòng đăng nhập lại bằng mã mời.', 'Your session has expired or does not exist. Please sign in again with your invite code.'],
  csrf: [403, 'Yêu cầu bị từ chối (thiếu hoặc sai mã bảo vệ CSRF). Vui lòng tải lại trang.', 'Request refused (missing or invalid CSRF token). Please reload the page.'],
  too_large: [413, 'Nội dung quá dài (tối đa 16 KB).', 'The request is too large (16 KB at most).'],
  unsupported_media_type: [415, 'Yêu cầu phải là JSON.', 'The request must be JSON.'],
  rate_limited: [429, 'Quá nhiều lần đăng nhập. Vui lòng thử lại sau ít phút.', 'Too many sign-in attempts. Please try again in a few minutes.'],
  unavailable: [503, 'Hệ thống đang bận, vui lòng thử lại.', 'The service is busy; please try again.'],
} as const satisfies Record<string, readonly [number, string, string]>;

/** A web API error code. */
export type WebErrorCode = keyof typeof ERRORS;

const NO_STORE = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** A JSON response that is never cached (it carries personal messages and tokens). */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpBodyResponse {
  return { status, headers: { ...NO_STORE, ...headers }, body: JSON.stringify(body) };
}

/** The refusal `{error, message_vi, message_en}` (+ `extra`) with the code's status. */
export function refuse(code: WebErrorCode, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): HttpBodyResponse {
  const [status, vi, en] = ERRORS[code];
  return json(status, { error: code, message_vi: vi, message_en: en, ...extra }, headers);
}

/** The value of cookie `name` in a `Cookie` header, if present. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** The `Set-Cookie` value for a session id; an empty id clears the cookie. */
export function sessionCookie(sessionId: string, secure: boolean): string {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : []), ...(sessionId === '' ? ['Max-Age=0'] : [])];
  return [`${SESSION_COOKIE}=${sessionId}`, ...attributes].join('; ');
}

/**
 * The JSON object of a POST body, or the refusal to answer: 413 over {@link WEB_BODY_LIMIT_BYTES},
 * 415 unless `Content-Type` is JSON (a cross-site form cannot send JSON), 400 when not an object.
 */
export function parseJsonBody(req: HttpRequest): { body: Record<string, unknown> } | { refusal: HttpBodyResponse } {
  if (req.rawBody.length > WEB_BODY_LIMIT_BYTES) return { refusal: refuse('too_large') };
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return { refusal: refuse('unsupported_media_type') };
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return { refusal: refuse('bad_json') };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { refusal: refuse('bad_json') };
  return { body: body as Record<string, unknown> };
}

export { secretMatches as tokensMatch } from '../secrets.js';

/** The primary language tag of an `Accept-Language` header (`vi-VN,vi;q=0.9` → `vi-VN`). */
export function toLanguageCode(header: string | undefined): string | undefined {
  const first = (header ?? '').split(',')[0]?.split(';')[0]?.trim() ?? '';
  return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(first) ? first : undefined;
}
