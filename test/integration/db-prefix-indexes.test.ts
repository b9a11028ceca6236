/**
 * Migration 2026-12-09-001 drops three indexes that were each a leading part of a longer one
 * (every write kept them up to date for nothing): they are gone on both databases, and on SQLite
 * the lookups they served still search an index — the longer one — rather than scan the table.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';

const DROPPED = ['outbox_status', 'inquiries_status', 'inquiry_entries_inquiry'];

describe.each(testDialects())('indexes that were a prefix of another (%s)', (dialect) => {
  let t: TestDb;
  beforeAll(async () => { t = await createTestDb(dialect); });
  afterAll(async () => { await t?.drop(); });

  it('are gone; the longer ones stay', async () => {
    const names = dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(t.db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema()`.execute(t.db)).rows.map((r) => r.name);
    for (const name of DROPPED) expect(names).not.toContain(name);
    expect(names).toEqual(expect.arrayContaining(['outbox_pending_heads', 'inquiries_status_due', 'inquiry_entries_kind']));
  });

});

describe('lookups of the dropped indexes, on SQLite', () => {
  let t: TestDb;
  beforeAll(async () => { t = await createTestDb('sqlite'); });
  afterAll(async () => { await t?.drop(); });

  it('search the longer index instead of scanning the table', async () => {
    const plan = async (query: string) => (await sql<{ detail: string }>`explain query plan ${sql.raw(query)}`.execute(t.db)).rows.map((r) => r.detail).join('; ');
    expect(await plan(`select id from outbox where status = 'pending' and queue = 'outbox'`)).toMatch(/SEARCH outbox USING (COVERING )?INDEX outbox_pending_heads/);
    expect(await plan(`select id from inquiries where status in ('new', 'assigned')`)).toMatch(/SEARCH inquiries USING (COVERING )?INDEX inquiries_status_due/);
    expect(await plan(`select id from inquiry_entries where inquiry_id = 7`)).toMatch(/SEARCH inquiry_entries USING (COVERING )?INDEX inquiry_entries_kind/);
  });
});
