import type BetterSqlite3 from 'better-sqlite3';
import type { GroupCommitDatabase } from './sqlite-group-commit.js';

/** How many distinct statements stay prepared (the bot's working set is a few hundred; a bound on memory). */
const MAX_STATEMENTS = 1000;

/**
 * The connection as the group commit (db/sqlite-group-commit.ts) sees it, with prepared
 * statements kept and reused. kysely's driver prepared every statement again each time it ran
 * it, and on the inquiry path that
 * parsing and planning was about a tenth of the bot's CPU (a profile of the inquiry benchmark).
 * A statement still being iterated (a streamed query) is busy, so the same text then gets a fresh
 * statement instead of the cached one; SQLite re-prepares a cached statement itself after a
 * schema change (a migration).
 */
export function withStatementCache(database: BetterSqlite3.Database): GroupCommitDatabase & { close(): void } {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => { cache.clear(); database.close(); },
    exec: (sql: string) => { database.exec(sql); },
    get inTransaction() { return database.inTransaction; },
    prepare(sql: string): BetterSqlite3.Statement {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const stmt = database.prepare(sql);
      if (cached) return stmt;
      // Oldest first in a Map: past the bound, the statement prepared longest ago goes.
      if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
