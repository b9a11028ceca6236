import type { Logger } from 'pino';
import { TransientError } from '../types.js';

/** First pause between start-up attempts while the Bot API is unreachable, in ms; doubles up to the max. */
export const START_RETRY_MS = 1000;
export const START_RETRY_MAX_MS = 30_000;

/**
 * Runs `call` (getMe, setWebhook) until it succeeds. A transient failure (connection refused or
 * reset, 5xx, timeout: the Bot API or the network down while the bot starts) is retried with a
 * growing pause and a warning, so the process stays up and starts receiving once Telegram answers;
 * anything else (a revoked token) is thrown at once, as is every failure once `stopped()`.
 */
export async function untilReachable<T>(
  what: string, call: () => Promise<T>, o: { logger: Logger; stopped: () => boolean; wait?: (ms: number) => Promise<void> },
): Promise<T> {
  const wait = o.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof TransientError) || o.stopped()) throw err;
      const delayMs = Math.min(START_RETRY_MS * 2 ** (attempt - 1), START_RETRY_MAX_MS);
      o.logger.warn({ attempt, delayMs, error: err.message }, `telegram: ${what} failed (Bot API unreachable); retrying`);
      await wait(delayMs);
      if (o.stopped()) throw err;
    }
  }
}
