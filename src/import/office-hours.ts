import type { Db } from '../../db/client.js';
import { loadOrgs } from '../../db/repositories/directory-write.js';
import { updateOfficeHours } from '../../db/repositories/org-policies.js';
import { parseClockTime } from '../time/local.js';
import type { CsvTableSpec } from './csv-read.js';
import { reportDuplicates } from './plan-helpers.js';
import { createRowReader, type RowReader } from './row-reader.js';
import { toImportCounts, type CsvRow, type ImportCounts, type RowErrors, type RowOutcome } from './types.js';

/** `office-hours.csv` columns: one organisation per row. */
export const OFFICE_HOURS_CSV: CsvTableSpec = { columns: ['org_code', 'office_hours'], required: ['org_code', 'office_hours'] };

/** `07:30-11:30` (a hyphen or an en dash, spaces allowed around it). */
const PERIOD_RE = /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/;

interface Period {
  start: string;
  end: string;
}

/**
 * Reads `07:30-11:30; 13:30-17:00` into periods sorted by start, as `orgs.office_hours` stores them
 * (`src/time/office-hours.ts` reads them back). Blank is `[]`: the default hours. `null` (reported)
 * when malformed, reversed or overlapping.
 */
function readPeriods(r: RowReader): Period[] | null {
  const text = r.text('office_hours');
  if (text === null) return [];
  const periods: Array<Period & { from: number; to: number }> = [];
  for (const part of text.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = PERIOD_RE.exec(part);
    const [start, end] = [m?.[1]?.padStart(5, '0') ?? '', m?.[2]?.padStart(5, '0') ?? ''];
    const [from, to] = [parseClockTime(start), parseClockTime(end)];
    if (from === null || to === null || from >= 24 * 60) {
      r.fail((c) => c.invalidOfficeHours(text));
      return null;
    }
    if (from >= to) {
      r.fail((c) => c.officePeriodOrder(`${start}-${end}`));
      return null;
    }
    periods.push({ start, end, from, to });
  }
  periods.sort((a, b) => a.from - b.from);
  for (let i = 1; i < periods.length; i += 1) {
    const [a, b] = [periods[i - 1]!, periods[i]!];
    if (a.to > b.from) {
      r.fail((c) => c.officePeriodsOverlap(`${a.start}-${a.end}`, `${b.start}-${b.end}`));
      return null;
    }
  }
  return periods.map(({ start, end }) => ({ start, end }));
}

/**
 * Validates organisations' office hours (organisations must already exist, one row each), then sets
 * `orgs.office_hours` of the listed organisations; a blank cell restores the default hours
 * (07:30–11:30, 13:30–17:00). Organisations not in the file keep theirs.
 */
export async function importOfficeHours(db: Db, rows: readonly CsvRow[], errs: RowErrors, nowIso: string): Promise<ImportCounts | null> {
  const inputs = rows.map((row) => {
    const r = createRowReader(row, errs);
    return { line: row.line, orgCode: r.code('org_code', true), periods: readPeriods(r) };
  });
  reportDuplicates(inputs, (o) => o.orgCode, (o, first) => (c) => c.codeRepeated(o.orgCode ?? '', first), errs);
  const orgs = new Map((await loadOrgs(db)).map((o) => [o.code, o]));
  for (const { line, orgCode } of inputs) {
    if (orgCode !== null && !orgs.has(orgCode)) errs.add(line, (c) => c.orgNotImported('org_code', orgCode));
  }
  if (errs.count > 0) return null;
  const changes: Array<{ id: number; officeHours: string | null }> = [];
  const outcomes = inputs.map(({ orgCode, periods }): RowOutcome => {
    const org = orgs.get(orgCode ?? '');
    const officeHours = periods && periods.length > 0 ? JSON.stringify(periods) : null;
    if (!org || org.office_hours === officeHours) return 'unchanged';
    changes.push({ id: org.id, officeHours });
    return 'updated';
  });
  await updateOfficeHours(db, changes, nowIso);
  const counts = toImportCounts(outcomes, {});
  return { ...counts, detail: { office_hours_updated: counts.updated } };
}
