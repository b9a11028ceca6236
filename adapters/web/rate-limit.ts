/** A fixed-window counter per key (e.g. per client address). */
export interface RateLimiter {
  /**
   * Counts one attempt by `key` at `nowMs`.
   * @returns `{ok: true}`, or `{ok: false, retryAfterMs}` when the key is over its limit.
   */
  hit(key: string, nowMs: number): { ok: true } | { ok: false; retryAfterMs: number };
}

/** Options of {@link createRateLimiter}. */
export interface RateLimitOptions {
  /** Attempts allowed per window. */
  max: number;
  /** Window length in milliseconds. */
  windowMs: number;
}

/** Creates a {@link RateLimiter}; expired windows are dropped as keys are hit, so memory stays bounded. */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const windows = new Map<string, { startMs: number; count: number }>();
  const sweep = (nowMs: number): void => {
    for (const [key, window] of windows) if (nowMs - window.startMs >= options.windowMs) windows.delete(key);
  };
  return {
    hit(key, nowMs) {
      if (windows.size > 1000) sweep(nowMs);
      let window = windows.get(key);
      if (!window || nowMs - window.startMs >= options.windowMs) {
        window = { startMs: nowMs, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      if (window.count <= options.max) return { ok: true };
      return { ok: false, retryAfterMs: Math.max(1, window.startMs + options.windowMs - nowMs) };
    },
  };
}
