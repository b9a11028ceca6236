import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { registerDbStatements } from '../../src/http/metrics.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';

describe.each(testDialects())('database statement counter (%s)', (dialect) => {
  let h: TestDb | undefined;
  afterEach(async () => {
    await h?.drop();
    h = undefined;
  });

  it('counts each statement on both handles, BEGIN and COMMIT included, and serves the total on /metrics', async () => {
    h = await createTestDb(dialect);
    const start = h.statements();
    await sql`select 1`.execute(h.db);
    expect(h.statements()).toBe(start + 1);
    await sql`select 1`.execute(h.priority);
    expect(h.statements()).toBe(start + 2);
    await h.db.transaction().execute(async (tx) => {
      await sql`select 1`.execute(tx);
      await sql`select 2`.execute(tx);
    });
    // begin, two selects, commit
    expect(h.statements()).toBe(start + 6);
    await expect(sql`select * from no_such_table`.execute(h.db)).rejects.toThrow();
    expect(h.statements()).toBe(start + 7);

    const registry = new Registry();
    registerDbStatements(registry, () => h!.statements());
    const total = (text: string) => Number(/^db_statements_total (\d+)$/m.exec(text)?.[1]);
    expect(total(await registry.metrics())).toBe(h.statements());
    await sql`select 1`.execute(h.db);
    expect(total(await registry.metrics())).toBe(h.statements());
  });
});
