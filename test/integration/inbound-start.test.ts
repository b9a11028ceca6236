import { afterEach, describe, expect, it } from 'vitest';
import { startInboundEvent } from '../../db/repositories/inbound-start.js';
import { personWithRoles } from '../../db/repositories/directory.js';
import { findIdentityOf } from '../../db/repositories/identities.js';
import { insertOutbox } from '../../db/repositories/outbox.js';
import type { NewOutboxRow } from '../../db/schema.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedMiniNetwork } from '../helpers/directory-fixture.js';

const T0 = '2026-11-23T02:00:00.000Z';
const T1 = '2026-11-23T03:00:00.000Z';
const TODAY = '2026-11-23';

describe.each(testDialects())('starting an inbound event (%s)', (dialect) => {
  let h: TestDb | undefined;
  afterEach(async () => {
    await h?.drop();
    h = undefined;
  });

  it('marks the event done, touches the identity and releases the chat\'s held rows, with its person and roles, in one statement on PostgreSQL; nothing when the event was not pending', async () => {
    h = await createTestDb(dialect);
    const db = h.db;
    const event = (id: string) => db.insertInto('inbound_events').values({ platform: 'zalo_oa', event_id: id, payload: '{}', status: 'pending', error: null, received_at: T0, processed_at: null }).execute();
    await event('e1');
    const first = await startInboundEvent(db, { eventId: 'e1', seen: { platform: 'zalo_oa', platformUserId: 'u1', chatId: 'c1', displayName: 'Lan' }, nowIso: T0, today: TODAY });
    expect(first).toMatchObject({ done: true, released: [], person: undefined, roles: [], identity: { platform: 'zalo_oa', platform_user_id: 'u1', chat_id: 'c1', display_name: 'Lan', last_inbound_at: T0, person_id: null, dialog: null } });
    const identity = first.done ? first.identity : undefined;
    expect(identity).toEqual(await findIdentityOf(db, 'zalo_oa', 'u1'));

    const row = (status: NewOutboxRow['status'], chatId: string): NewOutboxRow => ({
      queue: 'outbox', identity_id: identity!.id, platform: 'zalo_oa', chat_id: chatId, text: 'Trả lời', buttons: null, reply_to_message_id: null, reply_to_outbox_id: null,
      inquiry_id: null, ref_kind: null, ref_person_id: null, report_unreachable: 1, status, attempts: 1, parts_sent: 0, sent_message_id: null, sent_message_ids: null,
      last_error: 'window closed', held_reason: status === 'held' ? 'reply_window' : null, created_at: T0, sent_at: null,
    });
    const held = [await insertOutbox(db, row('held', 'c1')), await insertOutbox(db, row('held', 'c1'))];
    const elsewhere = await insertOutbox(db, row('held', 'c2'));
    // Linked to a person with roles in force today, ended and not yet begun (read as personWithRoles reads them).
    const net = await seedMiniNetwork(db);
    const role = (validFrom: string | null, validTo: string | null) => db.insertInto('role_assignments').values({
      person_id: net.healthSpokesId, role: 'spokesperson', kind: 'authorised', org_id: null, status: 'active', case_inquiry_id: null, valid_from: validFrom, valid_to: validTo, created_at: T0, updated_at: T0,
    }).execute();
    await role('2026-01-01', '2026-11-23');
    await role('2026-11-24', null);
    await role(null, '2026-11-22');
    await db.updateTable('identities').set({ unreachable_at: T0, unreachable_reason: 'blocked', person_id: net.healthSpokesId }).where('id', '=', identity!.id).execute();

    await event('e2');
    const before = h.statements();
    const second = await startInboundEvent(db, { eventId: 'e2', seen: { platform: 'zalo_oa', platformUserId: 'u1', chatId: 'c1', displayName: '' }, nowIso: T1, today: TODAY });
    expect(h.statements() - before).toBe(dialect === 'postgres' ? 1 : 4);
    expect(second).toMatchObject({ done: true, released: held, identity: { id: identity!.id, display_name: 'Lan', last_inbound_at: T1, unreachable_at: null, unreachable_reason: null } });
    const both = await personWithRoles(db, net.healthSpokesId, TODAY);
    expect(both.roles).toHaveLength(2);
    expect(second).toMatchObject({ person: both.person, roles: both.roles });
    expect(second.done && second.person).toEqual(both.person);
    expect(second.done && second.roles).toEqual(both.roles);
    const statuses = await db.selectFrom('outbox').select(['id', 'status', 'held_reason', 'last_error']).orderBy('id').execute();
    expect(statuses).toEqual([
      { id: held[0], status: 'pending', held_reason: null, last_error: null }, { id: held[1], status: 'pending', held_reason: null, last_error: null },
      { id: elsewhere, status: 'held', held_reason: 'reply_window', last_error: 'window closed' },
    ]);

    // Done already (a second worker, a redelivery): nothing is touched or released.
    await db.updateTable('outbox').set({ status: 'held' }).where('id', '=', held[0]!).execute();
    expect(await startInboundEvent(db, { eventId: 'e2', seen: { platform: 'zalo_oa', platformUserId: 'u1', chatId: 'c1', displayName: 'Khác' }, nowIso: '2026-11-23T04:00:00.000Z', today: TODAY })).toEqual({ done: false });
    expect(await findIdentityOf(db, 'zalo_oa', 'u1')).toMatchObject({ display_name: 'Lan', last_inbound_at: T1 });
    expect((await db.selectFrom('outbox').select('status').where('id', '=', held[0]!).executeTakeFirst())?.status).toBe('held');
    expect(await startInboundEvent(db, { eventId: 'never', seen: { platform: 'zalo_oa', platformUserId: 'u9', chatId: 'c9' }, nowIso: T1, today: TODAY })).toEqual({ done: false });
    expect(await findIdentityOf(db, 'zalo_oa', 'u9')).toBeUndefined();
  });
});
