import type { Db } from '../../db/client.js';
import { loadOutlets, upsertOutlets } from '../../db/repositories/directory-write.js';
import type { CsvTableSpec } from './csv-read.js';
import { indexBy, reportDuplicates } from './plan-helpers.js';
import { createRowReader } from './row-reader.js';
import { toImportCounts, type CsvRow, type ImportCounts, type RowErrors } from './types.js';

/** `outlets.csv` columns. */
export const OUTLETS_CSV: CsvTableSpec = { columns: ['code', 'name'], required: ['code', 'name'] };

/** Validates press-outlet rows, then upserts them by code. */
export async function importOutlets(db: Db, rows: readonly CsvRow[], errs: RowErrors, nowIso: string): Promise<ImportCounts | null> {
  const inputs = rows.map((row) => {
    const r = createRowReader(row, errs);
    return { line: row.line, code: r.code('code', true), name: r.required('name') };
  });
  reportDuplicates(inputs, (o) => o.code, (row, first) => (say) => say.codeRepeated(row.code ?? '', first), errs);
  if (errs.count > 0) return null;
  const existing = indexBy(await loadOutlets(db), (o) => o.code);
  const planned = inputs.map((o) => {
    const current = existing.get(o.code ?? '');
    const outcome = !current ? 'inserted' as const : current.name === o.name ? 'unchanged' as const : 'updated' as const;
    return { code: o.code ?? '', name: o.name, created_at: current?.created_at ?? nowIso, outcome };
  });
  await upsertOutlets(db, planned.filter((p) => p.outcome !== 'unchanged')
    .map((p) => ({ code: p.code, name: p.name, created_at: p.created_at, updated_at: nowIso })));
  const counts = toImportCounts(planned.map((p) => p.outcome), {});
  return { ...counts, detail: { outlets_inserted: counts.inserted, outlets_updated: counts.updated } };
}
