import { createCalendarCache } from '../../time/calendar-cache.js';
import type { Db } from '../../../db/client.js';
import { loadCalendarData } from '../../../db/repositories/calendar.js';
import { findDeadlineInquiries, listRunningDeadlineInquiries } from '../../../db/repositories/deadlines.js';
import type { Logger } from '../../logger.js';
import { createWorkCalendar, type WorkCalendar } from '../../time/calendar.js';
import type { Clock } from '../../time/clock.js';
import { addJobs, createQueueService } from '../queue-service.js';
import { deadlineJobId, QUEUE_NAMES, type RedisTarget } from '../queues.js';
import type { NewDeadline } from '../../../flows/effects.js';
import { nextJobs, nextJobsWithFacts, type DeadlineJob, type DeadlineJobData } from './jobs.js';
import type { DeadlineSettings } from './settings.js';
import { createDeadlineProcessor } from './worker.js';

/** Options of {@link createDeadlineScheduler}. */
export interface DeadlineSchedulerOptions {
  db: Db;
  /** Redis holding the `deadlines` queue; the scheduler opens and closes its own connection. */
  redis: RedisTarget;
  /** BullMQ key prefix (`Config.queuePrefix`); must not contain `:`. */
  prefix: string;
  logger: Logger;
  /** Decides when a step is due and what "now" is for planning. Queue delays are derived from it. */
  clock: Clock;
  settings: DeadlineSettings;
  /**
   * Fires one step in its own transaction (normally `fireDeadlineStep` of flows/deadline/fire.ts)
   * and returns the outbox row ids it committed.
   */
  onFire(inquiryId: number, step: string): Promise<number[]>;
  /** Hands committed outbox rows to the dispatcher. */
  enqueueOutbox(ids: readonly number[]): Promise<void>;
  /** The legal calendar. Default: built from `calendar_days`/`calendar_years` with statutory defaults. */
  loadCalendar?: () => Promise<WorkCalendar>;
  /** How long the default calendar loader's result is reused, in ms (a given `loadCalendar` is not cached here). Default 60,000; 0 reloads every time. */
  calendarTtlMs?: number;
  /** Steps fired in parallel by this process. Default 8. */
  concurrency?: number;
  /** Inquiries read per database round trip by `reconcile`/`sync`. Default 1000. */
  batchSize?: number;
}

/** Keeps the `deadlines` queue in line with the database and fires the steps. */
export interface DeadlineScheduler {
  /**
   * Makes Redis match the database for these inquiries (call after the transaction that changed
   * them commits): replaces each one's job with the job of its next step; a closed or paused
   * inquiry is left with none. A job running meanwhile re-plans from the database itself.
   * `created`: those of `inquiryIds` created by the committed transaction, as it left them; their
   * first job is planned from that with no read, and only added (see {@link NewDeadline}).
   */
  sync(inquiryIds: readonly number[], created?: readonly NewDeadline[]): Promise<void>;
  /** Adds the missing jobs of every inquiry whose clock runs (on boot; survives a Redis FLUSHALL). Returns how many inquiries were planned. */
  reconcile(): Promise<number>;
  /** Starts the worker; resolves when it is connected. Idempotent. */
  start(): Promise<void>;
  /** Waits for steps in flight, then closes the worker, the queue and the connection. Idempotent. */
  close(): Promise<void>;
}

/** Jobs per `addBulk` round trip. */
const ADD_CHUNK = 1000;
/** How long `sync` waits before planning again an inquiry whose job was running, in ms, and how often it tries. */
const RESYNC_DELAY_MS = 500;
const RESYNC_ATTEMPTS = 20;

