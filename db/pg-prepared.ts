import { sql, type RawBuilder } from 'kysely';
import type pg from 'pg';

/**
 * The mark a statement carries at its end to run as a named (server-side prepared) statement on
 * PostgreSQL (`DATABASE_PREPARED_STATEMENTS`, on by default). Only for statements on the inquiry
 * path whose best plan is the same for any values (point lookups by key, inserts, guarded updates
 * by id or by chat): after five runs PostgreSQL may keep one generic plan for a named statement,
 * which would be wrong for a report's date range, so statements opt in here, one by one. A comment:
 * SQLite, and PostgreSQL without the option, run the text as it is.
 */
export const PREPARED_MARK = ' /* liaison:prepared */';

/** {@link PREPARED_MARK} for kysely: `builder.modifyEnd(PREPARED)`, or `${PREPARED}` at the end of a `sql` template. */
export const PREPARED: RawBuilder<unknown> = sql.raw(PREPARED_MARK);

/** Statements one connection keeps prepared at most (server memory is per connection); texts past it run unnamed. */
export const MAX_PREPARED_PER_CONNECTION = 200;

/** PostgreSQL's answer when a prepared statement's row type changed under it (a migration added a column to a `select *`). */
const STALE_PLAN = /cached plan must not change result type/i;

/**
 * Makes each marked statement of `client` a named statement, prepared on the connection the first
 * time and only bound and executed after: PostgreSQL then skips parsing and planning it again (the
 * quick inquiry benchmark measured 95–105 → 116–134 inquiries/s sustained with the marked ones
 * named; the bot's thread waits while the server plans on the same cores). A name whose plan went stale (a
 * migration by another process changed a table under it) is forgotten on that error, so the retry
 * that a transient error gets (db/errors.ts) prepares the statement again under a new name.
 */
export function prepareMarkedStatements(client: pg.PoolClient): void {
  const names = new Map<string, string>();
  let made = 0;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const named = (text: unknown, values: unknown, callback: unknown): unknown => {
    if (typeof text !== 'string' || !Array.isArray(values) || callback !== undefined || !text.endsWith(PREPARED_MARK)) {
      return callback === undefined ? query(text, values) : query(text, values, callback);
    }
    let name = names.get(text);
    if (!name) {
      if (names.size >= MAX_PREPARED_PER_CONNECTION) return query(text, values);
      name = `liaison_${made++}`;
      names.set(text, name);
    }
    return (query({ name, text, values }) as Promise<unknown>).catch((err: unknown) => {
      if (isStalePlanError(err)) names.delete(text);
      throw err;
    });
  };
  client.query = named as typeof client.query;
}

/** True for PostgreSQL's error about a prepared statement whose row type changed under it. */
export function isStalePlanError(err: unknown): boolean {
  return err instanceof Error && STALE_PLAN.test(err.message);
}
