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

/** `UnreachableError.reason` for -227: the user's account is locked, or inactive for 45 days. */
export const REASON_USER_INACTIVE = 'zalo_user_inactive';
/** `UnreachableError.reason` for -244: the user blocked this kind of message from the OA. */
export const REASON_USER_REFUSES = 'zalo_user_refuses_messages';

/** `UnreachableError.reason` for ZNS -118: the phone number has no Zalo account. */
export const REASON_NO_ZALO_ACCOUNT = 'zns_no_zalo_account';

/** An access token Zalo no longer accepts (-216, -220): refresh once and retry once. */
export class TokenRejectedError extends AuthError {}

/**
 * Zalo refused because of how the OA or its app is set up (-204/-205 OA gone, -219 app removed or
 * disabled, -221/-223/-224 OA not verified or its package does not allow it, -320/-321 Zalo Cloud
 * Account not linked or out of money): no retry helps until an operator acts. An {@link AuthError},
 * so the outbox holds the message (never fails it) and retries it once the platform accepts us.
 */
export class OaSetupError extends AuthError {
  constructor(readonly zaloCode: number, message: string) {
    super(message);
  }
}

/** Zalo refused a parameter as too long (-210). Final for that message. */
export class ParameterTooLongError extends BadRequestError {}

/** A Zalo error code the tables do not list: retried with backoff like a transient failure. */
export class UnlistedOaError extends TransientError {
  constructor(readonly zaloCode: number, message: string, retryAfterMs?: number) {
    super(message, retryAfterMs);
  }
}

type Rule = (f: OaFailure, text: string) => ChatError;

/** OA or app set-up problems (see {@link OaSetupError}). */
export const OA_SETUP_CODES: readonly number[] = [-204, -205, -219, -221, -223, -224, -320, -321];

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
  [-210]: (_f, text) => new ParameterTooLongError(text),
  [-227]: (_f, text) => new UnreachableError(REASON_USER_INACTIVE, text),
  [-244]: (_f, text) => new UnreachableError(REASON_USER_REFUSES, text),
  ...Object.fromEntries(OA_SETUP_CODES.map((code) => [code, (_f: OaFailure, text: string) => new OaSetupError(code, text)])),
};

function fallback(f: OaFailure, text: string): ChatError {
  if (f.httpStatus === 429) return new RateLimitError(f.retryAfterMs ?? DEFAULT_RATE_RETRY_MS, text);
  if (f.httpStatus === 401 || f.httpStatus === 403) return new AuthError(text);
  // 5xx, and codes Zalo may add: retried with backoff, then failed, never silently dropped.
  if (f.code !== 0) return new UnlistedOaError(f.code, text, f.retryAfterMs);
  return new TransientError(text, f.retryAfterMs);
}

/** Maps one OA refusal through the table. */
export function fromOaFailure(f: OaFailure): ChatError {
  return mapThrough(OA_ERRORS, f);
}

/**
 * ZNS answers with its own codes (a separate table from the OA's): -124 the access token is
 * invalid (refresh once, retry once), -118 the phone number has no Zalo account (final at once).
 * Codes not listed fall through like OA ones.
 */
const ZNS_ERRORS: Readonly<Record<number, Rule>> = {
  [-124]: (_f, text) => new TokenRejectedError(text),
  [-118]: (_f, text) => new UnreachableError(REASON_NO_ZALO_ACCOUNT, text),
};

/** Maps one ZNS refusal through the ZNS table. */
export function fromZnsFailure(f: OaFailure): ChatError {
  return mapThrough(ZNS_ERRORS, f);
}

function mapThrough(table: Readonly<Record<number, Rule>>, f: OaFailure): ChatError {
  const text = `zalo-oa ${f.code !== 0 ? f.code : `http ${f.httpStatus}`}: ${f.message}`.slice(0, 300);
  const rule = f.code !== 0 ? table[f.code] : undefined;
  return rule ? rule(f, text) : fallback(f, text);
}

/** A failure before any response (DNS, refused connection, timeout, unreadable body). */
export function networkError(what: string, err: unknown): TransientError {
  const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new TransientError(`zalo-oa ${what} failed: ${reason}`.slice(0, 300), undefined, { cause: err });
}
