import type { WorkCalendar } from './calendar.js';
import { addDays, localMidnight, localTimeOfDayMs, parseClockTime, toLocalDate } from './local.js';

export { atLocalTime } from './local.js';

/** One office period of a working day, as local wall-clock times `HH:mm` (`end` may be `24:00`). */
export interface OfficePeriod {
  readonly start: string;
  readonly end: string;
}

/** An organisation's office periods on each working day, in order and not overlapping. */
export type OfficeHours = ReadonlyArray<OfficePeriod>;

/** 07:30–11:30 and 13:30–17:00 (rules.md, policy). */
export const DEFAULT_OFFICE_HOURS: OfficeHours = Object.freeze([
  Object.freeze({ start: '07:30', end: '11:30' }),
  Object.freeze({ start: '13:30', end: '17:00' }),
]);

/** How many days without any office time to scan before giving up (ten years). */
const MAX_SCAN_DAYS = 3_660;

/** Periods as [startMs, endMs) after local midnight. */
type Spans = ReadonlyArray<readonly [number, number]>;

const spanCache = new WeakMap<OfficeHours, Spans>();

/** The periods of `hours` in ms after midnight, sorted; `null` when empty, malformed or overlapping. */
function toSpansOrNull(hours: OfficeHours): Spans | null {
  if (hours.length === 0) return null;
  const spans: Array<[number, number]> = [];
  for (const p of hours) {
    const start = parseClockTime(p.start);
    const end = parseClockTime(p.end);
    if (start === null || end === null || start >= end) return null;
    spans.push([start * 60_000, end * 60_000]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i += 1) {
    if ((spans[i - 1]?.[1] ?? 0) > (spans[i]?.[0] ?? 0)) return null;
  }
  return spans;
}

function spansOf(hours: OfficeHours): Spans {
  let spans = spanCache.get(hours);
  if (!spans) {
    const parsed = toSpansOrNull(hours);
    if (!parsed) throw new RangeError(`invalid office hours: ${JSON.stringify(hours)}`);
    spans = parsed;
    spanCache.set(hours, spans);
  }
  return spans;
}

/**
 * Reads `orgs.office_hours` (JSON `[{"start":"07:30","end":"11:30"},…]`). Null, malformed JSON,
 * an empty list, a bad time, `start ≥ end` or overlapping periods give {@link DEFAULT_OFFICE_HOURS};
 * never throws. The result is sorted by start and frozen.
 */
export function parseOfficeHours(json: string | null): OfficeHours {
  if (json === null || json.trim() === '') return DEFAULT_OFFICE_HOURS;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return DEFAULT_OFFICE_HOURS;
  }
  if (!Array.isArray(value)) return DEFAULT_OFFICE_HOURS;
  const periods: OfficePeriod[] = [];
  for (const item of value as unknown[]) {
    const { start, end } = (item ?? {}) as { start?: unknown; end?: unknown };
    if (typeof start !== 'string' || typeof end !== 'string') return DEFAULT_OFFICE_HOURS;
    periods.push(Object.freeze({ start, end }));
  }
  if (!toSpansOrNull(periods)) return DEFAULT_OFFICE_HOURS;
  return Object.freeze(periods.sort((a, b) => a.start.localeCompare(b.start)));
}

/** True when `at` falls inside an office period (start included, end excluded) of a working day. */
export function isOfficeTime(at: Date, cal: WorkCalendar, hours: OfficeHours = DEFAULT_OFFICE_HOURS): boolean {
  const spans = spansOf(hours);
  if (!cal.isWorkingDay(toLocalDate(at))) return false;
  const tod = localTimeOfDayMs(at);
  return spans.some(([s, e]) => s <= tod && tod < e);
}

/**
 * `at` itself when it is office time, otherwise the start of the next office period on a working
 * day. Throws `RangeError` when no working day comes within ten years.
 */
export function nextOfficeTime(at: Date, cal: WorkCalendar, hours: OfficeHours = DEFAULT_OFFICE_HOURS): Date {
  if (isOfficeTime(at, cal, hours)) return new Date(at);
  const spans = spansOf(hours);
  let date = toLocalDate(at);
  const tod = localTimeOfDayMs(at);
  const later = spans.find(([s]) => s > tod);
  if (later && cal.isWorkingDay(date)) return new Date(localMidnight(date).getTime() + later[0]);
  for (let i = 0; i < MAX_SCAN_DAYS; i += 1) {
    date = addDays(date, 1);
    if (cal.isWorkingDay(date)) return new Date(localMidnight(date).getTime() + (spans[0]?.[0] ?? 0));
  }
  throw new RangeError(`no working day within ${MAX_SCAN_DAYS} days of ${at.toISOString()}`);
}

/** Office-hours time between `from` and `to`, in ms; 0 when `to` ≤ `from`. */
export function businessMs(from: Date, to: Date, cal: WorkCalendar, hours: OfficeHours = DEFAULT_OFFICE_HOURS): number {
  const spans = spansOf(hours);
  const [fromMs, toMs] = [from.getTime(), to.getTime()];
  if (!(toMs > fromMs)) return 0;
  const lastDate = toLocalDate(to);
  let total = 0;
  for (let date = toLocalDate(from); date <= lastDate; date = addDays(date, 1)) {
    if (!cal.isWorkingDay(date)) continue;
    const midnight = localMidnight(date).getTime();
    for (const [s, e] of spans) {
      total += Math.max(0, Math.min(toMs, midnight + e) - Math.max(fromMs, midnight + s));
    }
  }
  return total;
}

/**
 * The earliest instant `t` ≥ `from` with `businessMs(from, t) === ms`: office time runs only in
 * office periods of working days, so a result at a period's end (e.g. 11:30) is not moved to the
 * next start. `ms` ≤ 0 gives `from`. Throws `RangeError` when `ms` is not finite or no working
 * day comes within ten years.
 */
export function addBusinessMs(from: Date, ms: number, cal: WorkCalendar, hours: OfficeHours = DEFAULT_OFFICE_HOURS): Date {
  if (Number.isNaN(ms) || ms === Infinity) throw new RangeError(`business time must be finite, not ${ms}`);
  if (ms <= 0) return new Date(from);
  const spans = spansOf(hours);
  const fromMs = from.getTime();
  let remaining = ms;
  let date = toLocalDate(from);
  for (let idle = 0; idle < MAX_SCAN_DAYS; date = addDays(date, 1)) {
    idle += 1;
    if (!cal.isWorkingDay(date)) continue;
    const midnight = localMidnight(date).getTime();
    for (const [s, e] of spans) {
      const segStart = Math.max(fromMs, midnight + s);
      const length = midnight + e - segStart;
      if (length <= 0) continue;
      if (remaining <= length) return new Date(segStart + remaining);
      remaining -= length;
      idle = 0;
    }
  }
  throw new RangeError(`no office time within ${MAX_SCAN_DAYS} days after ${from.toISOString()}`);
}
