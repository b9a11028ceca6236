import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { registerDbStatements } from '../../src/http/metrics.js';
import { orgAncestorIds } from '../../db/repositories/directory.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedMiniNetwork } from '../helpers/directory-fixture.js';
import { createFlowDriver } from '../helpers/flow-driver.js';
import { createManualClock } from '../../src/time/clock.js';

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

  it('reads an organisation\'s ancestors in one statement, nearest first, stopping at a missing parent or a cycle', async () => {
    h = await createTestDb(dialect);
    const at = '2026-01-01T00:00:00.000Z';
    const add = async (code: string, parentId: number | null) => (await h!.db.insertInto('orgs').values({
      code, name: code, name_en: null, type: 'department', parent_id: parentId, predecessor_id: null,
      valid_from: null, valid_to: null, screening: 0, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow()).id;
    const root = await add('T-ROOT', null);
    const mid = await add('T-MID', root);
    const leaf = await add('T-LEAF', mid);
    const before = h.statements();
    expect(await orgAncestorIds(h.db, leaf)).toEqual([leaf, mid, root]);
    expect(h.statements()).toBe(before + 1);
    expect(await orgAncestorIds(h.db, 999_999)).toEqual([999_999]);
    // A cycle in bad data ends where it repeats.
    const a = await add('T-A', null);
    const b = await add('T-B', a);
    await h.db.updateTable('orgs').set({ parent_id: b }).where('id', '=', a).execute();
    expect(await orgAncestorIds(h.db, b)).toEqual([b, a]);
  });

  it('a reporter\'s "Gửi" costs a bounded number of statements (round trips of issue 12)', async () => {
    h = await createTestDb(dialect);
    await seedMiniNetwork(h.db);
    const bot = createFlowDriver(h.db, createManualClock('2026-11-23T02:00:00Z'));
    await bot.command('101', 'start', 'inv-pv1');
    await bot.command('201', 'start', 'inv-pn-syt');
    await bot.say('101', 'Tình hình sốt xuất huyết tại Huế tuần này thế nào?');
    const beforeTopic = h.statements();
    await bot.press('101', 'Y tế');
    // The topic step: its own reads and writes plus the one statement that looks for similar questions.
    expect(h.statements() - beforeTopic).toBeLessThanOrEqual(TOPIC_BUDGET);
    const before = h.statements();
    await bot.press('101', 'Gửi');
    expect(bot.last('101').text).toMatch(/Đã tiếp nhận câu hỏi Q-\d+/);
    expect(bot.last('201').text).toContain('sốt xuất huyết');
    // The stored event, the processor's reads, the flow's transaction (26 statements on 5 Dec 2026;
    // 32 before the notification reused the flow's rows) and this driver's own delivery (4).
    expect(h.statements() - before).toBeLessThanOrEqual(BUDGET);
  });
});

/** Statements of the "Gửi" press above, as measured on both databases; lower it when a change saves some. */
const BUDGET = 35;
/** Statements of the topic press, as measured on both databases: 15 before the similar-questions lookup (7 Dec 2026), which adds one. */
const TOPIC_BUDGET = 16;

