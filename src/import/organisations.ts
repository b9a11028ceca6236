import type { Db } from '../../db/client.js';
import { loadOrgs, upsertOrgs, type NewOrg } from '../../db/repositories/directory-write.js';
import { ORG_TYPES, type Org, type OrgType } from '../../db/schema.js';
import type { CsvTableSpec } from './csv-read.js';
import { indexBy, reportDuplicates } from './plan-helpers.js';
import { createRowReader } from './row-reader.js';
import { toImportCounts, type CsvRow, type ImportCounts, type RowErrors, type RowOutcome } from './types.js';

/** `organisations.csv` columns. */
export const ORGANISATIONS_CSV: CsvTableSpec = {
  columns: ['code', 'name', 'name_en', 'type', 'parent_code', 'valid_from', 'valid_to', 'predecessor_code', 'screening'],
  required: ['code', 'name', 'type'],
};

interface OrgInput {
  line: number;
  code: string | null;
  name: string;
  nameEn: string | null;
  type: OrgType | null;
  parentCode: string | null;
  predecessorCode: string | null;
  validFrom: string | null;
  validTo: string | null;
  screening: number;
}
type ValidOrg = OrgInput & { code: string; type: OrgType };

function readOrgRow(row: CsvRow, errs: RowErrors): OrgInput {
  const r = createRowReader(row, errs);
  return {
    line: row.line,
    code: r.code('code', true),
    name: r.required('name'),
    nameEn: r.text('name_en'),
    type: r.oneOf('type', ORG_TYPES, true),
    parentCode: r.code('parent_code', false),
    predecessorCode: r.code('predecessor_code', false),
    ...r.validity(),
    screening: r.flag('screening', 0) ?? 0,
  };
}

/**
 * Validates organisation rows against the file and the database (references, cycles), then
 * upserts them by code. References may point to rows later in the same file. Returns `null`
 * (having written nothing) when any row is bad.
 */
export async function importOrganisations(db: Db, rows: readonly CsvRow[], errs: RowErrors, nowIso: string): Promise<ImportCounts | null> {
  const inputs = rows.map((row) => readOrgRow(row, errs));
  reportDuplicates(inputs, (o) => o.code, (row, first) => (say) => say.codeRepeated(row.code ?? '', first), errs);
  const existing = await loadOrgs(db);
  checkOrgLinks(inputs, existing, errs);
  if (errs.count > 0) return null;
  return writeOrgs(db, inputs as ValidOrg[], existing, nowIso);
}

function checkOrgLinks(inputs: readonly OrgInput[], existing: readonly Org[], errs: RowErrors): void {
  const codeById = new Map(existing.map((o) => [o.id, o.code]));
  const parentOf = new Map(existing.map((o) => [o.code, o.parent_id === null ? null : codeById.get(o.parent_id) ?? null]));
  const predecessorOf = new Map(existing.map((o) => [o.code, o.predecessor_id === null ? null : codeById.get(o.predecessor_id) ?? null]));
  for (const o of inputs) {
    if (o.code === null) continue;
    parentOf.set(o.code, o.parentCode);
    predecessorOf.set(o.code, o.predecessorCode);
  }
  for (const o of inputs) {
    for (const [col, ref] of [['parent_code', o.parentCode], ['predecessor_code', o.predecessorCode]] as const) {
      if (ref !== null && !parentOf.has(ref)) errs.add(o.line, (c) => c.refMissing(col, ref));
    }
    if (o.code === null) continue;
    const parentLoop = findLoop(o.code, parentOf);
    if (parentLoop) errs.add(o.line, (c) => c.orgTreeCycle(parentLoop));
    const predecessorLoop = findLoop(o.code, predecessorOf);
    if (predecessorLoop) errs.add(o.line, (c) => c.predecessorCycle(predecessorLoop));
  }
}

/** The path from `start` back to itself along `next`, or `null` when the chain ends. */
function findLoop(start: string, next: ReadonlyMap<string, string | null>): string[] | null {
  const path = [start];
  const seen = new Set(path);
  let current = next.get(start) ?? null;
  while (current !== null) {
    path.push(current);
    if (current === start) return path;
    // A loop further up does not involve this row; that loop's own rows report it.
    if (seen.has(current)) return null;
    seen.add(current);
    current = next.get(current) ?? null;
  }
  return null;
}

async function writeOrgs(db: Db, inputs: readonly ValidOrg[], existing: readonly Org[], nowIso: string): Promise<ImportCounts> {
  const byCode = indexBy(existing, (o) => o.code);
  const codeById = new Map(existing.map((o) => [o.id, o.code]));
  const idByCode = new Map(existing.map((o) => [o.code, o.id]));
  const outcomes: RowOutcome[] = inputs.map((o) => compareOrg(o, byCode.get(o.code), codeById));
  const toWrite = inputs.filter((_, i) => outcomes[i] !== 'unchanged');
  const toRow = (o: ValidOrg): NewOrg => ({
    code: o.code, name: o.name, name_en: o.nameEn, type: o.type,
    parent_id: o.parentCode === null ? null : idByCode.get(o.parentCode) ?? null,
    predecessor_id: o.predecessorCode === null ? null : idByCode.get(o.predecessorCode) ?? null,
    valid_from: o.validFrom, valid_to: o.validTo, screening: o.screening,
    created_at: byCode.get(o.code)?.created_at ?? nowIso, updated_at: nowIso,
  });
  const unresolved = toWrite.filter((o) => [o.parentCode, o.predecessorCode].some((c) => c !== null && !idByCode.has(c)));
  for (const written of await upsertOrgs(db, toWrite.map(toRow))) idByCode.set(written.code, written.id);
  // Rows pointing at organisations created by this same file get their links once those exist.
  await upsertOrgs(db, unresolved.map(toRow));
  const counts = toImportCounts(outcomes, {});
  return { ...counts, detail: { orgs_inserted: counts.inserted, orgs_updated: counts.updated } };
}

function compareOrg(o: ValidOrg, current: Org | undefined, codeById: ReadonlyMap<number, string>): RowOutcome {
  if (!current) return 'inserted';
  const codeOf = (id: number | null): string | null => (id === null ? null : codeById.get(id) ?? null);
  const same = current.name === o.name && current.name_en === o.nameEn && current.type === o.type
    && codeOf(current.parent_id) === o.parentCode && codeOf(current.predecessor_id) === o.predecessorCode
    && current.valid_from === o.validFrom && current.valid_to === o.validTo && current.screening === o.screening;
  return same ? 'unchanged' : 'updated';
}
