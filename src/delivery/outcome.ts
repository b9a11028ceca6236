import { AuthError, BadRequestError, RateLimitError, TransientError, UnreachableError } from '../../adapters/types.js';
import { computeBackoffMs, type BackoffOptions } from './backoff.js';
import { isWindowRefusal } from './window.js';

/** The kinds of send failure, as the adapters' typed errors (`adapters/types.ts`) tell them apart. */
export type SendErrorKind = 'rate_limited' | 'window_closed' | 'credentials' | 'unreachable' | 'bad_request' | 'transient';

/**
 * What a failed send leads to, for the outbox and the notices engine alike (they differ only in
 * how they wait and what they write):
 * - `wait`: try again after `delayMs` (the platform's `retryAfterMs`); the attempt is not counted;
 * - `hold`: park the message until the person writes (`reply_window`) or the platform accepts our
 *   credentials again (`credentials`), or send it to another chat of the person;
 * - `unreachable`: the recipient is dead to us (blocked, chat gone): final, the identity is marked;
 * - `failed`: final (`bad_request`: the same request will not work; `max_attempts`: gave up);
 * - `retry`: try again after `delayMs` (exponential backoff, never shorter than the platform's hint).
 */
export type SendOutcome =
  | { kind: 'wait'; delayMs: number }
  | { kind: 'hold'; reason: 'reply_window' | 'credentials' }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'failed'; reason: 'bad_request' | 'max_attempts' }
  | { kind: 'retry'; delayMs: number };

/** The one table: each kind of error and the outcome it leads to. */
export const SEND_ERROR_OUTCOMES = {
  rate_limited: 'wait',
  window_closed: 'hold',
  credentials: 'hold',
  unreachable: 'unreachable',
  bad_request: 'failed',
  // Network failures, 5xx, and anything not typed: retried until `maxAttempts`.
  transient: 'retry',
} as const satisfies Record<SendErrorKind, SendOutcome['kind']>;

/** What the decision needs besides the error. */
export interface SendErrorPolicy {
  /** Attempts made, the failed one included (rate-limited attempts not counted). */
  attempts: number;
  /** Attempts after which a retryable error is final (`failed`, `max_attempts`). */
  maxAttempts: number;
  backoff: BackoffOptions;
  /**
   * The caller can hold a message for the reply window. When false (the outbox's `notices` queue),
   * a window refusal is an unreachable recipient.
   */
  windowHolds: boolean;
}

/** The kind of a send failure; anything that is not one of the typed errors counts as transient. */
export function sendErrorKind(err: unknown): SendErrorKind {
  if (err instanceof RateLimitError) return 'rate_limited';
  if (isWindowRefusal(err)) return 'window_closed';
  if (err instanceof AuthError) return 'credentials';
  if (err instanceof UnreachableError) return 'unreachable';
  if (err instanceof BadRequestError) return 'bad_request';
  return 'transient';
}

/** The error → outcome decision ({@link SEND_ERROR_OUTCOMES}), with its delay or reason filled in. */
export function decideSendError(err: unknown, policy: SendErrorPolicy): SendOutcome {
  const found = sendErrorKind(err);
  const kind = found === 'window_closed' && !policy.windowHolds ? 'unreachable' : found;
  switch (SEND_ERROR_OUTCOMES[kind]) {
    case 'wait':
      return { kind: 'wait', delayMs: Math.max(1, err instanceof RateLimitError ? err.retryAfterMs : 0) };
    case 'hold':
      return { kind: 'hold', reason: kind === 'credentials' ? 'credentials' : 'reply_window' };
    case 'unreachable':
      return { kind: 'unreachable', reason: err instanceof UnreachableError ? err.reason : 'unreachable' };
    case 'failed':
      return { kind: 'failed', reason: 'bad_request' };
    case 'retry': {
      if (policy.attempts >= policy.maxAttempts) return { kind: 'failed', reason: 'max_attempts' };
      const hintMs = err instanceof TransientError ? err.retryAfterMs : undefined;
      return { kind: 'retry', delayMs: computeBackoffMs(policy.attempts, policy.backoff, hintMs) };
    }
  }
}