/** Creates the deadline scheduler (its own `deadlines` queue, so throttled sends never delay it). */
export function createDeadlineScheduler(o: DeadlineSchedulerOptions): DeadlineScheduler {
  const logger = o.logger.child({ component: 'deadlines' });
  const service = createQueueService<DeadlineJobData>({ name: QUEUE_NAMES.deadlines, redis: o.redis, prefix: o.prefix, logger });
  const { queue } = service;
  // A given loader is the caller's to cache; the default one is cached here.
  const calendar = o.loadCalendar ?? createCalendarCache(async () => createWorkCalendar(await loadCalendarData(o.db)), o.calendarTtlMs ?? 60_000);
  const batchSize = o.batchSize ?? 1000;
  let closing: Promise<void> | undefined;

  const addAll = async (jobs: readonly DeadlineJob[]): Promise<void> => {
    await addJobs(queue, jobs, ADD_CHUNK);
  };

  const syncBatch = async (ids: readonly number[]): Promise<void> => {
    const [rows, cal] = await Promise.all([findDeadlineInquiries(o.db, ids), calendar()]);
    const jobs = await nextJobs({ db: o.db, calendar: cal, settings: o.settings, now: o.clock.now() }, rows);
    const removed = await Promise.all(ids.map((id) => queue.remove(deadlineJobId(id))));
    await addAll(jobs);
    // A job running right now cannot be removed (0), and it may re-arm from what it read before
    // the change committed: plan those again once it is done.
    const busy = ids.filter((_id, i) => removed[i] === 0);
    if (busy.length > 0) resyncLater(busy);
  };

  const resyncLater = (ids: readonly number[], attempt = 1): void => {
    const timer = setTimeout(() => {
      void (async () => {
        if (closing) return;
        const states = await Promise.all(ids.map((id) => queue.getJobState(deadlineJobId(id))));
        const active = ids.filter((_id, i) => states[i] === 'active');
        const settled = ids.filter((_id, i) => states[i] !== 'active');
        if (settled.length > 0) await syncBatch(settled);
        if (active.length > 0 && attempt < RESYNC_ATTEMPTS) resyncLater(active, attempt + 1);
      })().catch((err: unknown) => logger.warn({ err: String(err) }, 'deadlines: re-plan after a running step failed; the next reconcile repairs it'));
    }, RESYNC_DELAY_MS);
    timer.unref();
  };

  const addCreated = async (created: readonly NewDeadline[]): Promise<void> => {
    const rows = created.map((c) => c.inquiry);
    const hoursJson = new Map(created.flatMap((c) => { const org = c.inquiry.org_id ?? c.inquiry.suggested_org_id; return org === null ? [] : [[org, c.officeHoursJson] as const]; }));
    const jobs = nextJobsWithFacts({ calendar: await calendar(), settings: o.settings, now: o.clock.now() }, rows, { hoursJson, fired: new Map() });
    // Added, never replaced: a new inquiry has no job yet, unless a later change's sync (which read
    // the database after this commit) already planned it, and that plan is the newer one. A job
    // planned here that a later change made stale fires nothing: the worker re-reads first.
    await addAll(jobs);
  };

  const sync = async (inquiryIds: readonly number[], created: readonly NewDeadline[] = []): Promise<void> => {
    if (closing) throw new Error('deadline scheduler is closed');
    const ids = new Set(inquiryIds);
    const known = created.filter((c) => ids.has(c.inquiry.id));
    if (known.length > 0) await addCreated(known);
    const unique = [...ids].filter((id) => !known.some((c) => c.inquiry.id === id));
    for (let i = 0; i < unique.length; i += batchSize) await syncBatch(unique.slice(i, i + batchSize));
  };

  const reconcile = async (): Promise<number> => {
    const { inquiries, jobs } = await reconcileAll(o, await calendar(), batchSize, addAll);
    logger.info({ inquiries, jobs }, 'deadlines: reconciled');
    return inquiries;
  };

  const start = async (): Promise<void> => {
    if (closing) throw new Error('deadline scheduler is closed');
    await service.startWorker(createDeadlineProcessor({ ...o, logger, calendar }), { concurrency: o.concurrency ?? 8 });
  };

  const close = (): Promise<void> => (closing ??= service.close());
  return { sync, reconcile, start, close };
}

/**
 * Pages through every inquiry whose clock runs (keyset by id, `batchSize` a page) and adds the
 * job of its next step; an inquiry that has its job keeps it (BullMQ ignores a known id), so
 * this only fills in what is missing. The next page is read and planned while Redis adds the
 * previous page's jobs: the two run on different processes, so after a FLUSHALL the whole takes
 * about the longer of the two rather than their sum.
 */
async function reconcileAll(o: DeadlineSchedulerOptions, cal: WorkCalendar, batchSize: number, addJobs: (jobs: readonly DeadlineJob[]) => Promise<void>): Promise<{ inquiries: number; jobs: number }> {
  let [inquiries, jobCount, afterId] = [0, 0, 0];
  let adding: Promise<void> = Promise.resolve();
  for (;;) {
    const rows = await listRunningDeadlineInquiries(o.db, { afterId, limit: batchSize });
    const last = rows.at(-1);
    if (!last) {
      await adding;
      return { inquiries, jobs: jobCount };
    }
    const jobs = await nextJobs({ db: o.db, calendar: cal, settings: o.settings, now: o.clock.now() }, rows);
    await adding;
    adding = addJobs(jobs);
    // Awaited on the next turn; marked handled now so a failure meanwhile is not an unhandled rejection.
    adding.catch(() => undefined);
    [inquiries, jobCount, afterId] = [inquiries + rows.length, jobCount + jobs.length, last.id];
  }
}
