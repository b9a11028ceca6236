import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../db/client.js';
import { isTransientDbError } from '../../db/errors.js';
import { MAX_PREPARED_PER_CONNECTION, PREPARED, PREPARED_MARK, prepareMarkedStatements } from '../../db/pg-prepared.js';

const url = process.env.TEST_POSTGRES_URL;

/** The named statements the server keeps for this connection. */
async function preparedOn(client: pg.PoolClient): Promise<Array<{ name: string; statement: string }>> {
  const { rows } = await client.query<{ name: string; statement: string }>('select name, statement from pg_prepared_statements order by name');
  return rows;
}

describe.runIf(url)('named statements on PostgreSQL (DATABASE_PREPARED_STATEMENTS)', () => {
  const schema = `t_prep_${randomBytes(5).toString('hex')}`;
  let admin: pg.Client;
  let pool: pg.Pool;
  let client: pg.PoolClient;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.query(`create table ${schema}.t (a integer primary key)`);
    await admin.query(`insert into ${schema}.t values (1), (2)`);
    pool = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${schema}` });
    pool.on('connect', prepareMarkedStatements);
    client = await pool.connect();
  });

  afterAll(async () => {
    client?.release();
    await pool?.end();
    await admin?.query(`drop schema if exists ${schema} cascade`);
    await admin?.end();
  });

  it('prepares a marked statement once on its connection and runs it by name after; leaves an unmarked one unnamed', async () => {
    const marked = `select a from t where a = $1${PREPARED_MARK}`;
    const first = await client.query<{ a: number }>(marked, [1]);
    const second = await client.query<{ a: number }>(marked, [2]);
    expect([first.rows, second.rows]).toEqual([[{ a: 1 }], [{ a: 2 }]]);
    await client.query('select a from t where a = $1', [1]);
    const kept = await preparedOn(client);
    expect(kept.map((s) => s.statement)).toEqual([marked]);
  });

  it(`keeps at most ${MAX_PREPARED_PER_CONNECTION} per connection; past it a marked statement still runs, unnamed`, async () => {
    for (let n = 0; n <= MAX_PREPARED_PER_CONNECTION + 5; n += 1) {
      const { rows } = await client.query<{ n: number }>(`select $1::integer + ${n} as n${PREPARED_MARK}`, [1]);
      expect(rows[0]?.n).toBe(n + 1);
    }
    expect(await preparedOn(client)).toHaveLength(MAX_PREPARED_PER_CONNECTION);
  });

  it('a table changed under a named statement: the error is transient, and the retry prepares it again', async () => {
    const other = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${schema}` });
    other.on('connect', prepareMarkedStatements);
    const c = await other.connect();
    try {
      const text = `select * from t where a = $1${PREPARED_MARK}`;
      expect((await c.query(text, [1])).rows).toEqual([{ a: 1 }]);
      await admin.query(`alter table ${schema}.t add column b text default 'x'`);
      const failed = await c.query(text, [1]).then(() => undefined, (err: unknown) => err);
      expect(failed).toBeInstanceOf(Error);
      expect(isTransientDbError(failed)).toBe(true);
      expect((await c.query(text, [1])).rows).toEqual([{ a: 1, b: 'x' }]);
    } finally {
      c.release();
      await other.end();
    }
  });
});

describe.runIf(url)('createDb: PREPARED marks statements through kysely', () => {
  let on: DbHandle;
  let off: DbHandle;

  beforeAll(() => {
    on = createDb({ url: url!, pgPoolSize: 1 });
    off = createDb({ url: url!, pgPoolSize: 1, pgPreparedStatements: false });
  });

  afterAll(async () => {
    await on?.close();
    await off?.close();
  });

  const namedStatements = async (handle: DbHandle) => {
    // One connection per pool: the statement and the view's read share it.
    const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(handle.db);
    return rows.map((r) => r.statement);
  };

  it('names the marked statement by default, and none when turned off', async () => {
    const marked = (handle: DbHandle) => sql<{ x: number }>`select ${7}::integer as x${PREPARED}`.execute(handle.db);
    expect((await marked(on)).rows).toEqual([{ x: 7 }]);
    expect((await marked(off)).rows).toEqual([{ x: 7 }]);
    expect(await namedStatements(on)).toEqual([`select $1::integer as x${PREPARED_MARK}`]);
    expect(await namedStatements(off)).toEqual([]);
  });
});
