import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMs, atLocalTime, businessMs, createWorkCalendar, DEFAULT_OFFICE_HOURS, isOfficeTime, localTimeOfDayMs,
  nextOfficeTime, parseClockTime, parseOfficeHours, type CalendarEntry, type OfficeHours,
} from '../../src/time/index.js';

const OFFICIAL_2026 = parse(readFileSync(new URL('../../db/calendar/2026.csv', import.meta.url)), { columns: true }) as CalendarEntry[];
const cal = createWorkCalendar({ official: OFFICIAL_2026, officialYears: [2026] });
const H = 3_600_000;
const at = atLocalTime;

describe('parseOfficeHours', () => {
  it('gives the default 07:30–11:30, 13:30–17:00 for null, blank, malformed or inconsistent values', () => {
    expect(DEFAULT_OFFICE_HOURS).toEqual([{ start: '07:30', end: '11:30' }, { start: '13:30', end: '17:00' }]);
    for (const bad of [null, '', 'not json', '{}', '[]', '[1]', '[{"start":"08:00"}]', '[{"start":"8:00","end":"12:00"}]',
      '[{"start":"12:00","end":"08:00"}]', '[{"start":"08:00","end":"12:00"},{"start":"11:00","end":"17:00"}]',
      '[{"start":"08:00","end":"25:00"}]', '[null]']) {
      expect(parseOfficeHours(bad), String(bad)).toBe(DEFAULT_OFFICE_HOURS);
    }
  });

  it('reads a valid list and sorts it', () => {
    expect(parseOfficeHours('[{"start":"13:00","end":"17:00"},{"start":"08:00","end":"12:00"}]'))
      .toEqual([{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }]);
    expect(parseOfficeHours('[{"start":"00:00","end":"24:00"}]')).toEqual([{ start: '00:00', end: '24:00' }]);
  });
});

describe('office time on the 2026 official calendar', () => {
  it('is inside a period of a working day, start included and end excluded', () => {
    expect(isOfficeTime(at('2026-03-02', '07:29'), cal)).toBe(false);
    expect(isOfficeTime(at('2026-03-02', '07:30'), cal)).toBe(true);
    expect(isOfficeTime(at('2026-03-02', '11:30'), cal)).toBe(false);
    expect(isOfficeTime(at('2026-03-02', '13:30'), cal)).toBe(true);
    expect(isOfficeTime(at('2026-03-02', '17:00'), cal)).toBe(false);
    expect(isOfficeTime(at('2026-03-07', '10:00'), cal)).toBe(false);
    expect(isOfficeTime(at('2026-01-10', '10:00'), cal)).toBe(true);
    expect(isOfficeTime(at('2026-01-02', '10:00'), cal)).toBe(false);
  });

  it('nextOfficeTime waits for the next period of a working day', () => {
    expect(nextOfficeTime(at('2026-03-02', '09:00'), cal)).toEqual(at('2026-03-02', '09:00'));
    expect(nextOfficeTime(at('2026-03-02', '12:00'), cal)).toEqual(at('2026-03-02', '13:30'));
    expect(nextOfficeTime(at('2026-02-13', '17:30'), cal)).toEqual(at('2026-02-23', '07:30'));
    expect(nextOfficeTime(at('2026-01-09', '18:00'), cal)).toEqual(at('2026-01-10', '07:30'));
  });

  it('businessMs counts office time only', () => {
    expect(businessMs(at('2026-03-02', '08:00'), at('2026-03-02', '14:00'), cal)).toBe(4 * H);
    expect(businessMs(at('2026-02-13', '16:00'), at('2026-02-23', '08:00'), cal)).toBe(1.5 * H);
    expect(businessMs(at('2026-03-02', '14:00'), at('2026-03-02', '08:00'), cal)).toBe(0);
    // A full working day is 7.5 hours.
    expect(businessMs(at('2026-03-02', '00:00'), at('2026-03-03', '00:00'), cal)).toBe(7.5 * H);
  });

  it('addBusinessMs moves through office time only and stops at the earliest instant', () => {
    expect(addBusinessMs(at('2026-02-13', '16:00'), 2 * H, cal)).toEqual(at('2026-02-23', '08:30'));
    expect(addBusinessMs(at('2026-03-02', '11:00'), 0.5 * H, cal)).toEqual(at('2026-03-02', '11:30'));
    expect(addBusinessMs(at('2026-03-02', '11:00'), 0.5 * H + 1, cal)).toEqual(new Date(at('2026-03-02', '13:30').getTime() + 1));
    expect(addBusinessMs(at('2026-03-07', '10:00'), 0, cal)).toEqual(at('2026-03-07', '10:00'));
    expect(() => addBusinessMs(at('2026-03-02', '10:00'), Number.NaN, cal)).toThrow(RangeError);
  });

  it('uses an organisation\'s own hours', () => {
    const hours = parseOfficeHours('[{"start":"08:00","end":"12:00"}]');
    expect(isOfficeTime(at('2026-03-02', '14:00'), cal, hours)).toBe(false);
    expect(businessMs(at('2026-03-02', '00:00'), at('2026-03-04', '00:00'), cal, hours)).toBe(8 * H);
    expect(() => isOfficeTime(at('2026-03-02', '14:00'), cal, [{ start: '12:00', end: '08:00' }])).toThrow(RangeError);
  });
});

