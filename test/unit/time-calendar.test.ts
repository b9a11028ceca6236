import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays, addWorkingDays, createWorkCalendar, dayOfWeek, nextWorkingDay, statutoryEntries, type CalendarEntry,
} from '../../src/time/index.js';

/** The shipped official 2026 schedule (db/calendar/2026.csv) as the official-table fixture. */
const OFFICIAL_2026 = parse(readFileSync(new URL('../../db/calendar/2026.csv', import.meta.url)), { columns: true }) as CalendarEntry[];

const official = createWorkCalendar({ official: OFFICIAL_2026, officialYears: [2026] });
const statutory = createWorkCalendar({ official: [], officialYears: [] });
const range = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

describe('official schedule 2026 (imported table)', () => {
  it('New Year 2026: off Thursday 1 – Sunday 4 January, Saturday 10 January worked', () => {
    expect(range('2026-01-01', '2026-01-04').map((d) => official.isWorkingDay(d))).toEqual([false, false, false, false]);
    expect(official.isWorkingDay('2026-01-05')).toBe(true);
    expect(official.isWorkingDay('2026-01-10')).toBe(true);
    expect(official.entryFor('2026-01-10')?.kind).toBe('makeup_workday');
    expect(official.isWorkingDay('2026-01-11')).toBe(false);
    expect(official.isWorkingDay('2026-01-17')).toBe(false);
  });

  it('Tết 2026: off Saturday 14 – Sunday 22 February, back on Monday 23', () => {
    expect(range('2026-02-14', '2026-02-22').every((d) => !official.isWorkingDay(d))).toBe(true);
    expect(official.isWorkingDay('2026-02-13')).toBe(true);
    expect(official.isWorkingDay('2026-02-23')).toBe(true);
    expect(nextWorkingDay('2026-02-13', official)).toBe('2026-02-23');
  });

  it('uses exactly the imported entries in an official year, and statutory defaults in others', () => {
    expect(official.hasOfficialSchedule(2026)).toBe(true);
    expect(official.hasOfficialSchedule(2027)).toBe(false);
    expect(official.entries(2026)).toHaveLength(OFFICIAL_2026.length);
    // The statutory defaults would not make 2 January 2026 a day off; the official table does.
    expect(statutory.isWorkingDay('2026-01-02')).toBe(true);
    expect(official.entries(2027)).toEqual(statutoryEntries(2027));
    expect(official.entryFor('2027-01-01')?.source).toContain('mặc định');
  });

  it('statutory mode: Hùng Kings 2026 on Sunday 26 April gives Monday 27 April off in lieu; Tết is 16–20 February', () => {
    expect(statutory.hasOfficialSchedule(2026)).toBe(false);
    expect(statutory.entryFor('2026-04-27')?.kind).toBe('day_off');
    expect(statutory.isWorkingDay('2026-04-27')).toBe(false);
    expect(statutory.isWorkingDay('2026-04-28')).toBe(true);
    expect(range('2026-02-16', '2026-02-20').every((d) => !statutory.isWorkingDay(d))).toBe(true);
    expect(statutory.isWorkingDay('2026-02-13')).toBe(true);
    expect(statutory.isWorkingDay('2026-02-23')).toBe(true);
  });

  it('ignores official entries of years not declared official, and returns copies', () => {
    const cal = createWorkCalendar({ official: [{ date: '2027-03-03', kind: 'day_off', name: 'x', source: 'y' }], officialYears: [] });
    expect(cal.isWorkingDay('2027-03-03')).toBe(true);
    const entry = official.entryFor('2026-01-01');
    if (entry) entry.kind = 'makeup_workday';
    expect(official.isWorkingDay('2026-01-01')).toBe(false);
  });

  it('rejects malformed dates', () => {
    expect(() => official.isWorkingDay('2026-13-01')).toThrow(RangeError);
    expect(() => official.isWorkingDay('26-01-01')).toThrow(RangeError);
  });
});

const dateIn2026 = fc.integer({ min: 0, max: 364 }).map((i) => addDays('2026-01-01', i));

describe('calendar properties', () => {
  it('a make-up Saturday is a working day and is counted by working-day arithmetic', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 51 }), (week) => {
      const saturday = addDays('2026-01-03', 7 * week);
      const cal = createWorkCalendar({ official: [{ date: saturday, kind: 'makeup_workday', name: 'làm bù', source: 'test' }], officialYears: [2026] });
      expect(dayOfWeek(saturday)).toBe(6);
      expect(cal.isWorkingDay(saturday)).toBe(true);
      expect(nextWorkingDay(addDays(saturday, -1), cal)).toBe(saturday);
      expect(addWorkingDays(addDays(saturday, -2), 2, cal)).toBe(saturday);
    }));
  });

  it('a holiday or day off is never a working day, whatever weekday it falls on, and is skipped', () => {
    fc.assert(fc.property(dateIn2026, fc.constantFrom('holiday' as const, 'day_off' as const), (date, kind) => {
      const cal = createWorkCalendar({ official: [{ date, kind, name: 'nghỉ', source: 'test' }], officialYears: [2026] });
      expect(cal.isWorkingDay(date)).toBe(false);
      for (let n = 1; n <= 5; n += 1) expect(addWorkingDays(addDays(date, -3), n, cal)).not.toBe(date);
    }));
  });

  it('every statutory holiday and day in lieu is a non-working day (2020–2040)', () => {
    for (let year = 2020; year <= 2040; year += 1) {
      for (const e of statutory.entries(year)) expect(statutory.isWorkingDay(e.date), e.date).toBe(false);
    }
  });
});
