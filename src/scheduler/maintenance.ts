import { Queue, Worker } from 'bullmq';
import type { Logger } from '../logger.js';
import { createRedisConnection, describeRedisTarget, type RedisTarget } from './queues.js';

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
  const connection = createRedisConnection(o.redis, 'maintenance');
  const queue = new Queue('maintenance', { connection, prefix: o.prefix });
  // An 'error' event with no listener throws, and a lost Redis connection emits one: the whole
  // process would end over housekeeping. Log it; BullMQ reconnects by itself.
  queue.on('error', (err) => o.logger.error({ err: String(err), redis: describeRedisTarget(o.redis) }, 'maintenance: queue error'));
  const runCalendarCheck = async () => {
    const ids = await o.calendarCheck();
    if (ids.length > 0) await o.enqueueOutbox(ids);
  };
  let worker: Worker | undefined;
  const schedule = async () => {
    await queue.upsertJobScheduler('calendar-check', { pattern: o.pattern ?? '0 9 * 12 *', tz: 'Asia/Ho_Chi_Minh' }, { name: 'calendar-check' });
    if (o.prune) await queue.upsertJobScheduler('prune', { pattern: PRUNE_PATTERN, tz: 'Asia/Ho_Chi_Minh' }, { name: 'prune' });
  };
  return {
    reconcile: schedule,
    async start() {
      await schedule();
      worker = new Worker('maintenance', async (job) => (job.name === 'prune' ? o.prune?.() : runCalendarCheck()), { connection, prefix: o.prefix, concurrency: 1 });
      worker.on('error', (err) => o.logger.error({ err: String(err) }, 'maintenance: worker error'));
      worker.on('failed', (_job, err) => o.logger.error({ err }, 'maintenance job failed'));
      await runCalendarCheck().catch((err: unknown) => o.logger.error({ err }, 'calendar check failed'));
    },
    runCalendarCheck,
    async close() {
      await worker?.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
