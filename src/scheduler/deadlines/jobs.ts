import type { JobsOptions } from 'bullmq';
import type { Db } from '../../../db/client.js';
import { listFiredSteps, officeHoursJsonByOrg, type DeadlineInquiry } from '../../../db/repositories/deadlines.js';
import { jobKindOf, OVERDUE_JOB_KIND, reminderKind, RUNG_KINDS } from '../../../flows/deadline/steps.js';
import type { WorkCalendar } from '../../time/calendar.js';
import { parseOfficeHours } from '../../time/office-hours.js';
import { deadlineJobId } from '../queues.js';
import { firedInPeriod, planDeadlineSteps, selectStepsToSchedule, type PlannedStep } from './plan.js';
import type { DeadlineSettings } from './settings.js';

/** Data of a deadline job. */
export interface DeadlineJobData {
  inquiryId: number;
  /** `<kind>-<seq>` (see flows/deadline/steps.ts). */
  step: string;
  /** When the step is due, epoch ms on the injected clock (the worker re-delays a job that runs early). */
  fireAt: number;
}

/** Name of every job in the `deadlines` queue. */
export const DEADLINE_JOB_NAME = 'step';

/** A job ready for `Queue.addBulk`. */
export interface DeadlineJob {
  name: string;
  data: DeadlineJobData;
  opts: JobsOptions;
}

/** How many older deadline sequences `sync` clears job ids of (a flow may bump the sequence more than once). */
const STALE_SEQS = 3;

/** Retries of a failing step (a database hiccup); firing is idempotent, so a retry never sends twice. */
const ATTEMPTS = 5;

/** The job of one planned step; `nowMs` on the injected clock. */
export function toDeadlineJob(inquiryId: number, s: PlannedStep, seq: number, nowMs: number): DeadlineJob {
  return {
    name: DEADLINE_JOB_NAME,
    data: { inquiryId, step: s.step, fireAt: s.fireAt.getTime() },
    opts: {
      jobId: deadlineJobId(inquiryId, jobKindOf(s.kind), seq), delay: Math.max(0, s.fireAt.getTime() - nowMs),
      removeOnComplete: true, removeOnFail: true, attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 1000 },
    },
  };
}

/** What planning a batch needs besides the rows. */
export interface PlanContext {
  db: Db;
  calendar: WorkCalendar;
  settings: DeadlineSettings;
  now: Date;
}

/**
 * The jobs a batch of inquiries should have now: two batched reads (office hours of their
 * organisations, steps already fired), then pure planning.
 */
export async function plannedJobs(ctx: PlanContext, rows: readonly DeadlineInquiry[]): Promise<DeadlineJob[]> {
  const orgIds = rows.flatMap((r) => { const org = r.org_id ?? r.suggested_org_id; return org === null ? [] : [org]; });
  const [hoursJson, fired] = await Promise.all([officeHoursJsonByOrg(ctx.db, orgIds), listFiredSteps(ctx.db, rows.map((r) => r.id))]);
  const nowMs = ctx.now.getTime();
  return rows.flatMap((row) => {
    const org = row.org_id ?? row.suggested_org_id;
    const hours = parseOfficeHours(org === null ? null : hoursJson.get(org) ?? null);
    const planned = planDeadlineSteps(row, ctx.calendar, hours, ctx.settings, ctx.now);
    return selectStepsToSchedule(planned, firedInPeriod(fired.get(row.id) ?? new Set(), row.period_seq), ctx.now)
      .map((s) => toDeadlineJob(row.id, s, row.deadline_seq, nowMs));
  });
}

/**
 * Ids of every job an inquiry may hold for its current and recent sequences, for `sync` to clear
 * before re-adding (a job of a setting changed since is left to the worker's sequence check).
 */
export function possibleJobIds(row: DeadlineInquiry, settings: DeadlineSettings): string[] {
  const kinds = [...settings.reminderPercents.map(reminderKind), 'due', ...Object.values(RUNG_KINDS), OVERDUE_JOB_KIND];
  const seqs: number[] = [];
  for (let seq = Math.max(0, row.deadline_seq - STALE_SEQS); seq <= row.deadline_seq; seq += 1) seqs.push(seq);
  return seqs.flatMap((seq) => kinds.map((kind) => deadlineJobId(row.id, kind, seq)));
}
