import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database as Schema } from './schema.js';
import { prepareMarkedStatements } from './pg-prepared.js';
import { createSqliteLanes } from './sqlite-lanes.js';
import { DEFAULT_PG_POOL_SIZE, PRIORITY_POOL_MAX } from './pool-sizes.js';

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
  /** PostgreSQL: most connections of the main pool ({@link DEFAULT_PG_POOL_SIZE} unless given); the priority pool has up to {@link PRIORITY_POOL_MAX}, never more. */
  pgPoolSize?: number;
  /**
   * PostgreSQL: run the statements marked `PREPARED` (db/pg-prepared.ts) as named (server-side prepared)
   * statements on each connection. Default true; false behind a pooler in transaction mode that
   * cannot keep them (PgBouncer before 1.21, or with `max_prepared_statements = 0`).
   */
  pgPreparedStatements?: boolean;
  /**
   * PostgreSQL `application_name` of every connection (shown in `pg_stat_activity`), unless the URL
   * sets `?application_name=`, which wins. Default `liaison`.
   */
  applicationName?: string;
  /** Longest wait for a new PostgreSQL connection, in ms. Default 5,000 (then the statement fails as a connection error). */
  pgConnectTimeoutMs?: number;
  /** SQLite: how long a statement waits for a lock held by another process, in ms. Default 5,000. */
  sqliteBusyTimeoutMs?: number;
  /**
   * A PostgreSQL connection failed while nobody was using it (the server restarted, the backend
   * was terminated, a pooler closed it). The pool has already dropped it and opens another on
   * demand; this is for a log line. Without it such errors are ignored (never a crash).
   */
  onConnectionError?(err: Error): void;
  /**
   * Open for reading only: SQLite's file read-only (it must exist; no pragma that writes), every
   * PostgreSQL transaction read-only. For a second connection to the application's database
   * (the annual report's worker thread). Default false.
   */
  readOnly?: boolean;
}

/** What another thread needs to open the same database: its URL and, for PostgreSQL, the `search_path` schema. */
export interface DbSource {
  url: string;
  pgSchema?: string;
}

