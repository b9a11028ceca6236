import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDb, type DbHandle, type Dialect } from '../../db/client.js';
import { migrateToLatest } from '../../db/migrate.js';

/**
 * kysely's migrator introspects tables across every schema; when another test file drops its
 * schema during that scan, PostgreSQL answers 3F000 ("schema … does not exist") or, from a
 * parallel worker of the scan, 42P01 ("relation … does not exist"); when another file's migration
 * alters a table during it, 42703 ("column … of relation … does not exist"). Only tests create,
 * migrate and drop schemas concurrently, so a retry here is the whole fix.
 */
async function migrateRetryingDroppedSchemas(db: DbHandle['db']): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await migrateToLatest(db);
      return;
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (!['3F000', '42P01', '42703'].includes(code ?? '') || attempt >= 5) throw err;
    }
  }
}

/** The dialects this run covers: SQLite always, PostgreSQL when `TEST_POSTGRES_URL` is set. */
export function testDialects(): Dialect[] {
  return process.env.TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A migrated, private database for one test file, and how to throw it away. */
export interface TestDb extends DbHandle {
  /** The URL a second process (e.g. a restarted bot) can open; for PG, use with `pgSchema`. */
  url: string;
  pgSchema?: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh migrated database: a SQLite file in a temp dir, or a unique schema in the
 * PostgreSQL database of `TEST_POSTGRES_URL`.
 */
export async function createTestDb(dialect: Dialect): Promise<TestDb> {
  if (dialect === 'postgres') {
    const url = process.env.TEST_POSTGRES_URL;
    if (!url) throw new Error('TEST_POSTGRES_URL is not set');
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const handle = createDb({ url, pgSchema: schema, pgPoolSize: 4 });
    await migrateRetryingDroppedSchemas(handle.db);
    return {
      ...handle, url, pgSchema: schema,
      drop: async () => {
        await handle.close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'liaison-test-'));
  const url = join(dir, 'test.sqlite');
  const handle = createDb({ url });
  await migrateToLatest(handle.db);
  return {
    ...handle, url,
    drop: async () => {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
