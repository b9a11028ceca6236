import { performance } from 'node:perf_hooks';
import { importCsvText } from '../../src/import/index.js';
import { createCommunesCsv, createContactsCsv } from '../fixtures/import/generate.js';
import { createTestDb, testDialects } from '../helpers/db.js';

const CONTACTS = 12_000;
const COMMUNES = 3_321;

/** One benchmark measurement, as `npm run bench` prints it. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  bound: string;
}

/**
 * Wall time of importing 12,000 commune-level contacts (the national network's size) into a
 * fresh database with all 3,321 communes, then of re-importing the unchanged file; on SQLite,
 * and on PostgreSQL when `TEST_POSTGRES_URL` is set.
 */
export async function benchImport(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const contacts = createContactsCsv(CONTACTS, COMMUNES);
  for (const dialect of testDialects()) {
    const t = await createTestDb(dialect);
    try {
      const orgs = await importCsvText(t.db, 'organisations', createCommunesCsv(COMMUNES), 'communes.csv', new Date());
      if (!orgs.ok) throw new Error(orgs.errors.join('\n'));
      for (const pass of ['first import', 're-import, unchanged'] as const) {
        const started = performance.now();
        const result = await importCsvText(t.db, 'contacts', contacts, 'contacts.csv', new Date());
        const elapsedMs = performance.now() - started;
        if (!result.ok) throw new Error(result.errors.slice(0, 5).join('\n'));
        results.push({ name: `import 12,000 contacts, ${pass} (${dialect})`, value: Math.round(elapsedMs), unit: 'ms', bound: '≤ 5000 ms' });
      }
    } finally {
      await t.drop();
    }
  }
  return results;
}
