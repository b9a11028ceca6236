import type { Logger } from '../logger.js';
import { createQueueService } from './queue-service.js';
import { QUEUE_NAMES, type RedisTarget } from './queues.js';

/** Options for {@link createMaintenance}. */
export interface MaintenanceOptions {
  redis: RedisTarget;
  prefix: string;
  logger: Logger;
  /** Runs the December calendar check; resolves with outbox ids to deliver. */
  calendarCheck(): Promise<number[]>;
  enqueueOutbox(ids: readonly number[]): Promise<void>;
  /** Cron pattern of the check, in Asia/Ho_Chi_Minh. Default: 09:00 every day of December. */
  pattern?: string;
  /** Deletes records that served their purpose (menus, expired codes, old inbound events). */
  prune?(): Promise<void>;
}

/** Nightly housekeeping, in Asia/Ho_Chi_Minh: 03:15, when nobody is waiting for the bot. */
const PRUNE_PATTERN = '15 3 * * *';

/** Periodic housekeeping on its own queue (so it never waits behind sends or reminders). */
export interface Maintenance {
  start(): Promise<void>;
  /** Writes the repeatable jobs again (idempotent; after Redis lost its data). */
  reconcile(): Promise<void>;
  /** Runs the calendar check now (also at start, so a December restart does not wait a day). */
  runCalendarCheck(): Promise<void>;
  close(): Promise<void>;
}

/** Creates the maintenance queue with its repeatable jobs (BullMQ job schedulers, idempotent by id). */
export function createMaintenance(o: MaintenanceOptions): Maintenance {
  const service = createQueueService<unknown>({ name: QUEUE_NAMES.maintenance, redis: o.redis, prefix: o.prefix, logger: o.logger, failedLevel: 'error' });
  const { queue } = service;
  const runCalendarCheck = async () => {
    const ids = await o.calendarCheck();
    if (ids.length > 0) await o.enqueueOutbox(ids);
  };
  const schedule = async () => {
    await queue.upsertJobScheduler('calendar-check', { pattern: o.pattern ?? '0 9 * 12 *', tz: 'Asia/Ho_Chi_Minh' }, { name: 'calendar-check' });
    if (o.prune) await queue.upsertJobScheduler('prune', { pattern: PRUNE_PATTERN, tz: 'Asia/Ho_Chi_Minh' }, { name: 'prune' });
  };
  return {
    reconcile: schedule,
    async start() {
      await schedule();
      await service.startWorker(async (job) => (job.name === 'prune' ? o.prune?.() : runCalendarCheck()), { concurrency: 1 });
      await runCalendarCheck().catch((err: unknown) => o.logger.error({ err }, 'calendar check failed'));
    },
    runCalendarCheck,
    close: service.close,
  };
}
