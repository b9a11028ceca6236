import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Wall-clock display of an instant in Vietnam: `14:05 24/11/2026`. */
export function formatLocalTime(at: Date | string): string {
  return dayjs(at).tz('Asia/Ho_Chi_Minh').format('HH:mm DD/MM/YYYY');
}

/** Calendar date in Vietnam (`YYYY-MM-DD`) of an instant; role validity dates compare against it. */
export function localDate(at: Date): string {
  return dayjs(at).tz('Asia/Ho_Chi_Minh').format('YYYY-MM-DD');
}

/** Shortens a text for a one-line list entry. */
export function excerpt(text: string, max = 80): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
