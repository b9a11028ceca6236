import type { JobsOptions } from 'bullmq';
import type { Db } from '../../../db/client.js';
import { listFiredSteps, officeHoursJsonByOrg, type DeadlineInquiry } from '../../../db/repositories/deadlines.js';
import type { WorkCalendar } from '../../time/calendar.js';
import { parseOfficeHours } from '../../time/office-hours.js';
import { deadlineJobId } from '../queues.js';
import { firedInPeriod, planDeadlineSteps, selectStepsToSchedule, type PlannedStep } from './plan.js';
import type { DeadlineSettings } from './settings.js';

/**
 * Data of an inquiry's deadline job: which step it wakes up for, and when. Kept this small on
 * purpose (an inquiry has one job, 100,000 open inquiries have 100,000); the worker re-reads
 * everything else from the database.
 */
export interface DeadlineJobData {
  inquiryId: number;
  /** `<kind>-<seq>` of the next step (see flows/deadline/steps.ts); others due at the same time fire with it. */
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

/** Retries of a failing step (a database hiccup); firing is idempotent, so a retry never sends twice. */
export const DEADLINE_ATTEMPTS = 5;

/**
 * The job of an inquiry's next step; `nowMs` on the injected clock. A missed step (to catch up)
 * carries `nowMs`, so the worker applies the catch-up rules as of this planning.
 */
export function toDeadlineJob(inquiryId: number, s: PlannedStep, nowMs: number): DeadlineJob {
  return {
    name: DEADLINE_JOB_NAME,
    data: { inquiryId, step: s.step, fireAt: Math.max(s.fireAt.getTime(), nowMs) },
    opts: {
      jobId: deadlineJobId(inquiryId), delay: Math.max(0, s.fireAt.getTime() - nowMs),
      removeOnComplete: true, removeOnFail: true, attempts: DEADLINE_ATTEMPTS, backoff: { type: 'exponential', delay: 1000 },
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
 * What planning reads besides the inquiries: each organisation's raw office-hours JSON (null: the
 * default hours) and the steps each inquiry already fired (`r50-3`, …; none when absent).
 */
export interface PlanFacts {
  hoursJson: ReadonlyMap<number, string | null>;
  fired: ReadonlyMap<number, ReadonlySet<string>>;
}

/**
 * The steps a batch of inquiries should still fire, each inquiry's in firing order: two batched
 * reads (office hours of their organisations, steps already fired), then pure planning.
 */
export async function plannedSteps(ctx: PlanContext, rows: readonly DeadlineInquiry[]): Promise<Map<number, PlannedStep[]>> {
  return planWithFacts(ctx, rows, await readPlanFacts(ctx.db, rows));
}

/** The two batched reads planning needs (see {@link PlanFacts}). */
export async function readPlanFacts(db: Db, rows: readonly DeadlineInquiry[]): Promise<PlanFacts> {
  const orgIds = rows.flatMap((r) => { const org = r.org_id ?? r.suggested_org_id; return org === null ? [] : [org]; });
  const [hoursJson, fired] = await Promise.all([officeHoursJsonByOrg(db, orgIds), listFiredSteps(db, rows.map((r) => r.id))]);
  return { hoursJson, fired };
}

/** {@link plannedSteps} from facts already known: no database. */
export function planWithFacts(ctx: Omit<PlanContext, 'db'>, rows: readonly DeadlineInquiry[], facts: PlanFacts): Map<number, PlannedStep[]> {
  const out = new Map<number, PlannedStep[]>();
  for (const row of rows) {
    const org = row.org_id ?? row.suggested_org_id;
    const hours = parseOfficeHours(org === null ? null : facts.hoursJson.get(org) ?? null);
    const planned = planDeadlineSteps(row, ctx.calendar, hours, ctx.settings, ctx.now);
    const steps = selectStepsToSchedule(planned, firedInPeriod(facts.fired.get(row.id) ?? new Set(), row.period_seq), ctx.now);
    out.set(row.id, steps.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime()));
  }
  return out;
}

/**
 * The one job each inquiry of the batch should have now: its earliest step still to fire (a missed
 * one runs at once), or none when nothing is left (closed, paused, no due time).
 */
export async function nextJobs(ctx: PlanContext, rows: readonly DeadlineInquiry[]): Promise<DeadlineJob[]> {
  return firstJobs(ctx.now, await plannedSteps(ctx, rows));
}

/** {@link nextJobs} from facts already known: no database. */
export function nextJobsWithFacts(ctx: Omit<PlanContext, 'db'>, rows: readonly DeadlineInquiry[], facts: PlanFacts): DeadlineJob[] {
  return firstJobs(ctx.now, planWithFacts(ctx, rows, facts));
}

function firstJobs(now: Date, planned: ReadonlyMap<number, PlannedStep[]>): DeadlineJob[] {
  const nowMs = now.getTime();
  return [...planned].flatMap(([id, steps]) => (steps[0] ? [toDeadlineJob(id, steps[0], nowMs)] : []));
}
