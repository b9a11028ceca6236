import type { Logger } from '../logger.js';
import { describeError } from './error-text.js';

/** First pause between tries of a write, in ms; doubles up to {@link MAX_PAUSE_MS}. */
const FIRST_PAUSE_MS = 100;
const MAX_PAUSE_MS = 5_000;

/** What {@link persistently} needs. */
export interface PersistOptions {
  logger: Logger;
  scrub: (text: string) => string;
  /** Give up (throw the last error) after this long, in ms. */
  giveUpAfterMs: number;
  /** Fields for the log line (ids). */
  fields: Record<string, unknown>;
  /** Real-clock source, epoch ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * Runs a database write that records what the platform already did, trying again while the
 * database fails (a dropped connection, a busy file): sending again because a bookkeeping write
 * failed would be a duplicate that no crash explains. The caller keeps its claim renewed
 * meanwhile. Throws the last error once `giveUpAfterMs` has passed.
 */
export async function persistently<T>(what: string, write: () => Promise<T>, o: PersistOptions): Promise<T> {
  const now = o.now ?? Date.now;
  const giveUpAt = now() + o.giveUpAfterMs;
  let pause = FIRST_PAUSE_MS;
  for (let tries = 1; ; tries += 1) {
    try {
      return await write();
    } catch (err) {
      if (now() + pause > giveUpAt) throw err;
      if (tries === 1 || tries % 10 === 0) {
        o.logger.warn({ ...o.fields, tries, error: describeError(err, o.scrub) }, `could not ${what}; trying again`);
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    }
  }
}
