import type { Platform } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { createInboundProcessor, type InboundProcessor } from '../../src/inbound/processor.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxDispatcher } from '../../src/outbox/index.js';
import type { Clock } from '../../src/time/clock.js';
import { createDeadlinePolicy } from '../../src/time/deadline-policy.js';
import { createMemoryAdapter, type MemoryAdapter } from './memory-adapter.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from './redis.js';

/** A channel without buttons (a Zalo OA stand-in) and one with them (Telegram), running. */
export interface TwoChannels {
  zalo: MemoryAdapter;
  tg: MemoryAdapter;
  inbound: InboundProcessor;
  /** Waits until every inbound event is handled and every outbox row delivered. */
  settle(): Promise<void>;
  /** Drains and stops both, and removes the BullMQ keys (not the database). */
  close(): Promise<void>;
}

/**
 * Both channels through the real inbound processor, outbox dispatcher and BullMQ (a unique Redis
 * prefix from `name`), on database `db` at `clock`'s time.
 */
export async function startTwoChannels(db: Db, clock: Clock, name: string): Promise<TwoChannels> {
  const prefix = uniquePrefix(name);
  const zalo = createMemoryAdapter('zalo_oa', { buttons: false, replies: true, maxTextLength: 2000 });
  const tg = createMemoryAdapter('telegram', { startLinks: true });
  const logger = createLogger({ level: 'silent' });
  const dispatcher = createOutboxDispatcher({
    db, redis: { url: TEST_REDIS_URL }, prefix, adapters: new Map<Platform, MemoryAdapter>([['zalo_oa', zalo], ['telegram', tg]]),
    logger, clock, concurrency: 4, maxAttempts: 3, backoffMaxMs: 1000, onUnreachable: async () => undefined,
  });
  await dispatcher.start();
  const inbound = createInboundProcessor({
    db, clock, logger, enqueueOutbox: (ids) => dispatcher.enqueue(ids), syncDeadlines: async () => undefined,
    settings: {
      maxTextChars: 2000, defaultLocale: 'vi', deadlines: createDeadlinePolicy({ db, loadCalendar: (via) => loadCalendar(via ?? db) }),
      capabilities: (platform) => [zalo, tg].find((a) => a.platform === platform)?.capabilities,
    },
  });
  await zalo.start((e) => inbound.accept(e));
  await tg.start((e) => inbound.accept(e));
  return {
    zalo, tg, inbound,
    async settle() {
      await inbound.drain();
      for (let i = 0; i < 500; i++) {
        const left = await db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
        if (left.length === 0) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('outbox did not settle');
    },
    async close() {
      await inbound.drain();
      await dispatcher.close();
      await deletePrefix(prefix);
    },
  };
}
