/**
 * Throw-away databases and Redis prefixes for a bot child process: a SQLite file in a temp dir,
 * or a fresh PostgreSQL database (`CREATE DATABASE bench_<random>`) on the server of
 * `TEST_POSTGRES_URL`, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { Dialect } from '../../db/client.js';

/** The PostgreSQL server the tests use unless `TEST_POSTGRES_URL` says otherwise. */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A database a bot process can be pointed at with `DATABASE_URL`, and how to remove it. */
export interface BenchDatabase {
  dialect: Dialect;
  /** Shown in row names: `SQLite` or `PostgreSQL`. */
  label: string;
  url: string;
  drop(): Promise<void>;
}

/** The PostgreSQL server URL to use, or `undefined` when none is configured and the default does not answer. */
export async function findPostgres(): Promise<string | undefined> {
  const configured = process.env.TEST_POSTGRES_URL;
  if (configured) return configured;
  const client = new pg.Client({ connectionString: DEFAULT_POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return DEFAULT_POSTGRES_URL;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A SQLite file inside `dir` (the file is removed with the directory). */
export function sqliteDatabase(dir: string): BenchDatabase {
  return { dialect: 'sqlite', label: 'SQLite', url: join(dir, 'bench.sqlite'), drop: () => Promise.resolve() };
}

/** Creates an empty database `bench_<random>` on the server of `serverUrl`. */
export async function createPostgresDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    dialect: 'postgres', label: 'PostgreSQL', url: url.toString(),
    // FORCE (PostgreSQL 13+) ends connections a killed bot may have left behind.
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Database `name` on the server of `serverUrl`, created when missing and kept (a seeded bench database reused across runs). */
export async function keptPostgresDatabase(serverUrl: string, name: string): Promise<BenchDatabase> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { dialect: 'postgres', label: 'PostgreSQL', url: url.toString(), drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A BullMQ key prefix private to one bench run. */
export function benchPrefix(): string {
  return `bench-${randomBytes(4).toString('hex')}`;
}
