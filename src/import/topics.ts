import type { Db } from '../../db/client.js';
import { loadOrgs, loadTopics, upsertTopics } from '../../db/repositories/directory-write.js';
import type { Topic } from '../../db/schema.js';
import type { CsvTableSpec } from './csv-read.js';
import { indexBy, reportDuplicates, sameFields } from './plan-helpers.js';
import { createRowReader } from './row-reader.js';
import { toImportCounts, type CsvRow, type ImportCounts, type RowErrors } from './types.js';

/** `topics.csv` columns. */
export const TOPICS_CSV: CsvTableSpec = {
  columns: ['code', 'name', 'name_en', 'org_code', 'screening', 'active'],
  required: ['code', 'name', 'org_code'],
};

interface TopicInput {
  line: number;
  code: string | null;
  orgCode: string | null;
  fields: Pick<Topic, 'name' | 'name_en' | 'screening' | 'active'>;
}

function readTopicRow(row: CsvRow, errs: RowErrors): TopicInput {
  const r = createRowReader(row, errs);
  return {
    line: row.line,
    code: r.code('code', true),
    orgCode: r.code('org_code', true),
    fields: {
      name: r.required('name'),
      name_en: r.text('name_en'),
      // Blank inherits the organisation's screening flag at routing time.
      screening: r.flag('screening', null),
      active: r.flag('active', 1) ?? 1,
    },
  };
}

/** Validates topic rows (their organisations must already exist), then upserts them by code. */
export async function importTopics(db: Db, rows: readonly CsvRow[], errs: RowErrors, nowIso: string): Promise<ImportCounts | null> {
  const inputs = rows.map((row) => readTopicRow(row, errs));
  reportDuplicates(inputs, (t) => t.code, (row, first) => (say) => say.codeRepeated(row.code ?? '', first), errs);
  const orgIdByCode = new Map((await loadOrgs(db)).map((o) => [o.code, o.id]));
  for (const t of inputs) {
    const orgCode = t.orgCode;
    if (orgCode !== null && !orgIdByCode.has(orgCode)) errs.add(t.line, (c) => c.orgNotImported('org_code', orgCode));
  }
  if (errs.count > 0) return null;
  const existing = indexBy(await loadTopics(db), (t) => t.code);
  const planned = inputs.map((t) => {
    const fields = { ...t.fields, org_id: orgIdByCode.get(t.orgCode ?? '') ?? 0 };
    const current = existing.get(t.code ?? '');
    const outcome = !current ? 'inserted' as const : sameFields(current, fields) ? 'unchanged' as const : 'updated' as const;
    return { code: t.code ?? '', fields, current, outcome };
  });
  await upsertTopics(db, planned.filter((p) => p.outcome !== 'unchanged').map((p) => ({
    code: p.code, ...p.fields, created_at: p.current?.created_at ?? nowIso, updated_at: nowIso,
  })));
  const counts = toImportCounts(planned.map((p) => p.outcome), {});
  return { ...counts, detail: { topics_inserted: counts.inserted, topics_updated: counts.updated } };
}
