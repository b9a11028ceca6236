/**
 * The PostgreSQL pools' sizes (`DATABASE_POOL_SIZE`, db/pool-sizes.ts): the main pool opens up to
 * its size, the acks' own pool up to 10, never more than the main one. Statements are held on an
 * advisory lock the test owns, so each takes a connection until the lock is released; connections
 * are counted by this test's own application_name.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type Db, type DbHandle } from '../../db/client.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

const LOCK = 912_004;

describe.runIf(process.env.TEST_POSTGRES_URL)('PostgreSQL pool sizes', () => {
  let t: TestDb | undefined;
  let handle: DbHandle | undefined;
  let admin: pg.Client | undefined;
  const appName = `liaison-test-pools-${randomBytes(4).toString('hex')}`;

  async function open(poolSize: number): Promise<DbHandle> {
    t = await createTestDb('postgres');
    handle = createDb({ url: t.url, pgSchema: t.pgSchema!, pgPoolSize: poolSize, applicationName: appName });
    admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    return handle;
  }
  afterEach(async () => {
    await admin?.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await handle?.close();
    await admin?.end();
    await t?.drop();
  });

  async function connectionsOf(): Promise<number> {
    const r = await admin!.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [appName]);
    return r.rows[0].n as number;
  }

  /** Starts `count` statements on `db` that wait for the test's lock; resolves with the most connections seen while they wait. */
  async function peakWhileHeld(db: Db, count: number, expected: number): Promise<{ peak: number; done: Promise<unknown> }> {
    await admin!.query('SELECT pg_advisory_lock($1)', [LOCK]);
    const done = Promise.all(Array.from({ length: count }, () => sql`select pg_advisory_lock_shared(${LOCK}), pg_advisory_unlock_shared(${LOCK})`.execute(db)));
    let peak = 0;
    // Until the expected number is reached, then a little longer: a pool that opened more would show them.
    for (let i = 0, extra = 0; i < 400 && extra < 10; i += 1) {
      peak = Math.max(peak, await connectionsOf());
      if (peak >= expected) extra += 1;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await admin!.query('SELECT pg_advisory_unlock($1)', [LOCK]);
    return { peak, done };
  }

  it('opens up to DATABASE_POOL_SIZE connections for the work, and every statement still runs', async () => {
    const h = await open(12);
    const { peak, done } = await peakWhileHeld(h.db, 15, 12);
    expect(peak).toBe(12);
    await expect(done).resolves.toHaveLength(15);
  });

  it("keeps the acks' own pool at 10 connections however large the main one", async () => {
    const h = await open(30);
    const { peak, done } = await peakWhileHeld(h.priority, 14, 10);
    expect(peak).toBe(10);
    await expect(done).resolves.toHaveLength(14);
  });

  it("never gives the acks' pool more connections than the main one", async () => {
    const h = await open(3);
    const { peak, done } = await peakWhileHeld(h.priority, 6, 3);
    expect(peak).toBe(3);
    await expect(done).resolves.toHaveLength(6);
  });
});
