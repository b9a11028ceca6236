/**
 * The SQLite priority lane (fault 7 of issue #10): a statement on `priority` waits for the
 * transaction holding the one connection, never for the statements and transactions queued
 * behind it on `db`.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createPriorityLock } from '../../db/sqlite-lanes.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const giveUpAt = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('priority lock', () => {
  it('hands the lock to priority waiters first, each queue in arrival order', async () => {
    const lock = createPriorityLock();
    const order: string[] = [];
    await lock.acquire('normal');
    const waits = [['n1', 'normal'], ['p1', 'priority'], ['n2', 'normal'], ['p2', 'priority']] as const;
    const done = waits.map(([name, lane]) => lock.acquire(lane).then(() => { order.push(name); lock.release(); }));
    expect(lock.waiting()).toEqual({ normal: 2, priority: 2 });
    lock.release();
    await Promise.all(done);
    expect(order).toEqual(['p1', 'p2', 'n1', 'n2']);
    expect(lock.waiting()).toEqual({ normal: 0, priority: 0 });
  });
});

describe('SQLite lanes over one connection', () => {
  let t: TestDb | undefined;
  afterEach(async () => { await t?.drop(); });

  it('runs a priority insert right after the transaction in progress, ahead of the queued ones', async () => {
    t = await createTestDb('sqlite');
    const db = t.db;
    await sql`create table lane_log (id integer primary key autoincrement, what text not null)`.execute(db);
    const gate = deferred();
    let inside = false;
    const holder = db.transaction().execute(async (tx) => {
      await sql`insert into lane_log (what) values ('holder')`.execute(tx);
      inside = true;
      await gate.promise;
    });
    await until(() => inside, 'the first transaction to hold the connection');
    const queued = [1, 2, 3].map((i) => db.transaction().execute(async (tx) => {
      await sql`insert into lane_log (what) values (${`queued ${i}`})`.execute(tx);
    }));
    const plain = sql`insert into lane_log (what) values ('queued plain')`.execute(db);
    const urgent = sql`insert into lane_log (what) values ('priority')`.execute(t.priority);
    // kysely reaches the lock after a few microtasks; one turn of the event loop has them all waiting.
    await new Promise((r) => setImmediate(r));
    gate.resolve();
    await Promise.all([holder, ...queued, plain, urgent]);
    const rows = await sql<{ what: string }>`select what from lane_log order by id`.execute(db);
    expect(rows.rows.map((r) => r.what)).toEqual(['holder', 'priority', 'queued 1', 'queued 2', 'queued 3', 'queued plain']);
  });

  it('keeps transactions whole: a priority statement never lands inside another transaction', async () => {
    t = await createTestDb('sqlite');
    const db = t.db;
    await sql`create table lane_log (id integer primary key autoincrement, what text not null)`.execute(db);
    const gate = deferred();
    let inside = false;
    const rolledBack = db.transaction().execute(async (tx) => {
      await sql`insert into lane_log (what) values ('rolled back')`.execute(tx);
      inside = true;
      await gate.promise;
      throw new Error('abandon');
    });
    await until(() => inside, 'the transaction to hold the connection');
    const urgent = sql`insert into lane_log (what) values ('priority')`.execute(t.priority);
    gate.resolve();
    await expect(rolledBack).rejects.toThrow('abandon');
    await urgent;
    const rows = await sql<{ what: string }>`select what from lane_log order by id`.execute(db);
    expect(rows.rows.map((r) => r.what)).toEqual(['priority']);
  });

  it('closes the file once, whichever handle is destroyed first', async () => {
    t = await createTestDb('sqlite');
    await t.priority.destroy();
    const r = await sql<{ n: number }>`select 1 as n`.execute(t.db);
    expect(r.rows[0]!.n).toBe(1);
  });
});