/** A database handle and what it runs on. */
export interface DbHandle {
  db: Db;
  /**
   * The same database, for short statements on a request path (storing an inbound event before
   * its ack, the health probe): they do not queue behind the work queued on `db`. SQLite: they go
   * ahead of every statement and transaction waiting for the one connection. PostgreSQL: a pool
   * of their own, of up to {@link PRIORITY_POOL_MAX} connections (never more than the main one).
   */
  priority: Db;
  dialect: Dialect;
  /** How to open this database again from another thread (see {@link CreateDbOptions.readOnly}). */
  source: DbSource;
  /**
   * How many statements this process has sent to the database through `db` and `priority`
   * since it opened them, BEGIN and COMMIT included (each is one round trip on PostgreSQL; on
   * SQLite, each transaction's savepoint and release, while the batches' shared COMMITs are
   * counted by {@link commits}), failed ones too. For `/metrics` (`db_statements_total`) and the benchmark's round trips per inquiry.
   */
  statements(): number;
  /** SQLite: the COMMITs its group commit sent so far (db/sqlite-group-commit.ts); absent on PostgreSQL. */
  commits?(): number;
  /** Resolves when the database answers a trivial query within `timeoutMs` (default 2,000 ms); rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
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
  return isPostgresUrl(options.url) ? createPostgres(options) : createSqlite(options);
}

function createPostgres(options: CreateDbOptions): DbHandle {
  // int8 (COUNT, SUM) arrives as a string: every such number we read fits in a JS number.
  pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  const serverOptions = [
    ...(options.pgSchema ? [`-c search_path=${options.pgSchema}`] : []),
    ...(options.readOnly ? ['-c default_transaction_read_only=on'] : []),
  ];
  const makePool = (max: number) => {
    const pool = new pg.Pool({
      connectionString: options.url,
      max,
      application_name: options.applicationName ?? 'liaison',
      connectionTimeoutMillis: options.pgConnectTimeoutMs ?? 5000,
      // A dead peer (no FIN: a failover, a dropped NAT entry) is noticed instead of waited on forever.
      keepAlive: true,
      ...(serverOptions.length > 0 ? { options: serverOptions.join(' ') } : {}),
    });
    watchConnections(pool, options.onConnectionError);
    if (options.pgPreparedStatements ?? true) pool.on('connect', prepareMarkedStatements);
    return pool;
  };
  const size = options.pgPoolSize ?? DEFAULT_PG_POOL_SIZE;
  const counter = createStatementCounter();
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: makePool(size) }), log: counter.log });
  // Idle connections close after pg's 10 s, so at rest it holds one or none.
  const priority = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: makePool(Math.min(size, PRIORITY_POOL_MAX)) }), log: counter.log });
  return {
    db, priority, dialect: 'postgres', statements: counter.count, source: sourceOf(options),
    ping: (timeoutMs) => withTimeout(sql`select 1`.execute(priority).then(() => undefined), timeoutMs ?? 2000),
    close: async () => { await Promise.all([db.destroy(), priority.destroy()]); },
  };
}

function sourceOf(options: CreateDbOptions): DbSource {
  return { url: options.url, ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}) };
}

/**
 * pg emits `error` on the pool when an idle connection dies, and on the client when a checked-out
 * connection dies between queries (inside a transaction, while the flow awaits something else).
 * Unhandled, either ends the process; handled, the query in progress (or the next one) fails with
 * a connection error, which callers retry, and the pool replaces the connection.
 */
function watchConnections(pool: pg.Pool, onError: ((err: Error) => void) | undefined): void {
  // An idle connection's error reaches both listeners: report each connection once.
  const reported = new WeakSet<pg.PoolClient | pg.Client>();
  const report = (client: pg.PoolClient | pg.Client, err: Error) => {
    if (reported.has(client)) return;
    reported.add(client);
    try {
      onError?.(err);
    } catch {
      // A logging failure must not turn a handled error into a crash.
    }
  };
  pool.on('error', (err, client) => report(client, err));
  pool.on('connect', (client) => { client.on('error', (err) => report(client, err)); });
}

function createSqlite(options: CreateDbOptions): DbHandle {
  const file = sqlitePath(options.url);
  if (file !== ':memory:' && !options.readOnly) mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file, options.readOnly ? { readonly: true, fileMustExist: true } : {});
  if (!options.readOnly) {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
  }
  const busyTimeoutMs = Math.max(0, Math.round(options.sqliteBusyTimeoutMs ?? 5000));
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  const lanes = createSqliteLanes(sqlite, busyTimeoutMs);
  const counter = createStatementCounter();
  // Each holder of the lock gets a connection object of its own (db/sqlite-lanes.ts), which
  // kysely wraps for the log of the handle it came through: each statement is counted once.
  const db = new Kysely<Schema>({ dialect: lanes.normal, log: counter.log });
  const priority = new Kysely<Schema>({ dialect: lanes.priority, log: counter.log });
  return {
    db, priority, dialect: 'sqlite', statements: () => counter.count() + lanes.controlStatements(), commits: lanes.commits, source: sourceOf(options),
    // Reads the schema, so a file that cannot be read (deleted folder, locked by another process) fails.
    ping: (timeoutMs) => withTimeout(sql`select count(*) from sqlite_master`.execute(priority).then(() => undefined), timeoutMs ?? 2000),
    close: async () => { await Promise.all([db.destroy(), priority.destroy()]); },
  };
}

/** Counts statements through kysely's `log` hook (called after each statement, with its outcome). */
function createStatementCounter(): { log: () => void; count: () => number } {
  let count = 0;
  return { log: () => { count += 1; }, count: () => count };
}

/** Rejects when `promise` has not settled within `ms` (the work itself is not cancelled). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    // ETIMEDOUT: a database that does not answer is unavailable like one that refuses (db/errors.ts).
    timer = setTimeout(() => reject(Object.assign(new Error(`the database did not answer within ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
