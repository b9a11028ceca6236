/**
 * Dates and times in Asia/Ho_Chi_Minh (UTC+7, no daylight saving since 1975), by fixed-offset
 * arithmetic on UTC fields only: nothing here reads the process's time zone.
 *
 * A *local date* is `YYYY-MM-DD` text; an *instant* is a UTC `Date`.
 */

/** Asia/Ho_Chi_Minh's offset from UTC, in ms (+07:00). */
export const LOCAL_OFFSET_MS = 7 * 3_600_000;

/** One calendar day, in ms (no daylight saving, so every local day has exactly this length). */
export const DAY_MS = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_RE = /^(\d{2}):(\d{2})$/;

/** Day numbers of dates already parsed: planning deadlines walks the same few thousand dates again and again. */
const dayNumbers = new Map<string, number>();
/** Past this many cached dates the cache starts afresh (a bound on memory, not a working limit). */
const DAY_CACHE_MAX = 50_000;

/** Days since 1970-01-01 of `date`, or `null` when it is not a real `YYYY-MM-DD` date. */
function parseDayNumber(date: string): number | null {
  const cached = dayNumbers.get(date);
  if (cached !== undefined) return cached;
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  if (dayNumbers.size >= DAY_CACHE_MAX) dayNumbers.clear();
  const day = t.getTime() / DAY_MS;
  dayNumbers.set(date, day);
  return day;
}

/** True when `date` is `YYYY-MM-DD` naming a real calendar date. */
export function isLocalDate(date: string): boolean {
  return parseDayNumber(date) !== null;
}

/** Days since 1970-01-01 of a local date; throws `RangeError` on a malformed date. */
function dayNumber(date: string): number {
  const day = parseDayNumber(date);
  if (day === null) throw new RangeError(`not a YYYY-MM-DD date: "${date}"`);
  return day;
}

/** Dates of day numbers already formatted (the reverse of {@link dayNumbers}). */
const dateTexts = new Map<number, string>();

function fromDayNumber(day: number): string {
  const cached = dateTexts.get(day);
  if (cached !== undefined) return cached;
  const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
  if (dateTexts.size >= DAY_CACHE_MAX) dateTexts.clear();
  dateTexts.set(day, date);
  return date;
}

/** The local date (Asia/Ho_Chi_Minh) of the instant `at`. */
export function toLocalDate(at: Date): string {
  return fromDayNumber(Math.floor((at.getTime() + LOCAL_OFFSET_MS) / DAY_MS));
}

/** The instant of local midnight (00:00 Asia/Ho_Chi_Minh) starting `date`. */
export function localMidnight(date: string): Date {
  return new Date(dayNumber(date) * DAY_MS - LOCAL_OFFSET_MS);
}

/** Milliseconds from local midnight to `at` (0 ≤ result < {@link DAY_MS}). */
export function localTimeOfDayMs(at: Date): number {
  const shifted = at.getTime() + LOCAL_OFFSET_MS;
  return ((shifted % DAY_MS) + DAY_MS) % DAY_MS;
}

/** `date` moved by `days` (negative: earlier). */
export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Day of the week of a local date: 0 = Sunday … 6 = Saturday (as `Date.getUTCDay`). */
export function dayOfWeek(date: string): number {
  // 1970-01-01 was a Thursday (4).
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

/** The year of a local date. */
export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/**
 * Minutes after midnight of a `HH:mm` clock time (`00:00`–`24:00`), or `null` when malformed.
 * `24:00` is allowed so that an office period may end at midnight.
 */
export function parseClockTime(hhmm: string): number | null {
  const m = CLOCK_RE.exec(hhmm);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

/**
 * The instant at wall-clock time `hhmm` (`HH:mm`, `24:00` = the next midnight) on local `date`.
 * Throws `RangeError` on a malformed date or time.
 */
export function atLocalTime(date: string, hhmm: string): Date {
  const minutes = parseClockTime(hhmm);
  if (minutes === null) throw new RangeError(`not a HH:mm time: "${hhmm}"`);
  return new Date(localMidnight(date).getTime() + minutes * 60_000);
}
