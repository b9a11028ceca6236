import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Generated } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../../db/sqlite-statement-cache.js';

interface T { items: { id: Generated<number>; name: string } }

/** A real in-memory database whose `prepare` calls are counted. */
function counted(): { db: Kysely<T>; prepares: () => number } {
  const raw = new Database(':memory:');
  let n = 0;
  const prepare = raw.prepare.bind(raw);
  raw.prepare = ((text: string) => { n += 1; return prepare(text); }) as typeof raw.prepare;
  const db = new Kysely<T>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  return { db, prepares: () => n };
}

describe('SQLite statements prepared once (withStatementCache)', () => {
  let db: Kysely<T> | undefined;
  afterEach(async () => { await db?.destroy(); });

  it('prepares a statement once however often it runs, with each run’s own parameters', async () => {
    const c = counted();
    db = c.db;
    await sql`create table items (id integer primary key, name text not null)`.execute(db);
    for (const name of ['Huế', 'Đà Nẵng', 'Hà Nội']) await db.insertInto('items').values({ name }).execute();
    const before = c.prepares();
    const names: string[] = [];
    for (const id of [1, 2, 3]) names.push((await db.selectFrom('items').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name);
    expect(names).toEqual(['Huế', 'Đà Nẵng', 'Hà Nội']);
    expect(c.prepares() - before).toBe(1);
  });

  it('runs a text again after a streamed read of it stopped early, and sees a column added since', async () => {
    const c = counted();
    db = c.db;
    await sql`create table items (id integer primary key, name text not null)`.execute(db);
    await db.insertInto('items').values([{ name: 'a' }, { name: 'b' }]).execute();
    const query = db.selectFrom('items').selectAll().orderBy('id');
    for await (const row of query.stream()) {
      expect(row.id).toBe(1);
      break;
    }
    expect((await query.execute()).map((r) => r.name)).toEqual(['a', 'b']);
    await sql`alter table items add column tag text`.execute(db);
    expect(await query.executeTakeFirst()).toEqual({ id: 1, name: 'a', tag: null });
  });
});
