import { Migrator, PostgresAdapter, sql, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index.js';

/** Outcome of {@link migrateToLatest}: the names applied by this call. */
export interface MigrateOutcome {
  applied: string[];
}

/** Applies every pending migration; throws (naming the failed one) on error. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrateOutcome> {
  // Migrations are written against an untyped schema: they define it.
  const untyped = db as unknown as Kysely<unknown>;
  // Branches developed side by side add migrations numbered apart (101, 301, …); each is additive
  // and independent, so a database that applied a later-numbered one first may still take an
  // earlier-numbered one that arrived with a later merge.
  const migrator = new Migrator({
    db: untyped, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true, ...(await migrationSchema(untyped)),
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  const failed = result.results?.find((r) => r.status === 'Error');
  if (result.error || failed) {
    const name = failed?.migrationName ?? 'unknown';
    throw new Error(`migration ${name} failed: ${String(result.error)}`, { cause: result.error });
  }
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/**
 * On PostgreSQL, pin kysely's bookkeeping tables to the current schema: without it the migrator
 * looks for its lock table in every schema and two schemas migrating at once confuse each other.
 */
async function migrationSchema(db: Kysely<unknown>): Promise<{ migrationTableSchema?: string }> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return {};
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ? { migrationTableSchema: rows[0].schema } : {};
}
