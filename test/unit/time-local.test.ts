import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays, atLocalTime, dayOfWeek, daysBetween, isLocalDate, localMidnight, localTimeOfDayMs, parseClockTime, toLocalDate,
} from '../../src/time/index.js';

describe('Asia/Ho_Chi_Minh local dates (UTC+7)', () => {
  it('gives the local date of an instant, which differs from the UTC date between 17:00 and 24:00 UTC', () => {
    expect(toLocalDate(new Date('2026-03-02T16:59:59.999Z'))).toBe('2026-03-02');
    expect(toLocalDate(new Date('2026-03-02T17:00:00.000Z'))).toBe('2026-03-03');
    expect(toLocalDate(new Date('2025-12-31T17:00:00.000Z'))).toBe('2026-01-01');
  });

  it('turns local dates and wall times into UTC instants', () => {
    expect(localMidnight('2026-01-01').toISOString()).toBe('2025-12-31T17:00:00.000Z');
    expect(atLocalTime('2026-02-16', '07:30').toISOString()).toBe('2026-02-16T00:30:00.000Z');
    expect(atLocalTime('2026-02-16', '24:00').toISOString()).toBe('2026-02-16T17:00:00.000Z');
    expect(localTimeOfDayMs(new Date('2026-02-16T00:30:00.000Z'))).toBe(7.5 * 3_600_000);
  });

  it('does date arithmetic across months, leap days and years', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(dayOfWeek('2026-04-26')).toBe(0);
    expect(dayOfWeek('2026-01-10')).toBe(6);
  });

  it('validates dates and clock times', () => {
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-2-1')).toBe(false);
    expect(parseClockTime('07:30')).toBe(450);
    expect(parseClockTime('24:00')).toBe(1440);
    expect(parseClockTime('24:01')).toBeNull();
    expect(parseClockTime('7:30')).toBeNull();
    expect(() => atLocalTime('2026-02-30', '08:00')).toThrow(RangeError);
    expect(() => atLocalTime('2026-02-03', '8h')).toThrow(RangeError);
  });

  it('round-trips: the local midnight of an instant\'s date is at most a day earlier and on that date', () => {
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
      const at = new Date(ms);
      const date = toLocalDate(at);
      const midnight = localMidnight(date).getTime();
      expect(ms - midnight).toBe(localTimeOfDayMs(at));
      expect(toLocalDate(new Date(midnight))).toBe(date);
      expect(dayOfWeek(date)).toBe(new Date(ms + 7 * 3_600_000).getUTCDay());
    }));
  });
});
