import { DelayedError, type Job } from 'bullmq';
import type { Db } from '../../../db/client.js';
import { findDeadlineInquiries, type DeadlineInquiry } from '../../../db/repositories/deadlines.js';
import { parseStep } from '../../../flows/deadline/steps.js';
import type { Logger } from '../../logger.js';
import type { WorkCalendar } from '../../time/calendar.js';
import type { Clock } from '../../time/clock.js';
import { deadlineJobId } from '../queues.js';
import { DEADLINE_ATTEMPTS, plannedSteps, type DeadlineJobData } from './jobs.js';
import type { DeadlineSettings } from './settings.js';

/** What the deadline worker needs. */
export interface DeadlineWorkerDeps {
  db: Db;
  logger: Logger;
  clock: Clock;
  settings: DeadlineSettings;
  calendar: () => Promise<WorkCalendar>;
  onFire(inquiryId: number, step: string): Promise<number[]>;
  enqueueOutbox(ids: readonly number[]): Promise<void>;
}

/** What a job run did (its return value). `nothing_sent`: already fired before (a re-run), or nobody to tell. */
export type StepOutcome = 'fired' | 'nothing_sent' | 'stale' | 'invalid';

/**
 * The processor of the `deadlines` queue. An inquiry has one job, for its next step. The database
 * is the truth: the worker re-reads the inquiry, fires every step due by now (nothing for a closed
 * or paused inquiry), then re-arms the same job for the step after, planned from what it reads
 * after firing; with no step left the job ends. A job that runs before its `fireAt` on the
 * injected clock goes back to the delayed set.
 */
export function createDeadlineProcessor(deps: DeadlineWorkerDeps) {
  return async (job: Job<DeadlineJobData>, token?: string): Promise<StepOutcome> => {
    const { inquiryId, step, fireAt } = job.data;
    const now = deps.clock.now();
    // BullMQ schedules on the real clock; the injected clock decides when a step is due.
    if (fireAt > now.getTime()) return postpone(job, token, fireAt - now.getTime());
    if (!parseStep(step)) return 'invalid';
    const calendar = await deps.calendar();
    const due = await dueSteps(deps, calendar, inquiryId, fireAt, now);
    let sent = 0;
    try {
      for (const s of due) sent += await fire(deps, inquiryId, s);
    } catch (err) {
      // BullMQ retries the job; on its last attempt the chain goes on without the failed step.
      if (job.attemptsMade + 1 < DEADLINE_ATTEMPTS) throw err;
      deps.logger.error({ inquiryId, step, err: String(err) }, 'deadlines: a step failed on every attempt; going on with the next one');
    }
    // Only the inquiry's own job re-arms (a job of an earlier version just fires and ends).
    if (job.id === deadlineJobId(inquiryId)) await rearm(deps, calendar, job, token, now);
    return due.length === 0 ? 'stale' : sent > 0 ? 'fired' : 'nothing_sent';
  };
}

/** Fires one step and queues what it committed; returns how many messages. */
async function fire(deps: DeadlineWorkerDeps, inquiryId: number, step: string): Promise<number> {
  const outboxIds = await deps.onFire(inquiryId, step);
  if (outboxIds.length > 0) await deps.enqueueOutbox(outboxIds);
  deps.logger.info({ inquiryId, step, messages: outboxIds.length }, 'deadlines: step fired');
  return outboxIds.length;
}

/**
 * The steps of the inquiry due by `now`, in order, planned as of just before the job's own time:
 * every step from then on fires (on time, or late by as much as the job), while steps before it
 * follow the catch-up rules a reconcile at that moment applied (a reconcile's job for missed
 * steps carries the reconcile's time, see `toDeadlineJob`).
 */
async function dueSteps(deps: DeadlineWorkerDeps, calendar: WorkCalendar, inquiryId: number, jobFireAt: number, now: Date): Promise<string[]> {
  const [row] = await findDeadlineInquiries(deps.db, [inquiryId]);
  if (!row) return [];
  const planAt = new Date(Math.min(now.getTime(), jobFireAt) - 1);
  const planned = (await plannedSteps({ db: deps.db, calendar, settings: deps.settings, now: planAt }, [row])).get(inquiryId) ?? [];
  return planned.filter((s) => s.fireAt.getTime() <= now.getTime()).map((s) => s.step);
}

/** Moves the job to the inquiry's next step (read after firing), or lets it end when none is left. */
async function rearm(deps: DeadlineWorkerDeps, calendar: WorkCalendar, job: Job<DeadlineJobData>, token: string | undefined, now: Date): Promise<void> {
  const [row] = await findDeadlineInquiries(deps.db, [job.data.inquiryId]);
  const next = row ? await nextStep(deps, calendar, row, now) : undefined;
  if (!next) return;
  await job.updateData({ inquiryId: job.data.inquiryId, step: next.step, fireAt: next.fireAt });
  await postpone(job, token, next.fireAt - now.getTime());
}

async function nextStep(deps: DeadlineWorkerDeps, calendar: WorkCalendar, row: DeadlineInquiry, now: Date): Promise<{ step: string; fireAt: number } | undefined> {
  const planned = (await plannedSteps({ db: deps.db, calendar, settings: deps.settings, now }, [row])).get(row.id) ?? [];
  // Strictly later: a step due now that did not record itself (it no longer applies) must not loop.
  const next = planned.find((s) => s.fireAt.getTime() > now.getTime());
  return next ? { step: next.step, fireAt: next.fireAt.getTime() } : undefined;
}

/** Puts the active job back in the delayed set (BullMQ then requires `DelayedError`). */
async function postpone(job: Job<DeadlineJobData>, token: string | undefined, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + Math.max(0, delayMs), token);
  throw new DelayedError();
}
