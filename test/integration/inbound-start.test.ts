import { afterEach, describe, expect, it } from 'vitest';
import { startInboundEvent } from '../../db/repositories/inbound-start.js';
import { findIdentityOf } from '../../db/repositories/identities.js';
import { insertOutbox } from '../../db/repositories/outbox.js';
import type { NewOutboxRow } from '../../db/schema.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';

const T0 = '2026-11-23T02:00:00.000Z';
const T1 = '2026-11-23T03:00:00.000Z';

describe.each(testDialects())('starting an inbound event (%s)', (dialect) => {
  let h: TestDb | undefined;
  afterEach(async () => {
    await h?.drop();
    h = undefined;
  });

  it('marks the event done, touches the identity and releases the chat\'s held rows, in one statement on PostgreSQL; nothing when the event was not pending', async () => {
    h = await createTestDb(dialect);
    const db = h.db;
    const event = (id: string) => db.insertInto('inbound_events').values({ platform: 'zalo_oa', event_id: id, payload: '{}', status: 'pending', error: null, received_at: T0, processed_at: null }).execute();
    await event('e1');
    const first = await startInboundEvent(db, { eventId: 'e1', seen: { platform: 'zalo_oa', platformUserId: 'u1', chatId: 'c1', displayName: 'Lan' }, nowIso: T0 });
    expect(first).toMatchObject({ done: true, released: [], identity: { platform: 'zalo_oa', platform_user_id: 'u1', chat_id: 'c1', display_name: 'Lan', last_inbound_at: T0, person_id: null, dialog: null } });
    const identity = first.done ? first.identity : undefined;
    expect(identity).toEqual(await findIdentityOf(db, 'zalo_oa', 'u1'));

    const row = (status: NewOutboxRow['status'], chatId: string): NewOutboxRow => ({
      queue: 'outbox', identity_id: identity!.id, platform: 'zalo_oa', chat_id: chatId, text: 'Trả lời', buttons: null, reply_to_message_id: null, reply_to_outbox_id: null,
      inquiry_id: null, ref_kind: null, ref_person_id: null, report_unreachable: 1, status, attempts: 1, parts_sent: 0, sent_message_id: null, sent_message_ids: null,
      last_error: 'window closed', held_reason: status === 'held' ? 'reply_window' : null, created_at: T0, sent_at: null,
    });
    const held = [await insertOutbox(db, row('held', 'c1')), await insertOutbox(db, row('held', 'c1'))];
    const elsewhere = await insertOutbox(db, row('held', 'c2'));
    await db.updateTable('identities').set({ unreachable_at: T0, unreachable_reason: 'blocked' }).where('id', '=', identity!.id).execute();

    await event('e2');
    const before = h.statements();
    const second = await startInboundEvent(db, { eventId: 'e2', seen: { platform: 'zalo_oa', platformUserId: 'u1', chatId: 'c1', displayName: '' }, nowIso: T1 });
    expect(h.statements() - before).toBe(dialect === 'postgres' ? 1 : 3);
    expect(second).toMatchObject({ done: true, released: held, identity: { id: identity!.id, display_name: 'Lan', last_inbound_at: T1, unreachable_at: null, unreachable_reason: null } });
    const statuses = await db.selectFrom('outbox').select(['id', 'status', 'held_reason', 'last_error']).orderBy('id').execute();
    expect(statuses).toEqual([
      { id: held[0], status: 'pending', held_reason: null, last_error: null }, { id: held[1], status: 'pending', held_reason: null, last_error: null },
      { id: elsewhere, status: 'held', held_reason: 'reply_window', last_error: 'window closed' },
    ]);

    // Done already (a second worker, a redelivery): nothing is touched or released.
    await db.updateTable('outbox').set({ status: 'held' }).where('id', '=', held[0]!).execute();
    expect(await startInboundEvent(db, { eventId: 'e2', seen: { platform: 'zalo_oa', platformUserId: 'u1', chatId: 'c1', displayName: 'Khác' }, nowIso: '2026-11-23T04:00:00.000Z' })).toEqual({ done: false });
    expect(await findIdentityOf(db, 'zalo_oa', 'u1')).toMatchObject({ display_name: 'Lan', last_inbound_at: T1 });
    expect((await db.selectFrom('outbox').select('status').where('id', '=', held[0]!).executeTakeFirst())?.status).toBe('held');
    expect(await startInboundEvent(db, { eventId: 'never', seen: { platform: 'zalo_oa', platformUserId: 'u9', chatId: 'c9' }, nowIso: T1 })).toEqual({ done: false });
    expect(await findIdentityOf(db, 'zalo_oa', 'u9')).toBeUndefined();
  });
});
