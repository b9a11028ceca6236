import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { describe, expect, it } from 'vitest';
import { localDate } from '../../flows/copy/format.js';

dayjs.extend(utc);
dayjs.extend(timezone);

describe('localDate (Vietnam’s calendar date of an instant)', () => {
  it('turns at 17:00 UTC, midnight in Vietnam, including at a year’s end', () => {
    expect(localDate(new Date('2026-12-31T16:59:59.999Z'))).toBe('2026-12-31');
    expect(localDate(new Date('2026-12-31T17:00:00.000Z'))).toBe('2027-01-01');
  });

  it('agrees with the time-zone database over two years, hour by hour', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let h = 0; h < 2 * 366 * 24; h += 7) {
      const at = new Date(start + h * 3_600_000);
      expect(localDate(at)).toBe(dayjs(at).tz('Asia/Ho_Chi_Minh').format('YYYY-MM-DD'));
    }
  });
});
