import type { DeadlineInquiry } from '../../../db/repositories/deadlines.js';
import { stepStillApplies } from '../../../flows/deadline/fire.js';
import {
  kindOf, overdueKind, parseStep, reminderKind, RUNG_KINDS, stepName, type StepCategory,
} from '../../../flows/deadline/steps.js';
import type { WorkCalendar } from '../../time/calendar.js';
import { addDays, atLocalTime, localMidnight, toLocalDate } from '../../time/local.js';
import { addBusinessMs, businessMs, nextOfficeTime, type OfficeHours } from '../../time/office-hours.js';
import { addWorkingDays, nextWorkingDay } from '../../time/periods.js';
import type { DeadlineSettings } from './settings.js';

/** One reminder, escalation or overdue nudge to fire at `fireAt`. */
export interface PlannedStep {
  /** Step kind (`r50`, `due`, `esc_head`, `od20261124`). */
  kind: string;
  /** `<kind>-<seq>`: the `deadline_events` step and what the worker passes to `onFire`. */
  step: string;
  category: StepCategory;
  fireAt: Date;
}

/** The inquiry fields planning reads (`clock_from_at`, when set, starts the allowed time instead of `received_at`). */
export type PlanInquiry = Pick<DeadlineInquiry, 'status' | 'received_at' | 'due_at' | 'deadline_counting' | 'paused_at' | 'deadline_seq'>
  & Partial<Pick<DeadlineInquiry, 'clock_from_at'>>;

/**
 * `due` moved by `n` working days, keeping its local time of day. A due time of 24:00 (local
 * midnight) belongs to the day it ends, so "24:00 Friday + 1 working day" is 24:00 Monday.
 */
export function addWorkingDaysAt(due: Date, n: number, cal: WorkCalendar): Date {
  if (n === 0) return new Date(due);
  const day = toLocalDate(new Date(due.getTime() - 1));
  const offsetMs = due.getTime() - localMidnight(day).getTime();
  return new Date(localMidnight(addWorkingDays(day, n, cal)).getTime() + offsetMs);
}

/**
 * The next daily overdue nudge: on the first working day after local day `afterDate` whose nudge
 * time (`settings.overdueNudgeTime`) is later than `now`. Missed nudges are not caught up: the
 * next one comes the same day or the next working day.
 */
export function nextOverdueNudge(afterDate: string, cal: WorkCalendar, settings: DeadlineSettings, now: Date): { date: string; at: Date } {
  const yesterday = addDays(toLocalDate(now), -1);
  let date = nextWorkingDay(afterDate > yesterday ? afterDate : yesterday, cal);
  while (atLocalTime(date, settings.overdueNudgeTime).getTime() <= now.getTime()) date = nextWorkingDay(date, cal);
  return { date, at: atLocalTime(date, settings.overdueNudgeTime) };
}

/**
 * The instants `percents`% into the allowed time: wall time for `wall`, office time otherwise
 * (the office time allowed is measured once for all of them).
 */
function percentPoints(received: Date, due: Date, percents: readonly number[], wall: boolean, cal: WorkCalendar, hours: OfficeHours): Date[] {
  if (wall) return percents.map((p) => new Date(received.getTime() + Math.round(((due.getTime() - received.getTime()) * p) / 100)));
  const allowedMs = businessMs(received, due, cal, hours);
  return percents.map((p) => addBusinessMs(received, Math.round((allowedMs * p) / 100), cal, hours));
}

/**
 * Every step of an inquiry's current deadline (`deadline_seq`), in firing order; none when the
 * clock is not running (closed, `clarifying`/paused, or no due time).
 * - Reminders at `settings.reminderPercents` of the allowed time (receipt → current due time) and
 *   at the due time; escalation rung i of `settings.ladder` at the due time + i working days.
 * - `wall` counting (hour periods) fires at the exact instant, night included; `working` counting
 *   measures the allowed time in office hours (`officeHours`) and moves every step to the next
 *   office time.
 * - Only the next overdue nudge after `now` (the worker plans the one after it), on a working day
 *   after the day of the due-time reminder, so the spokesperson is not told twice the same day.
 * Steps already in the past are included; {@link selectStepsToSchedule} decides which to catch up.
 */
export function planDeadlineSteps(inquiry: PlanInquiry, calendar: WorkCalendar, officeHours: OfficeHours, settings: DeadlineSettings, now: Date): PlannedStep[] {
  if (!inquiry.due_at || !stepStillApplies(inquiry, Number(inquiry.deadline_seq))) return [];
  const seq = Number(inquiry.deadline_seq);
  // A reopened inquiry, or a complaint counted from its conclusion, starts its allowed time there.
  const received = new Date(inquiry.clock_from_at ?? inquiry.received_at);
  const due = new Date(inquiry.due_at);
  const wall = inquiry.deadline_counting === 'wall';
  const place = (at: Date) => (wall ? at : nextOfficeTime(at, calendar, officeHours));
  const step = (kind: string, category: StepCategory, fireAt: Date): PlannedStep => ({ kind, step: stepName(kind, seq), category, fireAt });
  const percents = [...settings.reminderPercents].sort((a, b) => a - b);
  const points = percentPoints(received, due, percents, wall, calendar, officeHours);
  const steps = percents.map((p, i) => step(reminderKind(p), 'remind', place(points[i] ?? due)));
  const dueFire = place(due);
  steps.push(step('due', 'remind', dueFire));
  settings.ladder.forEach((rung, i) => steps.push(step(RUNG_KINDS[rung], 'escalate', place(addWorkingDaysAt(due, i, calendar)))));
  const nudge = nextOverdueNudge(toLocalDate(dueFire), calendar, settings, now);
  steps.push(step(overdueKind(nudge.date), 'overdue', nudge.at));
  return steps.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
}

/**
 * The fired steps that belong to the current period: those of `deadline_seq` ≥ `periodSeq`. A new
 * period (a follow-up reopened the inquiry, a conclusion date was entered) is reminded and
 * escalated afresh; within a period, a pause or an extension still re-sends nothing.
 */
export function firedInPeriod(firedSteps: ReadonlySet<string>, periodSeq: number): Set<string> {
  return new Set([...firedSteps].filter((s) => (parseStep(s)?.seq ?? periodSeq) >= periodSeq));
}

/**
 * Which planned steps get a job. Future steps all do. Of the steps already due (missed while
 * Redis was empty, or made past by a class change), a step whose kind already fired for this
 * inquiry under any `deadline_seq` never fires again (a pause or an extension does not re-send
 * an escalation); of the reminders, only the latest is caught up (one message, not three), and
 * not once it or a later reminder was sent; every unfired escalation rung is (each tells
 * different people).
 * `firedSteps`: the inquiry's `deadline_events.step` values (`r50-3`, …).
 */
export function selectStepsToSchedule(planned: readonly PlannedStep[], firedSteps: ReadonlySet<string>, now: Date): PlannedStep[] {
  const firedKinds = new Set([...firedSteps].map(kindOf));
  const past = planned.filter((s) => s.fireAt.getTime() <= now.getTime());
  const reminders = planned.filter((s) => s.category === 'remind');
  const latest = past.filter((s) => s.category === 'remind').at(-1);
  const laterSent = latest !== undefined && reminders.slice(reminders.indexOf(latest)).some((s) => firedKinds.has(s.kind));
  const catchUp = past.filter((s) => (s.category === 'escalate' && !firedKinds.has(s.kind)) || (s === latest && !laterSent));
  return [...catchUp, ...planned.filter((s) => s.fireAt.getTime() > now.getTime())];
}
