import { DelayedError, type Job } from 'bullmq';
import type { Db } from '../../../db/client.js';
import { findDeadlineInquiries } from '../../../db/repositories/deadlines.js';
import { stepStillApplies } from '../../../flows/deadline/fire.js';
import { overdueKind, parseStep, stepName, type ParsedStep } from '../../../flows/deadline/steps.js';
import type { Logger } from '../../logger.js';
import type { WorkCalendar } from '../../time/calendar.js';
import type { Clock } from '../../time/clock.js';
import type { DeadlineJobData } from './jobs.js';
import { nextOverdueNudge } from './plan.js';
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
 * The processor of the `deadlines` queue. The database is the truth: it re-reads the inquiry and
 * does nothing for a closed or paused inquiry or a job of an older `deadline_seq`. A job that
 * runs before its `fireAt` on the injected clock goes back to the delayed set.
 */
export function createDeadlineProcessor(deps: DeadlineWorkerDeps) {
  return async (job: Job<DeadlineJobData>, token?: string): Promise<StepOutcome> => {
    const { inquiryId, step, fireAt } = job.data;
    const earlyMs = fireAt - deps.clock.now().getTime();
    // BullMQ schedules on the real clock; the injected clock decides when a step is due.
    if (earlyMs > 0) return postpone(job, token, earlyMs);
    const parsed = parseStep(step);
    if (!parsed) return 'invalid';
    const [row] = await findDeadlineInquiries(deps.db, [inquiryId]);
    if (!row || !stepStillApplies(row, parsed.seq)) return 'stale';
    const outboxIds = await deps.onFire(inquiryId, step);
    if (outboxIds.length > 0) await deps.enqueueOutbox(outboxIds);
    deps.logger.info({ inquiryId, step, messages: outboxIds.length }, 'deadlines: step fired');
    if (parsed.category === 'overdue') await rearmNudge(deps, job, token, parsed);
    return outboxIds.length > 0 ? 'fired' : 'nothing_sent';
  };
}

/** Puts the active job back in the delayed set (BullMQ then requires `DelayedError`). */
async function postpone(job: Job<DeadlineJobData>, token: string | undefined, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + Math.max(0, delayMs), token);
  throw new DelayedError();
}

/**
 * The overdue nudges of one deadline sequence are one job (`od`), re-armed for the next working
 * day after each nudge, so `sync` can always remove it by id.
 */
async function rearmNudge(deps: DeadlineWorkerDeps, job: Job<DeadlineJobData>, token: string | undefined, fired: ParsedStep): Promise<never> {
  const now = deps.clock.now();
  const next = nextOverdueNudge(fired.date ?? '', await deps.calendar(), deps.settings, now);
  await job.updateData({ ...job.data, step: stepName(overdueKind(next.date), fired.seq), fireAt: next.at.getTime() });
  return postpone(job, token, next.at.getTime() - now.getTime());
}
