import { basename } from 'node:path';
import type { Db } from '../../db/client.js';
import { insertAudit } from '../../db/repositories/audit.js';
import {
  loadCalendarData, loadCalendarDays, loadCalendarYear, replaceCalendarYears,
  type CalendarDayRecord, type CalendarYearRecord,
} from '../../db/repositories/calendar.js';
import type { CalendarDayKind } from '../../db/schema.js';
import { readUtf8File } from './csv-read.js';
import { createWorkCalendar, type CalendarEntry, type WorkCalendar } from '../time/calendar.js';
import { dayOfWeek, LOCAL_OFFSET_MS, toLocalDate } from '../time/local.js';
import { parseCsvTable, type CsvTableSpec } from './csv-read.js';
import { createRowReader } from './row-reader.js';
import { createRowErrors, type CsvRow, type RowErrors } from './types.js';

/** The columns of a calendar file; all four are required. */
export const CALENDAR_CSV: CsvTableSpec = { columns: ['date', 'kind', 'name', 'source'], required: ['date', 'kind', 'name', 'source'] };

/** The audit action written once per successful calendar import. */
export const CALENDAR_IMPORT_ACTION = 'calendar.import';

const KINDS: readonly CalendarDayKind[] = ['holiday', 'day_off', 'makeup_workday'];
/** Years a calendar file may cover (and `showCalendar` accepts). */
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

/**
 * Outcome of a calendar import. `ok: true`: the official schedule of each of `years` was replaced
 * by the file's `rows` entries in one transaction. `ok: false`: nothing was written; each error
 * reads `file:line: lý do / reason` (Vietnamese, then English).
 */
export type CalendarImportResult = { ok: true; years: number[]; rows: number } | { ok: false; errors: string[] };

/**
 * Reads `filePath` (UTF-8, with or without BOM) and imports it with {@link importCalendarText};
 * the path as given labels errors, its base name is the recorded source. An unreadable or
 * non-UTF-8 file is an `ok: false` result, not an exception.
 */
export async function importCalendarCsv(db: Db, filePath: string, now: Date): Promise<CalendarImportResult> {
  const file = await readUtf8File(filePath);
  if (!file.ok) return file;
  return importCalendarText(db, file.text, filePath, now);
}

/**
 * Imports calendar CSV `text` (`date,kind,name,source`). The file name in `fileLabel` declares the
 * years it covers (every 4-digit year in its base name: `2026.csv`, `lich-2026-2027.csv`). The
 * whole file is validated first (real dates, kind, name and source present, no date twice, each
 * row in a declared year, each declared year with rows); then, in one transaction, the official
 * schedule of each declared year becomes exactly the file's rows, `calendar_years` records the
 * file's base name and `now`, and one `calendar.import` audit event is written. Idempotent.
 */
export async function importCalendarText(db: Db, text: string, fileLabel: string, now: Date): Promise<CalendarImportResult> {
  const errs = createRowErrors(fileLabel);
  const csvRows = parseCsvTable(text, CALENDAR_CSV, errs);
  if (csvRows === null) return { ok: false, errors: errs.list() };
  const years = declaredYears(fileLabel, errs);
  const rows = readCalendarRows(csvRows, years, errs);
  if (errs.count > 0) return { ok: false, errors: errs.list() };
  const source = basename(fileLabel);
  const nowIso = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const before = await Promise.all(years.map((y) => loadCalendarYear(trx, y)));
    const counts = await replaceCalendarYears(trx, { years, rows, source, nowIso });
    await insertAudit(trx, {
      at: nowIso, actorPersonId: null, actorIdentityId: null, action: CALENDAR_IMPORT_ACTION,
      entity: 'calendar', entityId: source,
      before: { years: before.filter((b): b is CalendarYearRecord => b !== undefined) },
      after: { years, rows: rows.length, ...counts },
    });
    return { ok: true as const, years, rows: rows.length };
  });
}

/** The years named in the file's base name; reports a file error when it names none. */
function declaredYears(fileLabel: string, errs: RowErrors): number[] {
  const found = [...basename(fileLabel).matchAll(/(?<!\d)(\d{4})(?!\d)/g)]
    .map((m) => Number(m[1])).filter((y) => y >= MIN_YEAR && y <= MAX_YEAR);
  const years = [...new Set(found)].sort((a, b) => a - b);
  if (years.length === 0) {
    errs.addFileError((c) => c.calendarNoYearInName);
  }
  return years;
}

