import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays, addWorkingDays, atLocalTime, computeDue, createWorkCalendar, localTimeOfDayMs, nextWorkingDay,
  previousWorkingDay, toLocalDate, type CalendarEntry,
} from '../../src/time/index.js';

const OFFICIAL_2026 = parse(readFileSync(new URL('../../db/calendar/2026.csv', import.meta.url)), { columns: true }) as CalendarEntry[];
const cal = createWorkCalendar({ official: OFFICIAL_2026, officialYears: [2026] });
/** 24:00 of a local date, i.e. 00:00 of the next day, as an ISO instant. */
const endOf = (date: string): string => atLocalTime(addDays(date, 1), '00:00').toISOString();

describe('computeDue (Civil Code 2015 Arts. 147–148)', () => {
  it('hours run on the wall clock through nights, weekends and Tết', () => {
    const at = atLocalTime('2026-02-13', '15:00');
    expect(computeDue(at, 24, 'hours', cal).toISOString()).toBe(atLocalTime('2026-02-14', '15:00').toISOString());
    expect(computeDue(at, 0, 'hours', cal)).toEqual(at);
  });

  it('days start the day after receipt and end at 24:00 of the last day', () => {
    // Received Monday 2 March 2026; 3 days = Tue, Wed, Thu → ends at 24:00 Thursday 5 March.
    expect(computeDue(atLocalTime('2026-03-02', '10:00'), 3, 'days', cal).toISOString()).toBe(endOf('2026-03-05'));
  });

  it('a day period whose last day is a Saturday ends at 24:00 of the next working day (Art. 148(5))', () => {
    // Received Monday 2 March 2026; 5 days end on Saturday 7 March → moved to Monday 9 March.
    expect(computeDue(atLocalTime('2026-03-02', '10:00'), 5, 'days', cal).toISOString()).toBe(endOf('2026-03-09'));
    // 30 days from 31 March end on 30 April (holiday); 1 May is a holiday, 2–3 May a weekend → Monday 4 May.
    expect(computeDue(atLocalTime('2026-03-31', '09:00'), 30, 'days', cal).toISOString()).toBe(endOf('2026-05-04'));
  });

  it('a day period ending on a make-up Saturday ends that Saturday (it is a working day)', () => {
    expect(computeDue(atLocalTime('2026-01-05', '09:00'), 5, 'days', cal).toISOString()).toBe(endOf('2026-01-10'));
  });

  it('receipt late at night counts from the local date, not the UTC date', () => {
    // 23:50 Monday 2 March local (16:50 UTC): one working day = Tuesday 3 March.
    expect(computeDue(atLocalTime('2026-03-02', '23:50'), 1, 'working_days', cal).toISOString()).toBe(endOf('2026-03-03'));
    // 06:30 Tuesday 3 March local is still Monday in UTC; two working days = Wed 4, Thu 5.
    const early = atLocalTime('2026-03-03', '06:30');
    expect(early.toISOString()).toBe('2026-03-02T23:30:00.000Z');
    expect(computeDue(early, 2, 'working_days', cal).toISOString()).toBe(endOf('2026-03-05'));
  });

  it('working days skip the official New Year and Tết breaks and count the make-up Saturday', () => {
    expect(computeDue(atLocalTime('2025-12-31', '09:00'), 2, 'working_days', cal).toISOString()).toBe(endOf('2026-01-06'));
    expect(computeDue(atLocalTime('2026-01-09', '16:00'), 1, 'working_days', cal).toISOString()).toBe(endOf('2026-01-10'));
    expect(computeDue(atLocalTime('2026-02-13', '10:00'), 2, 'working_days', cal).toISOString()).toBe(endOf('2026-02-24'));
    // 15 working days from Friday 24 April: 27 Apr, 30 Apr and 1 May are off → 28, 29 Apr, 4–8, 11–15, 18–20 May.
    expect(computeDue(atLocalTime('2026-04-24', '10:00'), 15, 'working_days', cal).toISOString()).toBe(endOf('2026-05-20'));
  });

  it('rejects amounts that are negative, not finite, or fractional for day units', () => {
    const at = atLocalTime('2026-03-02', '10:00');
    expect(() => computeDue(at, -1, 'hours', cal)).toThrow(RangeError);
    expect(() => computeDue(at, Number.NaN, 'days', cal)).toThrow(RangeError);
    expect(() => computeDue(at, 1.5, 'working_days', cal)).toThrow(RangeError);
  });
});

describe('working-day helpers', () => {
  it('steps over weekends and holidays in both directions', () => {
    expect(nextWorkingDay('2026-04-24', cal)).toBe('2026-04-28');
    expect(previousWorkingDay('2026-04-28', cal)).toBe('2026-04-24');
    expect(addWorkingDays('2026-04-28', -1, cal)).toBe('2026-04-24');
    expect(addWorkingDays('2026-04-26', 0, cal)).toBe('2026-04-26');
  });

  it('gives up with an error when the calendar has no working day', () => {
    // Official (empty) years keep the scan from computing ten years of statutory holidays.
    const years = Array.from({ length: 12 }, (_, i) => 2026 + i);
    const never = createWorkCalendar({ official: [], officialYears: years, weekendDays: [0, 1, 2, 3, 4, 5, 6] });
    expect(() => nextWorkingDay('2026-01-01', never)).toThrow(RangeError);
  });
});

const received = fc.integer({ min: Date.UTC(2025, 5, 1) / 60_000, max: Date.UTC(2027, 11, 1) / 60_000 }).map((m) => new Date(m * 60_000));

describe('computeDue properties', () => {
  it('working days: due at local midnight after a working last day, with exactly n working days counted, never before receipt', () => {
    fc.assert(fc.property(received, fc.integer({ min: 1, max: 30 }), (at, n) => {
      const due = computeDue(at, n, 'working_days', cal);
      expect(due.getTime()).toBeGreaterThan(at.getTime());
      expect(localTimeOfDayMs(due)).toBe(0);
      const lastDay = toLocalDate(new Date(due.getTime() - 1));
      expect(cal.isWorkingDay(lastDay)).toBe(true);
      let counted = 0;
      for (let d = addDays(toLocalDate(at), 1); d <= lastDay; d = addDays(d, 1)) if (cal.isWorkingDay(d)) counted += 1;
      expect(counted).toBe(n);
    }));
  });

  it('days: the last day is a working day, at or after receipt + n, with only non-working days skipped', () => {
    fc.assert(fc.property(received, fc.integer({ min: 1, max: 60 }), (at, n) => {
      const due = computeDue(at, n, 'days', cal);
      expect(localTimeOfDayMs(due)).toBe(0);
      const nominal = addDays(toLocalDate(at), n);
      const lastDay = toLocalDate(new Date(due.getTime() - 1));
      expect(cal.isWorkingDay(lastDay)).toBe(true);
      expect(lastDay >= nominal).toBe(true);
      for (let d = nominal; d < lastDay; d = addDays(d, 1)) expect(cal.isWorkingDay(d)).toBe(false);
    }));
  });

  it('no unit gives a due time earlier than receipt, and more time never gives an earlier due time', () => {
    const unit = fc.constantFrom('hours' as const, 'days' as const, 'working_days' as const);
    fc.assert(fc.property(received, fc.integer({ min: 0, max: 40 }), unit, (at, n, u) => {
      const due = computeDue(at, n, u, cal);
      expect(due.getTime()).toBeGreaterThanOrEqual(at.getTime());
      expect(computeDue(at, n + 1, u, cal).getTime()).toBeGreaterThanOrEqual(due.getTime());
    }));
  });
});
