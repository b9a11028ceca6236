import type { PeriodUnit } from '../../db/schema.js';
import type { WorkCalendar } from './calendar.js';
import { addDays, localMidnight, toLocalDate } from './local.js';

/** How far to look for a working day before concluding the calendar has none (ten years). */
const MAX_SCAN_DAYS = 3_660;

/**
 * The due instant of a period of `amount` `unit`s received at `receivedAt` (Civil Code 2015
 * Arts. 147–148, Asia/Ho_Chi_Minh):
 * - `hours`: `receivedAt` + `amount` hours on the wall clock (nights, weekends, holidays count);
 * - `days`: counting starts the day after receipt; the period ends at 24:00 of its last day, or,
 *   when that day is not a working day (rest day, holiday, day off), at 24:00 of the next
 *   working day (Art. 148(5));
 * - `working_days`: counts only working days from the day after receipt; ends at 24:00 of the last.
 * "24:00 of day D" is returned as the instant of 00:00 on D + 1.
 * Throws `RangeError` when `amount` is negative, not finite, or (day units) not an integer.
 */
export function computeDue(receivedAt: Date, amount: number, unit: PeriodUnit, cal: WorkCalendar): Date {
  if (!Number.isFinite(amount) || amount < 0) throw new RangeError(`period amount must be a finite number ≥ 0, not ${amount}`);
  if (unit === 'hours') return new Date(receivedAt.getTime() + amount * 3_600_000);
  if (!Number.isInteger(amount)) throw new RangeError(`a period in ${unit} needs a whole number, not ${amount}`);
  const receiptDate = toLocalDate(receivedAt);
  let lastDay: string;
  if (unit === 'days') {
    lastDay = addDays(receiptDate, amount);
    if (!cal.isWorkingDay(lastDay)) lastDay = nextWorkingDay(lastDay, cal);
  } else if (unit === 'working_days') {
    lastDay = addWorkingDays(receiptDate, amount, cal);
  } else {
    throw new RangeError(`unknown period unit "${String(unit)}"`);
  }
  return endOfLocalDay(lastDay);
}

/** The instant at 24:00 of local `date` (= 00:00 of the next day). */
export function endOfLocalDay(date: string): Date {
  return localMidnight(addDays(date, 1));
}

/**
 * The `n`-th working day after `date` (`n` > 0), before it (`n` < 0), or `date` itself (`n` = 0);
 * `date` itself is never counted. Throws `RangeError` if `n` is not an integer or the calendar
 * has no working day within ten years.
 */
export function addWorkingDays(date: string, n: number, cal: WorkCalendar): string {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number, not ${n}`);
  const step = n < 0 ? -1 : 1;
  let current = date;
  for (let left = Math.abs(n); left > 0; left -= 1) current = scanWorkingDay(current, step, cal);
  return current;
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: string, cal: WorkCalendar): string {
  return scanWorkingDay(date, 1, cal);
}

/** The last working day strictly before `date`. */
export function previousWorkingDay(date: string, cal: WorkCalendar): string {
  return scanWorkingDay(date, -1, cal);
}

function scanWorkingDay(date: string, step: 1 | -1, cal: WorkCalendar): string {
  let current = date;
  for (let i = 0; i < MAX_SCAN_DAYS; i += 1) {
    current = addDays(current, step);
    if (cal.isWorkingDay(current)) return current;
  }
  throw new RangeError(`no working day within ${MAX_SCAN_DAYS} days of ${date}: check the weekly rest days and calendar`);
}
