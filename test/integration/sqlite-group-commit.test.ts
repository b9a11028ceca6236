/**
 * SQLite group commit (db/sqlite-group-commit.ts): writes of everyone who runs in one turn share
 * one COMMIT, nobody is told "done" before the COMMIT, and one caller's failure stays its own
 * unless the COMMIT itself fails, which fails everyone in the batch.
 */
import Database from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteLanes, type SqliteLanes } from '../../db/sqlite-lanes.js';

interface Setup {
  file: string;
  lanes: SqliteLanes;
  db: Kysely<unknown>;
  priority: Kysely<unknown>;
  /** Another connection to the same file: sees only what is committed. */
  outside: Database.Database;
}

let dir: string;
let s: Setup | undefined;

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'group-commit-')); });
afterEach(async () => {
  s?.outside.close();
  await Promise.all([s?.db.destroy(), s?.priority.destroy()]);
  s = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<Setup> {
  const file = join(dir, 'g.db');
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.exec(`create table parent (id integer primary key);
    create table t (id integer primary key autoincrement, what text not null unique,
      parent_id integer references parent (id) deferrable initially deferred)`);
  const lanes = createSqliteLanes(database, 5000);
  const setup = { file, lanes, db: new Kysely<unknown>({ dialect: lanes.normal }), priority: new Kysely<unknown>({ dialect: lanes.priority }), outside: new Database(file, { readonly: true }) };
  s = setup;
  return setup;
}

const insert = (db: Kysely<unknown>, what: string, parentId: number | null = null) =>
  sql`insert into t (what, parent_id) values (${what}, ${parentId})`.execute(db);
const committed = (g: Setup) => (g.outside.prepare('select what from t order by id').all() as Array<{ what: string }>).map((r) => r.what);
const turn = () => new Promise((r) => setImmediate(r));

describe('SQLite group commit', () => {
  it('commits the writes of one turn together, and reports each only once committed', async () => {
    const g = await open();
    const before = g.lanes.commits();
    let settled = 0;
    const writes = ['a', 'b', 'c', 'd'].map((w) => insert(g.db, w).then(() => { settled += 1; }));
    const inTx = g.db.transaction().execute(async (tx) => { await insert(tx, 'e'); await insert(tx, 'f'); });
    // Microtasks only: every statement has run, none is committed or reported done.
    for (let i = 0; i < 50; i += 1) await Promise.resolve();
    expect(settled).toBe(0);
    expect(committed(g)).toEqual([]);
    await Promise.all([...writes, inTx]);
    expect(committed(g)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(g.lanes.commits() - before).toBe(1);
  });

  it('runs a read alone and at once when nothing is pending', async () => {
    const g = await open();
    await insert(g.db, 'a');
    const before = g.lanes.commits();
    const rows = await sql<{ n: number }>`select count(*) as n from t`.execute(g.db);
    expect(rows.rows[0]!.n).toBe(1);
    expect(g.lanes.commits()).toBe(before);
  });

  it('fails only the statement that failed; the rest of the batch commits', async () => {
    const g = await open();
    await insert(g.db, 'taken');
    const results = await Promise.allSettled([insert(g.db, 'x'), insert(g.db, 'taken'), insert(g.db, 'y')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(committed(g)).toEqual(['taken', 'x', 'y']);
  });

  it('undoes a failed transaction alone, keeping the batch it shared', async () => {
    const g = await open();
    const plain = insert(g.db, 'kept before');
    const failed = g.db.transaction().execute(async (tx) => {
      await insert(tx, 'undone');
      throw new Error('abandon');
    });
    const after = insert(g.priority, 'kept after');
    await expect(failed).rejects.toThrow('abandon');
    await Promise.all([plain, after]);
    expect(committed(g)).toEqual(['kept before', 'kept after']);
  });

  it('fails every writer in the batch when its COMMIT fails, and keeps none of it', async () => {
    const g = await open();
    // A deferred foreign key is checked at COMMIT: this row makes the batch's COMMIT fail.
    const results = await Promise.allSettled([insert(g.db, 'a'), insert(g.db, 'orphan', 42), insert(g.priority, 'b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const r of results) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    expect(committed(g)).toEqual([]);
    // The next batch is a fresh one.
    await insert(g.db, 'c');
    expect(committed(g)).toEqual(['c']);
  });

  it('answers a read while a batch is open at once, from what is committed', async () => {
    const g = await open();
    await insert(g.db, 'a');
    let written = false;
    const write = insert(g.db, 'b').then(() => { written = true; });
    const count = async () => (await sql<{ n: number }>`select count(*) as n from t`.execute(g.priority)).rows[0]!.n;
    // The batch holding 'b' is open: the read neither sees it nor waits for its COMMIT.
    expect(await count()).toBe(1);
    expect(written).toBe(false);
    await write;
    expect(await count()).toBe(2);
  });

  it('commits what is pending when the handles are closed', async () => {
    const g = await open();
    const pending = insert(g.db, 'last');
    await Promise.all([g.db.destroy(), g.priority.destroy()]);
    await pending;
    expect(committed(g)).toEqual(['last']);
  });

  it('lets another handle on the file wait for a batch without blocking the thread, or give up after its busy timeout', async () => {
    const g = await open();
    const second = (busyTimeoutMs: number) => {
      const database = new Database(g.file);
      database.pragma(`busy_timeout = ${busyTimeoutMs}`);
      const lanes = createSqliteLanes(database, busyTimeoutMs);
      return new Kysely<unknown>({ dialect: lanes.normal });
    };
    const patient = second(5000);
    const hasty = second(30);
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      // The first handle's transaction holds the file's write lock until its timer fires.
      const holder = g.db.transaction().execute(async (tx) => {
        await insert(tx, 'first');
        await gate;
      });
      await turn();
      const waited = insert(patient, 'second');
      const gaveUp = insert(hasty, 'third');
      // A thread blocked in SQLite's own busy wait would never run this timer, nor the first COMMIT.
      setTimeout(release, 100);
      await expect(gaveUp).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
      await Promise.all([holder, waited]);
      expect(committed(g)).toEqual(['first', 'second']);
    } finally {
      await Promise.all([patient.destroy(), hasty.destroy()]);
    }
  });

  it('keeps several turns of work apart: one COMMIT per turn with writes', async () => {
    const g = await open();
    const before = g.lanes.commits();
    await insert(g.db, 'a');
    await turn();
    await insert(g.db, 'b');
    expect(g.lanes.commits() - before).toBe(2);
    expect(committed(g)).toEqual(['a', 'b']);
  });
});
