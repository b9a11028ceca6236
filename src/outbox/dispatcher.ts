import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { chatsOfPending, renewClaims, type OutboxChat } from '../../db/repositories/outbox-claims.js';
import { findOutbox } from '../../db/repositories/outbox.js';
import type { OutboxQueue } from '../../db/schema.js';
import type { Logger } from '../logger.js';
import { createRedisConnection, describeRedisTarget } from '../scheduler/queues.js';
import { createCredentialWatch } from './credentials.js';
import type { DeliveryContext } from './types.js';
import { drainChat, type DrainResult } from './drain.js';
import { createDefaultErrorScrubber } from './error-text.js';
import { createLeaseKeeper, type LeaseKeeper } from './lease.js';
import { createSweeper } from './sweep.js';
import { createWakeUps, every } from './wake.js';
import type { OutboxDispatcher, OutboxDispatcherOptions, OutboxJobData } from './types.js';


function createDeliveryContext(options: OutboxDispatcherOptions, queueName: OutboxQueue, logger: Logger, lease: LeaseKeeper): DeliveryContext {
  return {
    db: options.db, queueName, adapters: options.adapters, logger, clock: options.clock,
    maxAttempts: options.maxAttempts,
    backoff: { baseMs: options.backoffBaseMs ?? 1000, maxMs: options.backoffMaxMs },
    lease, recordRetryMs: options.recordRetryMs ?? 60_000, enqueue: async () => undefined,
    onUnreachable: options.onUnreachable,
    ...(options.onHeld ? { onHeld: options.onHeld } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    scrub: options.scrub ?? createDefaultErrorScrubber(),
    defaultLocale: options.defaultLocale ?? 'vi',
    ...(options.files ? { files: options.files } : {}),
  };
}

/**
 * Creates the dispatcher of one outbox queue. The database is the truth: a job only says "look at
 * this chat"; the drain claims the chat's oldest pending row in the database before sending it,
 * so a job run twice, or two processes, never send a row twice (see drain.ts and sweep.ts).
 */
export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const queueName = options.queueName ?? 'outbox';
  const logger = options.logger.child({ component: 'outbox', queue: queueName });
  const lease = createLeaseKeeper({
    leaseMs: options.leaseMs ?? 3000, label: queueName, logger,
    renew: (ids, until) => renewClaims(options.db, lease.owner, ids, until),
  });
  const ctx = createDeliveryContext(options, queueName, logger, lease);
  const connection = createRedisConnection(options.redis, `${queueName}-dispatcher`);
  const queue = new Queue<OutboxJobData>(queueName, { connection, prefix: options.prefix });
  queue.on('error', (err) => logger.error({ err: String(err), redis: describeRedisTarget(options.redis) }, 'outbox: queue error'));
  let worker: Worker<OutboxJobData> | undefined;
  let closing: Promise<void> | undefined;
  let timers: NodeJS.Timeout[] = [];

  const { add, waker: wake } = createWakeUps(queue, lease.owner, lease.now);
  const enqueue = async (ids: readonly number[]): Promise<void> => {
    const chats = await chatsOfPending(options.db, ids);
    await add(chats.filter((c) => c.queue === queueName).map((c) => ({ chat: c, headId: c.id })));
  };
  ctx.enqueue = enqueue;
  const sweepMs = options.sweepMs ?? 1000;
  const sweeper = createSweeper(ctx, add, sweepMs);
  const credentials = createCredentialWatch({ ctx, enqueue });
  ctx.credentials = credentials;
  let stopping = false;
  const drainDeps = { ctx, wake, enqueue, rowsPerJob: options.rowsPerJob ?? 20, stopping: () => stopping };

  const chatOf = async (data: OutboxJobData): Promise<OutboxChat | undefined> => {
    if ('chatId' in data) return { queue: queueName, platform: data.platform, chatId: data.chatId };
    const row = await findOutbox(options.db, data.outboxId);
    return row ? { queue: row.queue, platform: row.platform, chatId: row.chat_id } : undefined;
  };
  const process = async (job: Job<OutboxJobData>): Promise<DrainResult | 'gone'> => {
    const chat = await chatOf(job.data);
    return chat && chat.queue === queueName ? drainChat(drainDeps, chat) : 'gone';
  };

  const start = async (): Promise<void> => {
    if (closing) throw new Error('outbox dispatcher is closed');
    if (!worker) {
      worker = new Worker<OutboxJobData>(queueName, process, { connection, prefix: options.prefix, concurrency: options.concurrency });
      worker.on('error', (err) => logger.error({ err: String(err) }, 'outbox: worker error'));
      worker.on('failed', (job, err) => logger.warn({ jobId: job?.id, err: String(err) }, 'outbox: delivery job failed'));
      logger.info({ concurrency: options.concurrency, owner: lease.owner }, 'outbox: worker starting');
      timers = [
        every(sweepMs, 'sweep', logger, () => sweeper.run()),
        every(options.credentialsRecheckMs ?? 60_000, 'credentials re-check', logger, () => credentials.tick()),
      ];
    }
    await worker.waitUntilReady();
  };

  const reconcile = async (): Promise<number> => {
    // A restart often follows new credentials (`liaison zalo login`): probe what was held for them.
    const probes = await credentials.probe();
    const report = await sweeper.run({ force: true });
    logger.info({ chats: report.chats, stalled: report.stalled, probes }, 'outbox: reconciled chats with pending rows');
    return report.chats;
  };

  const close = (): Promise<void> => (closing ??= (async () => {
    stopping = true;
    for (const timer of timers) clearInterval(timer);
    await closeAll(worker, queue, connection, logger);
    lease.close();
  })());
  return { enqueue, start, reconcile, close };
}

async function closeAll(worker: Worker<OutboxJobData> | undefined, queue: Queue<OutboxJobData>, connection: Redis, logger: Logger): Promise<void> {
  try {
    // Waits for in-flight deliveries, so a row is never left half-recorded by a clean stop.
    await worker?.close();
    await queue.close();
  } finally {
    // BullMQ never closes a client it was handed (it closes the duplicates it made itself).
    await connection.quit().catch(() => connection.disconnect());
    logger.info('outbox: closed');
  }
}
