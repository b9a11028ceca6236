/**
 * Statements on the inquiry path are built and compiled by kysely once per database handle
 * (db/compiled.ts): each run binds its own values into the compiled text. On both databases:
 * the values of each run reach the database, a builder runs once per handle (per set of columns
 * for row statements), a builder that uses an argument other than as a value is refused, and a
 * handle with plugins (the tests' fault injection) still has every statement go through them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { compiledOnce, compiledRowOnce } from '../../db/compiled.js';
import type { NewOutboxRow } from '../../db/schema.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { pendingOutboxRow } from '../helpers/outbox-row.js';
import { DbFaults } from '../helpers/db-faults.js';
import { linkChat, seedMiniNetwork } from '../helpers/directory-fixture.js';

const AT = '2026-12-06T02:00:00.000Z';

const outboxRow = (chatId: string, identityId: number): NewOutboxRow => pendingOutboxRow(chatId, identityId, AT, 'Câu hỏi mới 📨');

describe.each(testDialects())('statements compiled once (%s)', (dialect) => {
  let t: TestDb;
  let identityId: number;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    const net = await seedMiniNetwork(t.db);
    identityId = await linkChat(t.db, net.healthSpokesId, 'telegram', 'chat-c');
  });
  afterAll(async () => { await t?.drop(); });

  it('binds each run\'s values, and builds the statement once per handle', async () => {
    let builds = 0;
    const insert = compiledRowOnce((db: Db, row: NewOutboxRow) => { builds += 1; return db.insertInto('outbox').values(row).returning('id'); });
    const inChat = compiledOnce((db: Db, chatId: string, status: 'pending' | 'sent') => {
      builds += 1;
      return db.selectFrom('outbox').select(['id', 'text']).where('chat_id', '=', chatId).where('status', '=', status).orderBy('id');
    });
    const a = (await insert(t.db, outboxRow('chat-a', identityId))).rows[0]!.id;
    const b = (await insert(t.db, { ...outboxRow('chat-b', identityId), text: 'Thư trả lời' })).rows[0]!.id;
    expect((await inChat(t.db, 'chat-a', 'pending')).rows).toEqual([{ id: a, text: 'Câu hỏi mới 📨' }]);
    expect((await inChat(t.db, 'chat-b', 'pending')).rows).toEqual([{ id: b, text: 'Thư trả lời' }]);
    expect((await inChat(t.db, 'chat-b', 'sent')).rows).toEqual([]);
    // Inside a transaction (another kysely object on the same handle), the same compiled statements.
    await t.db.transaction().execute(async (tx) => {
      expect((await inChat(tx, 'chat-a', 'pending')).rows.map((r) => r.id)).toEqual([a]);
    });
    expect(builds).toBe(2);
  });

  it('a builder with an optional argument is compiled once for each number of arguments', async () => {
    const pendingIn = compiledOnce((db: Db, chatId: string, status?: 'pending' | 'sent') => db.selectFrom('outbox').select('id')
      .where('chat_id', '=', chatId).where('status', '=', status ?? 'sent'));
    expect((await pendingIn(t.db, 'chat-a', 'pending')).rows).toHaveLength(1);
    expect((await pendingIn(t.db, 'chat-a')).rows).toHaveLength(0);
    expect((await pendingIn(t.db, 'chat-a', 'pending')).rows).toHaveLength(1);
  });

  it('a row statement is compiled once per set of columns (undefined ones left out, as kysely does)', async () => {
    let builds = 0;
    type Row = Omit<NewOutboxRow, 'last_error'>;
    const insert = compiledRowOnce((db: Db, r: { row: Row; note: string }) => {
      builds += 1;
      return db.insertInto('outbox').values({ ...r.row, last_error: r.note }).returning(['id', 'last_error', 'masked_text']);
    });
    const { last_error: _error, ...row } = outboxRow('chat-d', identityId);
    const one = (await insert(t.db, { row: { ...row, masked_text: 'Mã: ******' }, note: 'một' })).rows[0]!;
    const two = (await insert(t.db, { row: { ...row, masked_text: undefined }, note: 'hai' })).rows[0]!;
    const three = (await insert(t.db, { row: { ...row, masked_text: 'Mã: ######' }, note: 'ba' })).rows[0]!;
    expect([one.last_error, one.masked_text]).toEqual(['một', 'Mã: ******']);
    expect([two.last_error, two.masked_text]).toEqual(['hai', null]);
    expect([three.last_error, three.masked_text]).toEqual(['ba', 'Mã: ######']);
    expect(builds).toBe(2);
  });

  it('refuses a builder that uses an argument other than as a value, an undefined argument and an expression in a row', async () => {
    const branching = compiledOnce((db: Db, many: number) => db.selectFrom('outbox').select('id').limit(many > 1 ? 10 : 1));
    await expect(branching(t.db, 5)).rejects.toThrow(/argument 0 is not a parameter/);
    const byChat = compiledOnce((db: Db, chatId: string) => db.selectFrom('outbox').select('id').where('chat_id', '=', chatId));
    await expect(byChat(t.db, undefined as unknown as string)).rejects.toThrow(/argument 0 is undefined/);
    const insert = compiledRowOnce((db: Db, row: NewOutboxRow) => db.insertInto('outbox').values(row));
    const expression = { ...outboxRow('chat-e', identityId), text: t.db.fn.coalesce('text', 'masked_text') } as unknown as NewOutboxRow;
    await expect(insert(t.db, expression)).rejects.toThrow(/value of text is an expression/);
  });

  it('a handle with plugins builds every run, so the plugins see (and can fail) every statement', async () => {
    const faults = new DbFaults();
    const db = t.db.withPlugin(faults);
    const byChat = compiledOnce((q: Db, chatId: string) => q.selectFrom('outbox').select('id').where('chat_id', '=', chatId));
    await byChat(db, 'chat-a');
    await byChat(db, 'chat-a');
    expect(faults.statements).toBe(2);
    faults.failNext((s) => s.kind === 'SelectQueryNode' && s.json.includes('"chat-a"'));
    await expect(byChat(db, 'chat-a')).rejects.toThrow(/injected database failure/);
    expect((await byChat(db, 'chat-b')).rows).toHaveLength(1);
  });
});
