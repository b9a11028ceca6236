import type { Job } from 'bullmq';
import type { Notice } from '../../db/schema.js';
import { createEffects } from '../../flows/effects.js';
import { findIdentity } from '../../db/repositories/identities.js';
import {
  countUnsettled, finishNotice, findNotice, firstRecipientId, listDeliverableIds, listNoticeIds,
  listFinishedWithProgressSince, listRemindersPlanned, loadBatch, renewRecipientClaims,
} from '../../db/repositories/notices.js';
import { planRemindAt, setSummaryOutbox } from '../../db/repositories/notices-write.js';
import { noticeTally } from '../../flows/notices/status.js';
import type { NoticeCounts } from '../../flows/copy/notice-types.js';
import { createLeaseKeeper } from '../outbox/lease.js';
import { addJobs, createQueueService } from '../scheduler/queue-service.js';
import { QUEUE_NAMES, type RedisTarget } from '../scheduler/queues.js';
import { deliverRecipient } from './deliver.js';
import { createPacer } from './pacer.js';
import { ACK_FOLLOW_MS, createProgressReporter, summaryShown } from './progress.js';
import { remindNotice } from './remind.js';
import type { NoticeBatchJob, NoticeContext } from './types.js';

/** The BullMQ queue of broadcast deliveries (separate from interactive sends). */
export const NOTICES_QUEUE = QUEUE_NAMES.notices;
/** How often every process re-queues what a crash or a lost job left undelivered, in ms. */
const RECONCILE_EVERY_MS = 15_000;

type JobData = NoticeBatchJob | { noticeId: number; remind: true };

/** Options of {@link createNoticeService}. */
export interface NoticeServiceOptions extends Omit<NoticeContext, 'pacer' | 'sleep' | 'lease'> {
  redis: RedisTarget;
  prefix: string;
  /** Hands committed outbox rows (final summaries) to the interactive dispatcher. */
  enqueueOutbox(ids: readonly number[]): Promise<void>;
}

/** The notices queue: delivery batches, reminders, progress, and the periodic reconciliation. */
export interface NoticeService {
  /** Queues the deliveries (and the reminder) of confirmed notices; idempotent. */
  startNotices(ids: readonly number[]): Promise<void>;
  /** Starts the worker and the periodic reconciliation (worker processes only). */
  start(): Promise<void>;
  /** Re-queues every sending notice's undelivered rows and planned reminders; returns how many notices. */
  reconcile(): Promise<number>;
  close(): Promise<void>;
}

