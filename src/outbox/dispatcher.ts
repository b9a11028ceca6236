import type { Job } from 'bullmq';
import { chatsOfPending, clearBackoff, oldestPerChat, renewClaims, type OutboxChat } from '../../db/repositories/outbox-claims.js';
import { findOutbox } from '../../db/repositories/outbox.js';
import type { OutboxQueue } from '../../db/schema.js';
import type { Logger } from '../logger.js';
import { createQueueService } from '../scheduler/queue-service.js';
import { createCredentialWatch } from './credentials.js';
import type { DeliveryContext } from './types.js';
import { createBusyNotes, drainChat, type DrainResult } from './drain.js';
import { createPlatformBack } from './platform-back.js';
import { createDefaultErrorScrubber } from '../delivery/error-text.js';
import { createLeaseKeeper, type LeaseKeeper } from './lease.js';
import { createSweeper, type WakeUp } from './sweep.js';
import { createWakeUps, every } from './wake.js';
import { createLocalRuns } from './local-runs.js';
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
  const service = createQueueService<OutboxJobData>({ name: queueName, redis: options.redis, prefix: options.prefix, logger, label: `${queueName}-dispatcher` });
  const { queue } = service;
  let started = false;
  let closing: Promise<void> | undefined;
  let timers: NodeJS.Timeout[] = [];

  const { add, waker: wake } = createWakeUps(queue, lease.owner, lease.now);
  const local = createLocalRuns({
    concurrency: options.concurrency, logger,
    drain: (chat) => drainChat(drainDeps, chat),
    fallback: (wakeUp) => add([wakeUp]),
  });
  /**
   * This process sends: a chat due now is drained here, with no job (local-runs.ts), so it goes out
   * while Redis is away too. A `web` process, a stopping one and a wake-up due later use a job.
   */
  const wakeUp = async (wakeUps: readonly WakeUp[]): Promise<void> => {
    if (!started || stopping) return add(wakeUps);
    local.wake(wakeUps.filter((w) => w.dueMs === undefined));
    const later = wakeUps.filter((w) => w.dueMs !== undefined);
    if (later.length > 0) await add(later);
  };
  const enqueue: OutboxDispatcher['enqueue'] = async (ids, known) => {
    const covered = known !== undefined && ids.every((id) => known.some((c) => c.id === id));
    const chats = covered ? oldestPerChat(known.filter((c) => ids.includes(c.id))) : await chatsOfPending(options.db, ids);
    await wakeUp(chats.filter((c) => c.queue === queueName).map((c) => ({ chat: c, headId: c.id })));
  };
  ctx.enqueue = enqueue;
  const sweepMs = options.sweepMs ?? 1000;
  // The sweep's chats due now too: rows committed by a `web` process while Redis is away go out.
  const sweeper = createSweeper(ctx, wakeUp, sweepMs);
  const credentials = createCredentialWatch({ ctx, enqueue });
  ctx.credentials = credentials;
  let stopping = false;
  const platformBack = createPlatformBack({ wake, logger, now: lease.now, clear: (ids, nowIso) => clearBackoff(options.db, ids, nowIso) });
  const drainDeps = {
    ctx, wake, enqueue, rowsPerJob: options.rowsPerJob ?? 20, stopping: () => stopping, platformBack, busyHere: createBusyNotes(),
    ...(options.digest ? { digest: options.digest } : {}),
  };

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
    if (!started) {
      started = true;
      logger.info({ concurrency: options.concurrency, owner: lease.owner }, 'outbox: worker starting');
      timers = [
        every(sweepMs, 'sweep', logger, () => sweeper.run()),
        every(options.credentialsRecheckMs ?? 60_000, 'credentials re-check', logger, () => credentials.tick()),
      ];
    }
    await service.startWorker(process, { concurrency: options.concurrency });
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
    await local.close();
    await service.close();
    lease.close();
  })());
  return { enqueue, start, reconcile, idle: () => local.idle(), close };
}
