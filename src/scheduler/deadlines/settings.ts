import { parseClockTime } from '../../time/local.js';
import { RUNGS, type Rung } from '../../../flows/deadline/steps.js';

/** Reminder and escalation policy of a network (rules.md "Reminders default", **policy**). */
export interface DeadlineSettings {
  /**
   * Reminders to the spokesperson at these shares of the allowed time, in percent (1–99), before
   * the reminder at the due time itself. Default `[50, 80]`.
   */
  reminderPercents: number[];
  /** Local time (`HH:mm`, Asia/Ho_Chi_Minh) of the daily nudge on each working day while overdue. Default `'08:00'`. */
  overdueNudgeTime: string;
  /**
   * Escalation rungs in order: the first is told at the due time, each next one working day
   * later. Default `['head', 'coordinator', 'leader']`.
   */
  ladder: Rung[];
}

/** The defaults of rules.md (a fresh object each call, so callers may change it). */
export function defaultDeadlineSettings(): DeadlineSettings {
  return { reminderPercents: [50, 80], overdueNudgeTime: '08:00', ladder: ['head', 'coordinator', 'leader'] };
}

/**
 * Checks settings (for config loading): percents whole, 1–99, distinct; a valid `HH:mm`; known
 * rungs without repeats. Returns the problems found (empty when valid).
 */
export function validateDeadlineSettings(s: DeadlineSettings): string[] {
  const problems: string[] = [];
  if (s.reminderPercents.some((p) => !Number.isInteger(p) || p < 1 || p > 99)) problems.push('reminderPercents: whole numbers from 1 to 99');
  if (new Set(s.reminderPercents).size !== s.reminderPercents.length) problems.push('reminderPercents: no repeats');
  const nudge = parseClockTime(s.overdueNudgeTime);
  if (nudge === null || nudge >= 24 * 60) problems.push('overdueNudgeTime: HH:mm between 00:00 and 23:59');
  if (s.ladder.some((r) => !RUNGS.includes(r))) problems.push(`ladder: only ${RUNGS.join(', ')}`);
  if (new Set(s.ladder).size !== s.ladder.length) problems.push('ladder: no repeats');
  return problems;
}
