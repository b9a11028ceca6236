import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadRequestError, type Platform } from '../../adapters/types.js';
import { insertRecipients } from '../../db/repositories/notices.js';
import { insertNotice, linkRecipientOutbox } from '../../db/repositories/notices-write.js';
import { insertOutbox } from '../../db/repositories/outbox.js';
import { noticeVi } from '../../flows/copy/notice-vi.js';
import { noticeTally } from '../../flows/notices/status.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { createInboundProcessor } from '../../src/inbound/processor.js';
import { createLogger } from '../../src/logger.js';
import { createDeadlinePolicy } from '../../src/time/deadline-policy.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/outbox/index.js';
import { createManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { createMemoryAdapter, type MemoryAdapter } from '../helpers/memory-adapter.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const NOW = '2026-11-23T02:00:00.000Z';

/**
 * A notice the channel could not take is handed to the outbox (`held`). Before, its delivery row
 * stayed `held` for ever when the outbox redirected it to the person's other chat or failed it, so
 * the progress message kept "held" while the person had it (or never would). Now the row settles
 * with the outbox row, and the one tally (progress, summary, status) shows it.
 */
describe.each(testDialects())('a handed-over notice settles with its outbox row on %s', (dialect) => {
  const clock = createManualClock(NOW);
  let t: TestDb;
  let net: MiniNetwork;
  let zalo: MemoryAdapter;
  let tg: MemoryAdapter;
  let dispatcher: OutboxDispatcher;
  let prefix: string;

  beforeEach(async () => {
    t = await createTestDb(dialect);
    net = await seedMiniNetwork(t.db);
    prefix = uniquePrefix(`notice-handover-${dialect}`);
    zalo = createMemoryAdapter('zalo_oa', { buttons: false, replies: true, maxTextLength: 2000, replyWindowMs: 48 * 3_600_000 });
    tg = createMemoryAdapter('telegram');
    dispatcher = createOutboxDispatcher({
      db: t.db, redis: { url: TEST_REDIS_URL }, prefix, adapters: new Map<Platform, MemoryAdapter>([['zalo_oa', zalo], ['telegram', tg]]),
      logger: createLogger({ level: 'silent' }), clock, concurrency: 2, maxAttempts: 2, backoffMaxMs: 100, onUnreachable: async () => undefined,
    });
    await dispatcher.start();
  });
  afterEach(async () => {
    await dispatcher.close();
    await deletePrefix(prefix);
    await t.drop();
  });

  /** A sent notice with one recipient held on `identityId` and its outbox row, as the notice engine leaves it. */
  async function handedOver(identityId: number, platform: Platform, chatId: string): Promise<{ noticeId: number; outboxId: number }> {
    const noticeId = await insertNotice(t.db, {
      title: 'Lịch cắt điện', body: 'Thứ Bảy.', link: null, audience: '{"all":true}', created_by_person_id: net.coordinatorId, status: 'sent',
      confirmed_at: NOW, finished_at: NOW, progress_identity_id: null, progress_message_id: null, progress_outbox_id: null, parent_id: null,
      remind_at: null, reminded_at: null, created_at: NOW, updated_at: NOW,
    });
    await insertRecipients(t.db, noticeId, [{ personId: net.healthSpokesId, orgId: net.healthId, identityId, platform, chatId, status: 'held' }], NOW);
    const outboxId = await insertOutbox(t.db, {
      queue: 'outbox', identity_id: identityId, platform, chat_id: chatId, text: '📢 Lịch cắt điện', buttons: '[[{"label":"✅ Đã nhận","action":"nak","payload":"1"}]]',
      reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: null, ref_kind: null, ref_person_id: net.healthSpokesId,
      report_unreachable: 0, status: 'pending', attempts: 0, parts_sent: 0, sent_message_id: null, sent_message_ids: null,
      last_error: null, created_at: NOW, sent_at: null,
    });
    const row = await t.db.selectFrom('notice_recipients').select('id').where('notice_id', '=', noticeId).executeTakeFirstOrThrow();
    await linkRecipientOutbox(t.db, row.id, outboxId);
    return { noticeId, outboxId };
  }
  const recipient = (noticeId: number) => t.db.selectFrom('notice_recipients').selectAll().where('notice_id', '=', noticeId).executeTakeFirstOrThrow();

  it('redirected to the person\'s other chat: the row turns sent, and the tally says delivered, not held', async () => {
    const zaloId = await linkChat(t.db, net.healthSpokesId, 'zalo_oa', 'z-syt');
    await linkChat(t.db, net.healthSpokesId, 'telegram', 't-syt');
    // The Zalo reply window closed three days ago: the outbox sends a copy to Telegram instead.
    await t.db.updateTable('identities').set({ last_inbound_at: '2026-11-20T00:00:00.000Z' }).where('id', '=', zaloId).execute();
    const { noticeId, outboxId } = await handedOver(zaloId, 'zalo_oa', 'z-syt');
    await dispatcher.enqueue([outboxId]);
    await expect.poll(async () => (await recipient(noticeId)).status, { timeout: 15_000 }).toBe('sent');
    expect(tg.deliveredTo('t-syt').map((p) => p.text)).toEqual(['📢 Lịch cắt điện']);
    expect(zalo.deliveredTo('z-syt')).toEqual([]);
    const counts = await noticeTally(t.db, noticeId);
    expect(counts).toMatchObject({ total: 1, sent: 1, held: 0, failed: 0 });
    expect(noticeVi.progress(noticeId, 'Lịch cắt điện', counts, true)).toContain('Đã gửi: 1/1');
    expect(noticeVi.progress(noticeId, 'Lịch cắt điện', counts, true)).not.toContain('Đang giữ chờ kênh');
  });

  it('held for a closed window, then re-sent to a chat the person links: the row turns sent', async () => {
    const zaloId = await linkChat(t.db, net.healthSpokesId, 'zalo_oa', 'z-syt');
    await t.db.updateTable('identities').set({ last_inbound_at: '2026-11-20T00:00:00.000Z' }).where('id', '=', zaloId).execute();
    const { noticeId, outboxId } = await handedOver(zaloId, 'zalo_oa', 'z-syt');
    await dispatcher.enqueue([outboxId]);
    await expect.poll(async () => (await t.db.selectFrom('outbox').select('status').where('id', '=', outboxId).executeTakeFirstOrThrow()).status, { timeout: 15_000 }).toBe('held');
    expect((await recipient(noticeId)).status).toBe('held');
    const inbound = createInboundProcessor({
      db: t.db, clock, logger: createLogger({ level: 'silent' }), enqueueOutbox: (ids) => dispatcher.enqueue(ids), syncDeadlines: async () => undefined,
      settings: {
        maxTextChars: 2000, defaultLocale: 'vi', deadlines: createDeadlinePolicy({ db: t.db, loadCalendar: (via) => loadCalendar(via ?? t.db) }),
        capabilities: (platform) => [zalo, tg].find((a) => a.platform === platform)?.capabilities,
      },
    });
    await tg.start((e) => inbound.accept(e));
    await tg.emit({ kind: 'command', platform: 'telegram', eventId: 'e1', from: { id: 't-syt' }, chatId: 't-syt', at: clock.now(), raw: null, messageId: 'u1', command: 'start', args: 'inv-pn-syt' });
    await inbound.drain();
    await expect.poll(async () => (await recipient(noticeId)).status, { timeout: 15_000 }).toBe('sent');
    expect(tg.deliveredTo('t-syt').filter((p) => p.text.includes('Lịch cắt điện'))).toHaveLength(1);
    expect(await noticeTally(t.db, noticeId)).toMatchObject({ total: 1, sent: 1, held: 0 });
  });

  it('failed for good by the outbox: the row turns failed, and the tally counts it failed, not held', async () => {
    const tgId = await linkChat(t.db, net.healthSpokesId, 'telegram', 't-syt');
    const { noticeId, outboxId } = await handedOver(tgId, 'telegram', 't-syt');
    tg.failNext('t-syt', new BadRequestError('chat not found'));
    await dispatcher.enqueue([outboxId]);
    await expect.poll(async () => (await recipient(noticeId)).status, { timeout: 15_000 }).toBe('failed');
    expect((await recipient(noticeId)).last_error).toContain('chat not found');
    expect(await noticeTally(t.db, noticeId)).toMatchObject({ total: 1, sent: 0, held: 0, failed: 1 });
  });
});
