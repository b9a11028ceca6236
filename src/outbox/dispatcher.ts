import { Queue, Worker, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { listPendingOutboxIds } from '../../db/repositories/outbox.js';
import type { OutboxQueue } from '../../db/schema.js';
import type { Logger } from '../logger.js';
import { createRedisConnection, describeRedisTarget, outboxJobId } from '../scheduler/queues.js';
import { createBackoffStrategy, OUTBOX_BACKOFF_TYPE } from './backoff.js';
import { createCredentialWatch } from './credentials.js';
import type { DeliveryContext } from './deliver-one.js';
import { createDefaultErrorScrubber } from './error-text.js';
import { createJobProcessor } from './process-job.js';
import type { OutboxDispatcher, OutboxDispatcherOptions, OutboxJobData } from './types.js';

/** Ids added (and pending rows read) per round trip. */
const BATCH = 500;
const JOB_NAME = 'deliver';

function createDeliveryContext(options: OutboxDispatcherOptions, queueName: OutboxQueue, logger: Logger): DeliveryContext {
  return {
    db: options.db, queueName, adapters: options.adapters, logger, clock: options.clock,
    maxAttempts: options.maxAttempts,
    backoff: { baseMs: options.backoffBaseMs ?? 1000, maxMs: options.backoffMaxMs },
    onUnreachable: options.onUnreachable,
    ...(options.onHeld ? { onHeld: options.onHeld } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    scrub: options.scrub ?? createDefaultErrorScrubber(),
    defaultLocale: options.defaultLocale ?? 'vi',
    ...(options.files ? { files: options.files } : {}),
  };
}

/**
 * Creates the dispatcher of one outbox queue. The database is the truth: a job only says "look
 * at row N"; the worker re-reads the row and does nothing unless it is still pending.
 */
export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const queueName = options.queueName ?? 'outbox';
  const logger = options.logger.child({ component: 'outbox', queue: queueName });
  const ctx = createDeliveryContext(options, queueName, logger);
  const connection = createRedisConnection(options.redis, `${queueName}-dispatcher`);
  const queue = new Queue<OutboxJobData>(queueName, { connection, prefix: options.prefix });
  queue.on('error', (err) => logger.error({ err: String(err), redis: describeRedisTarget(options.redis) }, 'outbox: queue error'));
  const jobOptions: JobsOptions = {
    attempts: options.maxAttempts, backoff: { type: OUTBOX_BACKOFF_TYPE }, removeOnComplete: true, removeOnFail: true,
  };
  let worker: Worker<OutboxJobData> | undefined;
  let closing: Promise<void> | undefined;
  let recheck: NodeJS.Timeout | undefined;

  const enqueue = async (ids: readonly number[]): Promise<void> => {
    for (let i = 0; i < ids.length; i += BATCH) {
      await queue.addBulk(ids.slice(i, i + BATCH).map((outboxId) => ({
        name: JOB_NAME, data: { outboxId }, opts: { ...jobOptions, jobId: outboxJobId(outboxId) },
      })));
    }
  };

  const reconcileQuietly = () => forEachPendingBatch(ctx, enqueue);
  const credentials = createCredentialWatch({ ctx, enqueue, reconcile: reconcileQuietly });
  ctx.credentials = credentials;

  const start = async (): Promise<void> => {
    if (closing) throw new Error('outbox dispatcher is closed');
    if (!recheck) {
      let running = false;
      recheck = setInterval(() => {
        if (running) return;
        running = true;
        credentials.tick()
          .catch((err: unknown) => logger.error({ err: String(err) }, 'outbox: credentials re-check failed'))
          .finally(() => { running = false; });
      }, options.credentialsRecheckMs ?? 60_000);
      recheck.unref();
    }
    if (!worker) {
      worker = new Worker<OutboxJobData>(queueName, createJobProcessor(ctx, { queue, enqueue, postponeMs: options.postponeMs ?? 250 }), {
        connection, prefix: options.prefix, concurrency: options.concurrency,
        settings: { backoffStrategy: createBackoffStrategy(ctx.backoff) },
      });
      worker.on('error', (err) => logger.error({ err: String(err) }, 'outbox: worker error'));
      logger.info({ concurrency: options.concurrency }, 'outbox: worker starting');
    }
    await worker.waitUntilReady();
  };

  const reconcile = async (): Promise<number> => {
    // A restart often follows new credentials (`liaison zalo login`): probe what was held for them.
    const probes = await credentials.probe();
    const count = await forEachPendingBatch(ctx, enqueue);
    logger.info({ count, probes }, 'outbox: reconciled pending rows');
    return count;
  };

  const close = (): Promise<void> => (closing ??= (async () => {
    clearInterval(recheck);
    await closeAll(worker, queue, connection, logger);
  })());
  return { enqueue, start, reconcile, close };
}

async function forEachPendingBatch(ctx: DeliveryContext, enqueue: (ids: readonly number[]) => Promise<void>): Promise<number> {
  let count = 0;
  let afterId = 0;
  for (;;) {
    const ids = await listPendingOutboxIds(ctx.db, ctx.queueName, { afterId, limit: BATCH });
    const last = ids.at(-1);
    if (last === undefined) return count;
    await enqueue(ids);
    count += ids.length;
    afterId = last;
  }
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
