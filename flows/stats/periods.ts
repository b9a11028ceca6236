/**
 * The periods figures are read for: whole local days (Asia/Ho_Chi_Minh), `from` and `to` inclusive.
 * Pure date arithmetic on `YYYY-MM-DD` strings.
 */

/** A period of local days, both ends included. */
export interface DayRange {
  from: string;
  to: string;
}

/** The named periods the dashboard offers; `range` takes explicit dates. */
export type PeriodKind = 'year' | 'month' | '7d' | 'range';
export const PERIOD_KINDS: readonly PeriodKind[] = ['year', 'month', '7d', 'range'];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isDay(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** `day` moved by `n` days. */
export function shiftDay(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The last day of the month of `day`. */
export function monthEnd(day: string): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

/**
 * Decree 244 Art. 10's reporting year `year`: 15 December of the year before to 14 December of
 * `year` (reported before 20 December).
 */
export function reportingYear(year: number): DayRange {
  return { from: `${year - 1}-12-15`, to: `${year}-12-14` };
}

/** The reporting year that contains `today` (from 15 December it is next year's). */
export function reportingYearOf(today: string): number {
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= '12-15' ? year + 1 : year;
}

/** The period of a named kind on `today`: the reporting year, this month, or the last 7 days (today included). */
export function namedPeriod(kind: Exclude<PeriodKind, 'range'>, today: string): DayRange {
  if (kind === 'year') return reportingYear(reportingYearOf(today));
  if (kind === 'month') return { from: `${today.slice(0, 7)}-01`, to: monthEnd(today) };
  return { from: shiftDay(today, -6), to: today };
}

/** Longest explicit range accepted, in days (ten years). */
export const MAX_RANGE_DAYS = 3_660;

/** Days from `from` to `to`, both included. */
export function rangeDays(r: DayRange): number {
  return Math.round((Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * Reads a period from query values: `period` = year | month | 7d (default year), or range with
 * `from` and `to`. Undefined when malformed (unknown kind, bad dates, `from` after `to`, too long).
 */
export function parsePeriod(q: { period?: string | undefined; from?: string | undefined; to?: string | undefined }, today: string): (DayRange & { kind: PeriodKind }) | undefined {
  const kind = (q.period ?? 'year') as PeriodKind;
  if (!PERIOD_KINDS.includes(kind)) return undefined;
  if (kind !== 'range') return { kind, ...namedPeriod(kind, today) };
  if (!q.from || !q.to || !isDay(q.from) || !isDay(q.to) || q.from > q.to) return undefined;
  const range = { from: q.from, to: q.to };
  return rangeDays(range) > MAX_RANGE_DAYS ? undefined : { kind, ...range };
}

/** Monday of the ISO week of `day`. */
export function weekStart(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return shiftDay(day, -((dow + 6) % 7));
}
