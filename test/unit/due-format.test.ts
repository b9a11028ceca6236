import { describe, expect, it } from 'vitest';
import { formatDue, formatDueTime, formatInstant, formatMonth, formatTimeLeft } from '../../flows/copy/format.js';
import { en } from '../../flows/copy/en.js';
import { vi } from '../../flows/copy/vi.js';

// 24:00 on Tuesday 08/12/2026 in Vietnam is 17:00 UTC that day.
const END_OF_TUESDAY = new Date('2026-12-08T17:00:00Z');
const weekdaysOnly = (date: string): boolean => ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

describe('due times as people read them', () => {
  it('reads a period ending at 24:00 as that day, with its weekday, never as 00:00 of the next day', () => {
    expect(formatDueTime(END_OF_TUESDAY, 'vi')).toBe('hết ngày 08/12/2026 (thứ Ba)');
    expect(formatDueTime(END_OF_TUESDAY.toISOString(), 'en')).toBe('end of Tuesday 08/12/2026');
    expect(formatDue(END_OF_TUESDAY, 'vi')).not.toMatch(/00:00|09\/12/);
  });

  it('writes any other due time date first, then the time and the weekday', () => {
    expect(formatDueTime('2026-12-08T10:00:00Z', 'vi')).toBe('08/12/2026 17:00 (thứ Ba)');
    expect(formatDueTime('2026-12-05T23:30:00Z', 'vi')).toBe('06/12/2026 06:30 (Chủ nhật)');
    expect(formatDueTime('2026-12-08T10:00:00Z', 'en')).toBe('Tuesday 08/12/2026 17:00');
    expect(formatInstant('2026-11-24T07:05:00Z')).toBe('24/11/2026 14:05');
  });

  it('counts the days left as working days when the calendar is known, else as days', () => {
    const friday = new Date('2026-12-04T03:00:00Z'); // Friday 04/12 10:00 local
    expect(formatTimeLeft(END_OF_TUESDAY, friday, 'vi', weekdaysOnly)).toBe('còn 2 ngày làm việc');
    expect(formatTimeLeft(END_OF_TUESDAY, friday, 'vi')).toBe('còn 4 ngày');
    expect(formatTimeLeft(END_OF_TUESDAY, friday, 'en', weekdaysOnly)).toBe('2 working days left');
    expect(formatDue({ at: END_OF_TUESDAY, now: friday, isWorkingDay: weekdaysOnly }, 'vi')).toBe('hết ngày 08/12/2026 (thứ Ba), còn 2 ngày làm việc');
  });

  it('says hours or minutes when less than a day is left, and how late once overdue', () => {
    expect(formatTimeLeft(END_OF_TUESDAY, new Date('2026-12-08T12:00:00Z'), 'vi', weekdaysOnly)).toBe('còn 5 giờ');
    expect(formatTimeLeft(END_OF_TUESDAY, new Date('2026-12-08T16:20:00Z'), 'en')).toBe('40 minutes left');
    expect(formatTimeLeft(END_OF_TUESDAY, new Date('2026-12-08T20:00:00Z'), 'vi')).toBe('quá hạn 3 giờ');
    expect(formatTimeLeft(END_OF_TUESDAY, new Date('2026-12-09T19:10:00Z'), 'vi')).toBe('quá hạn 1 ngày 2 giờ');
    expect(formatTimeLeft(END_OF_TUESDAY, new Date('2026-12-10T17:00:00Z'), 'en')).toBe('2 days overdue');
    expect(formatTimeLeft(END_OF_TUESDAY, new Date('2026-12-08T18:00:00Z'), 'en')).toBe('1 hour overdue');
  });

  it('writes a month as MM/yyyy', () => {
    expect(formatMonth('2026-12')).toBe('12/2026');
    expect(vi.stats('2026-12', [{ org: 'Sở Y tế', received: 1, replied: 1, onTime: 1, overdueOpen: 0 }])).toContain('tháng 12/2026');
    expect(en.stats('2026-12', [{ org: 'Health', received: 1, replied: 1, onTime: 1, overdueOpen: 0 }])).toContain('12/2026');
  });

  it('is what the acceptance and the lists say, in Vietnamese and English', () => {
    const due = { at: END_OF_TUESDAY, now: new Date('2026-12-04T03:00:00Z'), isWorkingDay: weekdaysOnly };
    expect(vi.inquiryAccepted('Q-12', 'Sở Y tế', false, due)).toContain('Hạn trả lời: hết ngày 08/12/2026 (thứ Ba), còn 2 ngày làm việc');
    expect(en.inquiryAccepted('Q-12', 'Health', false, due)).toContain('Due: end of Tuesday 08/12/2026, 2 working days left');
    const line = { code: 'Q-12', status: 'assigned' as const, orgName: 'Sở Y tế', question: 'q', receivedAt: '2026-12-04T03:00:00Z', dueAt: due };
    expect(vi.myList([line])).toContain('hạn hết ngày 08/12/2026 (thứ Ba), còn 2 ngày làm việc');
    expect(vi.askExtensionDue('Q-12', '11/12/2026 17:00')).toContain('ví dụ 11/12/2026 17:00');
  });
});
