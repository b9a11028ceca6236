import { dayOfWeek, isLocalDate, yearOf } from './local.js';
import { statutoryEntries } from './statutory.js';
import type { CalendarEntry } from './types.js';

export type { CalendarEntry } from './types.js';

/** Which days are worked. Every method takes local dates (`YYYY-MM-DD`) and is memoised per year. */
export interface WorkCalendar {
  /** True on a working day: not a weekly rest day and not a holiday/day off, or a make-up workday. */
  isWorkingDay(date: string): boolean;
  /** The calendar entry of `date`, if any (weekly rest days have none). */
  entryFor(date: string): CalendarEntry | undefined;
  /** True when `year` uses an imported official schedule rather than the statutory defaults. */
  hasOfficialSchedule(year: number): boolean;
  /** The entries of `year`, sorted by date (a fresh array). */
  entries(year: number): CalendarEntry[];
}

/** Input of {@link createWorkCalendar}. */
export interface WorkCalendarInput {
  /** Imported official entries; only those of years listed in `officialYears` are used. */
  official: readonly CalendarEntry[];
  /** Years whose schedule is exactly `official` (plus weekly rest days); others use statutory defaults. */
  officialYears: readonly number[];
  /** Weekly rest days, 0 = Sunday … 6 = Saturday. Default `[6, 0]` (Saturday, Sunday; policy). */
  weekendDays?: readonly number[];
}

/** The default weekly rest days: Saturday and Sunday (rules.md: Monday–Friday working week, policy). */
export const DEFAULT_WEEKEND_DAYS: readonly number[] = [6, 0];

/**
 * Builds a {@link WorkCalendar}. A year in `officialYears` uses exactly the official entries of
 * that year; any other year uses {@link statutoryEntries} (computed on first use, then cached).
 */
export function createWorkCalendar(input: WorkCalendarInput): WorkCalendar {
  const weekend = new Set(input.weekendDays ?? DEFAULT_WEEKEND_DAYS);
  const officialYears = new Set(input.officialYears);
  const byYear = new Map<number, Map<string, CalendarEntry>>();

  const yearEntries = (year: number): Map<string, CalendarEntry> => {
    let map = byYear.get(year);
    if (!map) {
      const source = officialYears.has(year)
        ? input.official.filter((e) => yearOf(e.date) === year)
        : statutoryEntries(year, { weekendDays: [...weekend] });
      map = new Map([...source].sort((a, b) => a.date.localeCompare(b.date)).map((e) => [e.date, { ...e }]));
      byYear.set(year, map);
    }
    return map;
  };
  const entryFor = (date: string): CalendarEntry | undefined => {
    if (!isLocalDate(date)) throw new RangeError(`not a YYYY-MM-DD date: "${date}"`);
    return yearEntries(yearOf(date)).get(date);
  };

  return {
    entryFor: (date) => {
      const e = entryFor(date);
      return e && { ...e };
    },
    isWorkingDay: (date) => {
      const kind = entryFor(date)?.kind;
      if (kind === 'makeup_workday') return true;
      if (kind === 'holiday' || kind === 'day_off') return false;
      return !weekend.has(dayOfWeek(date));
    },
    hasOfficialSchedule: (year) => officialYears.has(year),
    entries: (year) => [...yearEntries(year).values()].map((e) => ({ ...e })),
  };
}