function readCalendarRows(csvRows: readonly CsvRow[], years: readonly number[], errs: RowErrors): CalendarDayRecord[] {
  const firstLineOf = new Map<string, number>();
  const out: CalendarDayRecord[] = [];
  for (const row of csvRows) {
    const r = createRowReader(row, errs);
    const date = r.required('date') ? r.date('date') : null;
    const kind = r.oneOf('kind', KINDS, true);
    const name = r.required('name');
    const source = r.required('source');
    if (date) {
      const first = firstLineOf.get(date);
      if (first !== undefined) r.fail((c) => c.calendarDateTwice(date, first));
      else firstLineOf.set(date, row.line);
      if (years.length > 0 && !years.includes(Number(date.slice(0, 4)))) {
        r.fail((c) => c.calendarDateOutsideYears(date, years));
      }
    }
    if (!r.failed && date && kind) out.push({ date, kind, name, source });
  }
  const present = new Set(out.map((r) => Number(r.date.slice(0, 4))));
  if (csvRows.length === 0) errs.add(1, (c) => c.calendarNoRows);
  else if (errs.count === 0) {
    for (const y of years.filter((year) => !present.has(year))) {
      errs.addFileError((c) => c.calendarYearWithoutRows(y));
    }
  }
  return out;
}

/** Options of {@link loadCalendar}. */
export interface LoadCalendarOptions {
  /** Weekly rest days, 0 = Sunday … 6 = Saturday. Default Saturday and Sunday. */
  weekendDays?: readonly number[];
}

/**
 * The working calendar from the database: imported official years as stored, statutory
 * defaults for every other year. (It lives here, not in db/repositories, because db/ may not
 * import src/time.)
 */
export async function loadCalendar(db: Db, options: LoadCalendarOptions = {}): Promise<WorkCalendar> {
  const data = await loadCalendarData(db);
  return createWorkCalendar({ ...data, ...(options.weekendDays ? { weekendDays: options.weekendDays } : {}) });
}

/**
 * A readable listing (Vietnamese / English) of `year`'s holidays, days off and make-up workdays,
 * saying whether it is the imported official schedule or the statutory defaults, each entry with
 * its source. Throws `RangeError` for a year outside 1900–2199.
 */
export async function showCalendar(db: Db, year: number): Promise<string> {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`year must be a whole number from ${MIN_YEAR} to ${MAX_YEAR}, not ${year}`);
  }
  const record = await loadCalendarYear(db, year);
  const official = record ? await loadCalendarDays(db, year) : [];
  const cal = createWorkCalendar({ official, officialYears: record ? [year] : [] });
  return formatCalendarYear(year, cal.entries(year), record);
}

const KIND_LABELS: Record<CalendarDayKind, string> = {
  holiday: 'nghỉ lễ / holiday',
  day_off: 'nghỉ / day off',
  makeup_workday: 'làm bù / make-up workday',
};
const WEEKDAYS = ['CN/Sun', 'T2/Mon', 'T3/Tue', 'T4/Wed', 'T5/Thu', 'T6/Fri', 'T7/Sat'];

/** The text of {@link showCalendar} for `entries` of `year`, official when `record` is given. */
export function formatCalendarYear(year: number, entries: readonly CalendarEntry[], record: CalendarYearRecord | undefined): string {
  const lines = [`Lịch nghỉ năm ${year} / Calendar of ${year}`];
  if (record) {
    lines.push(`Lịch chính thức đã nhập / Official imported schedule: ${record.source}, ` +
      `nhập lúc / imported ${formatLocal(record.imported_at)} (giờ Việt Nam / Vietnam time)`);
  } else {
    lines.push('Mặc định theo luật / Statutory defaults (Bộ luật Lao động 2019, Điều 111–112): ' +
      `chưa nhập lịch chính thức năm ${year} / no official schedule imported for ${year} ` +
      '(liaison calendar import <file.csv>)');
  }
  lines.push('Thứ Bảy, Chủ nhật: nghỉ hằng tuần (chỉ liệt kê khi có trong lịch) / Saturdays and Sundays are weekly rest days (listed only when the schedule names them)', '');
  for (const e of entries) {
    lines.push(`${e.date}  ${(WEEKDAYS[dayOfWeek(e.date)] ?? '').padEnd(6)}  ${KIND_LABELS[e.kind].padEnd(24)}  ${e.name}`);
    lines.push(`${' '.repeat(36)}nguồn / source: ${e.source}`);
  }
  if (entries.length === 0) lines.push('(không có mục nào / no entries)');
  const off = entries.filter((e) => e.kind !== 'makeup_workday').length;
  lines.push('', `Tổng / Total: ${off} ngày nghỉ / days off, ${entries.length - off} ngày làm bù / make-up workdays`);
  return lines.join('\n');
}

/** `YYYY-MM-DD HH:mm` in Asia/Ho_Chi_Minh of an ISO instant. */
function formatLocal(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const hhmm = new Date(at.getTime() + LOCAL_OFFSET_MS).toISOString().slice(11, 16);
  return `${toLocalDate(at)} ${hhmm}`;
}
