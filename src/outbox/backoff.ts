import type { BackoffStrategy } from 'bullmq';

/** Name of our custom strategy in a job's `backoff.type`. */
export const OUTBOX_BACKOFF_TYPE = 'outbox';

/** Options for {@link computeBackoffMs}. */
export interface BackoffOptions {
  /** Delay after the first failed attempt, in ms. */
  baseMs: number;
  /** Upper bound, in ms. */
  maxMs: number;
  /** Random spread as a fraction of the delay (0.2 → ±10 %), so a platform outage's retries don't arrive in one burst. Default 0.2. */
  jitter?: number;
  /** Source of randomness in [0, 1); injected by tests. Default `Math.random`. */
  random?: () => number;
}

/**
 * Delay before the next attempt after `attempt` failed attempts (1-based): `baseMs · 2^(attempt-1)`
 * capped at `maxMs`, spread by `jitter`, and never shorter than the platform's own
 * `retryAfterMs` hint (which may exceed `maxMs`: retrying earlier would only be refused again).
 */
export function computeBackoffMs(attempt: number, options: BackoffOptions, retryAfterMs?: number): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const capped = Math.min(options.baseMs * 2 ** exponent, options.maxMs);
  const jitter = options.jitter ?? 0.2;
  const spread = capped * jitter * ((options.random ?? Math.random)() - 0.5);
  const delay = Math.round(Math.min(capped + spread, options.maxMs));
  return Math.max(delay, retryAfterMs ?? 0, 1);
}

/**
 * Thrown by the delivery job to have BullMQ retry after exactly `retryDelayMs`: the delay is
 * computed from the row's own attempt count (which survives job re-creation after a restart),
 * not from BullMQ's per-job counter.
 */
export class RetryLaterError extends Error {
  constructor(readonly retryDelayMs: number, message: string) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

function hasRetryDelay(err: unknown): err is { retryDelayMs: number } {
  return typeof err === 'object' && err !== null && typeof (err as { retryDelayMs?: unknown }).retryDelayMs === 'number';
}

/** BullMQ `settings.backoffStrategy`: honours {@link RetryLaterError}, else exponential on BullMQ's count. */
export function createBackoffStrategy(options: BackoffOptions): BackoffStrategy {
  return (attemptsMade, _type, err) => (hasRetryDelay(err) ? err.retryDelayMs : computeBackoffMs(attemptsMade, options));
}
