import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';
import type { CalendarEntry } from './types.js';
import { addDays, dayOfWeek } from './local.js';

const LAW = 'Bộ luật Lao động 2019';

/** Options of {@link statutoryEntries}. */
export interface StatutoryOptions {
  /** Weekly rest days (0 = Sunday … 6 = Saturday) for days off in lieu. Default `[6, 0]`. */
  weekendDays?: readonly number[];
}

/**
 * How each `public` holiday of date-holidays (country `VN`, rule strings as in 3.37) maps to
 * Labour Code 2019 Art. 112(1). Other public entries are ignored: only Art. 112 makes days off.
 */
const ART_112_RULES: Readonly<Record<string, { name: string; point: string; note?: string }>> = {
  '01-01': { name: 'Tết Dương lịch', point: 'a' },
  'vietnamese 1-0-1': { name: 'Tết Nguyên đán (mùng 1)', point: 'b' },
  '04-30': { name: 'Ngày Chiến thắng (30/4)', point: 'c' },
  '05-01': { name: 'Ngày Quốc tế Lao động (1/5)', point: 'd' },
  '09-02': { name: 'Quốc khánh (2/9)', point: 'đ' },
  'vietnamese 3-0-10': { name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', point: 'e', note: '; ngày âm lịch theo date-holidays' },
};

const TET_SOURCE = `${LAW}, Điều 112(1)(b) (mặc định: giao thừa và mùng 1–4 âm lịch; Thủ tướng quyết định ngày cụ thể hằng năm)`;
const NATIONAL_DAY_SOURCE = `${LAW}, Điều 112(1)(đ) (mặc định: ngày liền kề là 1/9; Thủ tướng quyết định ngày cụ thể hằng năm)`;
const IN_LIEU_SOURCE = `${LAW}, Điều 111(3) (nghỉ bù vào ngày làm việc kế tiếp, mặc định)`;

// getHolidays costs tens of ms per year; its answer for a year never changes, so keep it.
const holidayCache = new Map<number, readonly CalendarEntry[]>();
let library: Holidays | undefined;

/**
 * The statutory default calendar of `year` (used where no official schedule was imported):
 * the Labour Code 2019 Art. 112(1) holidays, with lunar dates taken from date-holidays, completed
 * to the law's day counts, plus days off in lieu (Art. 111(3)). Defaults where the law lets the
 * Prime Minister choose: Tết = giao thừa (last day of the lunar year) and mùng 1–4; National Day
 * = 2 Sep and 1 Sep. Sorted by date; every entry's source ends in "mặc định".
 * Throws `RangeError` for a non-integer year, `Error` if the library lacks an Art. 112 holiday.
 */
export function statutoryEntries(year: number, options: StatutoryOptions = {}): CalendarEntry[] {
  const holidays = art112Holidays(year);
  const weekend = new Set(options.weekendDays ?? [6, 0]);
  return [...holidays, ...daysInLieu(holidays, weekend)]
    .map((e) => ({ ...e }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** The Art. 112(1) holidays of `year` (11 days), sorted by date. */
function art112Holidays(year: number): readonly CalendarEntry[] {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new RangeError(`not a year: ${year}`);
  const cached = holidayCache.get(year);
  if (cached) return cached;
  // Required on first use, not imported: the library holds ~10 MB of every country's rules, and a
  // process whose years all have an imported official schedule never needs it.
  library ??= new (createRequire(import.meta.url)('date-holidays') as typeof Holidays)('VN');
  const found = new Map<string, string>();
  for (const h of library.getHolidays(year)) {
    if (h.type === 'public' && Object.hasOwn(ART_112_RULES, h.rule)) found.set(h.rule, h.date.slice(0, 10));
  }
  const entries: CalendarEntry[] = [];
  for (const [rule, { name, point, note = '' }] of Object.entries(ART_112_RULES)) {
    const date = found.get(rule);
    if (!date) throw new Error(`date-holidays (VN) gave no "${rule}" holiday for ${year}: cannot compute the statutory calendar`);
    if (point === 'b') entries.push(...tetDays(date));
    else entries.push({ date, kind: 'holiday', name, source: `${LAW}, Điều 112(1)(${point}) (mặc định${note})` });
    if (point === 'đ') entries.push({ date: addDays(date, -1), kind: 'holiday', name: 'Quốc khánh (ngày liền kề)', source: NATIONAL_DAY_SOURCE });
  }
  const sorted = entries.sort((a, b) => a.date.localeCompare(b.date));
  holidayCache.set(year, sorted);
  return sorted;
}

/** Five days of Tết around the lunar new year's day `day1`: giao thừa, then mùng 1–4. */
function tetDays(day1: string): CalendarEntry[] {
  const names = ['Tết Nguyên đán (giao thừa)', 'Tết Nguyên đán (mùng 1)', 'Tết Nguyên đán (mùng 2)',
    'Tết Nguyên đán (mùng 3)', 'Tết Nguyên đán (mùng 4)'];
  return names.map((name, i) => ({ date: addDays(day1, i - 1), kind: 'holiday' as const, name, source: TET_SOURCE }));
}

/**
 * Art. 111(3): each holiday on a weekly rest day gives the next working day off. Holidays are
 * taken in date order, so a run of them (Tết over a weekend) pushes the days in lieu past the run.
 */
function daysInLieu(holidays: readonly CalendarEntry[], weekend: ReadonlySet<number>): CalendarEntry[] {
  if ([0, 1, 2, 3, 4, 5, 6].every((d) => weekend.has(d))) return [];
  const taken = new Set(holidays.map((h) => h.date));
  const out: CalendarEntry[] = [];
  for (const h of holidays) {
    if (!weekend.has(dayOfWeek(h.date))) continue;
    let date = addDays(h.date, 1);
    while (weekend.has(dayOfWeek(date)) || taken.has(date)) date = addDays(date, 1);
    taken.add(date);
    out.push({ date, kind: 'day_off', name: `Nghỉ bù ${h.name} (${h.date} trùng ngày nghỉ hằng tuần)`, source: IN_LIEU_SOURCE });
  }
  return out;
}