const toHhMm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
/** Random valid office hours: 1–3 sorted, non-overlapping periods on minute boundaries (00:00–24:00). */
const officeHours: fc.Arbitrary<OfficeHours> = fc.oneof(
  fc.constant(DEFAULT_OFFICE_HOURS),
  fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { minLength: 2, maxLength: 6 }).map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const periods: Array<{ start: string; end: string }> = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) periods.push({ start: toHhMm(sorted[i] ?? 0), end: toHhMm(sorted[i + 1] ?? 0) });
    return periods;
  }),
);
/** Instants from December 2025 to March 2026 (New Year, Tết, the make-up Saturday), at minute or ms resolution. */
const instant = fc.oneof(
  fc.integer({ min: Date.UTC(2025, 11, 1) / 60_000, max: Date.UTC(2026, 2, 31) / 60_000 }).map((m) => new Date(m * 60_000)),
  fc.integer({ min: Date.UTC(2025, 11, 1), max: Date.UTC(2026, 2, 31) }).map((ms) => new Date(ms)),
);
const sorted3 = fc.tuple(instant, instant, instant).map((xs) => xs.sort((a, b) => a.getTime() - b.getTime()));

describe('office-time properties', () => {
  it('businessMs is additive: (a, c) = (a, b) + (b, c) for a ≤ b ≤ c', () => {
    fc.assert(fc.property(sorted3, officeHours, ([a, b, c], hours) => {
      expect(businessMs(a, c, cal, hours)).toBe(businessMs(a, b, cal, hours) + businessMs(b, c, cal, hours));
    }));
  });

  it('addBusinessMs is the inverse of businessMs', () => {
    fc.assert(fc.property(instant, fc.integer({ min: 0, max: 300 * H }), officeHours, (from, ms, hours) => {
      expect(businessMs(from, addBusinessMs(from, ms, cal, hours), cal, hours)).toBe(ms);
    }));
  });

  it('inside office time (not at a period start), addBusinessMs(from, businessMs(from, to)) = to', () => {
    fc.assert(fc.property(instant, instant, officeHours, (x, y, hours) => {
      const [from, to] = x <= y ? [x, y] : [y, x];
      const back = addBusinessMs(from, businessMs(from, to, cal, hours), cal, hours);
      expect(back.getTime()).toBeLessThanOrEqual(to.getTime());
      expect(businessMs(back, to, cal, hours)).toBe(0);
      const tod = localTimeOfDayMs(to);
      const atStart = hours.some((p) => (parseClockTime(p.start) ?? -1) * 60_000 === tod);
      if (isOfficeTime(to, cal, hours) && (!atStart || from.getTime() === to.getTime())) expect(back).toEqual(to);
    }));
  });

  it('isOfficeTime(t) exactly when the next millisecond is office time; nextOfficeTime skips no office time', () => {
    fc.assert(fc.property(instant, officeHours, (t, hours) => {
      expect(isOfficeTime(t, cal, hours)).toBe(businessMs(t, new Date(t.getTime() + 1), cal, hours) === 1);
      const next = nextOfficeTime(t, cal, hours);
      expect(next.getTime()).toBeGreaterThanOrEqual(t.getTime());
      expect(isOfficeTime(next, cal, hours)).toBe(true);
      expect(businessMs(t, next, cal, hours)).toBe(0);
    }));
  });
});
