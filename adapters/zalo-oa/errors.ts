import {
  AuthError, BadRequestError, type ChatError, RateLimitError, TransientError, UnreachableError,
} from '../types.js';

/** A refusal from the OA Open API (`{error: <negative code>, message}`) or the HTTP layer, normalised. */
export interface OaFailure {
  /** Zalo's `error` code; 0 when the failure is an HTTP status without a Zalo body. */
  code: number;
  /** Zalo's `message` text (safe to log: it never contains our token). */
  message: string;
  /** HTTP status of the response. */
  httpStatus: number;
  /** From an HTTP `Retry-After` header, when one came. */
  retryAfterMs?: number;
}

/** `UnreachableError.reason` when the 48-hour (or paid 7-day) window is closed. The outbox holds such rows. */
export const REASON_OUTSIDE_WINDOW = 'outside_window';
/** `UnreachableError.reason` when the user does not follow the OA (never did, or unfollowed). */
export const REASON_NOT_FOLLOWER = 'not_follower';

/** Wait after a `-32` without a Retry-After header, in ms. */
export const DEFAULT_RATE_RETRY_MS = 60_000;
/** Wait after a quota refusal (quotas are per day or month), in ms. */
export const QUOTA_RETRY_MS = 3_600_000;

/** An access token Zalo no longer accepts (-216, -220): refresh once and retry once. */
export class TokenRejectedError extends AuthError {}

type Rule = (f: OaFailure, text: string) => ChatError;

/** THE table from OA error codes to our errors. Codes not listed fall through to {@link fallback}. */
const OA_ERRORS: Readonly<Record<number, Rule>> = {
  [-216]: (_f, text) => new TokenRejectedError(text),
  [-220]: (_f, text) => new TokenRejectedError(text),
  [-213]: (_f, text) => new UnreachableError(REASON_NOT_FOLLOWER, text),
  [-230]: (_f, text) => new UnreachableError(REASON_OUTSIDE_WINDOW, text),
  [-232]: (_f, text) => new UnreachableError(REASON_OUTSIDE_WINDOW, text),
  [-211]: (f, text) => new RateLimitError(f.retryAfterMs ?? QUOTA_RETRY_MS, text),
  [-218]: (f, text) => new RateLimitError(f.retryAfterMs ?? QUOTA_RETRY_MS, text),
  [-32]: (f, text) => new RateLimitError(f.retryAfterMs ?? DEFAULT_RATE_RETRY_MS, text),
  [-201]: (_f, text) => new BadRequestError(text),
};

function fallback(f: OaFailure, text: string): ChatError {
  if (f.httpStatus === 429) return new RateLimitError(f.retryAfterMs ?? DEFAULT_RATE_RETRY_MS, text);
  if (f.httpStatus === 401 || f.httpStatus === 403) return new AuthError(text);
  // 5xx, and codes Zalo may add: retried with backoff, then failed, never silently dropped.
  return new TransientError(text, f.retryAfterMs);
}

/** Maps one OA refusal through the table. */
export function fromOaFailure(f: OaFailure): ChatError {
  const text = `zalo-oa ${f.code !== 0 ? f.code : `http ${f.httpStatus}`}: ${f.message}`.slice(0, 300);
  const rule = f.code !== 0 ? OA_ERRORS[f.code] : undefined;
  return rule ? rule(f, text) : fallback(f, text);
}

/** A failure before any response (DNS, refused connection, timeout, unreadable body). */
export function networkError(what: string, err: unknown): TransientError {
  const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new TransientError(`zalo-oa ${what} failed: ${reason}`.slice(0, 300), undefined, { cause: err });
}
