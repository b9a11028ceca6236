import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { truncateText } from '../../adapters/types.js';
import { formatInstant } from './due.js';

export { formatDue, formatDueTime, formatInstant, formatMonth, formatTimeLeft, type DueArg, type DueInfo } from './due.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Wall-clock display of an instant in Vietnam, date first: `24/11/2026 14:05` (due times: `formatDue`). */
export function formatLocalTime(at: Date | string): string {
  return formatInstant(at);
}

/** Calendar date in Vietnam (`YYYY-MM-DD`) of an instant; role validity dates compare against it. */
export function localDate(at: Date): string {
  // Vietnam keeps UTC+7 all year: shifting the instant is exact, and every inbound event asks
  // (dayjs's zone conversion builds an Intl formatter per call: ~3 % of the bot's CPU under load).
  return new Date(at.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** Asia/Ho_Chi_Minh's offset from UTC, in ms (no daylight saving since 1975). */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/**
 * Shortens a text for a one-line list entry: at most `max` UTF-16 units with the `…`, cut between
 * characters as a person sees them (never inside an emoji or a letter with its tone mark).
 */
export function excerpt(text: string, max = 80): string {
  // Most texts have no run of spaces nor other whitespace: testing first spares a copy (long listings excerpt every row).
  return truncateText((BLANKS.test(text) ? text.replace(/\s+/g, ' ') : text).trim(), max);
}

/** What `excerpt` folds into one space: a run of whitespace, or one that is not a plain space. */
const BLANKS = /\s\s|[^\S ]/;

/**
 * Parses a Vietnamese-style local date-time typed by a person: `28/11/2026 17:00`, `28/11/2026`
 * (→ 17:00, the end of the office day) or `28-11-2026 9:30`. Undefined when not a real date.
 */
export function parseLocalDateTime(text: string): Date | undefined {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2})[:hg](\d{2}))?\s*$/i.exec(text);
  if (!m) return undefined;
  const [, d, mo, y, h = '17', mi = '00'] = m;
  const iso = `${y}-${mo!.padStart(2, '0')}-${d!.padStart(2, '0')}T${h.padStart(2, '0')}:${mi}`;
  const parsed = dayjs.tz(iso, 'YYYY-MM-DDTHH:mm', 'Asia/Ho_Chi_Minh');
  if (!parsed.isValid() || parsed.format('YYYY-MM-DDTHH:mm') !== iso || Number(h) > 23) return undefined;
  return parsed.toDate();
}

/** "1, 2 or 3" for `count` choices, with the language's `or`. */
export function choiceNumbers(count: number, or: string): string {
  const all = Array.from({ length: count }, (_v, i) => String(i + 1));
  return all.length === 1 ? all[0]! : `${all.slice(0, -1).join(', ')} ${or} ${all.at(-1)}`;
}

/**
 * Parses a date typed as day/month/year — `20/11/2026` (also `20-11-2026`, `20.11.2026`, one-digit
 * day or month) — into `YYYY-MM-DD`. Undefined when malformed or not a real date (31/02).
 */
export function parseLocalDate(text: string): string | undefined {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return undefined;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  const parsed = dayjs.utc(iso, 'YYYY-MM-DD');
  return parsed.isValid() && parsed.format('YYYY-MM-DD') === iso ? iso : undefined;
}

/** `2026-11-20` → `20/11/2026`, as people write dates. */
export function formatLocalDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}
