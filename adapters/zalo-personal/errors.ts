import {
  AuthError, BadRequestError, ChatError, RateLimitError, TransientError, UnreachableError,
} from '../types.js';
import { zaloErrorCode } from './zca.js';

/**
 * Zalo error codes seen from the personal-account API (zca-js `ZaloApiError.code`), from zca-js's
 * issue tracker and platforms.md: the recipient refuses messages from strangers (122), "cannot
 * receive messages from you" (123: blocked, or a spam block on this account), and 114 (the user
 * cannot be messaged). None of them gets better by retrying.
 */
export const UNREACHABLE_CODES: ReadonlyMap<number, string> = new Map([
  [114, 'zalo_114_not_messageable'],
  [122, 'zalo_122_strangers_blocked'],
  [123, 'zalo_123_cannot_receive'],
]);

/** "Vượt quá số request cho phép": too many requests. */
export const RATE_LIMIT_CODES: ReadonlySet<number> = new Set([221]);

/**
 * The session is no longer valid: a new QR scan is needed. 102 (platforms.md), and 600 "zpw_sek bị
 * thiếu hoặc không đúng" (the session cookie is missing or wrong; zca-js issue #211), which is how a
 * session another Zalo Web login replaced answers a send.
 */
export const SESSION_EXPIRED_CODES: ReadonlySet<number> = new Set([102, 600]);

/**
 * zca-js 2.2.0 throws the same code-less `ZcaApiError` for a refused login (`dist/zalo.js`:
 * "Đăng nhập thất bại", "Khởi tạo ngữ cảnh thất bại.") and for an HTTP failure on the way
 * (`dist/apis/login.js`: "Failed to fetch login info: <status text>", "Failed to fetch server info:
 * …"); only the words tell them apart. These are the ones a retry can cure.
 */
const TRANSIENT_LOGIN_MESSAGE = /^Failed to fetch (login|server) info\b|status code|parse response/i;

/**
 * Did Zalo refuse the saved login (a new QR scan is needed), as opposed to failing on the way (a
 * network error, an HTTP error status, an unreadable answer: retried with backoff)?
 */
export function isLoginRefusal(err: unknown): boolean {
  const code = zaloErrorCode(err);
  if (code === undefined) return false;
  if (typeof code === 'number') return true;
  return !TRANSIENT_LOGIN_MESSAGE.test(err instanceof Error ? err.message : '');
}

/** Thrown by `send` when the account needs a new QR login; the adapter has alerted the admins. */
export class SessionExpiredError extends AuthError {
  constructor(message = 'zalo personal: the session expired; run `liaison zalo login`', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Is this zca-js failure the session ending (so the account needs a new QR scan)? */
export function isSessionExpired(err: unknown): boolean {
  const code = zaloErrorCode(err);
  return typeof code === 'number' && SESSION_EXPIRED_CODES.has(code);
}

/**
 * THE mapping from what a zca-js send throws to our errors. Without a code, an HTTP status in the
 * message (zca-js words it "Request failed with status code N") or a parse failure is transient;
 * any other code-less `ZaloApiError` is zca-js refusing our arguments before sending (bad request).
 * Errors that are not `ZaloApiError` at all are network failures: transient.
 * @param rateLimitRetryMs what to wait after a rate limit; Zalo gives no hint of its own.
 */
export function toChatError(err: unknown, rateLimitRetryMs: number): ChatError {
  if (err instanceof ChatError) return err;
  const code = zaloErrorCode(err);
  const text = err instanceof Error ? err.message : String(err);
  const message = `zalo personal${typeof code === 'number' ? ` ${code}` : ''}: ${text}`;
  if (code === undefined) return new TransientError(message, undefined, { cause: err });
  if (code === null) {
    if (/status code 429/.test(text)) return new RateLimitError(rateLimitRetryMs, message, { cause: err });
    return /status code|parse/i.test(text)
      ? new TransientError(message, undefined, { cause: err })
      : new BadRequestError(message, { cause: err });
  }
  const unreachable = UNREACHABLE_CODES.get(code);
  if (unreachable) return new UnreachableError(unreachable, message, { cause: err });
  if (RATE_LIMIT_CODES.has(code)) return new RateLimitError(rateLimitRetryMs, message, { cause: err });
  if (SESSION_EXPIRED_CODES.has(code)) return new SessionExpiredError(message, { cause: err });
  return new TransientError(message, undefined, { cause: err });
}
