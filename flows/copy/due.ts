/**
 * The one way a due time is written to people (issue 14): a period that ends at 24:00 reads as
 * that day ("hết ngày 08/12/2026 (thứ Ba)"), never "00:00 09/12/2026"; any other due time reads
 * date-first ("08/12/2026 17:00 (thứ Ba)"); with the time left ("còn 2 ngày làm việc",
 * "quá hạn 3 giờ") when the caller knows "now". Pure arithmetic on UTC+7 (no daylight saving).
 */

const OFFSET_MS = 7 * 3_600_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A due time with what is needed to say how long is left. */
export interface DueInfo {
  at: Date | string;
  /** The injected clock's "now"; absent: no time left is shown. */
  now?: Date;
  /** Whether a local date (`YYYY-MM-DD`) is a working day; present: whole days are counted as working days. */
  isWorkingDay?: (date: string) => boolean;
}

/** A due time as the copy functions take it: a bare instant, or one with "now" for the time left. */
export type DueArg = Date | string | DueInfo;

const WEEKDAY_VI = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'];
const WEEKDAY_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface LocalParts { date: string; shown: string; time: string; weekday: number }

function localParts(ms: number): LocalParts {
  const d = new Date(ms + OFFSET_MS);
  const iso = d.toISOString();
  const date = iso.slice(0, 10);
  return { date, shown: `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`, time: iso.slice(11, 16), weekday: d.getUTCDay() };
}

function addDaysIso(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** `dd/MM/yyyy HH:mm` in Vietnam: the one way an instant (not a due time) is written. */
export function formatInstant(at: Date | string): string {
  const p = localParts(new Date(at).getTime());
  return `${p.shown} ${p.time}`;
}

/** `12/2026` for a `YYYY-MM` month. */
export function formatMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? `${m[2]}/${m[1]}` : month;
}

/** The due instant alone: "hết ngày 08/12/2026 (thứ Ba)" / "08/12/2026 17:00 (thứ Ba)", or the English. */
export function formatDueTime(at: Date | string, locale: 'vi' | 'en'): string {
  const ms = new Date(at).getTime();
  const p = localParts(ms);
  if (p.time === '00:00') {
    // 24:00 of the day before: the period ends with that day.
    const day = localParts(ms - 1);
    return locale === 'en' ? `end of ${WEEKDAY_EN[day.weekday]} ${day.shown}` : `hết ngày ${day.shown} (${WEEKDAY_VI[day.weekday]})`;
  }
  return locale === 'en' ? `${WEEKDAY_EN[p.weekday]} ${p.shown} ${p.time}` : `${p.shown} ${p.time} (${WEEKDAY_VI[p.weekday]})`;
}

/** "3 giờ" / "1 ngày 2 giờ" / "40 phút": the two largest non-zero units of a span, whole minutes at least. */
function span(ms: number, locale: 'vi' | 'en'): string {
  const units = [[DAY_MS, 'ngày', 'day'], [HOUR_MS, 'giờ', 'hour'], [MINUTE_MS, 'phút', 'minute']] as const;
  const counts = units.map(([size], i) => Math.floor((i === 0 ? ms : ms % units[i - 1]![0]) / size));
  const first = Math.max(0, counts.findIndex((n) => n > 0));
  const parts = [first, first + 1].filter((i) => i < units.length && (i === first || counts[i]! > 0)).map((i) => {
    const n = i === first ? Math.max(1, counts[i]!) : counts[i]!;
    return locale === 'vi' ? `${n} ${units[i]![1]}` : `${n} ${units[i]![2]}${n === 1 ? '' : 's'}`;
  });
  return parts.join(' ');
}

/** Whole days after today up to the due time's last day, counting only working days when a calendar is known. */
function daysLeft(now: Date, dueMs: number, isWorkingDay?: (date: string) => boolean): number {
  const today = localParts(now.getTime()).date;
  const lastDay = localParts(dueMs - 1).date;
  let n = 0;
  for (let d = addDaysIso(today, 1); d <= lastDay && n < 3_660; d = addDaysIso(d, 1)) {
    if (!isWorkingDay || isWorkingDay(d)) n += 1;
  }
  return n;
}

/** The time left: "còn 2 ngày làm việc", "còn 5 giờ", "quá hạn 3 giờ" (or the English). */
export function formatTimeLeft(at: Date | string, now: Date, locale: 'vi' | 'en', isWorkingDay?: (date: string) => boolean): string {
  const dueMs = new Date(at).getTime();
  const left = dueMs - now.getTime();
  if (left <= 0) return locale === 'en' ? `${span(-left, 'en')} overdue` : `quá hạn ${span(-left, 'vi')}`;
  const days = left >= DAY_MS ? daysLeft(now, dueMs, isWorkingDay) : 0;
  if (days === 0) return locale === 'en' ? `${span(left, 'en')} left` : `còn ${span(left, 'vi')}`;
  if (locale === 'en') return `${days} ${isWorkingDay ? 'working ' : ''}day${days === 1 ? '' : 's'} left`;
  return `còn ${days} ngày${isWorkingDay ? ' làm việc' : ''}`;
}

/** A due time as people read it, with the time left when "now" is given: "hết ngày 08/12/2026 (thứ Ba), còn 2 ngày làm việc". */
export function formatDue(due: DueArg, locale: 'vi' | 'en'): string {
  const info: DueInfo = typeof due === 'string' || due instanceof Date ? { at: due } : due;
  const when = formatDueTime(info.at, locale);
  return info.now ? `${when}, ${formatTimeLeft(info.at, info.now, locale, info.isWorkingDay)}` : when;
}

/** The instant of a {@link DueArg}. */
export function dueInstant(due: DueArg): Date | string {
  return typeof due === 'string' || due instanceof Date ? due : due.at;
}
