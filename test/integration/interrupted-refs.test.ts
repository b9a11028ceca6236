import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../adapters/types.js';
import { findMessageRef } from '../../db/repositories/inquiries.js';
import { insertOutbox } from '../../db/repositories/outbox.js';
import type { NewOutboxRow } from '../../db/schema.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';

const NOW = '2026-11-23T02:00:00.000Z';

/** Runs `between` once, after the first read of `message_refs` returned and before the next statement. */
class RecordAfterFirstRefRead implements KyselyPlugin {
  ran = false;
  private readonly pending = new WeakSet<QueryId>();
  constructor(private readonly between: () => Promise<void>) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (!this.ran && args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node).includes('"message_refs"')) this.pending.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (!this.ran && this.pending.has(args.queryId)) {
      this.ran = true;
      await this.between();
    }
    return args.result;
  }
}

/**
 * A reply to a message whose id a crash kept us from recording (the platform accepted the send,
 * the process died before writing the id) finds its inquiry through the interrupted send.
 */
describe.each(testDialects())('replies to messages of interrupted sends (%s)', (dialect) => {
  let t: TestDb;
  let personId: number;
  const inquiries: number[] = [];

  async function identity(platform: Platform, chatId: string): Promise<number> {
    return (await t.db.insertInto('identities').values({
      platform, platform_user_id: chatId, chat_id: chatId, person_id: personId, display_name: null, locale: null,
      dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: null, created_at: NOW, updated_at: NOW,
    }).returning('id').executeTakeFirstOrThrow()).id;
  }

  async function row(platform: Platform, chatId: string, identityId: number, extra: Partial<NewOutboxRow>): Promise<number> {
    return insertOutbox(t.db, {
      queue: 'outbox', identity_id: identityId, platform, chat_id: chatId, text: 'Câu hỏi mới', buttons: null,
      reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: null, ref_kind: null, ref_person_id: personId,
      report_unreachable: 1, status: 'sent', attempts: 1, parts_sent: 1, sent_message_id: null, sent_message_ids: null,
      last_error: null, created_at: NOW, sent_at: NOW, ...extra,
    });
  }
  const sentAs = (...ids: string[]) => ({ sent_message_id: ids[0] ?? null, sent_message_ids: JSON.stringify(ids), parts_sent: ids.length });

  beforeAll(async () => {
    t = await createTestDb(dialect);
    personId = (await t.db.insertInto('persons').values({
      full_name: 'Nguyễn Văn Tuấn', code: null, outlet_id: null, outlet_name: null, press_card: null, phone: null,
      tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: NOW, updated_at: NOW,
    }).returning('id').executeTakeFirstOrThrow()).id;
    const reporter = await identity('telegram', '900');
    for (let i = 0; i < 4; i++) {
      inquiries.push((await t.db.insertInto('inquiries').values({
        reporter_person_id: personId, reporter_identity_id: reporter, origin_chat_id: '900', origin_message_id: String(i),
        status: 'assigned', question: `Câu hỏi ${i}?`, received_at: NOW, urgent_requested: 0, created_at: NOW, updated_at: NOW,
      }).returning('id').executeTakeFirstOrThrow()).id);
    }
    // Telegram chat 100: message 100 recorded; the notification of inquiry 0 was interrupted
    // (its first copy's id lost) and went out again as 105; then 110; then inquiry 2's notification
    // is in flight right now (claimed, nothing recorded yet).
    const tg = await identity('telegram', '100');
    await row('telegram', '100', tg, { ...sentAs('100'), inquiry_id: inquiries[3]!, ref_kind: 'info' });
    await row('telegram', '100', tg, { ...sentAs('105'), inquiry_id: inquiries[0]!, ref_kind: 'staff_notice', resent_in_flight: 1 });
    await row('telegram', '100', tg, { ...sentAs('110') });
    await row('telegram', '100', tg, { status: 'pending', attempts: 0, parts_sent: 0, sent_at: null, inquiry_id: inquiries[2]!, ref_kind: 'staff_notice', lease_owner: 'outbox-0123abcd', lease_until: NOW });
    // Zalo OA chat (opaque ids): the newest interrupted send is taken.
    const oa = await identity('zalo_oa', 'oa-1');
    await row('zalo_oa', 'oa-1', oa, { ...sentAs('a1b2c3'), inquiry_id: inquiries[1]!, ref_kind: 'staff_notice', resent_in_flight: 1 });
  });

  afterAll(async () => { await t?.drop(); });

  it('routes a reply to the lost first copy (between the messages before it and its copy) to its inquiry', async () => {
    const ref = await findMessageRef(t.db, 'telegram', '100', '103');
    expect(ref).toMatchObject({ inquiry_id: inquiries[0], kind: 'staff_notice', message_id: '103', person_id: personId });
  });

  it('routes a reply to a message of a send still in flight (or whose process died) to its inquiry', async () => {
    expect(await findMessageRef(t.db, 'telegram', '100', '112')).toMatchObject({ inquiry_id: inquiries[2], kind: 'staff_notice' });
  });

  it('does not guess for messages outside those gaps', async () => {
    expect(await findMessageRef(t.db, 'telegram', '100', '99')).toBeUndefined();
    expect(await findMessageRef(t.db, 'telegram', '100', '107')).toBeUndefined();
    expect(await findMessageRef(t.db, 'telegram', '999', '103')).toBeUndefined();
  });

  it('keeps recorded refs first', async () => {
    await t.db.insertInto('message_refs').values({ platform: 'telegram', chat_id: '100', message_id: '104', inquiry_id: inquiries[3]!, kind: 'answer', person_id: personId, created_at: NOW }).execute();
    expect(await findMessageRef(t.db, 'telegram', '100', '104')).toMatchObject({ inquiry_id: inquiries[3], kind: 'answer' });
  });

  it('takes the newest interrupted send where ids have no order', async () => {
    expect(await findMessageRef(t.db, 'zalo_oa', 'oa-1', 'ffee00')).toMatchObject({ inquiry_id: inquiries[1], kind: 'staff_notice' });
  });

  // PostgreSQL only: on SQLite a flow's reads and the sender's record share the one connection (a
  // flow runs in one transaction), so no record can commit between two of its reads.
  if (dialect === 'postgres') it('finds a reply that overtook the record of its message (the record committed between our two reads)', async () => {
    const tg = await identity('telegram', '300');
    const id = await row('telegram', '300', tg, { status: 'pending', attempts: 0, parts_sent: 0, sent_at: null, inquiry_id: inquiries[1]!, ref_kind: 'staff_notice', lease_owner: 'outbox-fedcba98', lease_until: NOW });
    // The sender records message 301 right after our message_refs read came back empty.
    const recordInBetween = new RecordAfterFirstRefRead(async () => {
      await t.db.updateTable('outbox').set({ status: 'sent', sent_at: NOW, lease_owner: null, lease_until: null, ...sentAs('301') }).where('id', '=', id).execute();
      await t.db.insertInto('message_refs').values({ platform: 'telegram', chat_id: '300', message_id: '301', inquiry_id: inquiries[1]!, kind: 'staff_notice', person_id: personId, created_at: NOW }).execute();
    });
    expect(await findMessageRef(t.db.withPlugin(recordInBetween), 'telegram', '300', '301')).toMatchObject({ inquiry_id: inquiries[1], kind: 'staff_notice' });
    expect(recordInBetween.ran).toBe(true);
  });
});
