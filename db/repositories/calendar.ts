import type { Db } from '../client.js';
import type { CalendarDayKind, CalendarYearsTable } from '../schema.js';

/**
 * The stored legal calendar: `calendar_days` (official entries) and `calendar_years` (years whose
 * official schedule was imported). Building a `WorkCalendar` from this data is `src/time`'s job
 * (db/ may not import src/; see `loadCalendar` in src/import/calendar.ts).
 */

/** One official calendar entry as stored (`date` is `YYYY-MM-DD`, Asia/Ho_Chi_Minh). */
export interface CalendarDayRecord {
  date: string;
  kind: CalendarDayKind;
  name: string;
  source: string;
}

/** Everything needed to build the calendar: the official entries and the years they cover. */
export interface CalendarData {
  official: CalendarDayRecord[];
  officialYears: number[];
}

/** What {@link replaceCalendarYears} changed in `calendar_days`. */
export interface CalendarWriteCounts {
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

/** A year's import record. */
export type CalendarYearRecord = CalendarYearsTable;

const firstDay = (year: number): string => `${String(year).padStart(4, '0')}-01-01`;
const lastDay = (year: number): string => `${String(year).padStart(4, '0')}-12-31`;

/** Every official entry and every year with an official schedule (a few dozen rows a year). */
export async function loadCalendarData(db: Db): Promise<CalendarData> {
  const [days, years] = await Promise.all([
    db.selectFrom('calendar_days').select(['date', 'kind', 'name', 'source']).orderBy('date').execute(),
    db.selectFrom('calendar_years').select('year').orderBy('year').execute(),
  ]);
  return { official: days, officialYears: years.map((y) => Number(y.year)) };
}

/** True when an official schedule was imported for `year`. */
export async function hasOfficialYear(db: Db, year: number): Promise<boolean> {
  return (await loadCalendarYear(db, year)) !== undefined;
}

/** The import record of `year`, if its official schedule was imported. */
export async function loadCalendarYear(db: Db, year: number): Promise<CalendarYearRecord | undefined> {
  const row = await db.selectFrom('calendar_years').selectAll().where('year', '=', year).executeTakeFirst();
  return row && { ...row, year: Number(row.year) };
}

/** The official entries stored for `year`, by date. */
export async function loadCalendarDays(db: Db, year: number): Promise<CalendarDayRecord[]> {
  return db.selectFrom('calendar_days').select(['date', 'kind', 'name', 'source'])
    .where('date', '>=', firstDay(year)).where('date', '<=', lastDay(year)).orderBy('date').execute();
}

/**
 * Makes `rows` the complete official schedule of each year in `years` (call inside a
 * transaction): entries of those years missing from `rows` are deleted, changed ones updated,
 * new ones inserted (`created_at` = `nowIso`), identical ones left untouched; each year's
 * `calendar_years` record gets `source` and `imported_at` = `nowIso`.
 */
export async function replaceCalendarYears(
  db: Db, input: { years: readonly number[]; rows: readonly CalendarDayRecord[]; source: string; nowIso: string },
): Promise<CalendarWriteCounts> {
  const counts: CalendarWriteCounts = { inserted: 0, updated: 0, deleted: 0, unchanged: 0 };
  const wanted = new Map(input.rows.map((r) => [r.date, r]));
  for (const year of input.years) {
    const existing = await loadCalendarDays(db, year);
    const gone = existing.filter((e) => !wanted.has(e.date)).map((e) => e.date);
    if (gone.length > 0) await db.deleteFrom('calendar_days').where('date', 'in', gone).execute();
    counts.deleted += gone.length;
    for (const e of existing) {
      const w = wanted.get(e.date);
      if (!w) continue;
      if (w.kind === e.kind && w.name === e.name && w.source === e.source) { counts.unchanged += 1; continue; }
      await db.updateTable('calendar_days').set({ kind: w.kind, name: w.name, source: w.source }).where('date', '=', e.date).execute();
      counts.updated += 1;
    }
    const known = new Set(existing.map((e) => e.date));
    const fresh = input.rows.filter((r) => yearOfDate(r.date) === year && !known.has(r.date));
    if (fresh.length > 0) {
      await db.insertInto('calendar_days').values(fresh.map((r) => ({ ...pick(r), created_at: input.nowIso }))).execute();
    }
    counts.inserted += fresh.length;
    await db.deleteFrom('calendar_years').where('year', '=', year).execute();
    await db.insertInto('calendar_years').values({ year, source: input.source, imported_at: input.nowIso }).execute();
  }
  return counts;
}

function yearOfDate(date: string): number {
  return Number(date.slice(0, 4));
}

function pick(r: CalendarDayRecord): CalendarDayRecord {
  return { date: r.date, kind: r.kind, name: r.name, source: r.source };
}
