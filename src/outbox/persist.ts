import { describeError } from './error-text.js';
import type { DeliveryContext } from './deliver-one.js';

/** First pause between tries of a write, in ms; doubles up to {@link MAX_PAUSE_MS}. */
const FIRST_PAUSE_MS = 100;
const MAX_PAUSE_MS = 5_000;

/**
 * Runs a database write that records what the platform already did, trying again while the
 * database fails (a dropped connection, a busy file) for up to `ctx.recordRetryMs`: sending again
 * because a bookkeeping write failed would be a duplicate that no crash explains. The claim on
 * the row stays renewed meanwhile. Throws the last error once the time is up.
 */
export async function persistently<T>(ctx: DeliveryContext, outboxId: number, what: string, write: () => Promise<T>): Promise<T> {
  const giveUpAt = ctx.lease.now() + ctx.recordRetryMs;
  let pause = FIRST_PAUSE_MS;
  for (let tries = 1; ; tries += 1) {
    try {
      return await write();
    } catch (err) {
      if (ctx.lease.now() + pause > giveUpAt) throw err;
      if (tries === 1 || tries % 10 === 0) {
        ctx.logger.warn({ outboxId, tries, error: describeError(err, ctx.scrub) }, `outbox: could not ${what}; trying again`);
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    }
  }
}
