import { setTimeout as sleep } from 'node:timers/promises';
import { isTransientDbError } from './errors.js';

/** Options of {@link retryTransient}. */
export interface RetryTransientOptions {
  /** Wait after the first failure, in ms; doubles each time. Default 200. */
  firstDelayMs?: number;
  /** Longest wait between attempts, in ms. Default 5,000. */
  maxDelayMs?: number;
  /** Stop retrying once this long has passed since the first attempt (real time), in ms; the last error is thrown. Default no limit. */
  giveUpAfterMs?: number;
  /** Aborting stops at the next wait and throws the last error (a stopping process). */
  signal?: AbortSignal;
  /** Called before each wait (for a log line). `attempt` counts failures so far, from 1. */
  onRetry?(err: unknown, attempt: number, delayMs: number): void;
  /** Which errors to retry. Default {@link isTransientDbError}. */
  retryable?(err: unknown): boolean;
}

/**
 * Runs `fn` until it succeeds or fails with an error that is not transient, waiting (exponential,
 * capped) between attempts. Only for idempotent work: a connection lost during COMMIT leaves the
 * outcome unknown, so `fn` must be safe to run again after it did commit (a guarded update, an
 * insert that ignores conflicts).
 */
export async function retryTransient<T>(fn: () => Promise<T>, o: RetryTransientOptions = {}): Promise<T> {
  const retryable = o.retryable ?? isTransientDbError;
  const startedAt = performance.now();
  let delayMs = o.firstDelayMs ?? 200;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (err) {
      const outOfTime = o.giveUpAfterMs !== undefined && performance.now() - startedAt + delayMs > o.giveUpAfterMs;
      if (!retryable(err) || o.signal?.aborted || outOfTime) throw err;
      o.onRetry?.(err, attempt, delayMs);
      const aborted = await sleep(delayMs, false, o.signal ? { signal: o.signal } : {}).catch(() => true);
      if (aborted) throw err;
      delayMs = Math.min(delayMs * 2, o.maxDelayMs ?? 5000);
    }
  }
}
