import type { HttpBodyResponse, HttpRequest } from '../types.js';

/** Largest request body the web API accepts, in bytes (16 KiB). */
export const WEB_BODY_LIMIT_BYTES = 16 * 1024;

/** The session cookie's name (sign-in slot 0; slot n adds `_n`). */
export const SESSION_COOKIE = 'liaison_session';

/**
 * Sign-in slots: one browser can be signed in as this many people at once, one per slot, each in
 * its own tab. Slot 0 is `/web` (API `/web/api`); slot n is `/web/u/<n>/` (API `/web/u/<n>/api`).
 * Each slot's cookie has its own name and is scoped to its own API path, so the browser sends a
 * tab only the cookie of its slot.
 */
export const WEB_SLOTS = 10;

/** Where a slot's API lives, and its cookie. */
export interface SlotPaths {
  slot: number;
  /** `/web/api` or `/web/u/<n>/api`: the API prefix and the cookie's Path. */
  apiPrefix: string;
  cookieName: string;
}

/** The paths of sign-in slot `slot` (0 … {@link WEB_SLOTS} − 1). */
export function slotPaths(slot: number): SlotPaths {
  return slot === 0
    ? { slot, apiPrefix: '/web/api', cookieName: SESSION_COOKIE }
    : { slot, apiPrefix: `/web/u/${slot}/api`, cookieName: `${SESSION_COOKIE}_${slot}` };
}

/** The header carrying the double-submit CSRF token on every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';

/** Every refusal the web API gives, with its status and the sentence shown to people. */
const ERRORS = {
  bad_json: [400, 'Yêu cầu không hợp lệ (JSON sai).', 'Malformed request (invalid JSON).'],
  bad_request: [400, 'Yêu cầu thiếu hoặc sai thông tin.', 'The request is missing or has invalid fields.'],
  unknown_button: [400, 'Nút này không còn dùng được.', 'This button is no longer available.'],
  no_session: [401, 'Phiên đăng nhập đã hết hạn hoặc không tồn tại. Vui lòng đăng nhập lại: gõ /web trong Telegram hoặc Zalo để nhận mã, hoặc xin điều phối viên một liên kết đăng nhập.', 'Your session has expired or does not exist. Please sign in again: send /web in Telegram or Zalo for a code, or ask your coordinator for a sign-in link.'],
  code_used: [400, 'Mã đăng nhập này đã được dùng. Gõ /web trong Telegram hoặc Zalo để nhận mã mới.', 'This sign-in code has already been used. Send /web in Telegram or Zalo to get a new one.'],
  code_expired: [400, 'Mã đăng nhập này đã hết hạn (mã chỉ dùng được trong 10 phút). Gõ /web trong Telegram hoặc Zalo để nhận mã mới.', 'This sign-in code has expired (codes last 10 minutes). Send /web in Telegram or Zalo to get a new one.'],
  code_unknown: [400, 'Mã này không đúng. Kiểm tra lại mã, hoặc gõ /web trong Telegram hoặc Zalo để nhận mã mới.', 'This code is not valid. Check it, or send /web in Telegram or Zalo to get a new one.'],
  signed_in: [409, 'Thẻ này đang đăng nhập với một người khác. Bạn có muốn đăng xuất người đó và đăng nhập bằng mã này không?', 'This tab is signed in as someone else. Do you want to sign them out and sign in with this code?'],
  csrf: [403, 'Yêu cầu bị từ chối (thiếu hoặc sai mã bảo vệ CSRF). Vui lòng tải lại trang.', 'Request refused (missing or invalid CSRF token). Please reload the page.'],
  cross_origin: [403, 'Yêu cầu bị từ chối: không đến từ trang trò chuyện của hệ thống.', 'Request refused: it did not come from this service\'s chat page.'],
  too_large: [413, 'Nội dung quá dài (tối đa 16 KB).', 'The request is too large (16 KB at most).'],
  unsupported_media_type: [415, 'Yêu cầu phải là JSON.', 'The request must be JSON.'],
  rate_limited: [429, 'Quá nhiều lần đăng nhập. Vui lòng thử lại sau ít phút.', 'Too many sign-in attempts. Please try again in a few minutes.'],
  too_many_codes: [429, 'Bạn đã thử quá nhiều mã. Vui lòng thử lại sau ít phút.', 'Too many codes tried. Please try again in a few minutes.'],
  unavailable: [503, 'Hệ thống đang bận, vui lòng thử lại.', 'The service is busy; please try again.'],
  internal: [500, 'Lỗi hệ thống, vui lòng thử lại.', 'Something went wrong; please try again.'],
} as const satisfies Record<string, readonly [number, string, string]>;

/** The neutral answer to "send me a code", whoever was named (202). */
export const CODE_SENT = {
  ok: true,
  message_vi: 'Nếu thông tin này khớp với một người đã liên kết Telegram hoặc Zalo, mã đăng nhập vừa được gửi tới cuộc trò chuyện đó (hiệu lực 10 phút).',
  message_en: 'If this matches someone with a linked Telegram or Zalo chat, a sign-in code has just been sent there (valid 10 minutes).',
} as const;

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

/** A refusal worded by its caller (an API's own errors), shaped like {@link refuse}'s. */
export function refusal(status: number, error: string, vi: string, en: string): HttpBodyResponse {
  return json(status, { error, message_vi: vi, message_en: en });
}

/** The value of cookie `name` in a `Cookie` header, if present. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The `Set-Cookie` value of a slot's session token; an empty token clears the cookie. The cookie
 * outlives the browser (Max-Age = the session's absolute lifetime): the server decides expiry.
 */
export function sessionCookie(paths: SlotPaths, token: string, secure: boolean, maxAgeS: number): string {
  const attributes = [`Path=${paths.apiPrefix}`, 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : []), `Max-Age=${token === '' ? 0 : maxAgeS}`];
  return [`${paths.cookieName}=${token}`, ...attributes].join('; ');
}

/** Hosts trusted without configuration: IP addresses and `localhost` (no rebinding attack can use them). */
export const literalHostOnly = (host: string | undefined): boolean =>
  /^(localhost|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\])(:\d{1,5})?$/i.test(host ?? '');

/**
 * True when a state-changing request visibly comes from another site: `Sec-Fetch-Site` other than
 * `same-origin`, or an `Origin` that is none of `allowedOrigins` (the public URL) and not this
 * request's own host — where the `Host` header counts only when `allowedHost` accepts it: a page on
 * an attacker's name that resolves to this machine sends its own name as both. Requests with
 * neither header (non-browser clients) pass: the CSRF token still guards them.
 */
export function isCrossOrigin(req: HttpRequest, allowedOrigins: readonly string[], allowedHost: (host: string | undefined) => boolean = literalHostOnly): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const host = req.headers.host;
  const own = host === undefined || !allowedHost(host) ? [] : [`http://${host}`, `https://${host}`];
  return ![...own, ...allowedOrigins].includes(origin);
}

/**
 * The client address a rate limit keys on: the socket's, or with `trustProxy` the one the reverse
 * proxy in front appended last to `X-Forwarded-For` (earlier entries are the client's own claims).
 */
export function clientAddress(req: HttpRequest, trustProxy: boolean): string {
  if (!trustProxy) return req.ip;
  const forwarded = (req.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return forwarded.at(-1) ?? req.ip;
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
    // U+0000 dropped from every string, as from every inbound event (src/inbound/without-nul.ts):
    // PostgreSQL text cannot hold it, and the page's own copy of a message is stored from here.
    body = JSON.parse(req.rawBody.toString('utf8'), (_key, value: unknown) => (typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '') : value));
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
