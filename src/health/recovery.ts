import type { DbHandle } from '../../db/client.js';
import { describeDbError } from '../../db/errors.js';
import { retryTransient } from '../../db/retry.js';
import type { Logger } from '../logger.js';

/** How long `start` waits for a database that does not answer yet (a server still starting), in ms. */
const DATABASE_WAIT_MS = 60_000;

/** Waits (bounded) for a database that refuses connections at start, saying so, instead of failing at once. */
export async function waitForDatabase(db: DbHandle, logger: Logger): Promise<void> {
  await retryTransient(() => db.ping(5000), {
    firstDelayMs: 500, maxDelayMs: 5000, giveUpAfterMs: DATABASE_WAIT_MS,
    onRetry: (err, attempt) => { if (attempt === 1 || attempt % 5 === 0) logger.warn({ error: describeDbError(err) }, 'waiting for the database'); },
  });
}

/**
 * The boot-time reconciliation, run again in a running process (after the database came back):
 * one at a time; a request while one runs makes it run once more afterwards.
 */
export function createInPlaceReconciliation(logger: Logger, run: () => Promise<Record<string, number>>): (reason: string) => Promise<void> {
  let running: Promise<void> | undefined;
  let again: string | undefined;
  const start = (reason: string): Promise<void> => (running = (async () => {
    try {
      logger.info({ reason, ...(await run()) }, 'reconciled in place: undelivered messages, deadline jobs, unprocessed events, broadcasts');
    } catch (err) {
      logger.error({ err, reason }, 'in-place reconciliation failed; it runs again on the next recovery or start');
    } finally {
      running = undefined;
      const next = again;
      again = undefined;
      if (next) void start(next);
    }
  })());
  return (reason) => {
    if (running) {
      again = reason;
      return running;
    }
    return start(reason);
  };
}
