/**
 * Two statements that run for every inquiry and used to walk rows that grow with the network:
 * marking an outbox row sent (its "more in this chat?" looked at every pending row of every chat)
 * and finding an agency's notice recipients (it walked every role of the directory, reporters
 * included). On SQLite their plans now search indexes on every condition; on both databases the
 * answers are the same as before. Also the audit lookups that mark a thing done once (a day's
 * reminder, a year's report) and count registrations: they name the entity, so they search the
 * entity index instead of reading every audit record ever written.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { agencyRecipients } from '../../db/repositories/agency-recipients.js';
import { auditEventExists, countAuditSince, insertAudit } from '../../db/repositories/audit.js';
import { findOutbox, insertOutbox, markOutboxSent } from '../../db/repositories/outbox.js';
import type { Database as Schema, NewOutboxRow } from '../../db/schema.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { pendingOutboxRow } from '../helpers/outbox-row.js';
import { linkChat, seedMiniNetwork } from '../helpers/directory-fixture.js';

const AT = '2026-11-23T02:00:00.000Z';

const outboxRow = (chatId: string, identityId: number): NewOutboxRow => pendingOutboxRow(chatId, identityId, AT);

describe.each(testDialects())('a sent mark says whether its own chat has more (%s)', (dialect) => {
  let t: TestDb;
  beforeAll(async () => { t = await createTestDb(dialect); });
  afterAll(async () => { await t?.drop(); });

  it('counts only pending rows of the same queue and chat, other than the row itself', async () => {
    const net = await seedMiniNetwork(t.db);
    const identityId = await linkChat(t.db, net.healthSpokesId, 'telegram', 'chat-a');
    const sent = { messageIds: ['m1'], sentAt: AT, attempts: 1 };
    const [a1, a2] = [await insertOutbox(t.db, outboxRow('chat-a', identityId)), await insertOutbox(t.db, outboxRow('chat-a', identityId))];
    await insertOutbox(t.db, outboxRow('chat-b', identityId));
    await insertOutbox(t.db, { ...outboxRow('chat-a', identityId), queue: 'notices' });
    expect(await markOutboxSent(t.db, (await findOutbox(t.db, a1))!, sent)).toEqual({ more: true });
    // chat-b's row and chat-a's row of the other queue do not count.
    expect(await markOutboxSent(t.db, (await findOutbox(t.db, a2))!, sent)).toEqual({ more: false });
    // A row no longer pending is not marked again.
    expect(await markOutboxSent(t.db, (await findOutbox(t.db, a2))!, sent)).toBeUndefined();
  });
});

describe('plans of the per-inquiry statements, on SQLite', () => {
  let t: TestDb;
  let raw: Database.Database;
  let captured: CompiledQuery[];
  let spy: Db;
  beforeAll(async () => {
    t = await createTestDb('sqlite');
    raw = new Database(t.url);
    captured = [];
    spy = new Kysely<Schema>({ dialect: new SqliteDialect({ database: raw }), log: (e) => { captured.push(e.query); } });
  });
  afterAll(async () => {
    await spy?.destroy();
    await t?.drop();
  });

  /** EXPLAIN QUERY PLAN of the last statement `spy` ran, with its own values. */
  const lastPlan = () => {
    const q = captured.at(-1)!;
    return (raw.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
  };

  it('marking a row sent searches the pending heads of its own chat only', async () => {
    const net = await seedMiniNetwork(t.db);
    const identityId = await linkChat(t.db, net.healthSpokesId, 'telegram', 'chat-p');
    const id = await insertOutbox(t.db, outboxRow('chat-p', identityId));
    await markOutboxSent(spy, (await findOutbox(t.db, id))!, { messageIds: ['m1'], sentAt: AT, attempts: 1 });
    expect(lastPlan()).toMatch(/SEARCH other USING (COVERING )?INDEX outbox_pending_heads \(status=\? AND queue=\? AND platform=\? AND chat_id=\?/);
  });

  it('finding an agency’s recipients searches its spokespersons and the case’s, never every role', async () => {
    const org = (await sql<{ id: number }>`select id from orgs order by id limit 1`.execute(t.db)).rows[0]!.id;
    await agencyRecipients(spy, { orgId: org, inquiryId: 1, today: '2026-11-23' });
    const plan = lastPlan();
    expect(plan).toMatch(/SEARCH r USING INDEX role_assignments_org_role/);
    expect(plan).toMatch(/SEARCH r USING INDEX role_assignments_case/);
    expect(plan).not.toMatch(/SCAN r\b/);
  });

  it('audit marks and counts search the entity index, never the whole table', async () => {
    await auditEventExists(spy, 'report', 'report.annual', '2026');
    expect(lastPlan()).toMatch(/SEARCH audit_events USING INDEX audit_events_entity \(entity=\? AND entity_id=\?\)/);
    await countAuditSince(spy, 'person', 'reporter.register', AT);
    expect(lastPlan()).toMatch(/SEARCH audit_events USING INDEX audit_events_entity \(entity=\?\)/);
  });
});

describe.each(testDialects())('audit marks (%s)', (dialect) => {
  let t: TestDb;
  beforeAll(async () => { t = await createTestDb(dialect); });
  afterAll(async () => { await t?.drop(); });

  it('find a mark only for its own entity, action and id; count only the entity\'s action since the time', async () => {
    const audit = (action: string, entity: string, entityId: string, at: string) => insertAudit(t.db, { at, actorPersonId: null, actorIdentityId: null, action, entity, entityId });
    await audit('report.annual', 'report', '2026', AT);
    await audit('reporter.register', 'person', '7', AT);
    await audit('reporter.register', 'person', '8', '2026-11-23T03:00:00.000Z');
    await audit('reporter.register', 'other', '9', '2026-11-23T03:00:00.000Z');
    expect(await auditEventExists(t.db, 'report', 'report.annual', '2026')).toBe(true);
    expect(await auditEventExists(t.db, 'report', 'report.annual', '2025')).toBe(false);
    expect(await auditEventExists(t.db, 'calendar', 'report.annual', '2026')).toBe(false);
    expect(await auditEventExists(t.db, 'report', 'report.annual_reminder', '2026')).toBe(false);
    expect(await countAuditSince(t.db, 'person', 'reporter.register', AT)).toBe(1);
    expect(await countAuditSince(t.db, 'person', 'reporter.register', '2026-11-23T01:00:00.000Z')).toBe(2);
  });
});
