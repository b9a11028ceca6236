import type { InquiryStatus } from '../../db/schema.js';
import type { WorkCalendar } from '../time/calendar.js';
import { addDays, toLocalDate } from '../time/local.js';

/**
 * How an inquiry stands against its due time, for a list row; the page words it ("còn 2 ngày làm
 * việc" / "2 working days left", "quá hạn 3 giờ" / "3 hours overdue"):
 * - `working_days`: `n` whole working days left after today (the due time is at the end of a later day);
 * - `hours` / `minutes`: less than that left (the due time is today or within a day, or counted on the wall clock);
 * - `over_minutes` / `over_hours` / `over_days`: past due by `n`;
 * - `paused`: waiting for the reporter's clarification (the clock does not run);
 * - `none`: no due time, or the inquiry is closed.
 */
export type DueStanding =
  | { kind: 'working_days' | 'hours' | 'minutes' | 'over_minutes' | 'over_hours' | 'over_days'; n: number }
  | { kind: 'paused' | 'none' };

const HOUR_MS = 3_600_000;
const OPEN: readonly InquiryStatus[] = ['screening', 'assigned', 'acknowledged', 'clarifying'];

/** The standing of an inquiry due at `dueAt` (ISO instant) at `now`, by calendar `cal`. */
export function dueStanding(status: InquiryStatus, dueAt: string | null, now: Date, cal: WorkCalendar): DueStanding {
  if (!OPEN.includes(status) || dueAt === null) return { kind: 'none' };
  if (status === 'clarifying') return { kind: 'paused' };
  const due = new Date(dueAt);
  const leftMs = due.getTime() - now.getTime();
  if (leftMs <= 0) {
    const over = -leftMs;
    if (over < HOUR_MS) return { kind: 'over_minutes', n: Math.max(1, Math.floor(over / 60_000)) };
    if (over < 48 * HOUR_MS) return { kind: 'over_hours', n: Math.floor(over / HOUR_MS) };
    return { kind: 'over_days', n: Math.floor(over / (24 * HOUR_MS)) };
  }
  // A period in days ends at 24:00 of its last day, stored as the next midnight: that day is the
  // one just before the instant.
  const lastDay = toLocalDate(new Date(due.getTime() - 1));
  const today = toLocalDate(now);
  let days = 0;
  for (let d = addDays(today, 1); d <= lastDay && days < 400; d = addDays(d, 1)) if (cal.isWorkingDay(d)) days += 1;
  if (days > 0 && leftMs >= 24 * HOUR_MS) return { kind: 'working_days', n: days };
  if (leftMs < HOUR_MS) return { kind: 'minutes', n: Math.max(1, Math.floor(leftMs / 60_000)) };
  return { kind: 'hours', n: Math.floor(leftMs / HOUR_MS) };
}
