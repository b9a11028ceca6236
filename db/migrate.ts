import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index.js';

/** Outcome of {@link migrateToLatest}: the names applied by this call. */
export interface MigrateOutcome {
  applied: string[];
}

/** Applies every pending migration; throws (naming the failed one) on error. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrateOutcome> {
  // Migrations are written against an untyped schema: they define it.
  const migrator = new Migrator({ db: db as unknown as Kysely<unknown>, provider: { getMigrations: async () => migrations } });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  const failed = result.results?.find((r) => r.status === 'Error');
  if (result.error || failed) {
    const name = failed?.migrationName ?? 'unknown';
    throw new Error(`migration ${name} failed: ${String(result.error)}`, { cause: result.error });
  }
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
