import type { Db } from '../../db/client.js';
import { loadOrgs } from '../../db/repositories/directory-write.js';
import {
  insertDeadlineOverrides, loadDeadlineOverrides, updateDeadlineOverrides, type DeadlineOverrideUpdate, type NewDeadlineOverride,
} from '../../db/repositories/org-policies.js';
import { DEADLINE_CLASSES, type DeadlineClass, type DeadlineOverride, type PeriodUnit } from '../../db/schema.js';
import type { CsvTableSpec } from './csv-read.js';
import { reportDuplicates } from './plan-helpers.js';
import { createRowReader, type RowReader } from './row-reader.js';
import { toImportCounts, type CsvRow, type ImportCounts, type RowErrors, type RowOutcome } from './types.js';

/** `deadline-overrides.csv` columns: one agency's own period for one deadline class per row. */
export const DEADLINE_OVERRIDES_CSV: CsvTableSpec = {
  columns: ['org_code', 'deadline_class', 'amount', 'unit', 'legal_basis', 'valid_from', 'valid_to'],
  required: ['org_code', 'deadline_class', 'amount', 'unit', 'legal_basis'],
};

const UNITS: readonly PeriodUnit[] = ['hours', 'days', 'working_days'];
/** The longest period an override may give, per unit: a year, however counted. */
const MAX_AMOUNT: Readonly<Record<PeriodUnit, number>> = { hours: 8_760, days: 366, working_days: 260 };

interface OverrideInput {
  line: number;
  orgCode: string | null;
  deadlineClass: DeadlineClass | null;
  amount: number | null;
  unit: PeriodUnit | null;
  legalBasis: string;
  validFrom: string | null;
  validTo: string | null;
}
type ValidOverride = OverrideInput & { orgCode: string; deadlineClass: DeadlineClass; amount: number; unit: PeriodUnit };

function readOverrideRow(row: CsvRow, errs: RowErrors): OverrideInput {
  const r = createRowReader(row, errs);
  const unit = r.oneOf('unit', UNITS, true);
  return {
    line: row.line,
    orgCode: r.code('org_code', true),
    deadlineClass: r.oneOf('deadline_class', DEADLINE_CLASSES, true),
    amount: readAmount(r, unit),
    unit,
    legalBasis: r.required('legal_basis'),
    ...r.validity(),
  };
}

/** A whole number of `unit`s from 1 to a year's worth; `null` (reported) otherwise. */
function readAmount(r: RowReader, unit: PeriodUnit | null): number | null {
  const text = r.required('amount');
  if (text === '') return null;
  const max = MAX_AMOUNT[unit ?? 'hours'];
  const amount = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(amount >= 1 && amount <= max)) {
    r.fail((c) => c.invalidAmount('amount', text, max));
    return null;
  }
  return amount;
}

/** The row's identity: an organisation's period for a class from a date (the same key as in the database). */
function keyOf(orgId: number | string, deadlineClass: string, validFrom: string | null): string {
  return `${orgId}|${deadlineClass}|${validFrom ?? ''}`;
}

/**
 * Validates agencies' own deadline periods (organisations must already exist; one row per
 * organisation, class and `valid_from`), then inserts new ones and updates changed ones in place.
 * Nothing is deleted: end a period by giving it a `valid_to`.
 */
export async function importDeadlineOverrides(db: Db, rows: readonly CsvRow[], errs: RowErrors, nowIso: string): Promise<ImportCounts | null> {
  const inputs = rows.map((row) => readOverrideRow(row, errs));
  reportDuplicates(inputs, (o) => (o.orgCode && o.deadlineClass ? keyOf(o.orgCode, o.deadlineClass, o.validFrom) : null),
    (o, first) => (c) => c.overrideRepeated(o.orgCode ?? '', o.deadlineClass ?? '', o.validFrom, first), errs);
  const orgIdByCode = new Map((await loadOrgs(db)).map((o) => [o.code, o.id]));
  for (const { line, orgCode } of inputs) {
    if (orgCode !== null && !orgIdByCode.has(orgCode)) errs.add(line, (c) => c.orgNotImported('org_code', orgCode));
  }
  if (errs.count > 0) return null;
  const existing = new Map<string, DeadlineOverride>();
  // Rows added by hand may share a key; the oldest is the one the import maintains.
  for (const o of (await loadDeadlineOverrides(db)).reverse()) existing.set(keyOf(o.org_id, o.deadline_class, o.valid_from), o);
  const inserts: NewDeadlineOverride[] = [];
  const updates: DeadlineOverrideUpdate[] = [];
  const outcomes = (inputs as ValidOverride[]).map((o): RowOutcome => {
    const orgId = orgIdByCode.get(o.orgCode) ?? 0;
    const current = existing.get(keyOf(orgId, o.deadlineClass, o.validFrom));
    const fields = { amount: o.amount, unit: o.unit, legal_basis: o.legalBasis, valid_to: o.validTo };
    if (!current) {
      inserts.push({ org_id: orgId, deadline_class: o.deadlineClass, valid_from: o.validFrom, ...fields, created_at: nowIso, updated_at: nowIso });
      return 'inserted';
    }
    const same = current.amount === fields.amount && current.unit === fields.unit
      && current.legal_basis === fields.legal_basis && current.valid_to === fields.valid_to;
    if (same) return 'unchanged';
    updates.push({ id: current.id, ...fields, updated_at: nowIso });
    return 'updated';
  });
  await insertDeadlineOverrides(db, inserts);
  await updateDeadlineOverrides(db, updates);
  const counts = toImportCounts(outcomes, {});
  return { ...counts, detail: { overrides_inserted: counts.inserted, overrides_updated: counts.updated } };
}