/** Creates the notice service. Job ids are `notice-<id>-b<k>` (batch k) and `notice-<id>-remind`. */
export function createNoticeService(o: NoticeServiceOptions): NoticeService {
  const logger = o.logger.child({ component: 'notices' });
  const service = createQueueService<JobData>({ name: NOTICES_QUEUE, redis: o.redis, prefix: o.prefix, logger, failedLevel: 'error' });
  const { connection, queue } = service;
  const lease = createLeaseKeeper({
    leaseMs: o.settings.sendLeaseMs, label: 'notices', logger, now: () => o.clock.now().getTime(),
    renew: (ids, until) => renewRecipientClaims(o.db, ids, new Date(Date.parse(until) - o.settings.sendLeaseMs).toISOString()),
  });
  const ctx: NoticeContext = {
    ...o, logger, lease, pacer: createPacer(connection, o.prefix), sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
  const progress = createProgressReporter(ctx, connection, o.prefix);
  let timer: NodeJS.Timeout | undefined;
  let ackTimer: NodeJS.Timeout | undefined;
  let following = false;
  let closing: Promise<void> | undefined;
  const batchSize = o.settings.batchSize;

  const queueBatches = async (notice: Notice): Promise<number> => {
    const base = await firstRecipientId(o.db, notice.id);
    if (base === undefined) return 0;
    const cutoff = new Date(o.clock.now().getTime() - o.settings.sendLeaseMs).toISOString();
    const deliverable = await listDeliverableIds(o.db, notice.id, { leaseCutoff: cutoff, ownerGone: (owner) => lease.isGone(owner) });
    const batches = [...new Set(deliverable.map((id) => Math.floor((id - base) / batchSize)))];
    await addJobs(queue, batches.map((k) => ({
      name: 'batch',
      data: { noticeId: notice.id, fromId: base + k * batchSize, toId: base + (k + 1) * batchSize - 1 },
      opts: { jobId: `notice-${notice.id}-b${k}`, removeOnComplete: true, removeOnFail: true, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
    })), 500);
    if (batches.length === 0) await finishIfDone(notice.id);
    return batches.length;
  };

  const planReminder = async (noticeId: number, remindAt: string): Promise<void> => {
    const delay = Math.max(0, Date.parse(remindAt) - o.clock.now().getTime());
    await queue.add('remind', { noticeId, remind: true }, { jobId: `notice-${noticeId}-remind`, delay, removeOnComplete: true, removeOnFail: true });
  };

  const finishIfDone = async (noticeId: number): Promise<void> => {
    if ((await countUnsettled(o.db, noticeId)) > 0) return;
    const now = o.clock.now().toISOString();
    // One tally, read in the transaction that finishes the notice: the summary and the final
    // progress edit show the same numbers (an acknowledgement in between is followed later).
    const finished = await o.db.transaction().execute(async (tx): Promise<{ outboxIds: number[]; counts: NoticeCounts } | undefined> => {
      if (!(await finishNotice(tx, noticeId, now))) return undefined;
      const notice = (await findNotice(tx, noticeId))!;
      const counts = await noticeTally(tx, noticeId);
      const identity = notice.progress_identity_id === null ? undefined : await findIdentity(tx, notice.progress_identity_id);
      if (!identity) return { outboxIds: [], counts };
      const effects = createEffects(tx, now, o.defaultLocale, { personId: null, identityId: null });
      const summaryId = await effects.sendTo(identity, (t) => ({ text: t.notice.summary(notice.id, notice.title, counts) }), { reportUnreachable: false });
      await setSummaryOutbox(tx, noticeId, summaryId, summaryShown(counts));
      return { outboxIds: effects.outboxIds, counts };
    });
    if (finished === undefined) return;
    const { outboxIds, counts } = finished;
    logger.info({ noticeId }, 'notices: every recipient settled');
    const notice = await findNotice(o.db, noticeId);
    if (notice) await progress.update(notice, true, counts);
    if (outboxIds.length > 0) await o.enqueueOutbox(outboxIds);
  };

  const processBatch = async (data: NoticeBatchJob): Promise<string> => {
    const notice = await findNotice(o.db, data.noticeId);
    if (!notice || notice.status !== 'sending') return 'not_sending';
    for (const row of await loadBatch(o.db, notice.id, data.fromId, data.toId)) {
      await deliverRecipient(ctx, notice, row);
      await progress.update(notice);
    }
    await finishIfDone(notice.id);
    return 'done';
  };

  const processJob = async (job: Job<JobData>): Promise<string> => {
    if ('remind' in job.data) {
      const ids = await remindNotice(o.db, job.data.noticeId, o.clock.now());
      if (ids.length > 0) await startNotices(ids);
      return 'reminded';
    }
    return processBatch(job.data);
  };

  const startNotices = async (ids: readonly number[]): Promise<void> => {
    for (const id of ids) {
      const notice = await findNotice(o.db, id);
      if (!notice || notice.status !== 'sending') continue;
      if (notice.parent_id === null && notice.remind_at === null && o.settings.remindAfterMs > 0) {
        const remindAt = new Date(Date.parse(notice.confirmed_at ?? notice.created_at) + o.settings.remindAfterMs).toISOString();
        await planRemindAt(o.db, id, remindAt);
        await planReminder(id, remindAt);
      }
      const batches = await queueBatches(notice);
      logger.info({ noticeId: id, batches }, 'notices: deliveries queued');
    }
  };

  const reconcile = async (): Promise<number> => {
    const sending = await listNoticeIds(o.db, 'sending');
    for (const id of sending) {
      const notice = await findNotice(o.db, id);
      if (notice) await queueBatches(notice);
    }
    for (const r of await listRemindersPlanned(o.db)) await planReminder(r.id, r.remindAt);
    return sending.length;
  };

  /** Keeps finished broadcasts' progress messages showing the acknowledged count. */
  const followAcks = async (): Promise<void> => {
    if (following) return;
    following = true;
    try {
      const since = new Date(o.clock.now().getTime() - ACK_FOLLOW_MS).toISOString();
      for (const id of await listFinishedWithProgressSince(o.db, since)) {
        const notice = await findNotice(o.db, id);
        if (notice) await progress.followAcks(notice);
      }
    } finally {
      following = false;
    }
  };

  return {
    startNotices,
    reconcile,
    async start() {
      if (closing) throw new Error('notice service is closed');
      await service.startWorker(processJob, {
        concurrency: o.settings.concurrency,
        // A batch of a dead process is handed to another soon; jobs are only triggers, so stalling is harmless.
        lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 1000,
      });
      timer = setInterval(() => { void reconcile().catch((err: unknown) => logger.error({ err: String(err) }, 'notices: reconcile failed')); }, RECONCILE_EVERY_MS);
      timer.unref();
      ackTimer = setInterval(() => { void followAcks().catch((err: unknown) => logger.error({ err: String(err) }, 'notices: following acknowledgements failed')); }, o.settings.progressIntervalMs);
      ackTimer.unref();
    },
    close: () => (closing ??= closeAll()),
  };

  async function closeAll(): Promise<void> {
    if (timer) clearInterval(timer);
    if (ackTimer) clearInterval(ackTimer);
    try {
      await service.close();
    } finally {
      lease.close();
    }
  }
}
