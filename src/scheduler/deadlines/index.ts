/** Reminders and escalations of inquiry deadlines on the BullMQ `deadlines` queue. */
export { createDeadlineScheduler, type DeadlineScheduler, type DeadlineSchedulerOptions } from './scheduler.js';
export { defaultDeadlineSettings, validateDeadlineSettings, type DeadlineSettings } from './settings.js';
export {
  addWorkingDaysAt, firedInPeriod, nextOverdueNudge, planDeadlineSteps, selectStepsToSchedule, type PlanInquiry, type PlannedStep,
} from './plan.js';
export { DEADLINE_JOB_NAME, type DeadlineJobData } from './jobs.js';
export { createStepFirer } from './fire-step.js';
export type { StepOutcome } from './worker.js';
