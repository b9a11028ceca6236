import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.js';
import { insertOutbox, findOutbox } from '../../db/repositories/outbox.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';

describe.each(testDialects())('migrations on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => { t = await createTestDb(dialect); });
  afterAll(async () => { await t.drop(); });

  it('are idempotent: a second run applies nothing', async () => {
    const again = await migrateToLatest(t.db);
    expect(again.applied).toEqual([]);
  });

  it('round-trips an outbox row with generated id and text instants', async () => {
    const now = new Date('2026-11-22T03:00:00.000Z').toISOString();
    const org = await t.db.insertInto('persons').values({ full_name: 'Nguyễn Văn A', created_at: now, updated_at: now, code: null, outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: null, locale: null, invite_code: null, invite_used_at: null }).returning('id').executeTakeFirstOrThrow();
    const identity = await t.db.insertInto('identities').values({ platform: 'telegram', platform_user_id: '42', chat_id: '42', person_id: org.id, display_name: null, locale: null, dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: null, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const id = await insertOutbox(t.db, { queue: 'outbox', identity_id: identity.id, platform: 'telegram', chat_id: '42', text: 'Xin chào', buttons: null, reply_to_message_id: '7', reply_to_outbox_id: null, inquiry_id: null, ref_kind: null, ref_person_id: null, report_unreachable: 1, status: 'pending', attempts: 0, parts_sent: 0, sent_message_id: null, sent_message_ids: null, last_error: null, created_at: now, sent_at: null });
    const row = await findOutbox(t.db, id);
    expect(typeof row?.id).toBe('number');
    expect(row?.text).toBe('Xin chào');
    expect(row?.created_at).toBe(now);
  });

  it('refuses a second identity for the same platform user', async () => {
    const now = new Date().toISOString();
    const values = { platform: 'telegram' as const, platform_user_id: 'dup', chat_id: 'dup', person_id: null, display_name: null, locale: null, dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: null, created_at: now, updated_at: now };
    await t.db.insertInto('identities').values(values).execute();
    await expect(t.db.insertInto('identities').values(values).execute()).rejects.toThrow();
  });
});
