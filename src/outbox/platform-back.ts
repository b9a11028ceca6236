import type { Platform } from '../../adapters/types.js';
import type { OutboxChat } from '../../db/repositories/outbox-claims.js';
import type { Logger } from '../logger.js';
import type { DeliveryOutcome } from './types.js';
import type { Waker } from './types.js';

/**
 * Rows this process put back after a platform error (5xx, timeout, connection refused) wait out an
 * exponential backoff, which after an outage of n seconds can leave a chat silent for about n
 * more. Once the same platform accepts a send again, those rows are made due and their chats woken
 * at once. Rate-limited rows keep their delay (the platform asked for it); another process's rows
 * keep theirs (its own watch wakes them).
 */
export interface PlatformBack {
  /** Called with every settled outcome of a drain. */
  settled(chat: OutboxChat, outcome: DeliveryOutcome): Promise<void>;
}

export interface PlatformBackOptions {
  wake: Waker;
  logger: Logger;
  /** Real clock, epoch ms. */
  now: () => number;
  /** Makes the given rows due now when they still wait on a backoff; returns those changed. */
  clear: (ids: readonly number[], nowIso: string) => Promise<number[]>;
}

export function createPlatformBack(o: PlatformBackOptions): PlatformBack {
  const waiting = new Map<Platform, Map<number, OutboxChat>>();
  return {
    async settled(chat, outcome) {
      const { platform, id } = outcome.row;
      let rows = waiting.get(platform);
      rows?.delete(id);
      if (outcome.kind === 'retry') {
        if (!rows) waiting.set(platform, (rows = new Map()));
        rows.set(id, chat);
        return;
      }
      if (outcome.kind !== 'sent' || !rows || rows.size === 0) return;
      const woken = [...rows];
      rows.clear();
      let due: Set<number>;
      try {
        due = new Set(await o.clear(woken.map(([rowId]) => rowId), new Date(o.now()).toISOString()));
        for (const [rowId, rowChat] of woken) if (due.has(rowId)) await o.wake.now(rowChat, rowId);
      } catch (err) {
        // Nothing is lost: those rows are still due at the end of their backoff.
        o.logger.warn({ platform, err: String(err) }, 'outbox: could not retry early the messages waiting after platform errors; they wait out their backoff');
        return;
      }
      if (due.size > 0) o.logger.info({ platform, count: due.size }, 'outbox: the platform accepts sends again; messages waiting after its errors are retried now');
    },
  };
}
