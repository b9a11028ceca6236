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
