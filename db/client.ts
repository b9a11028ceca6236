import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database as Schema } from './schema.js';

/** The application's database handle. Repositories take it (or a transaction) as first argument. */
export type Db = Kysely<Schema>;

/** Which engine a {@link Db} runs on. */
export type Dialect = 'sqlite' | 'postgres';

/** Options for {@link createDb}. */
export interface CreateDbOptions {
  /** `postgres://…` / `postgresql://…`, or a SQLite file path / `sqlite:path` / `:memory:`. */
  url: string;
  /** PostgreSQL `search_path` to use (tests isolate themselves in a schema). */
  pgSchema?: string;
  /** PostgreSQL pool size. Default 10. */
  pgPoolSize?: number;
}

/** A database handle and what it runs on. */
export interface DbHandle {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

/** True for a URL that selects PostgreSQL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Resolves `sqlite:path` / `file:path` / a bare path to the SQLite file name. */
export function sqlitePath(url: string): string {
  return url.replace(/^(sqlite|file):(\/\/)?/i, '');
}

/** Opens the database named by `url`: PostgreSQL for `postgres://`, SQLite (WAL) otherwise. */
export function createDb(options: CreateDbOptions): DbHandle {
  if (isPostgresUrl(options.url)) {
    // int8 (COUNT, SUM) arrives as a string: every such number we read fits in a JS number.
    pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.pgPoolSize ?? 10,
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    });
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = sqlitePath(options.url);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}
